import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// `--format markdown`: a summary for `$GITHUB_STEP_SUMMARY` or a pull-request comment.
/// A heading with the verdict, one table row per document, then per document its clusters
/// and a findings table (most severe first, at most `findingRowLimit` rows; the SARIF and
/// JSON reports hold the rest), suppressed findings and the rules that did not run folded
/// away in `<details>`.
///
/// Everything taken from a plan is escaped for GitHub-flavoured Markdown: control characters
/// as `\uXXXX`, `&`, `<`, `>` and `@` as HTML references (no raw HTML, no @-mentions), and
/// the Markdown punctuation that could change the rendering (`|` included, so table cells
/// stay cells) with a backslash. Lines built here never start with text from a plan, so
/// block syntax (`#`, `-`, `1.`) cannot be triggered.
public enum MarkdownReport: Reporter {
    public static let identifier = "markdown"
    public static let fileExtension = "md"
    public static let description = "A summary for $GITHUB_STEP_SUMMARY or a pull-request comment."

    public static func render(_ input: ReportInput, style: TextStyle) -> String {
        render(input)
    }

    /// Finding rows per document: a pull-request comment holds at most 65,536 characters.
    public static let findingRowLimit = 50

    public static func render(_ input: ReportInput) -> String {
        var lines: [String] = []
        var total = ReportCounts()
        for evaluation in input.evaluations { total = total + ReportCounts(evaluation, gates: input.gates) }
        let verdict = input.fails ? "❌ fails" : "✅ passes"
        lines.append("## migcheck \(verdict) (--fail-on \(input.failOn.rawValue))")
        lines.append("")
        lines.append("\(countsText(total)) in \(scope(input, total)) of "
            + "\(input.evaluations.count) document\(input.evaluations.count == 1 ? "" : "s").")
        lines.append("")
        lines.append(policyLine(input.policy))
        lines.append("")
        // A readiness run reads evidence: its column says what was read, as the text and JSON summaries do.
        let read = input.evaluations.contains { $0.readiness != nil } ? "read" : "resources"
        lines.append("| document | phase | errors | warnings | unverified | notes | suppressed | \(read) | result |")
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|---|")
        for evaluation in input.evaluations {
            let counts = ReportCounts(evaluation, gates: input.gates)
            let fails = evaluation.findings.contains(where: input.gates)
            let phase = evaluation.isMigration ? evaluation.considered.map(\.rawValue).joined(separator: ", ") : "no migration"
            lines.append("| \(code(ReportSupport.documentLabel(evaluation))) | \(phase) | \(counts.errors) | \(counts.warnings) "
                + "| \(counts.unverified) | \(counts.notes) | \(counts.suppressed) "
                + "| \(evaluation.readiness == nil ? String(counts.resources) : inline(TextReport.scope(evaluation))) | \(fails ? "❌ fails" : "✅ passes") |")
        }
        for evaluation in input.evaluations {
            lines.append("")
            lines += section(evaluation)
        }
        lines.append("")
        lines.append("<sub>migcheck \(MigCheckVersion.current)</sub>")
        return lines.joined(separator: "\n") + "\n"
    }

    package static func section(_ evaluation: Evaluation) -> [String] {
        let picture = evaluation.picture
        if let absence = evaluation.noMigration {
            var lines = ["### \(code(ReportSupport.documentLabel(evaluation))): no migration", ""]
            lines.append(inline(absence.capitalizedFirst) + ".")
            for finding in evaluation.activeFindings {
                lines.append("")
                lines.append("\(icon(finding)) \(ReportSupport.label(finding)) \(inline(finding.ruleID)): \(inline(finding.message))")
            }
            return lines
        }
        let phases = evaluation.considered.map(\.rawValue).joined(separator: ", ")
        var lines = ["### \(code(ReportSupport.documentLabel(evaluation))): phase\(evaluation.considered.count > 1 ? "s" : "") \(phases)", ""]
        lines.append("Phase\(evaluation.considered.count > 1 ? "s" : "") \(phases): \(inline(evaluation.phaseReason)).  ")
        if let record = evaluation.readiness {
            // The live clusters and task as found in the evidence, not the plan's addresses.
            lines.append("Readiness at \(inline(record.now)): \(inline(record.summary)).  ")
            for (label, value) in record.joins { lines.append("\(label.capitalizedFirst): \(inline(value)).  ") }
            lines.append("Evidence: \(record.evidence.isEmpty ? "none given" : record.evidence.map(code).joined(separator: ", ")).  ")
        } else {
            for role in [ClusterRole.source, .target] {
                if let cluster = picture.cluster(role) {
                    let reason = RunRecord.roleReasonText(picture, role).map { " (\(inline($0)))" } ?? ""
                    lines.append("\(role.rawValue.capitalizedFirst): \(code(cluster.addressText))\(reason).  ")
                } else {
                    lines.append("\(role.rawValue.capitalizedFirst): not found.  ")
                }
            }
        }
        for note in evaluation.notes {
            lines.append("Note: \(inline(note)).  ")
        }
        lines.append(inline(TextReport.summaryLine(evaluation)) + ".")
        // Grouped by cause (FindingGroups), the most severe cause first: the cause's row, then a row per
        // finding it explains, marked "↳ also:".
        let all = evaluation.findings
        let causes = FindingGroups.groups(all).filter { all[$0.cause].suppression == nil }.sorted { lhs, rhs in
            let left = SARIFReport.rank(all[lhs.cause])
            let right = SARIFReport.rank(all[rhs.cause])
            return left != right ? left > right : Finding.reportOrder(all[lhs.cause], all[rhs.cause])
        }
        let active = causes.flatMap { group in group.members.map { (finding: all[$0], isCause: $0 == group.cause) } }
        if !active.isEmpty {
            lines.append("")
            lines.append("| | rule | \(evaluation.readiness == nil ? "resource" : "resource or evidence") | finding |")
            lines.append("|---|---|---|---|")
            for (finding, isCause) in active.prefix(findingRowLimit) {
                lines.append("| \(icon(finding)) \(ReportSupport.label(finding)) | \(inline(finding.ruleID)) "
                    + "| \(subjectCell(finding, evaluation)) | \(isCause ? "" : "↳ also: ")\(inline(finding.message)) |")
            }
            if active.count > findingRowLimit {
                lines.append("")
                lines.append("… and \(active.count - findingRowLimit) more: see the SARIF or JSON report.")
            }
        }
        let suppressed = evaluation.findings.filter { $0.suppression != nil }
        if !suppressed.isEmpty {
            lines.append("")
            lines.append("<details><summary>\(suppressed.count) suppressed by the policy or inline</summary>")
            lines.append("")
            for finding in suppressed.prefix(findingRowLimit) {
                lines.append("- \(inline(finding.ruleID)) \(subjectCell(finding, evaluation)): \(inline(finding.message)); "
                    + "reason: \(inline(finding.suppression ?? ""))")
            }
            lines.append("")
            lines.append("</details>")
        }
        if !evaluation.rulesSkipped.isEmpty {
            lines.append("")
            lines.append("<details><summary>\(evaluation.rulesSkipped.count) rule\(evaluation.rulesSkipped.count == 1 ? "" : "s") not run</summary>")
            lines.append("")
            for skipped in evaluation.rulesSkipped {
                lines.append("- \(inline(skipped.rule.id)) \(inline(ReportSupport.title(skipped.rule))): \(inline(skipped.reason))")
            }
            lines.append("")
            lines.append("</details>")
        }
        return lines
    }

