import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// `migcheck ready` in the text report: the verdict, the evidence and how it was joined, then
/// the findings as for a plan, each with the evidence file, line and column it points at.
extension TextReport {
    static func renderReadiness(_ evaluation: Evaluation, _ record: ReadinessRecord, style: TextStyle, policy: PolicyProvenance) -> String {
        var lines = wrap(TextEscaping.visible("migcheck ready --phase \(evaluation.phase) at \(record.now): \(record.summary)"),
                         firstPrefix: "", hangingIndent: "    ").map(style.bold)
        lines += headerLines("policy: \(TextEscaping.visible(RunRecord.policyText(policy)))")
        if record.joinedTo != nil {
            lines += headerLines("joined to: \(TextEscaping.visible(TextReport.header(evaluation.picture.document)))")
        }
        for (label, value) in record.joins { lines += headerLines("\(label): \(TextEscaping.visible(value))") }
        lines += headerLines("evidence: " + (record.evidence.isEmpty ? "none given (collect it with migcheck collect)"
                                                                       : record.evidence.map { TextEscaping.visible($0) }.joined(separator: ", ")))
        for note in evaluation.notes { lines += headerLines("note: " + TextEscaping.visible(note)) }
        lines.append("")
        let located = evaluation.replacingFindings(evaluation.findings.map { finding in
            var copy = finding
            if let location = finding.location {
                copy.message = "\(location.file):\(location.start.line):\(location.start.column): " + finding.message
            }
            return copy
        })
        lines += findingSections(located, style: style, wideHeading: "(evidence)")
        return lines.joined(separator: "\n")
    }
}
