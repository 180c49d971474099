import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG004: every instance of the target cluster has `promotion_tier` = 1, so either can
/// take over as writer when the other is rebooted.
public struct TargetPromotionTierRule: Rule {
    public init() {}

    static let expectedTier = ClusterShape.targetPromotionTier

    public static let description = RuleDescription(
        id: "MIG004",
        name: "target-promotion-tier",
        title: "Every target instance has promotion_tier = 1",
        rationale: "The target's parameter changes (session_replication_role back to origin at cutover) are applied by "
            + "rebooting the reader first, then failing over and rebooting the former writer. With both instances on "
            + "promotion tier 1 Aurora can promote either one, so the failover is predictable and the application keeps "
            + "a writer; an instance on another tier (the provider's default is 0) changes which one Aurora promotes.",
        runbookStep: "prepare: target cluster; manual: target reboot",
        phases: Set(Phase.allCases),
        judgedAttributes: [
            "aws_rds_cluster_instance.promotion_tier",
        ],
        triggeringExamples: [
            .plan("a target instance on tier 0", .prepare,
                  MigrationExamples.healthy(.prepare).setting(MigrationExamples.targetInstances[1], "promotion_tier", to: 0)),
            .plan("a target instance without promotion_tier (the default is 0)", .fullLoad,
                  MigrationExamples.healthy(.fullLoad).setting(MigrationExamples.targetInstances[0], "promotion_tier", to: nil)),
            .state("state after cutover with a target instance on tier 2", .cutover,
                   MigrationExamples.healthy(.cutover).setting(MigrationExamples.targetInstances[0], "promotion_tier", to: 2)),
        ],
        nonTriggeringExamples: [
            .plan("both target instances on tier 1", .prepare, MigrationExamples.healthy(.prepare)),
            .plan("source instances may be on any tier", .fullLoad,
                  MigrationExamples.healthy(.fullLoad).setting(MigrationExamples.sourceInstances[1], "promotion_tier", to: 15)),
            .plan("a target instance destroyed by the plan is not judged", .cleanup,
                  MigrationExamples.healthy(.cleanup)
                      .setting(MigrationExamples.targetInstances[1], "promotion_tier", to: 0, beforeToo: true)
                      .withActions(MigrationExamples.targetInstances[1], ["delete"])),
            .plan("promotion_tier unknown until apply (an open finding, not a failure)", .prepare,
                  MigrationExamples.healthy(.prepare).markingUnknown(MigrationExamples.targetInstances[0], "promotion_tier")),
            .state("state after cleanup", .cleanup, MigrationExamples.healthy(.cleanup)),
        ])

    public func evaluate(_ context: RuleContext) -> [Finding] {
        guard let target = context.picture.target else {
            return [context.missing(.target, needed: "the target instances' promotion_tier")]
        }
        let remaining = target.instances.filter { $0.hasAfter }
        guard !remaining.isEmpty else {
            return [context.unverified("\(target.addressText) keeps no aws_rds_cluster_instance in this "
                + "\(context.isPlan ? "plan" : "state"), so promotion_tier cannot be checked", about: target.resource)]
        }
        var findings: [Finding] = []
        for instance in remaining {
            let tier = instance.afterAttribute("promotion_tier")
            switch tier {
            case .unknown?:
                findings.append(context.unverified("promotion_tier of \(instance.addressText) is unknown until apply, so it "
                    + "cannot be checked", about: instance))
            case .sensitive(let hidden)?:
                if hidden.isUnknown {
                    findings.append(context.unverified("promotion_tier of \(instance.addressText) is unknown until apply, so it "
                        + "cannot be checked", about: instance))
                } else if !(hidden.matches(.number(String(Self.expectedTier))) || hidden.matches(.string(String(Self.expectedTier)))) {
                    findings.append(context.finding("promotion_tier of \(instance.addressText) is a sensitive value other than "
                        + "\(Self.expectedTier); set promotion_tier = \(Self.expectedTier)", about: instance))
                }
            case .none, .null?:
                findings.append(context.finding("promotion_tier of \(instance.addressText) is not set, so it defaults to 0; set "
                    + "promotion_tier = \(Self.expectedTier) so either target instance can take over on failover", about: instance))
            case let value?:
                if let problem = ClusterShape.promotionTierProblem(Self.tier(value) ?? -1) {
                    let shown = value.scalarText ?? "not a number"
                    findings.append(context.finding("promotion_tier of \(instance.addressText) is \(shown); " + problem, about: instance))
                }
            }
        }
        return findings
    }

    /// The tier as a whole number, whether Terraform wrote it as a number or a string.
    package static func tier(_ value: TerraformValue) -> Int? {
        if let number = value.intValue { return number }
        if let text = value.stringValue { return Int(text) }
        return nil
    }
}
