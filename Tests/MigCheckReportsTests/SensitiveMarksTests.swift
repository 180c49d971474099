import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckTestSupport

/// Either mark counts: a value is sensitive when any of `before_sensitive`, `after_sensitive`,
/// a plan's `planned_values`/`prior_state` `sensitive_values`, a state's `sensitive_values` or a
/// raw state's `sensitive_attributes` marks it, and it is then judged without being printed.
final class SensitiveMarksTests: XCTestCase {
    static let canary = "CANARY-migration-type"
    static let task = MigrationExamples.task

    /// The full-load plan with the DMS task's migration_type a canary (a wrong type: MIG010 fails),
    /// marked sensitive in every place Terraform writes marks.
    static var markedPlan: ExamplePlan {
        MigrationExamples.healthy(.fullLoad)
            .setting(task, "migration_type", to: .string(canary), beforeToo: true)
            .markingSensitive(task, "migration_type")
    }

    func testAMarkOnlyInPlannedValuesCounts() throws {
        let text = try Self.withoutChangeMasks(Self.markedPlan.planJSON, address: Self.task)
        XCTAssertFalse(try Self.change(text, Self.task).description.contains("migration_type\": true"), "the change marks nothing")
        try Self.assertJudgedAndHidden(text, kind: .plan, phase: .fullLoad, rule: "MIG010", secret: Self.canary)
    }

    func testAMarkOnlyInPriorStateCounts() throws {
        // Prepare moves the source to its logical-replication group; MIG003's reboot note names both groups.
        let source = MigrationExamples.source
        let plan = MigrationExamples.healthy(.prepare)
            .settingBefore(source, "db_cluster_parameter_group_name", to: "CANARY-old-group")
            .markingSensitive(source, "db_cluster_parameter_group_name")
        let text = try Self.withoutChangeMasks(plan.planJSON, address: source)
        let findings = try RuleHarness.evaluation(text, .prepare, kind: .plan, file: "marks.json").findings
        let note = try XCTUnwrap(findings.first { $0.ruleID == "MIG003" && $0.severity == .note }, "\(findings.map(\.message))")
        XCTAssertFalse(note.message.contains("CANARY"), note.message)
        XCTAssertFalse(note.message.contains("app-legacy-logical-replication"), note.message)
        try Self.assertNotPrinted("CANARY", in: RuleHarness.evaluation(text, .prepare, kind: .plan, file: "marks.json"))
    }

    func testAMarkInAShowJSONStateCounts() throws {
        try Self.assertJudgedAndHidden(Self.markedPlan.stateJSON, kind: .state, phase: .fullLoad, rule: "MIG010", secret: Self.canary)
    }

    /// Raw state paths as Terraform 1.x writes them (a list of steps per path) and as one step object per path.
    func testRawStateSensitiveAttributesCount() throws {
        let listOfSteps = #"[[{"type":"get_attr","value":"migration_type"}]]"#
        let stepPerPath = #"[{"type":"get_attr","value":"migration_type"}]"#
        for paths in [listOfSteps, stepPerPath] {
            let text = #"{"version":4,"terraform_version":"1.15.8","serial":3,"lineage":"l","outputs":{},"resources":["#
                + #"{"mode":"managed","type":"aws_dms_replication_task","name":"migration","provider":"provider[\"registry.terraform.io/hashicorp/aws\"]","#
                + #""instances":[{"schema_version":0,"attributes":{"migration_type":"\#(Self.canary)","replication_task_id":"app-migration"},"#
                + #""sensitive_attributes":\#(paths)}]}]}"#
            try Self.assertJudgedAndHidden(text, kind: .tfstate, phase: .fullLoad, rule: "MIG010", secret: Self.canary)
        }
    }

