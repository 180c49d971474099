import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// MIG005 instance-count: edge cases beyond its examples.
final class MIG005Tests: XCTestCase {
    typealias Examples = MigrationExamples

    func testSingleSourceInstanceIsAWarningOnlyBeforeCutover() throws {
        let plan = Examples.healthy(.fullLoad).removing(Examples.sourceInstances[1])
        let findings = try RuleHarness.findings("MIG005", json: plan.planJSON, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertEqual(findings.first?.severity, .warning)
        XCTAssertEqual(findings.first?.address, Examples.source)
        XCTAssertEqual(try RuleHarness.findings("MIG005", json: plan.planJSON, .cutover), [])
    }

    func testSingleTargetInstanceIsAnError() throws {
        let plan = Examples.healthy(.fullLoad).withActions(Examples.targetInstances[0], ["delete"])
        let findings = try RuleHarness.findings("MIG005", json: plan.planJSON, .fullLoad)
        XCTAssertEqual(findings.map(\.severity), [.error])
        XCTAssertTrue(findings.first?.message.contains("keeps 1 instance (\(Examples.targetInstances[1]))") == true,
                      "\(findings.map(\.message))")
    }

    func testUnattributedInstanceMakesAShortCountOpen() throws {
        let extra = ExampleResource("aws_rds_cluster_instance.extra", actions: ["create"], before: nil,
                                    after: ["identifier": "app-extra", "instance_class": "db.r6g.large", "promotion_tier": 1],
                                    unknown: ["cluster_identifier"])
        let plan = Examples.healthy(.prepare).removing(Examples.targetInstances[1]).adding(extra)
        let findings = try RuleHarness.findings("MIG005", json: plan.planJSON, .prepare)
        XCTAssertEqual(findings.map(\.kind), [.open, .open], "\(findings.map(\.message))")
        XCTAssertEqual(Set(findings.compactMap(\.address)), [Examples.target, "aws_rds_cluster_instance.extra"])
    }

    func testInstanceOfAnotherClusterIsIgnored() throws {
        let other = ExampleResource("aws_rds_cluster_instance.reporting", actions: ["no-op"],
                                    before: ["cluster_identifier": "reporting", "identifier": "reporting-1", "promotion_tier": 0],
                                    after: ["cluster_identifier": "reporting", "identifier": "reporting-1", "promotion_tier": 0])
        let plan = Examples.healthy(.fullLoad).adding(other)
        XCTAssertEqual(try RuleHarness.findings("MIG005", json: plan.planJSON, .fullLoad), [])
        XCTAssertEqual(try RuleHarness.findings("MIG004", json: plan.planJSON, .fullLoad), [])
    }

    func testInstanceCountOnAState() throws {
        let state = Examples.healthy(.cleanup).removing(Examples.targetInstances[1]).stateJSON
        let findings = try RuleHarness.findings("MIG005", json: state, .cleanup, state: true)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertTrue(findings.first?.message.contains("after this state") == true)
        XCTAssertEqual(try RuleHarness.findings("MIG005", json: Examples.healthy(.cleanup).stateJSON, .cleanup, state: true), [])
    }

    func testInstanceCountMissingClusters() throws {
        // The source is needed before cutover only.
        let noSource = Examples.healthy(.cutover).removing(Examples.source).removing(Examples.sourceGroup)
            .removing(Examples.sourceInstances[0]).removing(Examples.sourceInstances[1])
        XCTAssertEqual(try RuleHarness.findings("MIG005", json: noSource.planJSON, .cutover), [])
        XCTAssertEqual(try RuleHarness.findings("MIG005", json: noSource.planJSON, .fullLoad).map(\.kind), [.open])
        let noTarget = try RuleHarness.findings("MIG005", json: RuleHarness.withoutTarget(.fullLoad).planJSON, .fullLoad)
        XCTAssertEqual(noTarget.map(\.kind), [.open])
    }
}
