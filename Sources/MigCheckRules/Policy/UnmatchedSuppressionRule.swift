import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG901: a suppression in the policy names a resource the document does not hold. Like
/// MIG900, the engine reports it (`Suppressions.apply`), not a rule over the plan; it is
/// described here like every rule, for `migcheck rules`, `explain`, the reports and the rule pages.
public enum UnmatchedSuppressionRule {
    public static let description = RuleDescription(
        id: Suppressions.unmatchedRuleID,
        name: "unmatched-suppression",
        title: "A policy suppression matches no resource",
        rationale: "A suppression names the resource instance it covers exactly as Terraform prints it. One that names no "
            + "resource in the document (a typo, a missing instance key, a renamed or moved resource) suppresses nothing, "
            + "and is reported so that nobody takes the silence for a fix. Globs are refused when the policy is read.",
        runbookStep: "policy: suppressions name real resources",
        phases: Set(Phase.allCases),
        defaultSeverity: .warning,
        triggeringExamples: [
            .plan("a suppression of MIG005 whose address has a typo", .prepare,
                  ExpiredSuppressionRule.singleInstanceSource, policy: policy(address: MigrationExamples.source + "_typo")),
        ],
        nonTriggeringExamples: [
            .plan("the suppression names the source cluster as Terraform prints it", .prepare,
                  ExpiredSuppressionRule.singleInstanceSource, policy: policy(address: MigrationExamples.source)),
        ])

    package static func policy(address: String) -> String {
        """
        {
          "policyVersion": 1,
          "suppressions": [
            {"rule": "MIG005", "address": "\(address)", "reason": "single-instance source, reboot window agreed", "expires": "2027-01-31"}
          ]
        }

        """
    }
}
