/// MIG008: placeholder, being written.
public struct NoDataLossRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG008",
        name: "no-data-loss",
        title: "(being written)",
        rationale: "",
        runbookStep: "",
        phases: [],
        triggeringExamples: [],
        nonTriggeringExamples: [])

    public func evaluate(_ context: RuleContext) -> [Finding] { [] }
}
