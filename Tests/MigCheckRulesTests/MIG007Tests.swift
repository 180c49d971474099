import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// MIG007 deletion-protection: edges beyond its examples.
final class MIG007Tests: XCTestCase {
    typealias Examples = MigrationExamples

    func testDeletionProtection() throws {
        // Destroying an unprotected cluster (prior state false or unset) is fine.
        let unset = Examples.healthy(.cleanup).settingBefore(Examples.source, "deletion_protection", to: nil)
        XCTAssertTrue(try RuleHarness.findings("MIG007", unset, .cleanup).isEmpty)
        // A protected source in the prior state blocks the destroy even if this plan "turns it off".
        let replaced = Examples.healthy(.fullLoad).withActions(Examples.source, ["create", "delete"])
            .setting(Examples.source, "deletion_protection", to: false)
        let result = try RuleHarness.findings("MIG007", replaced, .fullLoad)
        XCTAssertTrue(result.contains { $0.kind == .fail && $0.address == Examples.source && $0.message.contains("replaces") }, "\(result.map(\.message))")
        // Target without the attribute: AWS's default is false.
        let missing = try RuleHarness.findings("MIG007", Examples.healthy(.cutover).setting(Examples.target, "deletion_protection", to: nil, beforeToo: true), .cutover, state: true)
        XCTAssertTrue(missing.contains { $0.kind == .fail && $0.message.contains("defaults to false") }, "\(missing.map(\.message))")
        // A forgotten target is MIG008's business.
        XCTAssertTrue(try RuleHarness.findings("MIG007", Examples.healthy(.cutover).withActions(Examples.target, ["forget"]), .cutover).isEmpty)
        // Unknown until apply: open.
        let unknown = try RuleHarness.findings("MIG007", Examples.healthy(.prepare).markingUnknown(Examples.target, "deletion_protection"), .prepare)
        XCTAssertEqual(unknown.map(\.kind), [.open])
    }

    func testDeletionProtectionWithoutTarget() throws {
        let result = try RuleHarness.findings("MIG007", Examples.healthy(.cleanup).removing(Examples.target), .cleanup)
        XCTAssertTrue(result.contains { $0.kind == .open && $0.message.contains("no target cluster") }, "\(result.map(\.message))")
    }
}
