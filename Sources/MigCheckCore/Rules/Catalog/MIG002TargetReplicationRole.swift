/// MIG002: placeholder, being written.
public struct TargetReplicationRoleRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG002",
        name: "target-replication-role",
        title: "(being written)",
        rationale: "",
        runbookStep: "",
        phases: [],
        triggeringExamples: [],
        nonTriggeringExamples: [])

    public func evaluate(_ context: RuleContext) -> [Finding] { [] }
}
