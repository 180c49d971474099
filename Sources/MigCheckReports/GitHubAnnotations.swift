import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// `--format github`: GitHub Actions workflow commands, one per active finding, so findings
/// appear as annotations on the pull request:
///
///     ::error file=plan.json,line=12,endLine=12,col=5,endColumn=6,title=MIG006::aws_secretsmanager_secret_rotation.core: …
///
/// error → `::error`, warning → `::warning`, note → `::notice`; an unverified finding keeps
/// its severity and says `unverified` in its title. Suppressed findings are not annotated.
/// Escaping follows GitHub's toolkit (`@actions/core` `toCommandValue`/`escapeData`/
/// `escapeProperty`): in the message `%` → `%25`, CR → `%0D`, LF → `%0A`; in properties also
/// `:` → `%3A` and `,` → `%2C`. Other control characters are written as a visible `\uXXXX`,
/// so nothing from a plan can end a command early or reach the log raw.
public enum GitHubAnnotations: Reporter {
    public static let identifier = "github"
    public static let fileExtension = "txt"
    public static let description = "GitHub Actions workflow commands: one annotation per active finding."

    public static func render(_ input: ReportInput, style: TextStyle) -> String {
        render(input)
    }

    public static func render(_ input: ReportInput) -> String {
        var lines: [String] = []
        for evaluation in input.evaluations {
            if let absence = evaluation.noMigration {
                let file = evaluation.picture.document.file
                lines.append("::notice file=\(escapeProperty(file)),title=\(escapeProperty("migcheck: no migration"))::"
                    + escapeData("\(ReportSupport.documentLabel(evaluation)): \(absence)"))
            }
            for finding in evaluation.findings where finding.suppression == nil {
                lines.append(command(finding, evaluation))
            }
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    package static func command(_ finding: Finding, _ evaluation: Evaluation) -> String {
        let name: String
        switch finding.severity {
        case .error: name = "error"
        case .warning: name = "warning"
        case .note: name = "notice"
        }
        let location = ReportSupport.location(finding, in: evaluation)
        var endLine = location.end.line
        var endColumn = location.end.column
        if (endLine, endColumn) <= (location.start.line, location.start.column) {
            endLine = location.start.line
            endColumn = location.start.column + 1
        }
        let properties: [(String, String)] = [
            ("file", location.file), ("line", String(location.start.line)), ("endLine", String(endLine)),
            ("col", String(location.start.column)), ("endColumn", String(endColumn)),
            ("title", finding.kind == .open ? "\(finding.ruleID) (unverified)" : finding.ruleID),
        ]
        // A plan-wide finding points at the document's first line: its text says why.
        let message = "\(ReportSupport.subject(finding, in: evaluation)): \(finding.message)"
        return "::\(name) " + properties.map { "\($0.0)=\(escapeProperty($0.1))" }.joined(separator: ",") + "::" + escapeData(message)
    }

    /// A command's message.
    public static func escapeData(_ text: String) -> String {
        escape(text, alsoEscaping: [])
    }

    /// A command's property value: also `:` and `,`, which separate properties.
    public static func escapeProperty(_ text: String) -> String {
        escape(text, alsoEscaping: [":", ","])
    }

    /// GitHub's toolkit escaping: `%`, CR and LF always, plus the given characters.
    private static func escape(_ text: String, alsoEscaping extra: Set<Unicode.Scalar>) -> String {
        // Any other control character as a visible `\uXXXX` (none of whose characters GitHub escapes).
        TextEscaping.escape(text) { scalar, _, _ in
            guard scalar == "%" || TextEscaping.isLineBreak(scalar) || extra.contains(scalar) else { return nil }
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "%" + (hex.count < 2 ? "0" + hex : hex)
        }
    }
}
