/// MIG003: placeholder, being written.
public struct SourceLogicalReplicationRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG003",
        name: "source-logical-replication",
        title: "(being written)",
        rationale: "",
        runbookStep: "",
        phases: [],
        triggeringExamples: [],
        nonTriggeringExamples: [])

    public func evaluate(_ context: RuleContext) -> [Finding] { [] }
}
