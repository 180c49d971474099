import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// MIG001 engine-version-match: the edges its examples do not show.
final class MIG001Tests: XCTestCase {
    typealias Examples = MigrationExamples

    func testATargetVersionUnknownUntilApplyIsOpenNotAPass() throws {
        let plan = Examples.healthy(.prepare).markingUnknown(Examples.target, "engine_version")
        let findings = try RuleHarness.findings("MIG001", plan, .prepare)
        XCTAssertEqual(findings.map(\.kind), [.open], "\(findings.map(\.message))")
        XCTAssertEqual(findings.first?.address, Examples.target)
        XCTAssertTrue(findings.first?.message.contains("engine_version of \(Examples.target)") == true, findings.first?.message ?? "")
    }

    func testAnInstanceNamingJustTheMajorVersionAgreesWithItsCluster() throws {
        let plan = Examples.healthy(.prepare).setting(Examples.targetInstances[0], "engine_version", to: "16")
        XCTAssertEqual(try RuleHarness.findings("MIG001", plan, .prepare), [])
        // A major version that is not the cluster's is a mismatch.
        let other = Examples.healthy(.prepare).setting(Examples.targetInstances[0], "engine_version", to: "15")
        let findings = try RuleHarness.findings("MIG001", other, .prepare)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertEqual(findings.first?.address, Examples.targetInstances[0])
    }

    func testASensitiveTargetVersionIsComparedButNeverPrinted() throws {
        let plan = Examples.healthy(.prepare).setting(Examples.target, "engine_version", to: "15.4")
            .markingSensitive(Examples.target, "engine_version")
        let findings = try RuleHarness.findings("MIG001", plan, .prepare)
        XCTAssertTrue(findings.contains { $0.kind == .fail && $0.address == Examples.target }, "\(findings.map(\.message))")
        for finding in findings {
            XCTAssertFalse(finding.message.contains("15.4"), finding.message)
        }
    }

    func testWithoutATargetClusterTheVersionsAreUnverified() throws {
        let findings = try RuleHarness.findings("MIG001", RuleHarness.withoutTarget(.prepare), .prepare)
        XCTAssertEqual(findings.map(\.kind), [.open])
        XCTAssertNil(findings.first?.address)
        XCTAssertTrue(findings.first?.message.contains("no target cluster") == true, findings.first?.message ?? "")
    }
}
