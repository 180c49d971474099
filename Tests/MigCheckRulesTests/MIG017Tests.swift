import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

final class MIG017Tests: XCTestCase {
    static let planned = LiveJudge.policy("MIG017", #""plannedEnd": "2026-12-04T18:00:00Z""#)

    func judge(_ scenario: String, _ phase: Phase = .cutover, policy: String? = planned, without: [String] = []) throws -> [Finding] {
        try LiveJudge.findings("MIG017", scenario, phase, policy: policy, without: without)
    }

    func testRotationsClearOfThePlannedWindowHold() throws {
        for phase in [Phase.fullLoad, .cutover, .cleanup] {
            XCTAssertEqual(try judge("cutover-checked", phase).map(\.message), [], "\(phase)")
        }
    }

    func testWithoutAPlannedEndItIsUnverifiedNeverAPass() throws {
        let findings = try judge("cutover-checked", policy: nil)
        XCTAssertEqual(findings.map(\.kind), [.open])
        XCTAssertEqual(findings.first?.severity, .warning)
        XCTAssertTrue(findings.first?.message.contains(#"set "plannedEnd" (ISO 8601"#) == true, findings.first?.message ?? "")
    }

    func testASecretRotatedDuringTheMigrationAndSoonAgain() throws {
        let findings = try judge("secret-rotated")
        XCTAssertEqual(findings.map(\.kind), [.fail, .fail])
        let messages = findings.map(\.message).joined(separator: "\n")
        XCTAssertTrue(messages.contains("rotates next at 2026-11-24T09:49:00Z, before the migration's planned end 2026-12-04T18:00:00Z"), messages)
        XCTAssertTrue(messages.contains("was rotated at 2026-11-20T09:49:00Z, during the migration (it started at 2026-11-20T09:14:00Z, "
            + "when the DMS task app-production-migration was started)"), messages)
        XCTAssertTrue(findings.allSatisfy { $0.location?.file.hasSuffix("secret-rotated/describe-secret.json") == true })
        // The policy's plannedStart wins over the evidence: started after the rotation, only the next rotation fails.
        let later = LiveJudge.policy("MIG017", #""plannedStart": "2026-11-20T10:00:00Z", "plannedEnd": "2026-12-04T18:00:00Z""#)
        XCTAssertEqual(try judge("secret-rotated", policy: later).map(\.kind), [.fail])
    }

    func testAPlannedEndBeyondTheNextRotationFailsBoth() throws {
        let far = LiveJudge.policy("MIG017", #""plannedEnd": "2028-01-01T00:00:00Z""#)
        XCTAssertEqual(try judge("cutover-checked", policy: far).map(\.kind), [.fail, .fail])
    }

    func testMissingNextRotationOrSecretEvidence() throws {
        // moto answers no NextRotationDate while rotation is on: unverified for each secret.
        let recorded = try judge("cutover-ready")
        XCTAssertEqual(recorded.map(\.kind), [.open, .open])
        XCTAssertTrue(recorded.allSatisfy { $0.message.contains("no NextRotationDate in the evidence") })
        let missing = try judge("cutover-checked", without: ["describe-secret.json"])
        XCTAssertEqual(missing.map(\.kind), [.open])
        XCTAssertTrue(missing.first?.message.contains("`aws secretsmanager describe-secret --secret-id arn:aws:secretsmanager:") == true,
                      missing.first?.message ?? "")
    }

    func testRotationOffNeedsNoNextDate() throws {
        let example = try XCTUnwrap(RuleRegistry.readinessDescriptions.first { $0.id == "MIG017" }?.nonTriggeringExamples
            .first { $0.name.contains("rotation is off") })
        XCTAssertEqual(try example.findings(of: "MIG017").map(\.message), [])
    }
}
