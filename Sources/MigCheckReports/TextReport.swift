import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// The report for people: what was read, which phase and why, then findings grouped by
/// resource, most severe first, and one summary line.
public enum TextReport: Reporter {
    public static let identifier = "text"
    public static let fileExtension = "txt"
    public static let description = "The report for people: what was read, the phase and why, findings by resource."

    public static func render(_ input: ReportInput, style: TextStyle) -> String {
        input.evaluations.map { render($0, style: style, policy: input.policy) }.joined(separator: "\n\n") + "\n"
    }

    public static func render(_ evaluation: Evaluation, style: TextStyle, policy: PolicyProvenance = .builtIn) -> String {
        if let record = evaluation.readiness { return renderReadiness(evaluation, record, style: style, policy: policy) }
        let picture = evaluation.picture
        let document = picture.document
        var lines: [String] = []
        lines += wrap(TextEscaping.visible(header(document)), firstPrefix: "", hangingIndent: "    ").map(style.bold)
        lines += headerLines("policy: \(TextEscaping.visible(RunRecord.policyText(policy)))")
        if let absence = evaluation.noMigration {
            lines += headerLines(TextEscaping.visible(absence))
            let expired = evaluation.activeFindings
            for finding in expired {
                lines += findingLines(finding, indent: "  ", style: style)
            }
            lines.append("")
            lines.append(summaryLine(evaluation))
            return lines.joined(separator: "\n")
        }
        if evaluation.phasesConsidered.count > 1 {
            lines += headerLines("phases considered: \(evaluation.phasesConsidered.map(\.rawValue).joined(separator: ", ")) "
                + "(\(TextEscaping.visible(evaluation.phaseReason)))")
        } else {
            lines += headerLines("phase \(evaluation.phase) (\(TextEscaping.visible(evaluation.phaseReason)))")
        }
        for role in [ClusterRole.source, .target] {
            if let cluster = picture.cluster(role) {
                let reason = RunRecord.roleReasonText(picture, role).map { " (\($0))" } ?? ""
                lines += headerLines("\(role.rawValue): \(TextEscaping.visible(cluster.addressText + reason))")
            } else {
                lines.append("  \(role.rawValue): not found")
            }
        }
        if document.kind != .plan {
            lines.append("  a \(document.kind == .state ? "state" : "raw state"), not a plan: rules about planned changes have nothing to judge")
        }
        for note in evaluation.notes {
            lines += headerLines("note: " + TextEscaping.visible(note))
        }
        lines.append("")
        lines += findingSections(evaluation, style: style)
        return lines.joined(separator: "\n")
    }

    /// The findings under their resources' headings, the suppressed ones, and the summary line.
    static func findingSections(_ evaluation: Evaluation, style: TextStyle, wideHeading: String = "(plan-wide)") -> [String] {
        var lines: [String] = []

        // Findings under their resource's heading (the address is not repeated on each line), grouped by
        // cause (FindingGroups): the cause first, the findings it explains indented under it as "also:".
        let all = evaluation.findings
        var groups: [(address: String, causes: [FindingGroup])] = []
        for group in FindingGroups.groups(all) where all[group.cause].suppression == nil {
            let key = all[group.cause].causeAddress ?? all[group.cause].address ?? ""
            if let index = groups.firstIndex(where: { $0.address == key }) {
                groups[index].causes.append(group)
            } else {
                groups.append((key, [group]))
            }
        }
        groups.sort { lhs, rhs in
            let left = lhs.causes.flatMap(\.members).map { all[$0].severity }.max() ?? .note
            let right = rhs.causes.flatMap(\.members).map { all[$0].severity }.max() ?? .note
            return left != right ? left > right : lhs.address < rhs.address
        }
        for group in groups {
            lines.append(style.bold(group.address.isEmpty ? wideHeading : TextEscaping.visible(group.address)))
            let causes = group.causes.sorted { (all[$0.cause].severity, all[$1.cause].ruleID) > (all[$1.cause].severity, all[$0.cause].ruleID) }
            for cause in causes {
                lines += findingLines(all[cause.cause], indent: "  ", style: style, heading: group.address)
                for related in cause.related {
                    lines += findingLines(all[related], indent: "    also: ", style: style, heading: group.address)
                }
            }
        }
        let suppressed = evaluation.findings.filter { $0.suppression != nil }
        if !suppressed.isEmpty {
            lines.append(style.bold("suppressed by the policy or inline"))
            for finding in suppressed {
                lines += wrap("\(TextEscaping.visible(ReportSupport.subject(finding, in: evaluation))): \(TextEscaping.visible(finding.suppression ?? ""))",
                              firstPrefix: "  \(finding.ruleID) ", hangingIndent: "      ")
            }
        }
        if !groups.isEmpty || !suppressed.isEmpty { lines.append("") }
        lines.append(summaryLine(evaluation))
        return lines
    }

