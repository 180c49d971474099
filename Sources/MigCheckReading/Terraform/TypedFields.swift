import MigCheckFoundation

/// Typed access to an object's fields that names the field and its position when the
/// type is wrong (`resource_changes[3].change.actions: expected an array, found a string`).
///
/// The JSON path in a message is worked out from the node's offset only when an error
/// is raised, so reading a valid plan never builds path strings.
struct TypedFields {
    let node: JSONNode
    let file: String
    /// Members in file order, as raw offsets: looked up by byte comparison, so reading a
    /// field allocates nothing and retains the document only for the nodes handed out.
    private var members: [RawMember] = []

    init(_ node: JSONNode, file: String) throws {
        self.node = node
        self.file = file
        guard node.kind == .object else {
            throw TypedFields.error(file: file, node: node, expected: "an object")
        }
        var members: [RawMember] = []
        members.reserveCapacity(16)
        node.document.forEachRawMember(ofObjectAt: node.offset, container: node.container) { member in
            members.append(member)
            return true
        }
        self.members = members
    }

    static func error(file: String, node: JSONNode, expected: String) -> InputError {
        let path = node.document.path(to: node.offset)
        return InputError(file: file, position: node.position,
                          message: "\(path.isEmpty ? "the document" : path): expected \(expected), found \(node.kind.name)")
    }

    /// The JSON path of a field of this object, for messages.
    func path(of key: StaticString) -> String {
        let base = node.document.path(to: node.offset)
        return base.isEmpty ? "\(key)" : base + "." + "\(key)"
    }

    func missing(_ key: StaticString, expected: String) -> InputError {
        InputError(file: file, position: node.position, message: "\(path(of: key)): expected \(expected), but the field is missing")
    }

    /// The raw node, present and not null.
    func node(_ key: StaticString) -> JSONNode? {
        let document = node.document
        for member in members where document.key(of: member, equals: key) {
            guard document.bytes[member.valueOffset] != UInt8(ascii: "n") else { return nil }
            return JSONNode(document: document, offset: member.valueOffset, container: member.valueContainer)
        }
        return nil
    }

    func has(_ key: StaticString) -> Bool {
        let document = node.document
        return members.contains { document.key(of: $0, equals: key) }
    }

    func string(_ key: StaticString) throws -> String? {
        guard let value = node(key) else { return nil }
        guard let text = value.string else {
            throw TypedFields.error(file: file, node: value, expected: "a string")
        }
        return text
    }

    /// `string(key)`'s type check, without decoding the string.
    func checkString(_ key: StaticString) throws {
        guard let value = node(key) else { return }
        guard value.kind == .string else { throw TypedFields.error(file: file, node: value, expected: "a string") }
    }

    /// `requiredString(key)`'s checks, without decoding the string.
    func requireString(_ key: StaticString) throws {
        guard node(key) != nil else { throw missing(key, expected: "a string") }
        try checkString(key)
    }

    func bool(_ key: StaticString) throws -> Bool? {
        guard let value = node(key) else { return nil }
        guard let flag = value.bool else {
            throw TypedFields.error(file: file, node: value, expected: "a boolean")
        }
        return flag
    }

    func object(_ key: StaticString) throws -> TypedFields? {
        guard let value = node(key) else { return nil }
        return try TypedFields(value, file: file)
    }

    /// An object node, unparsed (for values that stay lazy).
    func objectNode(_ key: StaticString, allowingBool: Bool = false) throws -> JSONNode? {
        guard let value = node(key) else { return nil }
        if value.kind == .object || (allowingBool && value.kind == .bool) { return value }
        throw TypedFields.error(file: file, node: value, expected: allowingBool ? "an object or a boolean" : "an object")
    }

    /// Any value, as long as it is there (before/after can be any JSON type for outputs).
    func anyNode(_ key: StaticString) -> JSONNode? { node(key) }

    func array(_ key: StaticString) throws -> [JSONNode]? {
        guard let value = node(key) else { return nil }
        guard value.kind == .array else {
            throw TypedFields.error(file: file, node: value, expected: "an array")
        }
        return value.elements
    }

    /// Calls `body` for each element of an array field.
    func forEachElement(_ key: StaticString, _ body: (JSONNode) throws -> Void) throws {
        guard let value = node(key) else { return }
        guard value.kind == .array else {
            throw TypedFields.error(file: file, node: value, expected: "an array")
        }
        var failure: Error?
        value.forEachElement { element in
            do {
                try body(element)
            } catch {
                failure = error
                return false
            }
            return true
        }
        if let failure { throw failure }
    }

    func stringArray(_ key: StaticString) throws -> [String]? {
        guard let elements = try array(key) else { return nil }
        return try elements.map { element in
            guard let text = element.string else {
                throw TypedFields.error(file: file, node: element, expected: "a string")
            }
            return text
        }
    }

    /// `index` of a resource instance: a number for `count`, a string for `for_each`.
    func instanceKey(_ key: StaticString) throws -> InstanceKey? {
        guard let value = node(key) else { return nil }
        switch value.kind {
        case .number:
            guard let number = value.int else {
                throw TypedFields.error(file: file, node: value, expected: "an integer index")
            }
            return .int(number)
        case .string:
            return .string(value.string ?? String())
        default:
            throw TypedFields.error(file: file, node: value, expected: "a number or a string")
        }
    }

    func requiredString(_ key: StaticString) throws -> String {
        guard let text = try string(key) else { throw missing(key, expected: "a string") }
        return text
    }

    /// A string field that thousands of resources repeat, one shared copy per distinct value.
    func string(_ key: StaticString, interning strings: inout StringInterner) throws -> String? {
        guard let value = node(key) else { return nil }
        let bytes = value.document.bytes
        guard bytes[value.offset] == UInt8(ascii: "\"") else {
            throw TypedFields.error(file: file, node: value, expected: "a string")
        }
        let end = JSONNode.stringEnd(bytes, contentStart: value.offset + 1)
        guard !end.escaped else { return strings.intern(value.string) }
        return strings.intern(bytes, value.offset + 1, end.closingQuote) { value.string ?? "" }
    }

    func requiredString(_ key: StaticString, interning strings: inout StringInterner) throws -> String {
        guard let text = try string(key, interning: &strings) else { throw missing(key, expected: "a string") }
        return text
    }
}

extension JSONDocument {
    /// The JSON path (`resource_changes[3].change.actions`) of the value at `offset`,
    /// found by descending from the root; used only to word error messages.
    public func path(to offset: Int) -> String {
        var path = ""
        var node = root
        var depth = 0
        while node.offset != offset, depth < JSONScanner.maximumDepth {
            depth += 1
            var next: JSONNode?
            if node.kind == .object {
                node.forEachMember { key, value in
                    if value.offset <= offset, offset < value.end().offset {
                        path += path.isEmpty ? key.string : "." + key.string
                        next = value
                        return false
                    }
                    return true
                }
            } else if node.kind == .array {
                var index = 0
                node.forEachElement { element in
                    if element.offset <= offset, offset < element.end().offset {
                        path += "[\(index)]"
                        next = element
                        return false
                    }
                    index += 1
                    return true
                }
            }
            guard let found = next else { break }
            node = found
        }
        return path
    }
}
