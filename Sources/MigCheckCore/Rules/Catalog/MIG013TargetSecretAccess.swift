/// MIG013: placeholder, being written.
public struct TargetSecretAccessRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG013",
        name: "target-secret-access",
        title: "(being written)",
        rationale: "",
        runbookStep: "",
        phases: [],
        triggeringExamples: [],
        nonTriggeringExamples: [])

    public func evaluate(_ context: RuleContext) -> [Finding] { [] }
}
