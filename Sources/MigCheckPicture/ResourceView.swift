import MigCheckFoundation
import MigCheckReading

/// One resource instance as the rules see it, whether it came from a plan or a state:
/// what it was, what it will be, and what happens to it. A class: rules pass thousands of
/// them around, and a reference costs eight bytes where the struct would copy hundreds.
public final class ResourceView {
    public let address: ResourceAddress
    public let addressText: String
    /// `address.configurationAddress`, built once: matching compares it often.
    public let configurationAddress: String
    /// `.noOp` for every resource of a state: nothing changes there.
    public let action: ChangeAction
    /// Whether there is a value before the change (false when the plan creates the resource).
    public let hasBefore: Bool
    /// Whether there is a planned value (false when the plan destroys or forgets the resource).
    public let hasAfter: Bool
    /// Where the change (or state instance) begins in the file.
    public let node: JSONNode
    public let file: String
    /// The resource's block in the configuration, when the plan carries one.
    public let config: ConfigResource?
    /// The attribute paths the plan says force this replacement (`change.replace_paths`); empty otherwise.
    public let replacePaths: [[PathStep]]
    /// The JSON the values come from. Values are built on first use: a plan's thousands of
    /// unrelated resources stay bytes, and a view holds no closures or copies of its change.
    private let origin: ValueOrigin

    /// Where a view's values lie in the document.
    enum ValueOrigin {
        /// A plan's resource change: `before` with its sensitive mask, `after` with its unknown and sensitive masks.
        /// `priorMarks`/`plannedMarks`: the `sensitive_values` of its prior_state/planned_values instance, when they
        /// mark something the change's own masks do not (marks from either place count).
        case change(before: JSONNode?, beforeSensitive: JSONNode?, after: JSONNode?, afterUnknown: JSONNode?, afterSensitive: JSONNode?,
                    priorMarks: JSONNode?, plannedMarks: JSONNode?)
        /// A state's instance: one value, before and after alike, masked as `ResourceInstance.value` masks it.
        case instance(attributes: JSONNode?, sensitiveMask: JSONNode?, sensitivePaths: [[PathStep]], changeSensitiveMask: JSONNode?)
    }

    /// The value before the change; nil when the plan creates the resource.
    public private(set) lazy var before: TerraformValue? = buildBefore()
    /// The planned value; nil when the plan destroys (or forgets) the resource.
    public private(set) lazy var after: TerraformValue? = buildAfter()

    init(address: ResourceAddress, addressText: String, configurationAddress: String, action: ChangeAction,
         hasBefore: Bool, hasAfter: Bool, node: JSONNode, file: String, config: ConfigResource?, origin: ValueOrigin,
         replacePaths: [[PathStep]] = []) {
        self.address = address
        self.addressText = addressText
        self.configurationAddress = configurationAddress
        self.action = action
        self.hasBefore = hasBefore
        self.hasAfter = hasAfter
        self.node = node
        self.file = file
        self.config = config
        self.origin = origin
        self.replacePaths = replacePaths
    }

    private func buildBefore() -> TerraformValue? {
        guard hasBefore else { return nil }
        switch origin {
        case .change(let before, let beforeSensitive, _, _, _, let priorMarks, _):
            return TerraformValue.from(before, unknown: nil, sensitive: beforeSensitive).maskingSensitive(mask: priorMarks)
        case .instance(let attributes, let sensitiveMask, let sensitivePaths, let changeSensitiveMask):
            return ResourceInstance.value(of: attributes, sensitiveMask: sensitiveMask, sensitivePaths: sensitivePaths,
                                          changeSensitiveMask: changeSensitiveMask)
        }
    }

    private func buildAfter() -> TerraformValue? {
        guard hasAfter else { return nil }
        switch origin {
        case .change(_, _, let after, let afterUnknown, let afterSensitive, _, let plannedMarks):
            return TerraformValue.from(after, unknown: afterUnknown, sensitive: afterSensitive).maskingSensitive(mask: plannedMarks)
        case .instance:
            // A state's instance has one value, before and after alike: build it once.
            return before
        }
    }