    /// `Policy: built-in, SHA-256 <code>…</code>.` or `Policy: <code>PATH</code> (--policy), SHA-256 <code>…</code>.`
    static func policyLine(_ policy: PolicyProvenance) -> String {
        let digest = "SHA-256 \(code(policy.sha256))"
        switch policy.origin {
        case .builtIn: return "Policy: built-in, \(digest)."
        case .flag: return "Policy: \(code(policy.path ?? "")) (--policy), \(digest)."
        case .workingDirectory: return "Policy: \(code(policy.path ?? "")) (found in the working directory), \(digest)."
        }
    }

    /// `41 resources`; for `migcheck ready` the evidence files judged (and the resources joined to).
    static func scope(_ input: ReportInput, _ total: ReportCounts) -> String {
        let resources = "\(total.resources) resource\(total.resources == 1 ? "" : "s")"
        let records = input.evaluations.compactMap(\.readiness)
        guard !records.isEmpty, records.count == input.evaluations.count else { return resources }
        let files = records.reduce(0) { $0 + $1.evidence.count }
        let evidence = "\(files) evidence file\(files == 1 ? "" : "s")"
        return records.allSatisfy { $0.joinedTo == nil } ? evidence : evidence + " joined to " + resources
    }

    /// An address or evidence file and line in `<code>`; `(plan-wide)` and `(evidence)` as they are.
    static func subjectCell(_ finding: Finding, _ evaluation: Evaluation) -> String {
        let subject = ReportSupport.subject(finding, in: evaluation)
        let named = finding.address != nil || (evaluation.readiness != nil && finding.location != nil)
        return named ? code(subject) : subject
    }

    static func icon(_ finding: Finding) -> String {
        if finding.kind == .open { return "❔" }
        switch finding.severity {
        case .error: return "❌"
        case .warning: return "⚠️"
        case .note: return "ℹ️"
        }
    }

    static func countsText(_ counts: ReportCounts) -> String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        var parts = [plural(counts.errors, "error"), plural(counts.warnings, "warning"), "\(counts.unverified) unverified"]
        if counts.notes > 0 { parts.append(plural(counts.notes, "note")) }
        if counts.suppressed > 0 { parts.append("\(counts.suppressed) suppressed") }
        return parts.joined(separator: ", ")
    }

    /// Text from a plan as Markdown that renders as exactly that text, inside a table cell too:
    /// `&`, `<`, `>` and `@` as HTML references, the punctuation that makes emphasis, code,
    /// links, strike-through, math or a cell boundary backslash-escaped (`_` only where it
    /// could open or close emphasis, so `engine_version` stays readable).
    /// Control characters become `\uXXXX` first, so an `_` next to one is judged by the escape's
    /// last digit or its backslash, as a reader sees it.
    package static func inline(_ text: String) -> String {
        TextEscaping.escape(TextEscaping.visible(text)) { scalar, before, after in
            switch scalar {
            case "&": return "&amp;"
            case "<": return "&lt;"
            case ">": return "&gt;"
            case "@": return "&#64;"
            case "\\", "`", "*", "[", "]", "|", "~", "$", "!": return "\\" + String(scalar)
            case "_":
                func isWordCharacter(_ neighbour: Unicode.Scalar?) -> Bool {
                    neighbour.map { $0.properties.isAlphabetic || ("0"..."9").contains($0) } ?? false
                }
                return isWordCharacter(before) && isWordCharacter(after) ? "_" : "\\_"
            default: return nil
            }
        }
    }

    /// An address or file name in `<code>`: HTML, so that backticks in it cannot end it.
    package static func code(_ text: String) -> String {
        "<code>\(inline(text))</code>"
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
