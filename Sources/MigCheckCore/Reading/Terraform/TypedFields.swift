/// Typed access to an object's fields that names the field and its position when the
/// type is wrong (`resource_changes[3].change.actions: expected an array, found a string`).
struct TypedFields {
    let node: JSONNode
    /// The JSON path of `node`, for messages: `resource_changes[3].change`.
    let path: String
    let file: String
    /// Members in file order; looked up by byte comparison so no key is ever allocated.
    private var members: [(key: JSONKey, value: JSONNode)] = []

    init(_ node: JSONNode, path: String, file: String) throws {
        self.node = node
        self.path = path
        self.file = file
        guard node.kind == .object else {
            throw TypedFields.error(file: file, node: node, path: path, expected: "an object")
        }
        var members: [(key: JSONKey, value: JSONNode)] = []
        node.forEachMember { key, value in
            members.append((key, value))
            return true
        }
        self.members = members
    }

    static func error(file: String, node: JSONNode, path: String, expected: String) -> InputError {
        InputError(file: file, position: node.position,
                   message: "\(path.isEmpty ? "document" : path): expected \(expected), found \(node.kind.name)")
    }

    func childPath(_ key: StaticString) -> String { path.isEmpty ? "\(key)" : path + "." + "\(key)" }

    /// The raw node, present and not null.
    func node(_ key: StaticString) -> JSONNode? {
        for member in members where member.key.equals(key) {
            return member.value.isNull ? nil : member.value
        }
        return nil
    }

    func has(_ key: StaticString) -> Bool { members.contains { $0.key.equals(key) } }

    func string(_ key: StaticString) throws -> String? {
        guard let value = node(key) else { return nil }
        guard let text = value.string else {
            throw TypedFields.error(file: file, node: value, path: childPath(key), expected: "a string")
        }
        return text
    }

    func bool(_ key: StaticString) throws -> Bool? {
        guard let value = node(key) else { return nil }
        guard let flag = value.bool else {
            throw TypedFields.error(file: file, node: value, path: childPath(key), expected: "a boolean")
        }
        return flag
    }

    func object(_ key: StaticString) throws -> TypedFields? {
        guard let value = node(key) else { return nil }
        return try TypedFields(value, path: childPath(key), file: file)
    }

    /// An object node, unparsed (for before/after values that stay lazy).
    func objectNode(_ key: StaticString, allowingBool: Bool = false) throws -> JSONNode? {
        guard let value = node(key) else { return nil }
        if value.kind == .object || (allowingBool && value.kind == .bool) { return value }
        throw TypedFields.error(file: file, node: value, path: childPath(key), expected: allowingBool ? "an object or a boolean" : "an object")
    }

    /// Any value, as long as it is there (before/after can be any JSON type for outputs).
    func anyNode(_ key: StaticString) -> JSONNode? { node(key) }

    func array(_ key: StaticString) throws -> [JSONNode]? {
        guard let value = node(key) else { return nil }
        guard value.kind == .array else {
            throw TypedFields.error(file: file, node: value, path: childPath(key), expected: "an array")
        }
        return value.elements
    }

    /// Calls `body` for each element of an array field, with the element's path.
    func forEachElement(_ key: StaticString, _ body: (JSONNode, String) throws -> Void) throws {
        guard let value = node(key) else { return }
        guard value.kind == .array else {
            throw TypedFields.error(file: file, node: value, path: childPath(key), expected: "an array")
        }
        var index = 0
        var failure: Error?
        value.forEachElement { element in
            do {
                try body(element, "\(childPath(key))[\(index)]")
            } catch {
                failure = error
                return false
            }
            index += 1
            return true
        }
        if let failure { throw failure }
    }

    func stringArray(_ key: StaticString) throws -> [String]? {
        guard let elements = try array(key) else { return nil }
        return try elements.enumerated().map { index, element in
            guard let text = element.string else {
                throw TypedFields.error(file: file, node: element, path: "\(childPath(key))[\(index)]", expected: "a string")
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
                throw TypedFields.error(file: file, node: value, path: childPath(key), expected: "an integer index")
            }
            return .int(number)
        case .string:
            return .string(value.string ?? String())
        default:
            throw TypedFields.error(file: file, node: value, path: childPath(key), expected: "a number or a string")
        }
    }

    func requiredString(_ key: StaticString) throws -> String {
        guard let text = try string(key) else {
            throw InputError(file: file, position: node.position, message: "\(childPath(key)): expected a string, but the field is missing")
        }
        return text
    }
}

