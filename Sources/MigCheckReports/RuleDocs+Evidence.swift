import MigCheckFoundation
import MigCheckReading
import MigCheckRules

extension RuleDocs {
    /// How a readiness rule's page introduces its examples: evidence files, not plans.
    static func readinessIntroduction(_ description: RuleDescription) -> String {
        "Each example is the AWS CLI evidence of a readiness gate (`--output json`, in the shapes botocore's models "
            + "give; a healthy migration of `app-legacy` to `app-core` with one thing changed), judged with "
            + "`migcheck ready --phase PHASE` at \(RuleExample.judgedAt); below it, what migcheck reports for \(description.id)."
    }

    /// A readiness example's evidence files, each indented as JSON.
    static func evidenceLines(_ example: RuleExample) -> [String] {
        var lines = ["AWS CLI evidence checked in phase \(example.phase):"]
        for file in example.evidence {
            let shown: String
            if let document = try? JSONDocument(text: file.text) {
                shown = withExtendedLifetime(document) { JSONLiteral(document.root).pretty }
            } else {
                shown = file.text + "\n"
            }
            lines += ["", "`\(file.name)`", "", "```json"] + shown.split(separator: "\n").map(String.init) + ["```"]
        }
        return lines
    }
}
