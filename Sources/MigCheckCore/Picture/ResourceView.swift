/// One resource instance as the rules see it, whether it came from a plan or a state:
/// what it was, what it will be, and what happens to it.
public struct ResourceView {
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
    /// The raw planned value, for byte-speed searches (nil when destroyed).
    public let afterNode: JSONNode?
    /// Where the change (or state instance) begins in the file.
    public let node: JSONNode
    public let file: String
    /// The resource's block in the configuration, when the plan carries one.
    public let config: ConfigResource?
    /// Values are built on first use: a plan's thousands of unrelated resources stay bytes.
    private let values: LazyValues

    /// The value before the change; nil when the plan creates the resource.
    public var before: TerraformValue? { values.before }
    /// The planned value; nil when the plan destroys (or forgets) the resource.
    public var after: TerraformValue? { values.after }

    final class LazyValues {
        private let makeBefore: () -> TerraformValue?
        private let makeAfter: () -> TerraformValue?
        lazy var before: TerraformValue? = makeBefore()
        lazy var after: TerraformValue? = makeAfter()

        init(before: @escaping () -> TerraformValue?, after: @escaping () -> TerraformValue?) {
            makeBefore = before
            makeAfter = after
        }
    }

    public var type: String { address.type }
    public var isManaged: Bool { address.mode == .managed }

    /// The value the resource has after this deploy, or its last known value if it is being destroyed.
    public var current: TerraformValue { after ?? before ?? .null }

    /// True for a delete and both replace orders.
    public var isDestroyed: Bool { action.destroysExisting }
    public var isCreated: Bool { action == .create || action.isReplace }

    /// The file range for reports: from the change's (or instance's) opening brace to its closing one.
    public var location: SourceLocation {
        let start = node.document.position(of: node.offset)
        let end = node.document.position(of: max(node.offset, node.end().offset - 1))
        return SourceLocation(file: file, start: start, end: end)
    }

    /// An attribute of the current value, following a path such as `master_user_secret[0].secret_arn`.
    public func attribute(_ path: String) -> TerraformValue? {
        current.value(at: path)
    }

    public func beforeAttribute(_ path: String) -> TerraformValue? {
        before?.value(at: path)
    }

    public func afterAttribute(_ path: String) -> TerraformValue? {
        after?.value(at: path)
    }

    static func from(_ change: ResourceChange, file: String, config: ConfigResource?) -> ResourceView {
        let hasBefore = change.change.before.map { !$0.isNull } ?? false
        let removed = change.action == .delete || change.action == .forget
        let body = change.change
        return ResourceView(
            address: change.address, addressText: change.addressText,
            configurationAddress: change.address.configurationAddress, action: change.action,
            hasBefore: hasBefore, hasAfter: !removed,
            afterNode: removed ? nil : body.after,
            node: change.node, file: file, config: config,
            values: LazyValues(before: { hasBefore ? body.beforeValue : nil }, after: { removed ? nil : body.afterValue }))
    }

    static func from(_ instance: ResourceInstance, file: String, config: ConfigResource?) -> ResourceView {
        let values = LazyValues(before: { instance.value }, after: { instance.value })
        return ResourceView(
            address: instance.address, addressText: instance.addressText,
            configurationAddress: instance.address.configurationAddress, action: .noOp,
            hasBefore: true, hasAfter: true, afterNode: instance.attributes,
            node: instance.node, file: file, config: config, values: values)
    }
}

extension TerraformValue {
    /// Follows a dotted path with list indices: `rotation_rules[0].schedule_expression`.
    /// An unknown or sensitive value along the way is returned as is: the path cannot see inside.
    public func value(at path: String) -> TerraformValue? {
        var current: TerraformValue = self
        for step in TerraformValue.pathSteps(path) {
            switch current {
            case .unknown, .sensitive:
                return current
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

    static func pathSteps(_ path: String) -> [PathStep] {
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
                if let number = Int(index) { steps.append(.index(number)) } else { steps.append(.key(index)) }
                inIndex = false
            default:
                if inIndex { index.append(character) } else { name.append(character) }
            }
        }
        if !name.isEmpty { steps.append(.attribute(name)) }
        return steps
    }
}
