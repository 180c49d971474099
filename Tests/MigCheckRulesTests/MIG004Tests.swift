import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// MIG004 target-promotion-tier: edge cases beyond its examples.
final class MIG004Tests: XCTestCase {
    typealias Examples = MigrationExamples

    func testPromotionTierAsStringAndOnAState() throws {
        let plan = Examples.healthy(.cutover).setting(Examples.targetInstances[0], "promotion_tier", to: "1")
        XCTAssertEqual(try RuleHarness.findings("MIG004", json: plan.planJSON, .cutover), [])
        let state = Examples.healthy(.fullLoad).setting(Examples.targetInstances[1], "promotion_tier", to: 0).stateJSON
        let findings = try RuleHarness.findings("MIG004", json: state, .fullLoad, state: true)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertEqual(findings.first?.address, Examples.targetInstances[1])
        XCTAssertTrue(findings.first?.message.contains("is 0") == true)
    }

    func testPromotionTierUnknownIsOpen() throws {
        let plan = Examples.healthy(.prepare).markingUnknown(Examples.targetInstances[1], "promotion_tier")
        let findings = try RuleHarness.findings("MIG004", json: plan.planJSON, .prepare)
        XCTAssertEqual(findings.map(\.kind), [.open])
        XCTAssertEqual(findings.first?.address, Examples.targetInstances[1])
    }

    func testPromotionTierWithoutTargetInstancesIsOpen() throws {
        let plan = Examples.healthy(.fullLoad).removing(Examples.targetInstances[0]).removing(Examples.targetInstances[1])
        let findings = try RuleHarness.findings("MIG004", json: plan.planJSON, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.open])
        XCTAssertEqual(findings.first?.address, Examples.target)
    }
}
