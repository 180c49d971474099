import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// What `migcheck ready` prints: the verdict for the gate, how evidence was joined, and each
/// finding at its evidence file's line and column. Every string from input passes
/// `TextEscaping` (text) or the JSON writer's escaping.
public enum ReadinessReport {
    public typealias Result = (findings: [Finding], ran: [RuleDescription], skipped: [(rule: RuleDescription, reason: String)])

    static func verdict(_ result: Result, phase: Phase) -> (ready: Bool, summary: String) {
        let failing = result.findings.filter { $0.kind == .fail && $0.severity != .note }.count
        let open = result.findings.filter { $0.kind == .open }.count
        if failing == 0, open == 0 { return (true, "ready for the \(phase) deploy") }
        var parts: [String] = []
        if failing > 0 { parts.append("\(failing) failing") }
        if open > 0 { parts.append("\(open) unverified") }
        return (false, "not ready for the \(phase) deploy: " + parts.joined(separator: ", "))
    }

    static func joins(_ live: LivePicture) -> [(String, String)] {
        var lines: [(String, String)] = []
        for role in [ClusterRole.source, .target] {
            if let cluster = live.cluster(role) {
                lines.append((role.rawValue, "\(cluster.identifier) (\(live.joins[role] ?? ""))"))
            } else {
                lines.append((role.rawValue, "not found in the evidence"))
            }
        }
        if let task = live.task { lines.append(("task", "\(task.identifier ?? task.arn) (\(live.taskJoin ?? ""))")) }
        return lines
    }

    public static func text(_ live: LivePicture, phase: Phase, result: Result) -> String {
        let (_, summary) = verdict(result, phase: phase)
        var lines = ["migcheck ready --phase \(phase) at \(live.now): \(summary)"]
        for (label, value) in joins(live) { lines.append("  \(label): \(TextEscaping.visible(value))") }
        for finding in result.findings {
            let place = finding.location.map { "\(TextEscaping.visible($0.file)):\($0.start.line):\($0.start.column)" } ?? "evidence"
            let kind = finding.kind == .open ? " (unverified)" : ""
            lines.append("\(place): \(finding.severity.rawValue): \(finding.ruleID)\(kind) \(TextEscaping.visible(finding.message))")
        }
        lines.append("rules run: " + result.ran.map(\.id).joined(separator: ", ")
            + (result.skipped.isEmpty ? "" : "; not run: " + result.skipped.map { "\($0.rule.id) (\($0.reason))" }.joined(separator: ", ")))
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ live: LivePicture, phase: Phase, result: Result) -> String {
        let (ready, summary) = verdict(result, phase: phase)
        let findings: [JSONLiteral] = result.findings.map { finding in
            var fields: [(String, JSONLiteral)] = [("ruleId", .string(finding.ruleID)), ("severity", .string(finding.severity.rawValue)),
                                                   ("kind", .string(finding.kind.rawValue)), ("message", .string(finding.message))]
            if let address = finding.address { fields.append(("address", .string(address))) }
            if let location = finding.location {
                fields.append(("file", .string(location.file)))
                fields.append(("line", .number(String(location.start.line))))
                fields.append(("column", .number(String(location.start.column))))
            }
            return .object(fields)
        }
        let document: JSONLiteral = .object([
            ("phase", .string(phase.rawValue)), ("now", .string(live.now.description)), ("ready", .bool(ready)),
            ("summary", .string(summary)),
            ("joins", .object(joins(live).map { ($0.0, JSONLiteral.string($0.1)) })),
            ("evidence", .array(live.documents.map { .string($0.file) })),
            ("rulesRun", .array(result.ran.map { .string($0.id) })),
            ("findings", .array(findings)),
        ])
        return document.pretty
    }
}
