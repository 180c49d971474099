/// MIG004: placeholder, being written.
public struct TargetPromotionTierRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG004",
        name: "target-promotion-tier",
        title: "(being written)",
        rationale: "",
        runbookStep: "",
        phases: [],
        triggeringExamples: [],
        nonTriggeringExamples: [])

    public func evaluate(_ context: RuleContext) -> [Finding] { [] }
}
