import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG900: a suppression in the policy has expired. The engine itself reports it (see
/// `Suppressions.apply`), not a rule over the plan, so it is not in `RuleRegistry.rules`; it
/// is described here like every rule, for `migcheck rules`, `explain`, the reports and the rule pages.
public enum ExpiredSuppressionRule {
    public static let description = RuleDescription(
        id: Suppressions.expiredRuleID,
        name: "expired-suppression",
        title: "A suppression has expired",
        rationale: "A suppression in migcheck.json, or inline in a .tf file, carries a reason and an expiry date, so that an exception agreed for one "
            + "step of the migration cannot outlive it. From the day after its expiry date it suppresses nothing: the "
            + "finding it hid is reported again, and the expired suppression is reported too, until it is renewed with "
            + "a new date or removed and the finding fixed.",
        runbookStep: "policy: suppressions expire",
        phases: Set(Phase.allCases),
        triggeringExamples: [
            .plan("a suppression of MIG005 for the single-instance source expired before the check", .prepare,
                  singleInstanceSource, policy: policy(expires: "2026-10-31")),
            RuleExample.plan("an inline suppression of MIG005 above the source cluster's block expired before the check", .prepare,
                             singleInstanceSource)
                .with(sourceFiles: [("main.tf", MalformedInlineSuppressionRule.source(
                    #"# migcheck:ignore MIG005 reason="single-instance source, reboot window agreed" expires=2026-10-31"#))]),
        ],
        nonTriggeringExamples: [
            .plan("the same suppression, still in force", .prepare, singleInstanceSource, policy: policy(expires: "2027-01-31")),
            .plan("no suppressions at all", .prepare, MigrationExamples.healthy(.prepare)),
        ])

    static var singleInstanceSource: ExamplePlan {
        MigrationExamples.healthy(.prepare).removing(MigrationExamples.sourceInstances[1])
    }

    package static func policy(expires: String) -> String {
        """
        {
          "policyVersion": 1,
          "suppressions": [
            {"rule": "MIG005", "address": "\(MigrationExamples.source)", "reason": "single-instance source, reboot window agreed", "expires": "\(expires)"}
          ]
        }

        """
    }
}
