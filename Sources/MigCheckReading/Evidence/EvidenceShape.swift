import MigCheckFoundation

/// Tells AWS CLI evidence from a Terraform plan or state by the top level alone, so that
/// `migcheck ready` sorts its operands and `migcheck check` names evidence it was given.
public enum EvidenceShape {
    /// The call whose answer this top-level object is (`describe-db-clusters`), or `an AWS
    /// error response` for `{"Error": …}`; nil for anything else.
    static func call(of root: JSONNode) -> String? {
        guard root.kind == .object else { return nil }
        if root["format_version"] != nil || root["version"] != nil { return nil }
        for kind in EvidenceKind.allCases {
            if let key = kind.topLevelKey, root[key] != nil { return kind.rawValue }
        }
        if root["ARN"] != nil, root["Name"] != nil { return EvidenceKind.secret.rawValue }
        if root["Error"] != nil { return "an AWS error response" }
        return nil
    }

    /// For a document given to the plan check that is AWS CLI evidence: what it is and the command that reads it.
    static func notTerraform(_ root: JSONNode) -> String? {
        call(of: root).map { "this is AWS CLI evidence (\($0)), not a Terraform plan or state; "
            + "judge it with `migcheck ready --phase PHASE [plan.json] EVIDENCE...`" }
    }

    /// Whether the file at `path` is AWS CLI evidence (its JSON answer or the CLI's error text)
    /// rather than a Terraform document. Unreadable or malformed files are not evidence: the
    /// Terraform reader then names what is wrong with them.
    public static func isEvidence(path: String) -> Bool {
        guard let storage = try? ByteStorage.read(path: path) else { return false }
        if EvidenceReader.cliErrorText(storage.bytes, file: path) != nil { return true }
        guard let json = try? JSONDocument(storage: storage) else { return false }
        return withExtendedLifetime(json) { call(of: json.root) != nil }
    }
}
