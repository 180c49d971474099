import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

extension RuleExample {
    /// The day examples are judged on, so that an example's expiry dates (MIG900) mean the
    /// same on every day the tests and the rule pages are run: the day the example plans are stamped with.
    public static let judgedOn = CalendarDate(year: 2026, month: 11, day: 20) ?? CalendarDate.epoch

    /// The findings of rule `id` when the example is checked: read, built, and evaluated in its
    /// phase under its policy (the built-in one when it has none) on `judgedOn`.
    /// The instant readiness examples are judged at: noon of `judgedOn`.
    public static let judgedAt = EvidenceInstant(seconds: 1_795_176_000)

    public func findings(of id: String) throws -> [Finding] {
        if isReadiness {
            let documents = try evidence.map { try EvidenceReader.read(text: $0.text, file: $0.name) }
            let live = LivePicture(documents: documents, now: Self.judgedAt)
            let policy = try self.policy.map { try PolicyReader.read(text: $0) } ?? .builtInDefault
            return ReadinessEvaluator.evaluate(live, phase: phase, policy: policy).findings.filter { $0.ruleID == id }
        }
        let documents = try TerraformReader.read(text: document, file: "example.json", expecting: isState ? .state : .plan)
        guard let first = documents.first else { return [] }
        let picture = try PictureBuilder.build(first)
        let policy = try self.policy.map { try PolicyReader.read(text: $0) } ?? .builtInDefault
        var evaluation = Evaluator.evaluate(picture, phase: phase, policy: policy, today: Self.judgedOn)
        if !sourceFiles.isEmpty {
            let locator = TerraformSourceLocator(root: "infra", configuration: picture.document.configuration, files: sourceFiles)
            evaluation = evaluation.locatingSources(with: locator, named: "infra", today: Self.judgedOn)
        }
        return evaluation.findings.filter { $0.ruleID == id }
    }

    /// The failures (`kind == .fail`) of rule `id` in this example, for `explain`: none when
    /// the example cannot be read (the rule pages' tests check that every example reads).
    public func failures(of id: String) -> [Finding] {
        ((try? findings(of: id)) ?? []).filter { $0.kind == .fail }
    }
}
