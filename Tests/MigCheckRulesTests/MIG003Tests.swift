import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// MIG003 source-logical-replication: edge cases beyond its examples.
final class MIG003Tests: XCTestCase {
    typealias Examples = MigrationExamples

    func testPrepareGetsAnInformationalRebootNote() throws {
        let findings = try RuleHarness.findings("MIG003", json: Examples.healthy(.prepare).planJSON, .prepare)
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
        let findings = try RuleHarness.findings("MIG003", json: plan.planJSON, .fullLoad)
        XCTAssertEqual(findings.map(\.severity), [.note], "\(findings.map(\.message))")
        XCTAssertTrue(findings.first?.message.contains("changes rds.logical_replication") == true)
    }

    func testNoRebootNoteWithoutAChangeOrOnAState() throws {
        XCTAssertEqual(try RuleHarness.findings("MIG003", json: Examples.healthy(.fullLoad).planJSON, .fullLoad), [])
        XCTAssertEqual(try RuleHarness.findings("MIG003", json: Examples.healthy(.prepare).stateJSON, .prepare, state: true), [])
        // A group that only changes another parameter needs no reboot for logical replication.
        let other = Examples.healthy(.fullLoad)
            .setting(Examples.sourceGroup, "parameter", to: [["apply_method": "pending-reboot", "name": "rds.logical_replication", "value": "1"]])
            .withActions(Examples.sourceGroup, ["update"])
        XCTAssertEqual(try RuleHarness.findings("MIG003", json: other.planJSON, .fullLoad), [])
    }

    func testApplyMethodUnsetDefaultsToImmediate() throws {
        let plan = Examples.healthy(.fullLoad).setting(Examples.sourceGroup, "parameter", to: [
            ["name": "rds.logical_replication", "value": "1"],
        ])
        let findings = try RuleHarness.findings("MIG003", json: plan.planJSON, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertTrue(findings.first?.message.contains("defaults to \"immediate\"") == true)
    }

    func testLogicalReplicationAsANumberPasses() throws {
        let plan = Examples.healthy(.cutover).setting(Examples.sourceGroup, "parameter", to: [
            ["apply_method": "pending-reboot", "name": "rds.logical_replication", "value": 1],
        ])
        XCTAssertEqual(try RuleHarness.findings("MIG003", json: plan.planJSON, .cutover), [])
    }

    func testLogicalReplicationValueUnknownIsOpen() throws {
        let plan = try RuleHarness.patching(Examples.healthy(.fullLoad).planJSON, Examples.sourceGroup) { change in
            change["after"] = RuleHarness.replacing(change["after"], "parameter", with: [["apply_method": "pending-reboot", "name": "rds.logical_replication"]])
            change["after_unknown"] = ["parameter": [["value": true]]]
        }
        XCTAssertEqual(try RuleHarness.findings("MIG003", json: plan, .fullLoad).map(\.kind), [.open])
    }

    func testSourceGroupOutsideThePlanIsOpenButDefaultFails() throws {
        let elsewhere = Examples.healthy(.fullLoad)
            .removing(Examples.sourceGroup)
            .setting(Examples.source, "db_cluster_parameter_group_name", to: "shared-logical", beforeToo: true)
            .settingReferences(Examples.source, "db_cluster_parameter_group_name", to: nil)
        XCTAssertEqual(try RuleHarness.findings("MIG003", json: elsewhere.planJSON, .fullLoad).map(\.kind), [.open])

        let unset = Examples.healthy(.fullLoad)
            .removing(Examples.sourceGroup)
            .setting(Examples.source, "db_cluster_parameter_group_name", to: nil, beforeToo: true)
            .settingReferences(Examples.source, "db_cluster_parameter_group_name", to: nil)
        let findings = try RuleHarness.findings("MIG003", json: unset.planJSON, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertTrue(findings.first?.message.contains("default parameter group") == true)
    }

    func testLogicalReplicationWithoutSourceIsOpen() throws {
        let plan = Examples.healthy(.cutover).removing(Examples.source).removing(Examples.sourceGroup)
        let findings = try RuleHarness.findings("MIG003", json: plan.planJSON, .cutover)
        XCTAssertEqual(findings.map(\.kind), [.open], "\(findings.map(\.message))")
        XCTAssertTrue(findings.first?.message.contains("no source cluster") == true)
    }
}
