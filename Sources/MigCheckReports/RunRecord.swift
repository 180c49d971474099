import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// What every report records about how it was judged, besides the findings: which policy
/// applied (its path as given, or built-in, and the SHA-256 of its bytes), and where each
/// document's phase and cluster roles came from (a flag, the policy's line, or inferred).
/// The texts here are raw: each format escapes them its own way.
enum RunRecord {
    // MARK: - Words, for text, Markdown and JUnit

    /// `built-in, sha256 …` or `file infra/migcheck.json (--policy), sha256 …`.
    static func policyText(_ policy: PolicyProvenance) -> String {
        switch policy.origin {
        case .builtIn: return "built-in, sha256 \(policy.sha256)"
        case .flag: return "\(policy.label) (--policy), sha256 \(policy.sha256)"
        case .workingDirectory: return "\(policy.label) (found in the working directory), sha256 \(policy.sha256)"
        }
    }

    /// `--phase`, `the policy (migcheck.json:3:12)`, `inferred (candidates: full-load, cutover)`; nil when not recorded.
    static func phaseOriginText(_ evaluation: Evaluation) -> String? {
        guard evaluation.isMigration, let origin = evaluation.phaseOrigin else { return nil }
        switch origin {
        case .flag(let flag): return flag
        case .policy(let location): return "the policy" + (location.map { " (\(place($0)))" } ?? "")
        case .inferred(let candidates): return "inferred (candidates: \(candidates.map(\.rawValue).joined(separator: ", ")))"
        }
    }

    /// `--source`, `the policy's "source" (migcheck.json:4:13)`, `inferred: <the picture's reason>`; nil without that role.
    static func roleOriginText(_ picture: MigrationPicture, _ role: ClusterRole) -> String? {
        guard picture.cluster(role) != nil else { return nil }
        switch picture.roleOrigins[role] {
        case .flag(let flag): return flag
        case .policy(let location): return "the policy's \"\(role.rawValue)\" (\(place(location)))"
        case .inferred: return "inferred: " + (picture.roleReasons[role] ?? "no reason recorded")
        case nil: return picture.roleReasons[role]
        }
    }

    /// The reason a report shows beside a role: the picture's, marked `inferred: ` when it was.
    static func roleReasonText(_ picture: MigrationPicture, _ role: ClusterRole) -> String? {
        guard let reason = picture.roleReasons[role] else { return nil }
        return picture.roleOrigins[role] == .inferred ? "inferred: " + reason : reason
    }

    static func place(_ location: SourceLocation) -> String {
        "\(location.file):\(location.start.line):\(location.start.column)"
    }

    // MARK: - JSON, for the JSON report and SARIF's property bags

    /// `{"origin": "--policy" | "working directory" | "built-in", "path": …|null, "sha256": …}`.
    static func policyObject(_ policy: PolicyProvenance, _ escape: (String) -> String = { $0 }) -> JSONLiteral {
        var object: JSONLiteral = ["origin": .string(policy.origin.rawValue)]
        object["path"] = .optional(policy.path.map(escape))
        object["sha256"] = .string(policy.sha256)
        return object
    }

    /// `{"kind": "flag" | "policy" | "inferred", "flag": …|null, "location": {file, line, column}|null,
    /// "candidates": [phases]}`; null when not recorded (no migration).
    static func phaseOriginObject(_ evaluation: Evaluation, _ escape: (String) -> String = { $0 }) -> JSONLiteral {
        guard evaluation.isMigration, let origin = evaluation.phaseOrigin else { return .null }
        switch origin {
        case .flag(let flag):
            return ["kind": "flag", "flag": .string(escape(flag)), "location": .null, "candidates": .array([])]
        case .policy(let location):
            return ["kind": "policy", "flag": .null, "location": location.map { locationObject($0, escape) } ?? .null, "candidates": .array([])]
        case .inferred(let candidates):
            return ["kind": "inferred", "flag": .null, "location": .null, "candidates": .array(candidates.map { .string($0.rawValue) })]
        }
    }

    /// `{"kind": "flag" | "policy" | "inferred", "flag": …|null, "location": …|null, "reason": …}`; null without that role.
    static func roleOriginObject(_ picture: MigrationPicture, _ role: ClusterRole, _ escape: (String) -> String = { $0 }) -> JSONLiteral {
        guard picture.cluster(role) != nil else { return .null }
        var object: JSONLiteral
        switch picture.roleOrigins[role] {
        case .flag(let flag): object = ["kind": "flag", "flag": .string(escape(flag)), "location": .null]
        case .policy(let location): object = ["kind": "policy", "flag": .null, "location": locationObject(location, escape)]
        case .inferred, nil: object = ["kind": "inferred", "flag": .null, "location": .null]
        }
        object["reason"] = .optional(picture.roleReasons[role].map(escape))
        return object
    }

    static func locationObject(_ location: SourceLocation, _ escape: (String) -> String) -> JSONLiteral {
        ["file": .string(escape(location.file)), "line": .int(location.start.line), "column": .int(location.start.column)]
    }
}
