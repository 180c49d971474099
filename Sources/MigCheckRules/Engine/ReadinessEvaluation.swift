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
        let hidden = SensitiveText(live.plan)
        var findings = Suppressions.apply(policy.suppressions.filter { suppression in
            RuleRegistry.readinessDescriptions.contains { $0.id == suppression.rule }
        }, to: result.findings.map(hidden.redacting), today: today, resources: picture.resources, documentKind: "evidence")
        findings.sort(by: Finding.reportOrder)
        var evaluation = Evaluation(picture: picture, phase: phase, phaseReason: "named by --phase", findings: findings,
                                    rulesRun: result.ran, rulesSkipped: result.skipped, customRules: [])
        if let plan = live.plan, MigrationPresence.absence(in: plan) != nil {
            // The wrong plan or state given: said, since nothing of it joined the evidence.
            let kind = plan.isPlan ? "plan" : "state"
            evaluation.notes.append("the \(kind) holds no Aurora PostgreSQL migration (no aurora-postgresql cluster, DMS resource or "
                + "migration parameter group), so nothing of it joins the evidence: the evidence is judged by its own names")
        }
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
            now: live.now.description, joinedTo: live.plan?.document.file, evidence: live.documents.map(\.file), joins: joins(live).map { ($0.label, hidden.redacting($0.value)) }, ready: ready,
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

/// The strings the joined plan or state marks sensitive. The evidence names the same clusters,
/// secrets and tasks in the clear, so a value Terraform hides would reach the report through the
/// evidence: every readiness message, subject and join is cleared of them.
struct SensitiveText {
    /// Longest first, so a value containing another is replaced whole. Shorter than four
    /// characters, a value is no name worth hiding and would blank common words.
    let values: [String]

    init(_ plan: MigrationPicture?) {
        var found = Set<String>()
        for resource in plan?.resources ?? [] {
            for value in [resource.before, resource.after].compactMap({ $0 }) {
                found.formUnion(value.sensitiveStrings.filter { $0.count >= 4 })
            }
        }
        values = found.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    func redacting(_ text: String) -> String {
        values.reduce(text) { Self.replacing($1, in: $0) }
    }

    /// `needle` replaced by `(sensitive)` wherever its bytes stand (UTF-8 never matches inside a
    /// character's encoding, so only whole characters are replaced).
    static func replacing(_ needle: String, in text: String) -> String {
        let bytes = Array(text.utf8)
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return text }
        var result: [UInt8] = []
        var index = 0
        var replaced = false
        while index < bytes.count {
            if bytes.count - index >= pattern.count, bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                result += Array("(sensitive)".utf8)
                index += pattern.count
                replaced = true
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return replaced ? String(decoding: result, as: UTF8.self) : text
    }

    func redacting(_ finding: Finding) -> Finding {
        guard !values.isEmpty else { return finding }
        var finding = finding
        finding.message = redacting(finding.message)
        finding.liveSubject = finding.liveSubject.map(redacting)
        return finding
    }
}