    /// The raw planned value, for byte-speed searches (nil when destroyed).
    public var afterNode: JSONNode? {
        switch origin {
        case .change(_, _, let after, _, _, _, _): return hasAfter ? after : nil
        case .instance(let attributes, _, _, _): return attributes
        }
    }

    /// Where single attributes can be read without building the whole value (nil: build it).
    private var beforeSource: ValueSource? {
        switch origin {
        case .change(let before, let beforeSensitive, _, _, _, let priorMarks, _):
            return ValueSource(value: before, unknown: nil, sensitive: beforeSensitive, extraSensitive: priorMarks)
        case .instance:
            return instanceSource
        }
    }

    private var afterSource: ValueSource? {
        switch origin {
        case .change(_, _, let after, let afterUnknown, let afterSensitive, _, let plannedMarks):
            return ValueSource(value: after, unknown: afterUnknown, sensitive: afterSensitive, extraSensitive: plannedMarks)
        case .instance:
            return instanceSource
        }
    }

    /// Raw states list sensitive paths, and plans can add a change's mask: those build the whole value.
    private var instanceSource: ValueSource? {
        guard case .instance(let attributes, let sensitiveMask, let sensitivePaths, let changeSensitiveMask) = origin,
              sensitivePaths.isEmpty, changeSensitiveMask == nil else { return nil }
        return ValueSource(value: attributes, unknown: nil, sensitive: sensitiveMask)
    }

    public var type: String { address.type }
    public var isManaged: Bool { address.mode == .managed }

    /// The value the resource has after this deploy, or its last known value if it is being destroyed.
    public var current: TerraformValue { after ?? before ?? .null }

    /// True for a delete and both replace orders.
    public var isDestroyed: Bool { action.destroysExisting }

    /// The file range for reports: from the change's (or instance's) opening brace to its closing one.
    public var location: SourceLocation {
        let start = node.document.position(of: node.offset)
        let end = node.document.position(of: max(node.offset, node.end().offset - 1))
        return SourceLocation(file: file, start: start, end: end)
    }

    /// An attribute of the current value, following a path such as `master_user_secret[0].secret_arn`.
    /// Read straight from the JSON (only the attribute's subtree becomes a Swift value), with
    /// the same unknown and sensitive semantics as `current.value(at:)`.
    public func attribute(_ path: String) -> TerraformValue? {
        hasAfter ? afterAttribute(path) : beforeAttribute(path)
    }

    public func beforeAttribute(_ path: String) -> TerraformValue? {
        guard hasBefore else { return nil }
        guard let source = beforeSource else { return before?.value(at: path) }
        return source.value(at: TerraformValue.pathSteps(path))
    }

    public func afterAttribute(_ path: String) -> TerraformValue? {
        guard hasAfter else { return nil }
        guard let source = afterSource else { return after?.value(at: path) }
        return source.value(at: TerraformValue.pathSteps(path))
    }

    /// `beforeAttribute` of several top-level attributes, read in one pass over the value.
    public func beforeAttributes(_ names: [String]) -> [TerraformValue?] {
        guard hasBefore else { return names.map { _ in nil } }
        guard let source = beforeSource else { return names.map { before?.value(at: $0) } }
        return source.values(ofAttributes: names)
    }

    /// `afterAttribute` of several top-level attributes, read in one pass over the value.
    public func afterAttributes(_ names: [String]) -> [TerraformValue?] {
        guard hasAfter else { return names.map { _ in nil } }
        guard let source = afterSource else { return names.map { after?.value(at: $0) } }
        return source.values(ofAttributes: names)
    }

    package static func from(_ change: ResourceChange, file: String, configurationAddress: String? = nil,
                     config: ConfigResource?) -> ResourceView {
        let body = change.change
        let removed = change.action == .delete || change.action == .forget
        return ResourceView(
            address: change.address, addressText: change.addressText,
            configurationAddress: configurationAddress ?? change.address.configurationAddress, action: change.action,
            hasBefore: body.before.map { !$0.isNull } ?? false, hasAfter: !removed,
            node: change.node, file: file, config: config,
            origin: .change(before: body.before, beforeSensitive: body.beforeSensitive,
                            after: body.after, afterUnknown: body.afterUnknown, afterSensitive: body.afterSensitive,
                            priorMarks: body.priorSensitiveValues, plannedMarks: body.plannedSensitiveValues),
            replacePaths: body.replacePaths)
    }

