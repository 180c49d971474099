/// MIG005: placeholder, being written.
public struct InstanceCountRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG005",
        name: "instance-count",
        title: "(being written)",
        rationale: "",
        runbookStep: "",
        phases: [],
        triggeringExamples: [],
        nonTriggeringExamples: [])

    public func evaluate(_ context: RuleContext) -> [Finding] { [] }
}
