/// MIG012: placeholder, being written.
public struct ConsumersSwitchedRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG012",
        name: "consumers-switched",
        title: "(being written)",
        rationale: "",
        runbookStep: "",
        phases: [],
        triggeringExamples: [],
        nonTriggeringExamples: [])

    public func evaluate(_ context: RuleContext) -> [Finding] { [] }
}
