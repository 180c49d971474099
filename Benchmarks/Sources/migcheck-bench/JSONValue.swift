/// Small JSON tree for resource attribute values. The plan skeleton is streamed
/// directly; only one resource's attributes exist as a tree at a time.
enum JSONValue {
    case null
    case bool(Bool)
    case int(Int)
    /// A JSON number literal written verbatim, e.g. "1.5e3", "-0.025", "2.5E-3",
    /// so the file exercises number spellings that `Int`/`Double` printing would not.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Keys are unique and sorted; build through `JSONValue.obj(_:)`.
    case object([Attribute])

    static func strings(_ values: [String]) -> JSONValue {
        .array(values.map { .string($0) })
    }

    /// Terraform emits attribute objects with keys sorted bytewise (cty values
    /// marshalled through Go maps), so every attribute object is sorted here.
    /// Duplicate keys would make the output ambiguous for strict consumers; the
    /// builders never produce them (checked with Python's object_pairs_hook),
    /// and should one slip in, the last value wins instead of emitting both.
    static func obj(_ attributes: [Attribute]) -> JSONValue {
        .object(sortedUnique(attributes))
    }

    static func sortedUnique(_ attributes: [Attribute]) -> [Attribute] {
        let sorted = attributes.enumerated().sorted { lhs, rhs in
            if lhs.element.key == rhs.element.key { return lhs.offset < rhs.offset }
            return lhs.element.key.utf8.lexicographicallyPrecedes(rhs.element.key.utf8)
        }
        var result: [Attribute] = []
        result.reserveCapacity(sorted.count)
        for entry in sorted {
            if let last = result.last, last.key == entry.element.key {
                result[result.count - 1] = entry.element
            } else {
                result.append(entry.element)
            }
        }
        return result
    }
}

typealias Attribute = (key: String, value: JSONValue)

extension ByteSink {
    func value(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): flag ? raw("true") : raw("false")
        case .int(let number): int(number)
        case .number(let literal): raw(literal)
        case .string(let text): string(text)
        case .array(let items):
            byte(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { byte(UInt8(ascii: ",")) }
                self.value(item)
            }
            byte(UInt8(ascii: "]"))
        case .object(let attributes):
            object(attributes)
        }
    }

    func object(_ attributes: [Attribute]) {
        byte(UInt8(ascii: "{"))
        for (index, attribute) in attributes.enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            string(attribute.key)
            byte(UInt8(ascii: ":"))
            value(attribute.value)
        }
        byte(UInt8(ascii: "}"))
    }

    /// Compact Go-style JSON text of a value, for attributes that hold JSON
    /// documents as strings (IAM policies, ECS container definitions, ...).
    static func jsonText(_ value: JSONValue) -> String {
        let sink = ByteSink(.memory)
        sink.value(value)
        return sink.text()
    }
}

/// Terraform's `after_unknown` / `*_sensitive` shape: objects keep only
/// non-false entries (flagged keys become `true`), lists keep one entry per
/// element (`false` for plain values), plain values disappear.
enum ValueMask {
    static func mask(_ attributes: [Attribute], flagged: [String]) -> JSONValue {
        var result: [Attribute] = []
        for attribute in attributes {
            if flagged.contains(attribute.key) {
                result.append((attribute.key, .bool(true)))
            } else if let nested = nestedMask(attribute.value) {
                result.append((attribute.key, nested))
            }
        }
        // Flagged keys missing from the values (not expected) still get reported.
        for key in flagged where !attributes.contains(where: { $0.key == key }) {
            result.append((key, .bool(true)))
        }
        return .obj(result)
    }

    private static func nestedMask(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .object(let attributes):
            return .object(attributes.compactMap { attribute in
                nestedMask(attribute.value).map { (attribute.key, $0) }
            })
        case .array(let items):
            return .array(items.map { nestedMask($0) ?? .bool(false) })
        default:
            return nil
        }
    }
}
