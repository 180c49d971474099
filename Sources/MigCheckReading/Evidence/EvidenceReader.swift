import MigCheckFoundation

/// Reads what the AWS CLI printed (`--output json`) for the calls of `EvidenceKind`, detected
/// by shape as plans and states are. Bad or partial evidence is an `InputError` naming
/// FILE:LINE:COL (exit 2); an error response or the CLI's error text is evidence of its own
/// (`EvidenceFailure`), which the readiness rules turn into "collect X" findings.
public enum EvidenceReader {
    public static func read(path: String) throws -> EvidenceDocument {
        let storage: ByteStorage
        do {
            storage = try ByteStorage.read(path: path)
        } catch let error as ByteStorage.ReadError {
            throw InputError(file: path, position: SourcePosition(line: 1, column: 1), message: error.message)
        }
        return try read(storage: storage, file: path)
    }

    public static func read(text: String, file: String) throws -> EvidenceDocument {
        try read(storage: ByteStorage(copying: Array(text.utf8)), file: file)
    }

    public static func read(storage: ByteStorage, file: String) throws -> EvidenceDocument {
        let bytes = storage.bytes
        if case .utf16 = TextEncoding.detect(bytes) {
            throw InputError(file: file, position: SourcePosition(line: 1, column: 1), message:
                "UTF-16 text (PowerShell's `>` writes that): expected the AWS CLI's UTF-8 JSON; "
                + "save it with `| Out-File -Encoding utf8NoBOM`")
        }
        if let failure = cliErrorText(bytes, file: file) { return failure }
        let json: JSONDocument
        do {
            json = try JSONDocument(storage: storage)
        } catch let error as JSONSyntaxError {
            throw InputError(file: file, position: SourcePosition.of(error.offset, in: bytes), message: error.message)
        }
        return try withExtendedLifetime(json) { try classify(json, file: file) }
    }

    static func classify(_ json: JSONDocument, file: String) throws -> EvidenceDocument {
        let root = EvidenceObject(node: json.root, path: "the top", file: file, json: json)
        guard root.node.kind == .object else {
            throw root.error(root.node, "expected a JSON object at the top (the output of an AWS CLI describe call with "
                + "--output json), found \(root.node.kind.name)")
        }
        if let error = try root.object("Error") {
            let failure = EvidenceFailure(code: try error.string("Code"), message: try error.string("Message") ?? "(no message)",
                                          location: root.location)
            return EvidenceDocument(file: file, kind: nil, content: .failed(failure))
        }
        for kind in EvidenceKind.allCases {
            guard let key = kind.topLevelKey, let list = root.node[key] else { continue }
            let items = list.isNull ? [] : try EvidenceObject.objects(in: list, path: key, file: file, json: json)
            return EvidenceDocument(file: file, kind: kind, content: try decode(kind, items, root: root))
        }
        if root.node["ARN"] != nil, root.node["Name"] != nil {
            return EvidenceDocument(file: file, kind: .secret, content: .secret(try EvidenceDecoders.secret(root)))
        }
        let keys = root.node.members.prefix(5).map(\.key).joined(separator: ", ")
        throw root.error(root.node, "not AWS CLI evidence migcheck reads: expected the output of one of "
            + EvidenceKind.allCases.map(\.command).joined(separator: ", ") + " (--output json)"
            + (keys.isEmpty ? ", found an empty object" : ", found \(keys)"))
    }

    static func decode(_ kind: EvidenceKind, _ items: [EvidenceObject], root: EvidenceObject) throws -> EvidenceDocument.Content {
        switch kind {
        case .dbClusters: return .clusters(try EvidenceDecoders.clusters(items))
        case .dbInstances: return .instances(try EvidenceDecoders.instances(items))
        case .clusterParameters: return .parameters(try EvidenceDecoders.parameters(items))
        case .clusterSnapshots: return .snapshots(try EvidenceDecoders.snapshots(items))
        case .replicationTasks: return .tasks(try EvidenceDecoders.tasks(items))
        case .tableStatistics: return .tables(task: try root.string("ReplicationTaskArn"), try EvidenceDecoders.tables(items))
        case .endpoints: return .endpoints(try EvidenceDecoders.endpoints(items))
        case .secret: return .secret(try EvidenceDecoders.secret(root))
        }
    }

    // MARK: - The CLI's error text

    /// `An error occurred (Code) when calling the Operation operation: message`, as awscli
    /// prints a failed call (on standard error; a step that writes both streams to the file
    /// records it there), or `aws: error: ...` / `usage: aws ...` for a call it refused.
    static func cliErrorText(_ bytes: UnsafeRawBufferPointer, file: String) -> EvidenceDocument? {
        var start = ByteStorage.utf8BOMLength(bytes)
        while start < bytes.count, JSONNode.isWhitespace(bytes[start]) { start += 1 }
        let prefixes = ["An error occurred", "aws: error", "usage: aws", "Could not connect", "Unable to locate credentials"]
        let head = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<min(bytes.count, start + 4096)]), as: UTF8.self)
        guard prefixes.contains(where: head.hasPrefix) else { return nil }
        let firstLine = String(head.prefix { $0 != "\n" && $0 != "\r" })
        let code = between(firstLine, "An error occurred (", ")")
        let operation = between(firstLine, "when calling the ", " operation")
        let location = SourceLocation(file: file, start: SourcePosition.of(start, in: bytes), end: SourcePosition.of(start, in: bytes))
        let failure = EvidenceFailure(code: code, message: String(firstLine.prefix(300)), location: location)
        return EvidenceDocument(file: file, kind: EvidenceKind.allCases.first { $0.operation == operation }, content: .failed(failure))
    }

    static func between(_ text: String, _ opening: String, _ closing: String) -> String? {
        guard let start = find(opening, in: text[...]), let end = find(closing, in: text[start.upperBound...]) else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }

    static func find(_ needle: String, in text: Substring) -> Range<String.Index>? {
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix(needle) { return index..<text.index(index, offsetBy: needle.count) }
            index = text.index(after: index)
        }
        return nil
    }
}