    package static func from(_ instance: ResourceInstance, file: String, configurationAddress: String? = nil,
                     config: ConfigResource?) -> ResourceView {
        ResourceView(
            address: instance.address, addressText: instance.addressText,
            configurationAddress: configurationAddress ?? instance.address.configurationAddress, action: .noOp,
            hasBefore: true, hasAfter: true, node: instance.node, file: file, config: config,
            origin: .instance(attributes: instance.attributes, sensitiveMask: instance.sensitiveMask,
                              sensitivePaths: instance.sensitivePaths, changeSensitiveMask: instance.changeSensitiveMask))
    }
}

extension TerraformValue {
    /// Follows a dotted path with list indices: `rotation_rules[0].schedule_expression`.
    /// An unknown value along the way is returned as is: the path cannot see inside. A known
    /// sensitive one is followed, and what the path finds in it is sensitive too.
    public func value(at path: String) -> TerraformValue? {
        value(at: TerraformValue.pathSteps(path)[...])
    }

    package func value(at steps: ArraySlice<PathStep>) -> TerraformValue? {
        var current: TerraformValue = self
        for (offset, step) in zip(steps.indices, steps) {
            switch current {
            case .unknown:
                return current
            case .sensitive(let hidden):
                if hidden.isUnknown { return current }
                return current.unmasked.value(at: steps[offset...]).map { .sensitive(SensitiveValue($0)) }
            default:
                break
            }
            switch step {
            case .attribute(let name), .key(let name):
                guard let next = current[name] else { return nil }
                current = next
            case .index(let index):
                guard let next = current[index] else { return nil }
                current = next
            }
        }
        return current
    }

    package static func pathSteps(_ path: String) -> [PathStep] {
        // Most paths name one attribute: no need to rebuild it a character at a time.
        if !path.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "[") }) {
            return path.isEmpty ? [] : [.attribute(path)]
        }
        var steps: [PathStep] = []
        var name = ""
        var index = ""
        var inIndex = false
        for character in path {
            switch character {
            case "." where !inIndex:
                if !name.isEmpty { steps.append(.attribute(name)) }
                name = ""
            case "[" where !inIndex:
                if !name.isEmpty { steps.append(.attribute(name)) }
                name = ""
                inIndex = true
                index = ""
            case "]" where inIndex:
                if let number = Int(index) {
                    steps.append(.index(number))
                } else if index.count >= 2, index.hasPrefix("\""), index.hasSuffix("\"") {
                    // A map key as Terraform writes it, `tags["Name"]`.
                    steps.append(.key(String(index.dropFirst().dropLast())))
                } else {
                    steps.append(.key(index))
                }
                inIndex = false
            default:
                if inIndex { index.append(character) } else { name.append(character) }
            }
        }
        if !name.isEmpty { steps.append(.attribute(name)) }
        return steps
    }
}

/// A value's JSON with its parallel unknown and sensitive masks, read one attribute at a time.
struct ValueSource {
    let value: JSONNode?
    let unknown: JSONNode?
    let sensitive: JSONNode?
    /// A second sensitivity mask (`sensitive_values` marking what the change's mask does not): either mark counts.
    var extraSensitive: JSONNode? = nil

