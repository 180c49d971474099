import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckCLI

/// MIG002 target-replication-role, MIG003 source-logical-replication, MIG004 target-promotion-tier,
/// MIG005 instance-count: edge cases beyond the rules' own examples.
final class RulesReplicationAndInstancesTests: XCTestCase {
    typealias Examples = MigrationExamples

    // MARK: - MIG002 target-replication-role

    func testReplicationRoleValueUnknownUntilApplyIsOpen() throws {
        let plan = try Self.patching(Examples.healthy(.prepare).planJSON, Examples.targetGroup) { change in
            change["after"] = Self.replacing(change["after"], "parameter", with: [["apply_method": "immediate", "name": "session_replication_role"]])
            change["after_unknown"] = ["parameter": [["value": true]]]
        }
        let findings = try Self.findings("MIG002", plan, .prepare)
        XCTAssertEqual(findings.map(\.kind), [.open], "\(findings.map(\.message))")
        XCTAssertTrue(findings.first?.message.contains("unknown until apply") == true)
        XCTAssertEqual(findings.first?.address, Examples.targetGroup)
    }

    func testReplicationRoleParameterEntryUnknownIsOpenNotMissing() throws {
        // A whole set element unknown until apply: its name cannot be read, so "not set" cannot be concluded.
        let plan = try Self.patching(Examples.healthy(.fullLoad).planJSON, Examples.targetGroup) { change in
            change["after"] = Self.replacing(change["after"], "parameter", with: [[:]])
            change["after_unknown"] = ["parameter": [true]]
        }
        let findings = try Self.findings("MIG002", plan, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.open], "\(findings.map(\.message))")
    }

    func testReplicationRoleSensitiveValueIsComparedWithoutPrinting() throws {
        let replica = try Self.patching(Examples.healthy(.fullLoad).planJSON, Examples.targetGroup) { change in
            change["after_sensitive"] = ["parameter": [["value": true]]]
        }
        XCTAssertEqual(try Self.findings("MIG002", replica, .fullLoad), [])

        let origin = try Self.patching(Examples.healthy(.fullLoad)
            .setting(Examples.targetGroup, "parameter", to: [["apply_method": "immediate", "name": "session_replication_role", "value": "origin"]])
            .planJSON, Examples.targetGroup) { change in
            change["after_sensitive"] = ["parameter": [["value": true]]]
        }
        let findings = try Self.findings("MIG002", origin, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertTrue(findings.first?.message.contains("a sensitive value") == true)
        XCTAssertFalse(findings.first?.message.contains("origin\"") == true, "must not print the sensitive value")
    }

    /// A sensitive value can be compared: MIG001 judges a sensitive engine_version without
    /// printing it, and MIG006 judges a sensitive schedule (it used to report it open: sensitive is not unknown).
    func testSensitiveValuesAreComparedOrNamedAsSensitive() throws {
        let same = try Self.patching(Examples.healthy(.prepare).planJSON, Examples.target) { change in
            change["after_sensitive"] = ["engine_version": true]
        }
        XCTAssertEqual(try Self.findings("MIG001", same, .prepare).map(\.message), [])

        let other = try Self.patching(Examples.healthy(.prepare).setting(Examples.target, "engine_version", to: "15.4").planJSON,
                                      Examples.target) { change in
            change["after_sensitive"] = ["engine_version": true]
        }
        let differs = try Self.findings("MIG001", other, .prepare).filter { $0.message.contains("target engine_version") }
        XCTAssertEqual(differs.map(\.kind), [.fail], "\(differs.map(\.message))")
        XCTAssertTrue(differs.first?.message.contains(SensitiveValue.placeholder) == true, "\(differs.map(\.message))")
        XCTAssertFalse(differs.first?.message.contains("15.4") == true, "must not print the sensitive value")

        let rotation = try Self.patching(Examples.healthy(.prepare).planJSON, Examples.targetRotation) { change in
            change["after_sensitive"] = ["rotation_rules": [["schedule_expression": true]]]
        }
        let judged = try Self.findings("MIG006", rotation, .prepare).filter { $0.address == Examples.targetRotation }
        XCTAssertEqual(judged.map(\.message), [], "a sensitive 400-day schedule passes")

        let short = try Self.patching(Examples.healthy(.prepare).setting(Examples.targetRotation, "rotation_rules",
                                                                         to: RotationWindowRule.schedule("rate(31 days)")).planJSON,
                                      Examples.targetRotation) { change in
            change["after_sensitive"] = ["rotation_rules": [["schedule_expression": true]]]
        }
        let failing = try Self.findings("MIG006", short, .prepare).filter { $0.address == Examples.targetRotation }
        XCTAssertEqual(failing.map(\.kind), [.fail], "\(failing.map(\.message))")
        XCTAssertTrue(failing.first?.message.contains("sensitive") == true, "\(failing.map(\.message))")
        XCTAssertFalse(failing.contains { $0.message.contains("31") }, "must not print the sensitive value: \(failing.map(\.message))")
    }

    /// A sensitive parameter set is judged (it used to be reported open: sensitive is not unknown).
    func testReplicationRoleSensitiveParameterSetIsJudged() throws {
        XCTAssertEqual(try Self.findings("MIG002", Examples.healthy(.prepare).markingSensitive(Examples.targetGroup, "parameter").planJSON,
                                         .prepare).map(\.kind), [])
        let origin = Examples.healthy(.prepare)
            .setting(Examples.targetGroup, "parameter", to: [["apply_method": "immediate", "name": "session_replication_role", "value": "origin"]])
            .markingSensitive(Examples.targetGroup, "parameter")
        let findings = try Self.findings("MIG002", origin.planJSON, .prepare)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertFalse(findings.contains { $0.message.contains("\"origin\"") }, "must not print the sensitive value: \(findings.map(\.message))")
    }

    func testTargetLeavingTheGroupNameUnsetGetsTheDefaultGroup() throws {
        // No db_cluster_parameter_group_name in the configuration: the value is computed, and AWS attaches the default.
        let plan = Examples.healthy(.prepare)
            .removing(Examples.targetGroup)
            .markingUnknown(Examples.target, "db_cluster_parameter_group_name")
            .settingReferences(Examples.target, "db_cluster_parameter_group_name", to: nil)
        let findings = try Self.findings("MIG002", plan.planJSON, .prepare)
        XCTAssertEqual(findings.map(\.kind), [.fail], "\(findings.map(\.message))")
        XCTAssertTrue(findings.first?.message.contains("default parameter group") == true)
        XCTAssertEqual(findings.first?.address, Examples.target)
        // The same target is fine from cutover on: the default is origin.
        XCTAssertEqual(try Self.findings("MIG002", plan.planJSON, .cutover), [])
    }

    func testTargetGroupNameFromOutsideThePlanIsOpen() throws {
        let unknownName = Examples.healthy(.prepare)
            .removing(Examples.targetGroup)
            .markingUnknown(Examples.target, "db_cluster_parameter_group_name")
            .settingReferences(Examples.target, "db_cluster_parameter_group_name", to: ["var.target_parameter_group"])
        XCTAssertEqual(try Self.findings("MIG002", unknownName.planJSON, .prepare).map(\.kind), [.open])

        let namedElsewhere = Examples.healthy(.cutover)
            .removing(Examples.targetGroup)
            .setting(Examples.target, "db_cluster_parameter_group_name", to: "shared-team-group", beforeToo: true)
            .settingReferences(Examples.target, "db_cluster_parameter_group_name", to: nil)
        for phase in Phase.allCases {
            let findings = try Self.findings("MIG002", namedElsewhere.planJSON, phase)
            XCTAssertEqual(findings.map(\.kind), [.open], "\(phase)")
            XCTAssertTrue(findings.first?.message.contains("\"shared-team-group\"") == true)
        }
    }

    func testReplicationRoleCaseDoesNotMatter() throws {
        let plan = Examples.healthy(.cutover).setting(Examples.targetGroup, "parameter", to: [
            ["apply_method": "immediate", "name": "session_replication_role", "value": "Origin"],
        ])
        XCTAssertEqual(try Self.findings("MIG002", plan.planJSON, .cutover), [])
    }

    func testReplicationRoleLocalFailsDuringTheFullLoad() throws {
        let plan = Examples.healthy(.fullLoad).setting(Examples.targetGroup, "parameter", to: [
            ["apply_method": "immediate", "name": "session_replication_role", "value": "local"],
        ])
        XCTAssertEqual(try Self.findings("MIG002", plan.planJSON, .fullLoad).map(\.kind), [.fail])
    }

    func testReplicationRoleOnStates() throws {
        let fullLoad = Examples.healthy(.fullLoad).stateJSON
        XCTAssertEqual(try Self.findings("MIG002", fullLoad, .fullLoad, state: true), [])
        // The same state judged as cutover: replica must be gone by then.
        XCTAssertEqual(try Self.findings("MIG002", fullLoad, .cutover, state: true).map(\.kind), [.fail])
        XCTAssertEqual(try Self.findings("MIG002", Examples.healthy(.cleanup).stateJSON, .cleanup, state: true), [])
    }

    func testReplicationRoleWithoutTargetIsOpen() throws {
        let findings = try Self.findings("MIG002", Self.withoutTarget(.fullLoad).planJSON, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.open])
        XCTAssertNil(findings.first?.address)
    }

    // MARK: - MIG003 source-logical-replication

    func testPrepareGetsAnInformationalRebootNote() throws {
        let findings = try Self.findings("MIG003", Examples.healthy(.prepare).planJSON, .prepare)
        XCTAssertEqual(findings.count, 1, "\(findings.map(\.message))")
        XCTAssertEqual(findings.first?.severity, .note)
        XCTAssertEqual(findings.first?.address, Examples.source)
        XCTAssertTrue(findings.first?.message.contains("\"default.aurora-postgresql16\" to \"app-legacy-logical-replication\"") == true)
        XCTAssertTrue(findings.first?.message.contains("fail over") == true)
    }

    func testChangingTheParameterInPlaceGetsTheRebootNote() throws {
        let plan = Examples.healthy(.fullLoad)
            .settingBefore(Examples.sourceGroup, "parameter", to: [["apply_method": "pending-reboot", "name": "rds.logical_replication", "value": "0"]])
            .withActions(Examples.sourceGroup, ["update"])
        let findings = try Self.findings("MIG003", plan.planJSON, .fullLoad)
        XCTAssertEqual(findings.map(\.severity), [.note], "\(findings.map(\.message))")
        XCTAssertTrue(findings.first?.message.contains("changes rds.logical_replication") == true)
    }

    func testNoRebootNoteWithoutAChangeOrOnAState() throws {
        XCTAssertEqual(try Self.findings("MIG003", Examples.healthy(.fullLoad).planJSON, .fullLoad), [])
        XCTAssertEqual(try Self.findings("MIG003", Examples.healthy(.prepare).stateJSON, .prepare, state: true), [])
        // A group that only changes another parameter needs no reboot for logical replication.
        let other = Examples.healthy(.fullLoad)
            .setting(Examples.sourceGroup, "parameter", to: [["apply_method": "pending-reboot", "name": "rds.logical_replication", "value": "1"]])
            .withActions(Examples.sourceGroup, ["update"])
        XCTAssertEqual(try Self.findings("MIG003", other.planJSON, .fullLoad), [])
    }

    func testApplyMethodUnsetDefaultsToImmediate() throws {
        let plan = Examples.healthy(.fullLoad).setting(Examples.sourceGroup, "parameter", to: [
            ["name": "rds.logical_replication", "value": "1"],
        ])
        let findings = try Self.findings("MIG003", plan.planJSON, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertTrue(findings.first?.message.contains("defaults to \"immediate\"") == true)
    }

    func testLogicalReplicationAsANumberPasses() throws {
        let plan = Examples.healthy(.cutover).setting(Examples.sourceGroup, "parameter", to: [
            ["apply_method": "pending-reboot", "name": "rds.logical_replication", "value": 1],
        ])
        XCTAssertEqual(try Self.findings("MIG003", plan.planJSON, .cutover), [])
    }

    func testLogicalReplicationValueUnknownIsOpen() throws {
        let plan = try Self.patching(Examples.healthy(.fullLoad).planJSON, Examples.sourceGroup) { change in
            change["after"] = Self.replacing(change["after"], "parameter", with: [["apply_method": "pending-reboot", "name": "rds.logical_replication"]])
            change["after_unknown"] = ["parameter": [["value": true]]]
        }
        XCTAssertEqual(try Self.findings("MIG003", plan, .fullLoad).map(\.kind), [.open])
    }

    func testSourceGroupOutsideThePlanIsOpenButDefaultFails() throws {
        let elsewhere = Examples.healthy(.fullLoad)
            .removing(Examples.sourceGroup)
            .setting(Examples.source, "db_cluster_parameter_group_name", to: "shared-logical", beforeToo: true)
            .settingReferences(Examples.source, "db_cluster_parameter_group_name", to: nil)
        XCTAssertEqual(try Self.findings("MIG003", elsewhere.planJSON, .fullLoad).map(\.kind), [.open])

        let unset = Examples.healthy(.fullLoad)
            .removing(Examples.sourceGroup)
            .setting(Examples.source, "db_cluster_parameter_group_name", to: nil, beforeToo: true)
            .settingReferences(Examples.source, "db_cluster_parameter_group_name", to: nil)
        let findings = try Self.findings("MIG003", unset.planJSON, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertTrue(findings.first?.message.contains("default parameter group") == true)
    }

    func testLogicalReplicationWithoutSourceIsOpen() throws {
        let plan = Examples.healthy(.cutover).removing(Examples.source).removing(Examples.sourceGroup)
        let findings = try Self.findings("MIG003", plan.planJSON, .cutover)
        XCTAssertEqual(findings.map(\.kind), [.open], "\(findings.map(\.message))")
        XCTAssertTrue(findings.first?.message.contains("no source cluster") == true)
    }

    // MARK: - MIG004 target-promotion-tier

    func testPromotionTierAsStringAndOnAState() throws {
        let plan = Examples.healthy(.cutover).setting(Examples.targetInstances[0], "promotion_tier", to: "1")
        XCTAssertEqual(try Self.findings("MIG004", plan.planJSON, .cutover), [])
        let state = Examples.healthy(.fullLoad).setting(Examples.targetInstances[1], "promotion_tier", to: 0).stateJSON
        let findings = try Self.findings("MIG004", state, .fullLoad, state: true)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertEqual(findings.first?.address, Examples.targetInstances[1])
        XCTAssertTrue(findings.first?.message.contains("is 0") == true)
    }

    func testPromotionTierUnknownIsOpen() throws {
        let plan = Examples.healthy(.prepare).markingUnknown(Examples.targetInstances[1], "promotion_tier")
        let findings = try Self.findings("MIG004", plan.planJSON, .prepare)
        XCTAssertEqual(findings.map(\.kind), [.open])
        XCTAssertEqual(findings.first?.address, Examples.targetInstances[1])
    }

    func testPromotionTierWithoutTargetInstancesIsOpen() throws {
        let plan = Examples.healthy(.fullLoad).removing(Examples.targetInstances[0]).removing(Examples.targetInstances[1])
        let findings = try Self.findings("MIG004", plan.planJSON, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.open])
        XCTAssertEqual(findings.first?.address, Examples.target)
    }

    // MARK: - MIG005 instance-count

    func testSingleSourceInstanceIsAWarningOnlyBeforeCutover() throws {
        let plan = Examples.healthy(.fullLoad).removing(Examples.sourceInstances[1])
        let findings = try Self.findings("MIG005", plan.planJSON, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertEqual(findings.first?.severity, .warning)
        XCTAssertEqual(findings.first?.address, Examples.source)
        XCTAssertEqual(try Self.findings("MIG005", plan.planJSON, .cutover), [])
    }

    func testSingleTargetInstanceIsAnError() throws {
        let plan = Examples.healthy(.fullLoad).withActions(Examples.targetInstances[0], ["delete"])
        let findings = try Self.findings("MIG005", plan.planJSON, .fullLoad)
        XCTAssertEqual(findings.map(\.severity), [.error])
        XCTAssertTrue(findings.first?.message.contains("keeps 1 instance (\(Examples.targetInstances[1]))") == true,
                      "\(findings.map(\.message))")
    }

    func testUnattributedInstanceMakesAShortCountOpen() throws {
        let extra = ExampleResource("aws_rds_cluster_instance.extra", actions: ["create"], before: nil,
                                    after: ["identifier": "app-extra", "instance_class": "db.r6g.large", "promotion_tier": 1],
                                    unknown: ["cluster_identifier"])
        let plan = Examples.healthy(.prepare).removing(Examples.targetInstances[1]).adding(extra)
        let findings = try Self.findings("MIG005", plan.planJSON, .prepare)
        XCTAssertEqual(findings.map(\.kind), [.open, .open], "\(findings.map(\.message))")
        XCTAssertEqual(Set(findings.compactMap(\.address)), [Examples.target, "aws_rds_cluster_instance.extra"])
    }

    func testInstanceOfAnotherClusterIsIgnored() throws {
        let other = ExampleResource("aws_rds_cluster_instance.reporting", actions: ["no-op"],
                                    before: ["cluster_identifier": "reporting", "identifier": "reporting-1", "promotion_tier": 0],
                                    after: ["cluster_identifier": "reporting", "identifier": "reporting-1", "promotion_tier": 0])
        let plan = Examples.healthy(.fullLoad).adding(other)
        XCTAssertEqual(try Self.findings("MIG005", plan.planJSON, .fullLoad), [])
        XCTAssertEqual(try Self.findings("MIG004", plan.planJSON, .fullLoad), [])
    }

    func testInstanceCountOnAState() throws {
        let state = Examples.healthy(.cleanup).removing(Examples.targetInstances[1]).stateJSON
        let findings = try Self.findings("MIG005", state, .cleanup, state: true)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertTrue(findings.first?.message.contains("after this state") == true)
        XCTAssertEqual(try Self.findings("MIG005", Examples.healthy(.cleanup).stateJSON, .cleanup, state: true), [])
    }

    func testInstanceCountMissingClusters() throws {
        // The source is needed before cutover only.
        let noSource = Examples.healthy(.cutover).removing(Examples.source).removing(Examples.sourceGroup)
            .removing(Examples.sourceInstances[0]).removing(Examples.sourceInstances[1])
        XCTAssertEqual(try Self.findings("MIG005", noSource.planJSON, .cutover), [])
        XCTAssertEqual(try Self.findings("MIG005", noSource.planJSON, .fullLoad).map(\.kind), [.open])
        let noTarget = try Self.findings("MIG005", Self.withoutTarget(.fullLoad).planJSON, .fullLoad)
        XCTAssertEqual(noTarget.map(\.kind), [.open])
    }

    // MARK: - Helpers

    static func findings(_ ruleID: String, _ document: String, _ phase: Phase, state: Bool = false) throws -> [Finding] {
        let documents = try TerraformReader.read(text: document, file: "\(ruleID).json", expecting: state ? .state : .plan)
        let document = try XCTUnwrap(documents.first)
        let picture = try PictureBuilder.build(document)
        return Evaluator.evaluate(picture, phase: phase).findings.filter { $0.ruleID == ruleID }
    }

    /// A plan without the target cluster and everything attached to it.
    static func withoutTarget(_ phase: Phase) -> ExamplePlan {
        var plan = Examples.healthy(phase).removing(Examples.target).removing(Examples.targetGroup)
        for instance in Examples.targetInstances { plan = plan.removing(instance) }
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

    static func replacing(_ value: Any?, _ key: String, with replacement: Any) -> Any {
        var object = value as? [String: Any] ?? [:]
        object[key] = replacement
        return object
    }
}
