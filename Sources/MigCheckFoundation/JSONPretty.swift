extension JSONLiteral {
    /// Indented JSON (two spaces, `"key": value`), keys in the order they were built, one
    /// trailing newline. Strings are escaped as in `serialized`: `<`, `>` and `&` as `\u003c`…,
    /// control characters as `\uXXXX`, so the text is safe to embed and to print.
    public var pretty: String {
        var out = ""
        writePretty(to: &out, indent: "")
        return out + "\n"
    }

    func writePretty(to out: inout String, indent: String) {
        switch self {
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            let inner = indent + "  "
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += inner
                item.writePretty(to: &out, indent: inner)
                out += index + 1 < items.count ? ",\n" : "\n"
            }
            out += indent + "]"
        case .object(let fields):
            guard !fields.isEmpty else { out += "{}"; return }
            let inner = indent + "  "
            out += "{\n"
            for (index, field) in fields.enumerated() {
                out += inner
                JSONLiteral.writeString(field.0, to: &out)
                out += ": "
                field.1.writePretty(to: &out, indent: inner)
                out += index + 1 < fields.count ? ",\n" : "\n"
            }
            out += indent + "}"
        default:
            write(to: &out)
        }
    }

    /// `.number` from an integer.
    package static func int(_ value: Int) -> JSONLiteral { .number(String(value)) }

    /// A string, or null.
    package static func optional(_ value: String?) -> JSONLiteral { value.map(JSONLiteral.string) ?? .null }
}
