/// MIG009: placeholder, being written.
public struct FinalSnapshotRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG009",
        name: "final-snapshot",
        title: "(being written)",
        rationale: "",
        runbookStep: "",
        phases: [],
        triggeringExamples: [],
        nonTriggeringExamples: [])

    public func evaluate(_ context: RuleContext) -> [Finding] { [] }
}
