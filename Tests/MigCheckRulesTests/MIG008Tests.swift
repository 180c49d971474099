import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// MIG008 no-data-loss: edges beyond its examples.
final class MIG008Tests: XCTestCase {
    typealias Examples = MigrationExamples

    func testNoDataLoss() throws {
        let forgotten = try RuleHarness.findings("MIG008", Examples.healthy(.fullLoad).withActions(Examples.targetInstances[1], ["forget"]), .fullLoad)
        XCTAssertEqual(forgotten.map(\.severity), [.warning])
        XCTAssertEqual(forgotten.first?.kind, .fail)
        let sourceForgotten = try RuleHarness.findings("MIG008", Examples.healthy(.cutover).withActions(Examples.source, ["forget"]), .cutover)
        XCTAssertTrue(sourceForgotten.first?.message.contains("cleanup cannot destroy it") == true, "\(sourceForgotten.map(\.message))")
        // Destroying (even replacing) the source in cleanup is not this rule's business.
        XCTAssertTrue(try RuleHarness.findings("MIG008", Examples.healthy(.cleanup).withActions(Examples.source, ["delete", "create"]), .cleanup).isEmpty)
        // Replacing the target while forgetting the old one (["create","forget"]) still leaves an empty target.
        let forgetReplace = try RuleHarness.findings("MIG008", Examples.healthy(.fullLoad).withActions(Examples.target, ["create", "forget"]), .fullLoad)
        XCTAssertEqual(forgetReplace.map(\.severity), [.error])
        XCTAssertTrue(forgetReplace.first?.message.contains("forgets the old one") == true, "\(forgetReplace.map(\.message))")
        // A target instance deleted in cleanup is still an error.
        let instance = try RuleHarness.findings("MIG008", Examples.healthy(.cleanup).withActions(Examples.targetInstances[0], ["delete"]), .cleanup)
        XCTAssertEqual(instance.map(\.severity), [.error])
        XCTAssertEqual(instance.first?.address, Examples.targetInstances[0])
        // On a state nothing is planned, not even a missing cluster is worth a finding.
        XCTAssertTrue(try RuleHarness.findings("MIG008", Examples.healthy(.fullLoad), .fullLoad, state: true).isEmpty)
        XCTAssertTrue(try RuleHarness.findings("MIG008", Examples.healthy(.fullLoad).removing(Examples.source), .fullLoad, state: true).isEmpty)
    }

    func testNoDataLossWithoutSource() throws {
        let before = try RuleHarness.findings("MIG008", Examples.healthy(.fullLoad).removing(Examples.source), .fullLoad)
        XCTAssertTrue(before.contains { $0.kind == .open && $0.message.contains("no source cluster") }, "\(before.map(\.message))")
        // After cleanup the source is gone: nothing to say.
        XCTAssertTrue(try RuleHarness.findings("MIG008", Examples.healthy(.cleanup).removing(Examples.source), .cleanup).isEmpty)
    }
}
