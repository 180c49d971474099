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

    init(address: ResourceAddress, addressText: String, configurationAddress: String, action: ChangeAction,
         hasBefore: Bool, hasAfter: Bool, afterNode: JSONNode?, node: JSONNode, file: String,
         config: ConfigResource?, values: LazyValues) {
        self.address = address
        self.addressText = addressText
        self.configurationAddress = configurationAddress
        self.action = action
        self.hasBefore = hasBefore
        self.hasAfter = hasAfter
        self.afterNode = afterNode
        self.node = node
        self.file = file
        self.config = config
        self.values = values
    }

    final class LazyValues {
        private let makeBefore: () -> TerraformValue?
        private let makeAfter: () -> TerraformValue?
        /// A state's instance has one value, before and after alike: build it once.
        private let afterIsBefore: Bool
        lazy var before: TerraformValue? = makeBefore()
        lazy var after: TerraformValue? = afterIsBefore ? before : makeAfter()
        /// Where single attributes can be read without building the whole value (nil: build it).
        let beforeSource: ValueSource?
        let afterSource: ValueSource?

        init(before: @escaping () -> TerraformValue?, after: @escaping () -> TerraformValue?,
             beforeSource: ValueSource? = nil, afterSource: ValueSource? = nil, afterIsBefore: Bool = false) {
            makeBefore = before
            makeAfter = after
            self.afterIsBefore = afterIsBefore
            self.beforeSource = beforeSource
            self.afterSource = afterSource
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
    /// Read straight from the JSON (only the attribute's subtree becomes a Swift value), with
    /// the same unknown and sensitive semantics as `current.value(at:)`.
    public func attribute(_ path: String) -> TerraformValue? {
        hasAfter ? afterAttribute(path) : beforeAttribute(path)
    }

    public func beforeAttribute(_ path: String) -> TerraformValue? {
        guard hasBefore else { return nil }
        guard let source = values.beforeSource else { return before?.value(at: path) }
        return source.value(at: TerraformValue.pathSteps(path))
    }

    public func afterAttribute(_ path: String) -> TerraformValue? {
        guard hasAfter else { return nil }
        guard let source = values.afterSource else { return after?.value(at: path) }
        return source.value(at: TerraformValue.pathSteps(path))
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
            values: LazyValues(before: { hasBefore ? body.beforeValue : nil }, after: { removed ? nil : body.afterValue },
                               beforeSource: ValueSource(value: body.before, unknown: nil, sensitive: body.beforeSensitive),
                               afterSource: ValueSource(value: body.after, unknown: body.afterUnknown, sensitive: body.afterSensitive)))
    }

    static func from(_ instance: ResourceInstance, file: String, config: ConfigResource?) -> ResourceView {
        // Raw states list sensitive paths, and plans can add a change's mask: those build the whole value.
        let simple = instance.sensitivePaths.isEmpty && instance.changeSensitiveMask == nil
        let source = simple ? ValueSource(value: instance.attributes, unknown: nil, sensitive: instance.sensitiveMask) : nil
        let values = LazyValues(before: { instance.value }, after: { instance.value }, beforeSource: source, afterSource: source,
                                afterIsBefore: true)
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

/// A value's JSON with its parallel unknown and sensitive masks, read one attribute at a time.
struct ValueSource {
    let value: JSONNode?
    let unknown: JSONNode?
    let sensitive: JSONNode?

    func value(at steps: [PathStep]) -> TerraformValue? {
        var value = self.value
        var unknown = self.unknown
        var sensitive = self.sensitive
        for step in steps {
            // An opaque part along the way is the answer, as with `TerraformValue.value(at:)`.
            if sensitive?.bool == true || unknown?.bool == true {
                return TerraformValue.from(value, unknown: unknown, sensitive: sensitive)
            }
            switch step {
            case .attribute(let name), .key(let name):
                value = value?.kind == .object ? value?[name] : nil
                unknown = unknown?.kind == .object ? unknown?[name] : nil
                sensitive = sensitive?.kind == .object ? sensitive?[name] : nil
            case .index(let index):
                value = ValueSource.element(index, of: value)
                unknown = ValueSource.element(index, of: unknown)
                sensitive = ValueSource.element(index, of: sensitive)
            }
            if value == nil || value?.isNull == true {
                if unknown?.bool == true {
                    return sensitive?.bool == true ? .sensitive(SensitiveValue(.unknown)) : .unknown
                }
                if value == nil { return nil }
            }
        }
        return TerraformValue.from(value, unknown: unknown, sensitive: sensitive)
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
