/// MIG007: placeholder, being written.
public struct DeletionProtectionRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG007",
        name: "deletion-protection",
        title: "(being written)",
        rationale: "",
        runbookStep: "",
        phases: [],
        triggeringExamples: [],
        nonTriggeringExamples: [])

    public func evaluate(_ context: RuleContext) -> [Finding] { [] }
}
