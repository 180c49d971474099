import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// MIG009 final-snapshot: edges beyond its examples.
final class MIG009Tests: XCTestCase {
    typealias Examples = MigrationExamples

    func testFinalSnapshot() throws {
        // Unset skip_final_snapshot is the provider's default, false; an empty identifier is no identifier.
        let unset = Examples.healthy(.cleanup).settingBefore(Examples.source, "skip_final_snapshot", to: nil)
            .settingBefore(Examples.source, "final_snapshot_identifier", to: "")
        let refused = try RuleHarness.findings("MIG009", unset, .cleanup)
        XCTAssertEqual(refused.map(\.severity), [.error])
        XCTAssertTrue(refused.first?.message.contains("skip_final_snapshot = unset (false)") == true, "\(refused.map(\.message))")
        XCTAssertTrue(refused.first?.message.contains("set final_snapshot_identifier in an earlier deploy") == true)
        // Any phase whose plan destroys a cluster is judged.
        let early = Examples.healthy(.prepare).withActions(Examples.source, ["delete"]).settingBefore(Examples.source, "skip_final_snapshot", to: true)
        XCTAssertEqual(try RuleHarness.findings("MIG009", early, .prepare).map(\.severity), [.warning])
        // A clean destroy before cleanup (MIG008 objects, not MIG009).
        XCTAssertTrue(try RuleHarness.findings("MIG009", Examples.healthy(.fullLoad).withActions(Examples.source, ["delete"]), .fullLoad).isEmpty)
    }

    func testFinalSnapshotReadinessInCleanup() throws {
        // The first cleanup deploy keeps the source; an identifier known only after apply is open.
        let unknown = Examples.healthy(.cleanup).withActions(Examples.source, ["update"])
            .markingUnknown(Examples.source, "final_snapshot_identifier")
        let result = try RuleHarness.findings("MIG009", unknown, .cleanup)
        XCTAssertEqual(result.map(\.kind), [.open], "\(result.map(\.message))")
        // On a state the source that is still there is judged for the deploy that destroys it.
        let state = Examples.healthy(.cutover).setting(Examples.source, "skip_final_snapshot", to: true, beforeToo: true)
        let warning = try RuleHarness.findings("MIG009", state, .cleanup, state: true)
        XCTAssertEqual(warning.map(\.severity), [.warning])
        XCTAssertEqual(warning.first?.kind, .fail)
        // Before cleanup a kept source is not judged.
        XCTAssertTrue(try RuleHarness.findings("MIG009", state, .cutover, state: true).isEmpty)
    }
}