    func value(at steps: [PathStep]) -> TerraformValue? {
        var value = self.value
        var unknown = self.unknown
        var sensitive = self.sensitive
        var extra = extraSensitive
        for (offset, step) in steps.enumerated() {
            // An opaque part along the way answers as `TerraformValue.value(at:)` does: unknown as it is,
            // sensitive followed with what it finds sensitive too.
            if sensitive?.bool == true || unknown?.bool == true || extra?.bool == true {
                return Self.masked(value, unknown, sensitive, extra).value(at: steps[offset...])
            }
            switch step {
            case .attribute(let name), .key(let name):
                value = value?.kind == .object ? value?[name] : nil
                unknown = unknown?.kind == .object ? unknown?[name] : nil
                sensitive = sensitive?.kind == .object ? sensitive?[name] : nil
                extra = extra?.kind == .object ? extra?[name] : nil
            case .index(let index):
                value = ValueSource.element(index, of: value)
                unknown = ValueSource.element(index, of: unknown)
                sensitive = ValueSource.element(index, of: sensitive)
                extra = ValueSource.element(index, of: extra)
            }
            if value == nil || value?.isNull == true {
                if unknown?.bool == true {
                    return sensitive?.bool == true || extra?.bool == true ? .sensitive(SensitiveValue(.unknown)) : .unknown
                }
                if value == nil { return nil }
            }
        }
        return Self.masked(value, unknown, sensitive, extra)
    }

    private static func masked(_ value: JSONNode?, _ unknown: JSONNode?, _ sensitive: JSONNode?, _ extra: JSONNode?) -> TerraformValue {
        TerraformValue.from(value, unknown: unknown, sensitive: sensitive).maskingSensitive(mask: extra)
    }

    /// `value(at:)` of several top-level attribute names, finding them all in one pass over the
    /// object's members (a cluster's value has dozens, and matching reads several of them).
    func values(ofAttributes names: [String]) -> [TerraformValue?] {
        // An opaque whole is the answer for every name, as with `value(at:)`.
        if sensitive?.bool == true || unknown?.bool == true {
            let whole = TerraformValue.from(value, unknown: unknown, sensitive: sensitive)
            return names.map { whole.value(at: TerraformValue.pathSteps($0)[...]) }
        }
        // A name that is a path (or empty), or a second mask (rare), takes the general road.
        guard extraSensitive == nil, names.allSatisfy({ TerraformValue.pathSteps($0) == [.attribute($0)] }) else {
            return names.map { value(at: TerraformValue.pathSteps($0)) }
        }
        let keys = names.map { Array($0.utf8) }
        let values = ValueSource.members(keys, of: value)
        let unknowns = ValueSource.members(keys, of: unknown)
        let sensitives = ValueSource.members(keys, of: sensitive)
        return names.indices.map { index in
            let value = values[index]
            let unknown = unknowns[index]
            let sensitive = sensitives[index]
            if value == nil || value?.isNull == true {
                if unknown?.bool == true {
                    return sensitive?.bool == true ? .sensitive(SensitiveValue(.unknown)) : .unknown
                }
                if value == nil { return nil }
            }
            return TerraformValue.from(value, unknown: unknown, sensitive: sensitive)
        }
    }

    /// For each key, the value of the first member of `object` with that key (as `object[key]`
    /// finds it; nil when `object` is no object), in one pass that stops once every key is found.
    /// Raw members: no key or node is made for the members passed over.
    private static func members(_ keys: [[UInt8]], of object: JSONNode?) -> [JSONNode?] {
        var found = [JSONNode?](repeating: nil, count: keys.count)
        guard let object, object.kind == .object, !keys.isEmpty else { return found }
        var missing = keys.count
        let document = object.document
        document.forEachRawMember(ofObjectAt: object.offset, container: object.container) { member in
            let length = member.keyEnd - member.keyStart
            for index in keys.indices where found[index] == nil && (member.keyEscaped || keys[index].count == length) {
                let key = JSONKey(document: document, contentStart: member.keyStart, end: member.keyEnd, escaped: member.keyEscaped)
                if key.equals(keys[index]) {
                    found[index] = JSONNode(document: document, offset: member.valueOffset, container: member.valueContainer)
                    missing -= 1
                }
            }
            return missing > 0
        }
        return found
    }

    private static func element(_ index: Int, of node: JSONNode?) -> JSONNode? {
        guard let node, node.kind == .array, index >= 0 else { return nil }
        var position = 0
        var found: JSONNode?
        node.forEachElement { element in
            if position == index {
                found = element
                return false
            }
            position += 1
            return true
        }
        return found
    }
}
