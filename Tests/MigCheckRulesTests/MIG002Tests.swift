import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// MIG002 target-replication-role: edge cases beyond its examples.
final class MIG002Tests: XCTestCase {
    typealias Examples = MigrationExamples

    func testReplicationRoleValueUnknownUntilApplyIsOpen() throws {
        let plan = try RuleHarness.patching(Examples.healthy(.prepare).planJSON, Examples.targetGroup) { change in
            change["after"] = RuleHarness.replacing(change["after"], "parameter", with: [["apply_method": "immediate", "name": "session_replication_role"]])
            change["after_unknown"] = ["parameter": [["value": true]]]
        }
        let findings = try RuleHarness.findings("MIG002", json: plan, .prepare)
        XCTAssertEqual(findings.map(\.kind), [.open], "\(findings.map(\.message))")
        XCTAssertTrue(findings.first?.message.contains("unknown until apply") == true)
        XCTAssertEqual(findings.first?.address, Examples.targetGroup)
    }

    func testReplicationRoleParameterEntryUnknownIsOpenNotMissing() throws {
        // A whole set element unknown until apply: its name cannot be read, so "not set" cannot be concluded.
        let plan = try RuleHarness.patching(Examples.healthy(.fullLoad).planJSON, Examples.targetGroup) { change in
            change["after"] = RuleHarness.replacing(change["after"], "parameter", with: [[:]])
            change["after_unknown"] = ["parameter": [true]]
        }
        let findings = try RuleHarness.findings("MIG002", json: plan, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.open], "\(findings.map(\.message))")
    }

    func testReplicationRoleSensitiveValueIsComparedWithoutPrinting() throws {
        let replica = try RuleHarness.patching(Examples.healthy(.fullLoad).planJSON, Examples.targetGroup) { change in
            change["after_sensitive"] = ["parameter": [["value": true]]]
        }
        XCTAssertEqual(try RuleHarness.findings("MIG002", json: replica, .fullLoad), [])

        let origin = try RuleHarness.patching(Examples.healthy(.fullLoad)
            .setting(Examples.targetGroup, "parameter", to: [["apply_method": "immediate", "name": "session_replication_role", "value": "origin"]])
            .planJSON, Examples.targetGroup) { change in
            change["after_sensitive"] = ["parameter": [["value": true]]]
        }
        let findings = try RuleHarness.findings("MIG002", json: origin, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertTrue(findings.first?.message.contains("a sensitive value") == true)
        XCTAssertFalse(findings.first?.message.contains("origin\"") == true, "must not print the sensitive value")
    }

    /// A sensitive value can be compared: MIG001 judges a sensitive engine_version without
    /// printing it, and MIG006 judges a sensitive schedule (it used to report it open: sensitive is not unknown).
    func testSensitiveValuesAreComparedOrNamedAsSensitive() throws {
        let same = try RuleHarness.patching(Examples.healthy(.prepare).planJSON, Examples.target) { change in
            change["after_sensitive"] = ["engine_version": true]
        }
        XCTAssertEqual(try RuleHarness.findings("MIG001", json: same, .prepare).map(\.message), [])

        let other = try RuleHarness.patching(Examples.healthy(.prepare).setting(Examples.target, "engine_version", to: "15.4").planJSON,
                                      Examples.target) { change in
            change["after_sensitive"] = ["engine_version": true]
        }
        let differs = try RuleHarness.findings("MIG001", json: other, .prepare).filter { $0.message.contains("target engine_version") }
        XCTAssertEqual(differs.map(\.kind), [.fail], "\(differs.map(\.message))")
        XCTAssertTrue(differs.first?.message.contains(SensitiveValue.placeholder) == true, "\(differs.map(\.message))")
        XCTAssertFalse(differs.first?.message.contains("15.4") == true, "must not print the sensitive value")

        let rotation = try RuleHarness.patching(Examples.healthy(.prepare).planJSON, Examples.targetRotation) { change in
            change["after_sensitive"] = ["rotation_rules": [["schedule_expression": true]]]
        }
        let judged = try RuleHarness.findings("MIG006", json: rotation, .prepare).filter { $0.address == Examples.targetRotation }
        XCTAssertEqual(judged.map(\.message), [], "a sensitive 400-day schedule passes")

        let short = try RuleHarness.patching(Examples.healthy(.prepare).setting(Examples.targetRotation, "rotation_rules",
                                                                         to: RotationWindowRule.schedule("rate(31 days)")).planJSON,
                                      Examples.targetRotation) { change in
            change["after_sensitive"] = ["rotation_rules": [["schedule_expression": true]]]
        }
        let failing = try RuleHarness.findings("MIG006", json: short, .prepare).filter { $0.address == Examples.targetRotation }
        XCTAssertEqual(failing.map(\.kind), [.fail], "\(failing.map(\.message))")
        XCTAssertTrue(failing.first?.message.contains("sensitive") == true, "\(failing.map(\.message))")
        XCTAssertFalse(failing.contains { $0.message.contains("31") }, "must not print the sensitive value: \(failing.map(\.message))")
    }

    /// A sensitive parameter set is judged (it used to be reported open: sensitive is not unknown).
    func testReplicationRoleSensitiveParameterSetIsJudged() throws {
        XCTAssertEqual(try RuleHarness.findings("MIG002", json: Examples.healthy(.prepare).markingSensitive(Examples.targetGroup, "parameter").planJSON,
                                         .prepare).map(\.kind), [])
        let origin = Examples.healthy(.prepare)
            .setting(Examples.targetGroup, "parameter", to: [["apply_method": "immediate", "name": "session_replication_role", "value": "origin"]])
            .markingSensitive(Examples.targetGroup, "parameter")
        let findings = try RuleHarness.findings("MIG002", json: origin.planJSON, .prepare)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertFalse(findings.contains { $0.message.contains("\"origin\"") }, "must not print the sensitive value: \(findings.map(\.message))")
    }

    func testTargetLeavingTheGroupNameUnsetGetsTheDefaultGroup() throws {
        // No db_cluster_parameter_group_name in the configuration: the value is computed, and AWS attaches the default.
        let plan = Examples.healthy(.prepare)
            .removing(Examples.targetGroup)
            .markingUnknown(Examples.target, "db_cluster_parameter_group_name")
            .settingReferences(Examples.target, "db_cluster_parameter_group_name", to: nil)
        let findings = try RuleHarness.findings("MIG002", json: plan.planJSON, .prepare)
        XCTAssertEqual(findings.map(\.kind), [.fail], "\(findings.map(\.message))")
        XCTAssertTrue(findings.first?.message.contains("default parameter group") == true)
        XCTAssertEqual(findings.first?.address, Examples.target)
        // The same target is fine from cutover on: the default is origin.
        XCTAssertEqual(try RuleHarness.findings("MIG002", json: plan.planJSON, .cutover), [])
    }

    func testTargetGroupNameFromOutsideThePlanIsOpen() throws {
        let unknownName = Examples.healthy(.prepare)
            .removing(Examples.targetGroup)
            .markingUnknown(Examples.target, "db_cluster_parameter_group_name")
            .settingReferences(Examples.target, "db_cluster_parameter_group_name", to: ["var.target_parameter_group"])
        XCTAssertEqual(try RuleHarness.findings("MIG002", json: unknownName.planJSON, .prepare).map(\.kind), [.open])

        let namedElsewhere = Examples.healthy(.cutover)
            .removing(Examples.targetGroup)
            .setting(Examples.target, "db_cluster_parameter_group_name", to: "shared-team-group", beforeToo: true)
            .settingReferences(Examples.target, "db_cluster_parameter_group_name", to: nil)
        for phase in Phase.allCases {
            let findings = try RuleHarness.findings("MIG002", json: namedElsewhere.planJSON, phase)
            XCTAssertEqual(findings.map(\.kind), [.open], "\(phase)")
            XCTAssertTrue(findings.first?.message.contains("\"shared-team-group\"") == true)
        }
    }

    func testReplicationRoleCaseDoesNotMatter() throws {
        let plan = Examples.healthy(.cutover).setting(Examples.targetGroup, "parameter", to: [
            ["apply_method": "immediate", "name": "session_replication_role", "value": "Origin"],
        ])
        XCTAssertEqual(try RuleHarness.findings("MIG002", json: plan.planJSON, .cutover), [])
    }

    func testReplicationRoleLocalFailsDuringTheFullLoad() throws {
        let plan = Examples.healthy(.fullLoad).setting(Examples.targetGroup, "parameter", to: [
            ["apply_method": "immediate", "name": "session_replication_role", "value": "local"],
        ])
        XCTAssertEqual(try RuleHarness.findings("MIG002", json: plan.planJSON, .fullLoad).map(\.kind), [.fail])
    }

    func testReplicationRoleOnStates() throws {
        let fullLoad = Examples.healthy(.fullLoad).stateJSON
        XCTAssertEqual(try RuleHarness.findings("MIG002", json: fullLoad, .fullLoad, state: true), [])
        // The same state judged as cutover: replica must be gone by then.
        XCTAssertEqual(try RuleHarness.findings("MIG002", json: fullLoad, .cutover, state: true).map(\.kind), [.fail])
        XCTAssertEqual(try RuleHarness.findings("MIG002", json: Examples.healthy(.cleanup).stateJSON, .cleanup, state: true), [])
    }

    func testReplicationRoleWithoutTargetIsOpen() throws {
        let findings = try RuleHarness.findings("MIG002", json: RuleHarness.withoutTarget(.fullLoad).planJSON, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.open])
        XCTAssertNil(findings.first?.address)
    }
}
