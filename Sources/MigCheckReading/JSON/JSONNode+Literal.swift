import MigCheckFoundation

extension JSONLiteral {
    /// A value read from a document, as a literal: what a policy compares with, what a page shows.
    package init(_ node: JSONNode) {
        switch node.kind {
        case .null: self = .null
        case .bool: self = .bool(node.bool ?? false)
        case .number: self = .number(node.numberText ?? "0")
        case .string: self = .string(node.string ?? "")
        case .array: self = .array(node.elements.map(JSONLiteral.init))
        case .object: self = .object(node.members.map { ($0.key, JSONLiteral($0.value)) })
        }
    }
}
