import MigCheckFoundation

/// What a plan will do to one resource instance (`change.actions`).
public enum ChangeAction: Hashable, Sendable, CustomStringConvertible {
    case noOp
    case create
    case read
    case update
    case delete
    /// `["delete","create"]`: the default replace order.
    case deleteThenCreate
    /// `["create","delete"]`: `create_before_destroy`.
    case createThenDelete
    /// `["forget"]`: a `removed` block with `destroy = false` (Terraform 1.7+).
    case forget
    /// `["create","forget"]`: a replacement whose old object is forgotten, not destroyed
    /// (`destroy = false` in a lifecycle block, Terraform 1.10+).
    case createThenForget
    /// An action list this version of migcheck does not know; kept verbatim.
    case other([String])

    package init(_ actions: [String]) {
        switch actions {
        case ["no-op"]: self = .noOp
        case ["create"]: self = .create
        case ["read"]: self = .read
        case ["update"]: self = .update
        case ["delete"]: self = .delete
        case ["delete", "create"]: self = .deleteThenCreate
        case ["create", "delete"]: self = .createThenDelete
        case ["forget"]: self = .forget
        case ["create", "forget"]: self = .createThenForget
        default: self = .other(actions)
        }
    }

    /// True for a plain delete and the replacements that destroy: the current object goes away.
    public var destroysExisting: Bool { self == .delete || self == .deleteThenCreate || self == .createThenDelete }

    /// Every action list Terraform writes, as the JSON shows it.
    static let knownLists = #"["no-op"], ["create"], ["read"], ["update"], ["delete"], ["delete","create"], ["create","delete"], ["forget"], ["create","forget"]"#

    public var description: String {
        switch self {
        case .noOp: return "no-op"
        case .create: return "create"
        case .read: return "read"
        case .update: return "update"
        case .delete: return "delete"
        case .deleteThenCreate: return "replace (delete, then create)"
        case .createThenDelete: return "replace (create, then delete)"
        case .forget: return "forget"
        case .createThenForget: return "replace (create, then forget the old object)"
        case .other(let actions): return actions.joined(separator: ",")
        }
    }
}

/// One step of an attribute path as Terraform writes it in `replace_paths`
/// and `sensitive_attributes`.
public enum PathStep: Hashable, Sendable, CustomStringConvertible {
    case attribute(String)
    case index(Int)
    case key(String)

    public var description: String {
        switch self {
        case .attribute(let name): return "." + name
        case .index(let index): return "[\(index)]"
        case .key(let key): return "[\(InstanceKey.hclQuoted(key))]"
        }
    }
}

/// The `change` object of a resource change: before and after with their masks.
public struct Change {
    public let action: ChangeAction
    public let before: JSONNode?
    public let after: JSONNode?
    public let afterUnknown: JSONNode?
    public let beforeSensitive: JSONNode?
    public let afterSensitive: JSONNode?
    public let replacePaths: [[PathStep]]
    /// `importing` is present (Terraform 1.5+ import blocks).
    public let isImport: Bool
    /// The `sensitive_values` of the instance in `prior_state`/`planned_values`, kept only when they mark
    /// something `before_sensitive`/`after_sensitive` does not: a mark in either place makes a value sensitive.
    public internal(set) var priorSensitiveValues: JSONNode? = nil
    public internal(set) var plannedSensitiveValues: JSONNode? = nil

    /// The planned value, with unknown and sensitive parts as their own cases.
    public var afterValue: TerraformValue {
        TerraformValue.from(after, unknown: afterUnknown, sensitive: afterSensitive).maskingSensitive(mask: plannedSensitiveValues)
    }

    /// The value before the change, with sensitive parts masked.
    public var beforeValue: TerraformValue {
        TerraformValue.from(before, unknown: nil, sensitive: beforeSensitive).maskingSensitive(mask: priorSensitiveValues)
    }
}

