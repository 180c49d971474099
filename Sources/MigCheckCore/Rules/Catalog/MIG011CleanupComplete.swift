/// MIG011: placeholder, being written.
public struct CleanupCompleteRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG011",
        name: "cleanup-complete",
        title: "(being written)",
        rationale: "",
        runbookStep: "",
        phases: [],
        triggeringExamples: [],
        nonTriggeringExamples: [])

    public func evaluate(_ context: RuleContext) -> [Finding] { [] }
}
