import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// `migcheck rules` and `migcheck explain ID`.
public enum RuleCatalogReport {
    public static func list(style: TextStyle) -> String {
        var lines = [style.bold("ID      name                        severity  phases")]
        for description in RuleRegistry.allDescriptions {
            let name = description.name.padding(to: 27)
            let severity = description.defaultSeverity.rawValue.padding(to: 9)
            lines.append("\(description.id)  \(name) \(severity) \(description.sortedPhases.map(\.rawValue).joined(separator: ", "))")
            lines.append("        \(description.title)")
        }
        lines.append("")
        lines.append("migcheck explain ID shows a rule's rationale, runbook step and an example.")
        return lines.joined(separator: "\n")
    }

    public static func explain(_ description: RuleDescription, style: TextStyle, rulesURL: String = MigCheckVersion.rulesURL) -> String {
        var lines = [style.bold("\(description.id) \(description.name): \(description.title)")]
        lines.append("severity: \(description.defaultSeverity.rawValue); phases: \(description.sortedPhases.map(\.rawValue).joined(separator: ", "))")
        lines.append("")
        lines.append("Why: \(description.rationale)")
        lines.append("Runbook: \(description.runbookStep)")
        if !description.parameters.isEmpty {
            lines.append("Parameters (policy rules.\(description.id).parameters): "
                + description.parameters.keys.sorted().map { "\($0) = \(description.parameters[$0]?.serialized ?? "")" }.joined(separator: ", "))
        }
        if let example = description.triggeringExamples.first {
            lines.append("")
            lines.append("Example that fails (\(example.phase)): \(example.name)")
            for finding in example.failures(of: description.id) {
                lines.append("  \(finding.severity.rawValue) \(finding.ruleID) \(finding.address ?? "(plan-wide)"): \(finding.message)")
            }
        }
        if description.triggeringExamples.count > 1 {
            lines.append("Other failing examples: " + description.triggeringExamples.dropFirst().map { "\($0.name) (\($0.phase))" }.joined(separator: "; "))
        }
        if !description.nonTriggeringExamples.isEmpty {
            lines.append("Passing examples: " + description.nonTriggeringExamples.map { "\($0.name) (\($0.phase))" }.joined(separator: "; "))
        }
        lines.append("")
        lines.append("More: \(RuleDocs.pageURL(of: description.id, base: rulesURL))")
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