/// An entry of `resource_changes` (or `resource_drift`).
public struct ResourceChange {
    public let address: ResourceAddress
    /// The address string exactly as the plan spells it.
    public let addressText: String
    public let previousAddress: String?
    public let deposed: String?
    public let providerName: String?
    public let actionReason: String?
    public internal(set) var change: Change
    /// Where this entry begins in the file, for reports.
    public let node: JSONNode

    public var action: ChangeAction { change.action }
}

/// A resource instance in a state: `planned_values`, `prior_state`, `values`
/// of `terraform show -json`, or an instance of a raw `terraform.tfstate`.
public struct ResourceInstance {
    public let address: ResourceAddress
    public let addressText: String
    public let providerName: String?
    public let attributes: JSONNode?
    /// `sensitive_values` (show -json) as a mask object.
    public let sensitiveMask: JSONNode?
    /// `sensitive_attributes` (raw tfstate) as paths.
    public let sensitivePaths: [[PathStep]]
    public let deposed: String?
    public let node: JSONNode
    /// In a plan: the instance's resource change `after_sensitive` (planned_values) or
    /// `before_sensitive` (prior_state). Terraform leaves schema-sensitive attributes out of
    /// `sensitive_values` (seen in 1.2 to 1.13 output) while the change marks them.
    public internal(set) var changeSensitiveMask: JSONNode? = nil

    /// The attribute values, sensitive parts masked.
    public var value: TerraformValue {
        ResourceInstance.value(of: attributes, sensitiveMask: sensitiveMask, sensitivePaths: sensitivePaths,
                               changeSensitiveMask: changeSensitiveMask)
    }

    /// An instance's value from its parts, for holders that keep only these (a `ResourceView`).
    package static func value(of attributes: JSONNode?, sensitiveMask: JSONNode?, sensitivePaths: [[PathStep]],
                      changeSensitiveMask: JSONNode?) -> TerraformValue {
        var value = TerraformValue.from(attributes, unknown: nil, sensitive: sensitiveMask)
        for path in sensitivePaths { value = value.maskingSensitive(at: path[...]) }
        if let changeSensitiveMask { value = value.maskingSensitive(mask: changeSensitiveMask) }
        return value
    }
}

extension TerraformValue {
    /// `maskingSensitive(mask:)` when there is a mask.
    package func maskingSensitive(mask: JSONNode?) -> TerraformValue {
        guard let mask else { return self }
        return maskingSensitive(mask: mask)
    }

    /// Wraps every part a mask shaped like `after_sensitive` marks `true`.
    package func maskingSensitive(mask: JSONNode) -> TerraformValue {
        if mask.kind == .bool {
            return mask.bool == true && !isSensitive ? .sensitive(SensitiveValue(self)) : self
        }
        switch (self, mask.kind) {
        case (.object(var fields), .object):
            mask.forEachMember { key, inner in
                let name = key.string
                if let part = fields[name] { fields[name] = part.maskingSensitive(mask: inner) }
                return true
            }
            return .object(fields)
        case (.list(var items), .array):
            for (index, inner) in mask.elements.enumerated() where items.indices.contains(index) {
                items[index] = items[index].maskingSensitive(mask: inner)
            }
            return .list(items)
        default:
            return self
        }
    }

    /// Wraps the part at `path` as sensitive (raw states list sensitive paths, not masks).
    package func maskingSensitive(at path: ArraySlice<PathStep>) -> TerraformValue {
        guard let step = path.first else {
            return isSensitive ? self : .sensitive(SensitiveValue(self))
        }
        let rest = path.dropFirst()
        switch (self, step) {
        case (.object(var fields), .attribute(let name)), (.object(var fields), .key(let name)):
            if let inner = fields[name] { fields[name] = inner.maskingSensitive(at: rest) }
            return .object(fields)
        case (.list(var items), .index(let index)) where items.indices.contains(index):
            items[index] = items[index].maskingSensitive(at: rest)
            return .list(items)
        default:
            return self
        }
    }
}
