import MigCheckFoundation

/// One object of an evidence file, with the path that names it in errors (`DBClusters[0]`):
/// typed reads of its members, each a one-line `FILE:LINE:COL` error when the type is wrong.
/// A member holding null counts as absent (awscli leaves absent members out; null is what a
/// hand-edited file would write).
struct EvidenceObject {
    let node: JSONNode
    let path: String
    let file: String
    let json: JSONDocument

    /// The output fields botocore marks sensitive (`"sensitive": true`) in the calls migcheck
    /// reads: `PendingModifiedValues.MasterUserPassword` and the passwords of DMS endpoint
    /// settings (`python3 Tests/evidence/validate_shapes.py --sensitive` lists them). No read
    /// returns their values, so they can never reach a finding or a report.
    static let sensitiveKeys: Set<String> = [
        "MasterUserPassword", "Password", "SslClientKeyPassword", "SaslPassword", "AsmPassword",
        "SecurityDbEncryption", "AuthPassword",
    ]

    var location: SourceLocation {
        let range = node.byteRange
        return SourceLocation(file: file, start: json.position(of: range.lowerBound),
                              end: json.position(of: max(range.lowerBound, range.upperBound - 1)))
    }

    func error(_ node: JSONNode, _ message: String) -> InputError {
        InputError(file: file, position: json.position(of: node.offset), message: message)
    }

    /// The member's node, nil when absent or null; never the value of a sensitive field.
    func member(_ key: String) -> JSONNode? {
        guard !Self.sensitiveKeys.contains(key), let value = node[key], !value.isNull else { return nil }
        return value
    }

    func wrongType(_ key: String, _ value: JSONNode, expected: String) -> InputError {
        error(value, "\(path).\(key): expected \(expected), found \(value.kind.name)")
    }

    func string(_ key: String) throws -> String? {
        guard let value = member(key) else { return nil }
        guard let text = value.string else { throw wrongType(key, value, expected: "a string") }
        return text
    }

    /// A member every answer of this call has: its absence means the file was cut or edited.
    func required(_ key: String, command: EvidenceKind) throws -> String {
        guard let text = try string(key) else {
            throw error(node, "\(path) has no \(key): expected the unmodified output of `\(command.command) --output json` "
                + "(partial evidence: a trimmed or hand-edited file?)")
        }
        return text
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = member(key) else { return nil }
        guard value.kind == .bool, let flag = value.bool else { throw wrongType(key, value, expected: "true or false") }
        return flag
    }

    func int(_ key: String) throws -> Int? {
        guard let value = member(key) else { return nil }
        guard value.kind == .number, let number = value.int else {
            throw wrongType(key, value, expected: "an integer")
        }
        return number
    }

    /// An ISO 8601 string with an offset, or epoch seconds (awscli v1 prints JSON-protocol
    /// timestamps as numbers): `EvidenceInstant`.
    func instant(_ key: String) throws -> EvidenceInstant? {
        guard let value = member(key) else { return nil }
        switch value.kind {
        case .string:
            if let text = value.string, let instant = EvidenceInstant.iso8601(text) { return instant }
            throw error(value, "\(path).\(key): expected an ISO 8601 timestamp with an offset such as 2026-11-20T09:00:00Z, "
                + "found \(JSONQuoting.quoted(value.string ?? ""))")
        case .number:
            if let text = value.numberText, let instant = EvidenceInstant.epoch(text) { return instant }
            throw error(value, "\(path).\(key): expected epoch seconds such as 1795165200.25, found \(value.numberText ?? "a number")")
        default:
            throw wrongType(key, value, expected: "a timestamp (an ISO 8601 string or epoch seconds)")
        }
    }

    func object(_ key: String) throws -> EvidenceObject? {
        guard let value = member(key) else { return nil }
        guard value.kind == .object else { throw wrongType(key, value, expected: "an object") }
        return EvidenceObject(node: value, path: "\(path).\(key)", file: file, json: json)
    }

    /// The objects of an array member (empty when absent).
    func objects(_ key: String) throws -> [EvidenceObject] {
        guard let value = member(key) else { return [] }
        return try Self.objects(in: value, path: "\(path).\(key)", file: file, json: json)
    }

    static func objects(in value: JSONNode, path: String, file: String, json: JSONDocument) throws -> [EvidenceObject] {
        guard value.kind == .array else {
            throw InputError(file: file, position: json.position(of: value.offset), message: "\(path): expected an array, found \(value.kind.name)")
        }
        var result: [EvidenceObject] = []
        var failure: InputError?
        value.forEachElement { element in
            let elementPath = "\(path)[\(result.count)]"
            guard element.kind == .object else {
                failure = InputError(file: file, position: json.position(of: element.offset),
                                     message: "\(elementPath): expected an object, found \(element.kind.name)")
                return false
            }
            result.append(EvidenceObject(node: element, path: elementPath, file: file, json: json))
            return true
        }
        if let failure { throw failure }
        return result
    }
}