    /// Columns a report line fits in; only a single word longer than that (an address) goes beyond it.
    public static let lineWidth = 120

    /// `  error MIG008 message…`, wrapped at `lineWidth` with a hanging indent.
    /// A finding about another resource than the heading's (one its cause explains) names its own address first.
    static func findingLines(_ finding: Finding, indent: String, style: TextStyle, heading: String = "") -> [String] {
        let lead = "\(label(finding)) \(finding.ruleID)"
        let styledLead = style.severity(label(finding), finding) + " \(finding.ruleID)"
        let other = finding.address.map { $0 == heading || finding.message.contains($0) ? "" : TextEscaping.visible($0) + ": " } ?? ""
        let wrapped = wrap(other + TextEscaping.visible(finding.message), firstPrefix: indent + lead + " ",
                           hangingIndent: String(repeating: " ", count: indent.count + 4))
        return wrapped.enumerated().map { index, line in
            index == 0 ? indent + styledLead + line.dropFirst(indent.count + lead.count) : line
        }
    }

    /// A header line (`  phase …`, `  source: …`), wrapped like the findings under the same width.
    static func headerLines(_ text: String) -> [String] {
        wrap(text, firstPrefix: "  ", hangingIndent: "      ")
    }

    /// Word-wraps `text` after `firstPrefix`, continuation lines starting with `hangingIndent`.
    static func wrap(_ text: String, firstPrefix: String, hangingIndent: String) -> [String] {
        var lines: [String] = []
        var line = firstPrefix
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if lineHasWord, line.count + 1 + word.count > lineWidth {
                lines.append(line)
                line = hangingIndent + word
            } else {
                line += (lineHasWord ? " " : "") + word
            }
            lineHasWord = true
        }
        lines.append(line)
        return lines
    }

    static func header(_ document: TerraformDocument) -> String {
        let name = document.documentNumber.map { "\(document.file) (document \($0))" } ?? document.file
        var versions: [String] = []
        if let format = document.formatVersion { versions.append("format \(format)") }
        if let terraform = document.terraformVersion { versions.append("\(document.producer.rawValue) \(terraform)") }
        return "\(name): \(document.kind.displayName)" + (versions.isEmpty ? "" : ", " + versions.joined(separator: ", "))
    }

    package static func label(_ finding: Finding) -> String {
        if finding.kind == .open { return "unverified" }
        return finding.severity.rawValue
    }

    /// `3 errors, 1 warning, 2 unverified in 41 resources; phase cutover`
    public static func summaryLine(_ evaluation: Evaluation) -> String {
        let active = evaluation.activeFindings
        let errors = active.filter { $0.kind == .fail && $0.severity == .error }.count
        let warnings = active.filter { $0.kind == .fail && $0.severity == .warning }.count
        let notes = active.filter { $0.kind == .fail && $0.severity == .note }.count
        let unverified = active.filter { $0.kind == .open }.count
        var parts = ["\(errors) error\(errors == 1 ? "" : "s")", "\(warnings) warning\(warnings == 1 ? "" : "s")",
                     "\(unverified) unverified"]
        if notes > 0 { parts.append("\(notes) note\(notes == 1 ? "" : "s")") }
        let suppressed = evaluation.findings.count - active.count
        if suppressed > 0 { parts.append("\(suppressed) suppressed") }
        // Findings grouped under a cause count once here, and each in the others.
        let causes = active.isEmpty ? "" : { (count: Int) in "\(count) cause\(count == 1 ? "" : "s"): " }(FindingGroups.causeCount(evaluation.findings))
        return causes + parts.joined(separator: ", ") + " in \(scope(evaluation)); " + phaseLabel(evaluation)
    }

    /// `41 resources`; for `migcheck ready`, what it judged: `11 evidence files`, `… joined to 41 resources`.
    static func scope(_ evaluation: Evaluation) -> String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        let resources = plural(evaluation.resourceCount, "resource")
        guard let record = evaluation.readiness else { return resources }
        let evidence = plural(record.evidence.count, "evidence file")
        return record.joinedTo == nil ? evidence : evidence + " joined to " + resources
    }

    /// `phase cutover`, `phases full-load, cutover` for an uncertain inference, or `no migration`.
    public static func phaseLabel(_ evaluation: Evaluation) -> String {
        if !evaluation.isMigration { return "no migration" }
        if evaluation.phasesConsidered.count > 1 {
            return "phases " + evaluation.phasesConsidered.map(\.rawValue).joined(separator: ", ")
        }
        return "phase \(evaluation.phase)"
    }
}
