/// MIG006: placeholder, being written.
public struct RotationWindowRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG006",
        name: "rotation-window",
        title: "(being written)",
        rationale: "",
        runbookStep: "",
        phases: [],
        triggeringExamples: [],
        nonTriggeringExamples: [])

    public func evaluate(_ context: RuleContext) -> [Finding] { [] }
}
