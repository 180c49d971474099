import Foundation
import XCTest
import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// The findings of one rule on one document in one phase, and the edits rule tests make to
/// the healthy example plans: what every rule's test file starts from.
enum RuleHarness {
    /// The evaluation of the first document in `json` (a plan, or what `kind` says), judged in
    /// `phase` (nil: the phase is inferred).
    static func evaluation(_ json: String, _ phase: Phase?, kind: DocumentKind? = .plan, file: String = "<text>",
                           policy: Policy = .builtInDefault, today: CalendarDate = .today()) throws -> Evaluation {
        let document = try XCTUnwrap(TerraformReader.read(text: json, file: file, expecting: kind).first)
        return Evaluator.evaluate(try PictureBuilder.build(document), phase: phase, policy: policy, today: today)
    }

    /// The evaluation of an example plan (or, with `state`, its state).
    static func evaluation(_ plan: ExamplePlan, _ phase: Phase?, state: Bool = false, file: String = "<text>",
                           policy: Policy = .builtInDefault) throws -> Evaluation {
        try evaluation(state ? plan.stateJSON : plan.planJSON, phase, kind: state ? .state : .plan, file: file, policy: policy)
    }

    /// The evaluation of a rule's example, in the example's phase.
    static func evaluation(of example: RuleExample, file: String = "<text>", today: CalendarDate = .today()) throws -> Evaluation {
        try evaluation(example.document, example.phase, kind: example.isState ? .state : .plan, file: file, today: today)
    }

    /// The findings of `rule` on a plan's (or, with `state`, a state's) JSON, judged in `phase`.
    static func findings(_ rule: String, json: String, _ phase: Phase, state: Bool = false,
                         policy: Policy = .builtInDefault) throws -> [Finding] {
        try evaluation(json, phase, kind: state ? .state : .plan, file: "\(rule).json", policy: policy).findings
            .filter { $0.ruleID == rule }
    }

    /// The findings of `rule` on an example plan (or its state, with `state`), judged in `phase`.
    static func findings(_ rule: String, _ plan: ExamplePlan, _ phase: Phase, state: Bool = false,
                         policy: Policy = .builtInDefault) throws -> [Finding] {
        try findings(rule, json: state ? plan.stateJSON : plan.planJSON, phase, state: state, policy: policy)
    }

    /// The findings of the rule `description` describes on one of its own examples.
    static func findings(of description: RuleDescription, in example: RuleExample) throws -> [Finding] {
        try evaluation(of: example, file: "\(description.id)-example.json").findings.filter { $0.ruleID == description.id }
    }

    static func fails(_ findings: [Finding]) -> [Finding] { findings.filter { $0.kind == .fail } }
    static func opens(_ findings: [Finding]) -> [Finding] { findings.filter { $0.kind == .open } }

    static func picture(_ plan: ExamplePlan) throws -> MigrationPicture {
        let documents = try TerraformReader.read(text: plan.planJSON, file: "test.json", expecting: .plan)
        return try PictureBuilder.build(try XCTUnwrap(documents.first))
    }

    // MARK: - Inputs

    /// The built-in policy with one parameter of `rule` set.
    static func policy(_ rule: String, _ name: String, _ value: JSONLiteral) -> Policy {
        var policy = Policy.builtInDefault
        policy.rules[rule]?.parameters[name] = value
        return policy
    }

    /// An IAM policy document with `statements`, as the JSON string Terraform holds.
    static func policyJSON(_ statements: [JSONLiteral]) -> JSONLiteral {
        .string(JSONLiteral.object([("Version", "2012-10-17"), ("Statement", .array(statements))]).serialized)
    }

    /// ECS container definitions with one container, as the JSON string Terraform holds.
    static func containers(_ environment: [(String, String)], command: [String]? = nil) -> JSONLiteral {
        var container: JSONLiteral = ["name": "app", "image": "app:v42",
                                      "environment": .array(environment.map { ["name": .string($0.0), "value": .string($0.1)] })]
        if let command { container["command"] = .array(command.map(JSONLiteral.string)) }
        return .string(JSONLiteral.array([container]).serialized)
    }

    /// A healthy plan without the target cluster and everything attached to it.
    static func withoutTarget(_ phase: Phase) -> ExamplePlan {
        var plan = MigrationExamples.healthy(phase).removing(MigrationExamples.target).removing(MigrationExamples.targetGroup)
        for instance in MigrationExamples.targetInstances { plan = plan.removing(instance) }
        return plan
    }

    /// Edits one entry of `resource_changes` of a plan, for masks the builder cannot express
    /// (unknown or sensitive parts nested inside a set).
    static func patching(_ planJSON: String, _ address: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
        var plan = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(planJSON.utf8)) as? [String: Any])
        var changes = try XCTUnwrap(plan["resource_changes"] as? [[String: Any]])
        let index = try XCTUnwrap(changes.firstIndex { $0["address"] as? String == address })
        var change = try XCTUnwrap(changes[index]["change"] as? [String: Any])
        edit(&change)
        changes[index]["change"] = change
        plan["resource_changes"] = changes
        let data = try JSONSerialization.data(withJSONObject: plan, options: [.sortedKeys])
        return try XCTUnwrap(String(data: data, encoding: .utf8))
    }

    /// `value` as an object with `key` set to `replacement`.
    static func replacing(_ value: Any?, _ key: String, with replacement: Any) -> Any {
        var object = value as? [String: Any] ?? [:]
        object[key] = replacement
        return object
    }
}
