import MigCheckFoundation

/// An attribute value as Terraform means it: known, unknown until apply, or sensitive.
///
/// Unknown and sensitive are cases of their own so no later stage can mistake them
/// for `null` or a default, and a sensitive value can never be printed by accident.
public indirect enum TerraformValue: Equatable, Sendable, CustomStringConvertible {
    case null
    case bool(Bool)
    /// The number exactly as Terraform wrote it.
    case number(String)
    case string(String)
    case list([TerraformValue])
    case object([String: TerraformValue])
    /// Known only after apply (`after_unknown`).
    case unknown
    /// Marked sensitive (`*_sensitive`, `sensitive_values`, `sensitive_attributes`).
    case sensitive(SensitiveValue)

    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let text): return text
        case .string(let text): return JSONQuoting.quoted(text, limit: 200)
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .object(let fields):
            return "{" + fields.keys.sorted().map { "\($0): \(fields[$0]?.description ?? "")" }.joined(separator: ", ") + "}"
        case .unknown: return "(known after apply)"
        case .sensitive: return SensitiveValue.placeholder
        }
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var numberValue: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }

    public var intValue: Int? {
        guard case .number(let text) = self else { return nil }
        if let exact = Int(text) { return exact }
        guard let value = Double(text), value.rounded() == value, abs(value) < 9.0e18 else { return nil }
        return Int(value)
    }

    /// A string, number or bool in the textual form Terraform would compare
    /// (`"1"` and `1` name the same parameter value); nil for anything else.
    public var scalarText: String? {
        switch self {
        case .string(let text): return text
        case .number(let text): return text
        case .bool(let value): return value ? "true" : "false"
        default: return nil
        }
    }

    public var isUnknown: Bool { self == .unknown }
    public var isSensitive: Bool {
        if case .sensitive = self { return true }
        return false
    }

    /// A known sensitive value's content, for judging only: never print it or build a message
    /// from it. Anything else (unknown, or sensitive and unknown) is returned as it is.
    package var unmasked: TerraformValue {
        if case .sensitive(let hidden) = self, !hidden.isUnknown { return hidden.content }
        return self
    }

    /// `unmasked` all the way down: every known sensitive part replaced by its content (parts
    /// unknown until apply stay as they are). For judging only, like `unmasked`.
    package var fullyUnmasked: TerraformValue {
        switch unmasked {
        case .list(let items): return .list(items.map(\.fullyUnmasked))
        case .object(let fields): return .object(fields.mapValues(\.fullyUnmasked))
        case let other: return other
        }
    }

    /// `unmasked.stringValue`: a string, sensitive or not, for comparing only.
    package var unmaskedString: String? { unmasked.stringValue }

    /// Sensitive and known: judged on its content, named only as sensitive.
    package var isKnownSensitive: Bool {
        if case .sensitive(let hidden) = self { return !hidden.isUnknown }
        return false
    }

    /// Every string a sensitive part holds, anywhere inside: for keeping them out of text that
    /// comes from elsewhere (AWS CLI evidence names the same clusters); never print them.
    package var sensitiveStrings: [String] {
        switch self {
        case .sensitive: return fullyUnmaskedStrings(unmasked)
        case .list(let items): return items.flatMap(\.sensitiveStrings)
        case .object(let fields): return fields.values.flatMap(\.sensitiveStrings)
        default: return []
        }
    }

    private func fullyUnmaskedStrings(_ value: TerraformValue) -> [String] {
        switch value.fullyUnmasked {
        case .string(let text): return [text]
        case .list(let items): return items.flatMap { fullyUnmaskedStrings($0) }
        case .object(let fields): return fields.values.flatMap { fullyUnmaskedStrings($0) }
        default: return []
        }
    }

    /// Whether a sensitive part hides anywhere inside.
    package var containsSensitive: Bool {
        switch self {
        case .sensitive: return true
        case .list(let items): return items.contains { $0.containsSensitive }
        case .object(let fields): return fields.values.contains { $0.containsSensitive }
        default: return false
        }
    }

    /// Whether a part unknown until apply hides anywhere inside (a sensitive part is opaque and not looked into).
    public var containsUnknown: Bool {
        switch self {
        case .unknown: return true
        case .list(let items): return items.contains { $0.containsUnknown }
        case .object(let fields): return fields.values.contains { $0.containsUnknown }
        default: return false
        }
    }

    public subscript(key: String) -> TerraformValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    public subscript(index: Int) -> TerraformValue? {
        if case .list(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }
}

/// A value Terraform marked sensitive. It compares like its content but has no
/// printable form: `description`, `debugDescription` and reflection all show a placeholder.
public struct SensitiveValue: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public static let placeholder = "(sensitive value)"
    /// Read only through `TerraformValue.unmasked`, for judging.
    fileprivate let content: TerraformValue

    package init(_ content: TerraformValue) {
        if case .sensitive(let inner) = content {
            self.content = inner.content
        } else {
            self.content = content
        }
    }

    public var description: String { SensitiveValue.placeholder }
    public var debugDescription: String { SensitiveValue.placeholder }
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// Compare without revealing: true when the hidden value equals `other`.
    public func matches(_ other: TerraformValue) -> Bool { content == other }

    /// Whether the hidden value is unknown until apply (sensitive and unknown at once).
    public var isUnknown: Bool { content == .unknown }
}

extension TerraformValue {
    /// Builds a value from JSON, applying Terraform's parallel "unknown" and
    /// "sensitive" masks (`after_unknown`, `after_sensitive`, `sensitive_values`):
    /// where a mask holds `true`, that part becomes `.unknown` or `.sensitive`.
    public static func from(_ node: JSONNode?, unknown: JSONNode? = nil, sensitive: JSONNode? = nil) -> TerraformValue {
        let isUnknown = unknown?.bool == true
        let isSensitive = sensitive?.bool == true
        if isSensitive {
            let inner: TerraformValue = isUnknown ? .unknown : from(node, unknown: unknown, sensitive: nil)
            return .sensitive(SensitiveValue(inner))
        }
        if isUnknown { return .unknown }
        guard let node else { return .null }
        switch node.kind {
        case .null: return .null
        case .bool: return .bool(node.bool ?? false)
        case .number: return .number(node.numberText ?? "0")
        case .string: return .string(node.string ?? "")
        case .array:
            let elements = node.elements
            let unknownElements = unknown?.kind == .array ? unknown?.elements : nil
            let sensitiveElements = sensitive?.kind == .array ? sensitive?.elements : nil
            var items: [TerraformValue] = []
            items.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                items.append(from(element,
                                  unknown: unknownElements.flatMap { $0.indices.contains(index) ? $0[index] : nil },
                                  sensitive: sensitiveElements.flatMap { $0.indices.contains(index) ? $0[index] : nil }))
            }
            // after_unknown can describe more elements than `after` has (a list that grows at apply).
            if let extra = unknownElements, extra.count > elements.count {
                for index in elements.count..<extra.count where extra[index].bool == true { items.append(.unknown) }
            }
            return .list(items)
        case .object:
            var fields: [String: TerraformValue] = [:]
            node.forEachMember { key, value in
                let name = key.string
                fields[name] = from(value, unknown: unknown?[name], sensitive: sensitive?[name])
                return true
            }
            // Attributes known only after apply appear in after_unknown and not in after.
            unknown?.forEachMember { key, value in
                let name = key.string
                if fields[name] == nil, value.bool == true {
                    fields[name] = sensitive?[name]?.bool == true ? .sensitive(SensitiveValue(.unknown)) : .unknown
                }
                return true
            }
            return .object(fields)
        }
    }
}
