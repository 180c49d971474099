/// A JSON value written as a Swift literal, for rule examples and the built-in policy:
/// `["engine": "aurora-postgresql", "promotion_tier": 1, "parameter": [[...]]]`.
public indirect enum JSONLiteral: Equatable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONLiteral])
    /// Keys keep their order, as Terraform's output does.
    case object([(String, JSONLiteral)])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONLiteral...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONLiteral)...) { self = .object(elements) }
    public init(nilLiteral: ()) { self = .null }

    public static func == (lhs: JSONLiteral, rhs: JSONLiteral) -> Bool {
        lhs.serialized == rhs.serialized
    }

    public subscript(key: String) -> JSONLiteral? {
        get {
            guard case .object(let fields) = self else { return nil }
            return fields.last { $0.0 == key }?.1
        }
        set {
            guard case .object(var fields) = self else { return }
            if let index = fields.firstIndex(where: { $0.0 == key }) {
                if let newValue { fields[index].1 = newValue } else { fields.remove(at: index) }
            } else if let newValue {
                fields.append((key, newValue))
            }
            self = .object(fields)
        }
    }

    /// Compact JSON, as `terraform show -json` writes it (Go's encoder escapes <, > and &).
    public var serialized: String {
        var out = ""
        write(to: &out)
        return out
    }

    package func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let text): out += text
        case .string(let text): JSONLiteral.writeString(text, to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (index, field) in fields.enumerated() {
                if index > 0 { out += "," }
                JSONLiteral.writeString(field.0, to: &out)
                out += ":"
                field.1.write(to: &out)
            }
            out += "}"
        }
    }

    static func writeString(_ text: String, to out: inout String) {
        out += "\""
        // Any other control character (also DEL, C1 and the bidi controls) as `\uXXXX`: a viewer
        // of the file must not obey them.
        out += TextEscaping.escape(text) { scalar, _, _ in spelling(scalar) }
        out += "\""
    }

    /// JSON's own spelling of a scalar in a string: the two escapes it requires, the short
    /// escapes of the line breaks and tab, and `<`, `>`, `&` as `\uXXXX` (safe inside HTML).
    private static func spelling(_ scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "\"": return "\\\""
        case "\\": return "\\\\"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "<": return "\\u003c"
        case ">": return "\\u003e"
        case "&": return "\\u0026"
        default: return nil
        }
    }
}
