import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG902: an inline suppression (`# migcheck:ignore …` in a `.tf` file under `--source-dir`)
/// that migcheck cannot take as one. Like MIG900 and MIG901, the engine reports it
/// (`InlineSuppressions.scan`), not a rule over the plan; it is described here like every rule,
/// for `migcheck rules`, `explain`, the reports and the rule pages.
public enum MalformedInlineSuppressionRule {
    public static let description = RuleDescription(
        id: InlineSuppressions.malformedRuleID,
        name: "malformed-inline-suppression",
        title: "An inline suppression in a .tf file is malformed",
        rationale: "An inline suppression reads `# migcheck:ignore RULE reason=\"…\" expires=YYYY-MM-DD` (or with `//`), "
            + "on the line directly above a resource, data or module block, or on the block's first line. One that "
            + "misses its reason or expiry, has an invalid date, names an unknown rule, has any other shape, is a "
            + "`/* */` comment, stands above nothing a finding can be about, or repeats another for the same block "
            + "suppresses nothing and is reported at its file and line, so that nobody takes the finding it was "
            + "meant to cover for accepted.",
        runbookStep: "policy: inline suppressions",
        phases: Set(Phase.allCases),
        triggeringExamples: [
            RuleExample.plan("an inline suppression of MIG005 without a reason", .prepare, ExpiredSuppressionRule.singleInstanceSource)
                .with(sourceFiles: [("main.tf", source(#"# migcheck:ignore MIG005 expires=2027-01-31"#))]),
            RuleExample.plan("an inline suppression with an expiry that is not a date", .prepare, ExpiredSuppressionRule.singleInstanceSource)
                .with(sourceFiles: [("main.tf", source(#"# migcheck:ignore MIG005 reason="reboot window agreed" expires=31/01/2027"#))]),
            RuleExample.plan("an inline suppression separated from its block by a blank line", .prepare, ExpiredSuppressionRule.singleInstanceSource)
                .with(sourceFiles: [("main.tf", source(#"# migcheck:ignore MIG005 reason="reboot window agreed" expires=2027-01-31"# + "\n"))]),
        ],
        nonTriggeringExamples: [
            RuleExample.plan("a well-formed inline suppression above the source cluster", .prepare, ExpiredSuppressionRule.singleInstanceSource)
                .with(sourceFiles: [("main.tf", source(inlineSuppression))]),
        ])

    static let inlineSuppression = #"# migcheck:ignore MIG005 reason="single-instance source, reboot window agreed" expires=2027-01-31"#

    /// The source cluster's block with `comment` on the line above it.
    package static func source(_ comment: String) -> String {
        """
        \(comment)
        resource "aws_rds_cluster" "legacy" {
          engine         = "aurora-postgresql"
          engine_version = "15.4"
        }

        """
    }
}