    func testAMaskCoversAnotherOnlyWhenItMarksEverything() throws {
        func covers(_ mask: String, _ other: String) throws -> Bool {
            let maskDocument = try JSONDocument(text: mask)
            let otherDocument = try JSONDocument(text: other)
            return SensitivityMark.covers(maskDocument.root, otherDocument.root)
        }
        XCTAssertTrue(try covers(#"{"a":true}"#, #"{"a":true,"b":false}"#))
        XCTAssertTrue(try covers("true", #"{"a":[{"b":true}]}"#))
        XCTAssertTrue(try covers(#"{"a":true}"#, #"{"a":[{"b":true}]}"#))
        XCTAssertFalse(try covers(#"{"a":true}"#, #"{"b":true}"#))
        XCTAssertFalse(try covers(#"{"a":[{}]}"#, #"{"a":[{},{"b":true}]}"#))
        XCTAssertFalse(try covers("false", "true"))
    }

    /// Example plans mark a path inside a block with a mask of the value's shape, as Terraform does.
    func testExamplePlansMarkNestedPathsInEveryMask() throws {
        let rotation = MigrationExamples.targetRotation
        let plan = MigrationExamples.healthy(.fullLoad)
            .markingSensitive(rotation, "rotation_rules[0].schedule_expression")
            .markingSensitive(rotation, "tags[Owner]")
        let change = try Self.change(plan.planJSON, rotation)
        let expected = #"{"rotation_rules":[{"schedule_expression":true}],"tags":{"Owner":true}}"#
        for key in ["before_sensitive", "after_sensitive"] {
            let data = try JSONSerialization.data(withJSONObject: try XCTUnwrap(change[key]), options: [.sortedKeys])
            XCTAssertEqual(String(data: data, encoding: .utf8), expected, key)
        }
        XCTAssertTrue(plan.planJSON.contains(#""sensitive_values":\#(expected)"#))
        let document = try XCTUnwrap(TerraformReader.read(text: plan.planJSON, file: "nested.json", expecting: .plan).first)
        let view = try XCTUnwrap(try PictureBuilder.build(document).resources.first { $0.addressText == rotation })
        XCTAssertEqual(view.attribute("rotation_rules[0].schedule_expression")?.isSensitive, true)
        XCTAssertEqual(view.attribute("rotation_rules[0].automatically_after_days")?.isSensitive, false)
        XCTAssertEqual(view.attribute("rotation_rules")?.isSensitive, false)
    }

    // MARK: - Helpers

    static func assertJudgedAndHidden(_ text: String, kind: DocumentKind, phase: Phase, rule: String, secret: String,
                                      file: StaticString = #filePath, line: UInt = #line) throws {
        let evaluation = try RuleHarness.evaluation(text, phase, kind: kind, file: "marks.json")
        let findings = evaluation.findings.filter { $0.ruleID == rule && $0.message.contains("migration_type") }
        XCTAssertEqual(findings.map(\.kind), [.fail], "\(kind): a sensitive wrong type still fails: \(findings.map(\.message))",
                       file: file, line: line)
        try assertNotPrinted(secret, in: evaluation, file: file, line: line)
    }

    static func assertNotPrinted(_ secret: String, in evaluation: Evaluation, file: StaticString = #filePath, line: UInt = #line) throws {
        let input = ReportFixtures.input([evaluation])
        for format in ReportFormat.allCases {
            let output = Reports.render(format, input)
            XCTAssertFalse(output.contains(secret), "\(format) prints a sensitive value:\n"
                + output.split(separator: "\n").filter { $0.contains(secret) }.prefix(3).joined(separator: "\n"), file: file, line: line)
        }
    }

    /// The plan with the change's `before_sensitive`/`after_sensitive` emptied: only the state sections mark the value.
    static func withoutChangeMasks(_ planJSON: String, address: String) throws -> String {
        var plan = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(planJSON.utf8)) as? [String: Any])
        var changes = try XCTUnwrap(plan["resource_changes"] as? [[String: Any]])
        let index = try XCTUnwrap(changes.firstIndex { $0["address"] as? String == address })
        var change = try XCTUnwrap(changes[index]["change"] as? [String: Any])
        change["before_sensitive"] = [String: Any]()
        change["after_sensitive"] = [String: Any]()
        changes[index]["change"] = change
        plan["resource_changes"] = changes
        let data = try JSONSerialization.data(withJSONObject: plan, options: [.sortedKeys])
        return try XCTUnwrap(String(data: data, encoding: .utf8))
    }

    static func change(_ planJSON: String, _ address: String) throws -> [String: Any] {
        let plan = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(planJSON.utf8)) as? [String: Any])
        let changes = try XCTUnwrap(plan["resource_changes"] as? [[String: Any]])
        return try XCTUnwrap(changes.first { $0["address"] as? String == address }?["change"] as? [String: Any])
    }
}
