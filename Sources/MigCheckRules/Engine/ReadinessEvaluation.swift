import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// What a `migcheck ready` run adds to its `Evaluation`, for every report format: when it
/// judged, from which evidence, how the evidence was joined, and the verdict.
public struct ReadinessRecord {
    public let now: String
    /// The plan or state the evidence was joined to; nil when judged from the evidence alone.
    public let joinedTo: String?
    /// The evidence files read, in the order read.
    public let evidence: [String]
    /// `source`, `target`, `task`: what each was found as (or `not found in the evidence`).
    public let joins: [(label: String, value: String)]
    public let ready: Bool
    /// `ready for the cutover deploy`, or `not ready for the cutover deploy: 1 failing, 2 unverified`.
    public let summary: String
}

extension ReadinessEvaluator {
    /// The readiness rules of `phase` over `live` as one `Evaluation`, so that every report format
    /// renders it: policy severities, disabled rules and suppressions applied. `picture` is the
    /// plan's or state's, or a stand-in empty one when the evidence is judged alone.
    public static func evaluation(_ live: LivePicture, phase: Phase, picture: MigrationPicture, policy: Policy,
                                  today: CalendarDate = .today()) -> Evaluation {
        let result = evaluate(live, phase: phase, policy: policy)
        var findings = Suppressions.apply(policy.suppressions.filter { suppression in
            RuleRegistry.readinessDescriptions.contains { $0.id == suppression.rule }
        }, to: result.findings, today: today, resources: picture.resources, documentKind: "evidence")
        findings.sort(by: Finding.reportOrder)
        var evaluation = Evaluation(picture: picture, phase: phase, phaseReason: "named by --phase", findings: findings,
                                    rulesRun: result.ran, rulesSkipped: result.skipped, customRules: [])
        evaluation.phasesConsidered = [phase]
        evaluation.phaseOrigin = .flag("--phase")
        let active = findings.filter { $0.suppression == nil }
        let failing = active.filter { $0.kind == .fail && $0.severity != .note }.count
        let open = active.filter { $0.kind == .open }.count
        var parts: [String] = []
        if failing > 0 { parts.append("\(failing) failing") }
        if open > 0 { parts.append("\(open) unverified") }
        let ready = parts.isEmpty
        evaluation.readiness = ReadinessRecord(
            now: live.now.description, joinedTo: live.plan?.document.file, evidence: live.documents.map(\.file), joins: joins(live), ready: ready,
            summary: ready ? "ready for the \(phase) deploy" : "not ready for the \(phase) deploy: " + parts.joined(separator: ", "))
        return evaluation
    }

    /// How each role and the task were found in the evidence.
    static func joins(_ live: LivePicture) -> [(label: String, value: String)] {
        var lines: [(label: String, value: String)] = []
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
}
