/// MIG010: placeholder, being written.
public struct DMSTaskRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG010",
        name: "dms-task",
        title: "(being written)",
        rationale: "",
        runbookStep: "",
        phases: [],
        triggeringExamples: [],
        nonTriggeringExamples: [])

    public func evaluate(_ context: RuleContext) -> [Finding] { [] }
}
