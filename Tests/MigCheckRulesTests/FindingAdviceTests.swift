import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// The action a finding asks for fits the cluster's role (MIG007: never unprotect the target),
/// and a replacement names the attributes the plan's replace_paths says force it.
final class FindingAdviceTests: XCTestCase {
    typealias Examples = MigrationExamples

    static func messages(_ id: String, _ findings: [Finding], about address: String) -> [String] {
        findings.filter { $0.ruleID == id && $0.address == address }.map(\.message)
    }

    /// The plan with `replace_paths` (and optionally before/after edits) on one resource change.
    static func withReplacePaths(_ plan: ExamplePlan, _ address: String, _ paths: Any,
                                 edit: (inout [String: Any]) -> Void = { _ in }) throws -> String {
        var root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(plan.planJSON.utf8)) as? [String: Any])
        var changes = try XCTUnwrap(root["resource_changes"] as? [[String: Any]])
        let index = try XCTUnwrap(changes.firstIndex { $0["address"] as? String == address })
        var change = try XCTUnwrap(changes[index]["change"] as? [String: Any])
        change["replace_paths"] = paths
        edit(&change)
        changes[index]["change"] = change
        root["resource_changes"] = changes
        return String(decoding: try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]), as: UTF8.self)
    }

    // MARK: - Item 1: MIG007's advice per role

    func testProtectedTargetReplacedIsToldToStopTheReplacementNeverToUnprotect() throws {
        let plan = Examples.healthy(.fullLoad).withActions(Examples.target, ["delete", "create"])
        let text = try Self.withReplacePaths(plan, Examples.target, [["database_name"]]) { change in
            var after = change["after"] as? [String: Any] ?? [:]
            after["database_name"] = "app2"
            change["after"] = after
        }
        let messages = Self.messages("MIG007", try RuleHarness.evaluation(text, .fullLoad).findings, about: Examples.target)
        XCTAssertEqual(messages.count, 1, "\(messages)")
        let message = messages.first ?? ""
        XCTAssertTrue(message.contains("the plan replaces the target \(Examples.target) with deletion_protection = true"), message)
        XCTAssertTrue(message.hasSuffix("; keep it protected and revert the change to database_name (\"app\" → \"app2\") that forces the replacement"), message)
        XCTAssertFalse(message.contains("deletion_protection = false"), message)
    }

    func testProtectedTargetDeletedIsToldToDropTheDelete() throws {
        let plan = Examples.healthy(.cutover).withActions(Examples.target, ["delete"])
        let message = Self.messages("MIG007", try RuleHarness.evaluation(plan.planJSON, .cutover).findings, about: Examples.target).first ?? ""
        XCTAssertTrue(message.hasSuffix("; keep it protected and drop the change that deletes it (a removed block or a count/for_each change)"), message)
        XCTAssertFalse(message.contains("deletion_protection = false"), message)
    }

    func testProtectedSourceInCleanupGetsTheTwoDeploySequence() throws {
        let plan = Examples.healthy(.cleanup).settingBefore(Examples.source, "deletion_protection", to: true)
        let message = Self.messages("MIG007", try RuleHarness.evaluation(plan.planJSON, .cleanup).findings, about: Examples.source).first ?? ""
        XCTAssertTrue(message.contains("the plan deletes the source \(Examples.source) with deletion_protection = true"), message)
        XCTAssertTrue(message.hasSuffix("; first deploy deletion_protection = false and final_snapshot_identifier, then destroy it"), message)
    }

    func testProtectedSourceBeforeCleanupIsKept() throws {
        let plan = Examples.healthy(.fullLoad).withActions(Examples.source, ["delete"])
        let message = Self.messages("MIG007", try RuleHarness.evaluation(plan.planJSON, .fullLoad).findings, about: Examples.source).first ?? ""
        XCTAssertTrue(message.hasSuffix("; keep the source until cleanup: drop the change that deletes it (a removed block or a count/for_each change)"), message)
    }

    func testProtectedClusterOfNoRoleGetsNeutralAdvice() throws {
        let other = "aws_rds_cluster.reporting"
        var value = Examples.cluster(id: "reporting", host: "reporting.cluster-x.eu-west-2.rds.amazonaws.com",
                                     secret: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!cluster-reporting-Xy",
                                     group: "default.aurora-postgresql16")
        value["engine"] = "aurora-mysql"
        let plan = Examples.healthy(.fullLoad).adding(ExampleResource(other, actions: ["delete"], before: value, after: nil))
        let message = Self.messages("MIG007", try RuleHarness.evaluation(plan.planJSON, .fullLoad).findings, about: other).first ?? ""
        XCTAssertTrue(message.hasPrefix("the plan deletes \(other) with deletion_protection = true"), message)
        XCTAssertTrue(message.hasSuffix("; to remove it, unprotect it in an earlier deploy, else drop the change that deletes it (a removed block or a count/for_each change)"), message)
    }

    // MARK: - Item 2: MIG008 names what forces the replacement

    func testReplacementNamesTheAttributeAndItsChange() throws {
        let plan = Examples.healthy(.fullLoad).withActions(Examples.target, ["delete", "create"])
        let text = try Self.withReplacePaths(plan, Examples.target, [["database_name"]]) { change in
            var after = change["after"] as? [String: Any] ?? [:]
            after["database_name"] = "mavis"
            change["after"] = after
        }
        let message = Self.messages("MIG008", try RuleHarness.evaluation(text, .fullLoad).findings, about: Examples.target).first ?? ""
        XCTAssertTrue(message.hasSuffix("; revert the change to database_name (\"app\" → \"mavis\") that forces the replacement"), message)
    }

    func testSensitiveAndUnknownValuesAreNotShown() throws {
        let plan = Examples.healthy(.fullLoad).withActions(Examples.target, ["delete", "create"])
            .markingSensitive(Examples.target, "database_name")
        let text = try Self.withReplacePaths(plan, Examples.target, [["database_name"], ["cluster_identifier"]]) { change in
            var after = change["after"] as? [String: Any] ?? [:]
            after["database_name"] = "canary-db-name-after"
            after["cluster_identifier"] = nil
            change["after"] = after
            var unknown = change["after_unknown"] as? [String: Any] ?? [:]
            unknown["cluster_identifier"] = true
            change["after_unknown"] = unknown
        }
        let message = Self.messages("MIG008", try RuleHarness.evaluation(text, .fullLoad).findings, about: Examples.target).first ?? ""
        XCTAssertTrue(message.hasSuffix("; revert the changes to database_name ((sensitive) → (sensitive)), "
            + "cluster_identifier (\"app-core\" → (known after apply)) that force the replacement"), message)
        XCTAssertFalse(message.contains("canary"), message)
        XCTAssertFalse(message.contains("\"app\""), message)
    }

    func testManyPathsListThreeAndCountTheRest() throws {
        let plan = Examples.healthy(.fullLoad).withActions(Examples.target, ["delete", "create"])
        let paths: [[Any]] = [["database_name"], ["engine"], ["master_username"], ["port"], ["storage_encrypted"]]
        let message = Self.messages("MIG008", try RuleHarness.evaluation(try Self.withReplacePaths(plan, Examples.target, paths), .fullLoad).findings,
                                    about: Examples.target).first ?? ""
        XCTAssertTrue(message.contains("revert the changes to database_name (\"app\" → \"app\"), engine (\"aurora-postgresql\" → "
            + "\"aurora-postgresql\"), master_username (\"app\" → \"app\") and 2 more that force the replacement"), message)
        XCTAssertFalse(message.contains("port"), message)
    }

    func testIndexStepsRenderAsTerraformWritesThem() {
        XCTAssertEqual(ReplacementCause.pathText([.attribute("rotation_rules"), .index(0), .attribute("automatically_after_days")]),
                       "rotation_rules[0].automatically_after_days")
        XCTAssertEqual(ReplacementCause.pathText([.attribute("tags"), .key("team")]), "tags[\"team\"]")
        XCTAssertEqual(ReplacementCause.pathText([.attribute("odd name\n")]), "[\"odd name\\n\"]")
    }

    func testAHostilePathIsEscapedAndCut() throws {
        let plan = Examples.healthy(.fullLoad).withActions(Examples.target, ["delete", "create"])
        let name = "x\n::error::" + String(repeating: "y", count: 500)
        let message = Self.messages("MIG008", try RuleHarness.evaluation(try Self.withReplacePaths(plan, Examples.target, [[name]]), .fullLoad).findings,
                                    about: Examples.target).first ?? ""
        XCTAssertTrue(message.contains("revert the change to [\"x\\n::error::yyy"), message)
        XCTAssertTrue(message.contains("… (not set → not set) that forces the replacement"), message)
        XCTAssertFalse(message.contains("\n"), message)
        XCTAssertLessThan(message.count, 400)
    }

    func testAReplacementWithoutPathsSaysWhatElseForcesIt() throws {
        let plan = Examples.healthy(.fullLoad).withActions(Examples.target, ["delete", "create"])
        let message = Self.messages("MIG008", try RuleHarness.evaluation(plan.planJSON, .fullLoad).findings, about: Examples.target).first ?? ""
        XCTAssertTrue(message.hasSuffix("; undo the -replace, taint or replace_triggered_by forcing it"), message)
    }

    func testReplacePathsOfTheWrongTypeAreBadInputWithAPosition() throws {
        let plan = Examples.healthy(.fullLoad).withActions(Examples.target, ["delete", "create"])
        for (paths, fragment) in [("\"database_name\"" as Any, "replace_paths: expected an array"),
                                  (["database_name"] as Any, "replace_paths[0]: expected an array of path steps"),
                                  ([["database_name", true]] as Any, "replace_paths[0][1]: expected a string (attribute or key) or a number (list index), found"),
                                  ([["rotation_rules", -1]] as Any, "replace_paths[0][1]: expected a list index (a whole number from 0), found -1"),
                                  ([["rotation_rules", 1.5]] as Any, "replace_paths[0][1]: expected a list index")] {
            let text = try Self.withReplacePaths(plan, Examples.target, paths)
            XCTAssertThrowsError(try TerraformReader.read(text: text, file: "advice.json", expecting: .plan), "\(paths)") { error in
                let input = error as? InputError
                XCTAssertNotNil(input?.position, "\(error)")
                XCTAssertTrue("\(error)".contains(fragment), "\(error)")
            }
        }
    }
}
