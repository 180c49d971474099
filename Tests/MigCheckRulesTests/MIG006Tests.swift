import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// MIG006 rotation-window: schedules, parameters and edges beyond its examples.
final class MIG006Tests: XCTestCase {
    typealias Examples = MigrationExamples

    static func rules(_ expression: String, days: Int = 0) -> JSONLiteral {
        RotationWindowRule.schedule(expression, days: days)
    }

    func testTargetRotationSchedules() throws {
        let cases: [(JSONLiteral, Bool, String)] = [
            (Self.rules("rate(400 days)"), false, ""),
            (Self.rules("rate(999 days)"), false, ""),
            (Self.rules("", days: 400), false, ""),
            (Self.rules("", days: 1000), false, ""),
            (Self.rules("rate(12 hours)"), true, "every 12 hours, less than the 400 days"),
            (Self.rules("rate(399 days)"), true, "every 399 days"),
            (Self.rules("", days: 30), true, "automatically_after_days = 30"),
            (Self.rules("", days: 1001), true, "outside AWS's 1-1000"),
            (Self.rules("cron(0 8 ? * WED *)"), true, "is a cron schedule"),
            (Self.rules("cron(0 8 ? * WED)"), true, "is malformed: cron(...) has 5 fields"),
            (Self.rules("rate(400 days)", days: 400), true, "sets both rotation_rules.automatically_after_days = 400"),
            (Self.rules(""), true, "sets neither"),
            ([], true, "has no rotation_rules block"),
        ]
        for (rules, fails, expected) in cases {
            let plan = Examples.healthy(.fullLoad).setting(Examples.targetRotation, "rotation_rules", to: rules)
            let failures = try RuleHarness.findings("MIG006", plan, .fullLoad).filter { $0.kind == .fail }
            XCTAssertEqual(!failures.isEmpty, fails, "\(rules.serialized): \(failures.map(\.message))")
            if fails {
                XCTAssertTrue(failures.contains { $0.message.contains(expected) && $0.address == Examples.targetRotation && $0.severity == .error },
                              "\(rules.serialized): \(failures.map(\.message))")
            }
        }
    }

    func testRotateImmediately() throws {
        let unset = try RuleHarness.findings("MIG006", Examples.healthy(.prepare).setting(Examples.targetRotation, "rotate_immediately", to: .null), .prepare)
        XCTAssertTrue(unset.contains { $0.kind == .fail && $0.message.contains("defaults it to true") }, "\(unset.map(\.message))")
        let unknown = try RuleHarness.findings("MIG006", Examples.healthy(.prepare).markingUnknown(Examples.targetRotation, "rotate_immediately"), .prepare)
        XCTAssertFalse(unknown.contains { $0.kind == .fail }, "\(unknown.map(\.message))")
        XCTAssertTrue(unknown.contains { $0.kind == .open && $0.message.contains("rotate_immediately of \(Examples.targetRotation) is unknown") })
        // After the migration an immediate rotation is harmless.
        let cleanup = try RuleHarness.findings("MIG006", Examples.healthy(.cleanup).setting(Examples.targetRotation, "rotate_immediately", to: true), .cleanup)
        XCTAssertTrue(cleanup.isEmpty, "\(cleanup.map(\.message))")
    }

    func testUnknownRotationRulesAreOpen() throws {
        let result = try RuleHarness.findings("MIG006", Examples.healthy(.prepare).markingUnknown(Examples.targetRotation, "rotation_rules"), .prepare)
        XCTAssertFalse(result.contains { $0.kind == .fail }, "\(result.map(\.message))")
        XCTAssertTrue(result.contains { $0.kind == .open && $0.address == Examples.targetRotation && $0.severity == .warning })
    }

    func testSecretKnownOnlyAfterApplyIsMatchedByReference() throws {
        // In prepare the target and its secret are new: secret_id is unknown, the configuration reference matches it.
        let result = try RuleHarness.findings("MIG006", Examples.healthy(.prepare).setting(Examples.targetRotation, "rotation_rules", to: Self.rules("rate(30 days)")), .prepare)
        XCTAssertTrue(result.contains { $0.kind == .fail && $0.address == Examples.targetRotation && $0.message.contains("target's master secret") })
    }

    func testMinimumRotationDaysIsAPolicyParameter() throws {
        var policy = Policy.builtInDefault
        policy.rules["MIG006"]?.parameters["minimumRotationDays"] = 30
        let plan = Examples.healthy(.fullLoad).setting(Examples.targetRotation, "rotation_rules", to: Self.rules("rate(30 days)"))
        XCTAssertFalse(try RuleHarness.findings("MIG006", plan, .fullLoad, policy: policy).contains { $0.kind == .fail })
        let shorter = Examples.healthy(.fullLoad).setting(Examples.targetRotation, "rotation_rules", to: Self.rules("rate(29 days)"))
        XCTAssertTrue(try RuleHarness.findings("MIG006", shorter, .fullLoad, policy: policy).contains { $0.kind == .fail && $0.message.contains("less than the 30 days") })
    }

    func testMissingRotation() throws {
        // An RDS-managed target secret with no rotation: RDS's 7-day default.
        let managed = try RuleHarness.findings("MIG006", Examples.healthy(.fullLoad).removing(Examples.targetRotation), .fullLoad)
        XCTAssertTrue(managed.contains { $0.kind == .fail && $0.address == Examples.target && $0.message.contains("default 7-day rotation") })
        // A rotation the plan destroys leaves the default as well, and the message says which.
        let destroyed = try RuleHarness.findings("MIG006", Examples.healthy(.cutover).withActions(Examples.targetRotation, ["delete"]), .cutover)
        XCTAssertTrue(destroyed.contains { $0.kind == .fail && $0.message.contains("the plan destroys \(Examples.targetRotation)") })
        // No RDS-managed secret, no rotation: nothing rotates the password.
        let unmanaged = Examples.healthy(.fullLoad).removing(Examples.targetRotation)
            .setting(Examples.target, "manage_master_user_password", to: .null, beforeToo: true)
            .setting(Examples.target, "master_user_secret", to: [], beforeToo: true)
        XCTAssertFalse(try RuleHarness.findings("MIG006", unmanaged, .fullLoad).contains { $0.address == Examples.target })
        // Whether RDS manages it is unknown: open.
        let unknown = Examples.healthy(.prepare).removing(Examples.targetRotation).markingUnknown(Examples.target, "manage_master_user_password")
        let open = try RuleHarness.findings("MIG006", unknown, .prepare)
        XCTAssertTrue(open.contains { $0.kind == .open && $0.address == Examples.target && $0.message.contains("manage_master_user_password") })
        XCTAssertFalse(open.contains { $0.kind == .fail })
        // In cleanup RDS's default schedule is a normal one.
        XCTAssertTrue(try RuleHarness.findings("MIG006", Examples.healthy(.cleanup).removing(Examples.targetRotation), .cleanup).isEmpty)
    }

    func testSourceRotation() throws {
        // The source's rotation cannot be seen without a rotation resource: open, never a pass or a fail.
        let healthy = try RuleHarness.findings("MIG006", Examples.healthy(.fullLoad), .fullLoad)
        XCTAssertEqual(healthy.map(\.kind), [.open], "\(healthy.map(\.message))")
        XCTAssertEqual(healthy.first?.address, Examples.source)
        let short = try RuleHarness.findings("MIG006", Examples.healthy(.cutover).adding(RotationWindowRule.sourceRotation("cron(0 8 ? * WED *)")), .cutover)
        XCTAssertTrue(short.contains { $0.kind == .fail && $0.message.contains("source's master secret") })
        XCTAssertFalse(short.contains { $0.kind == .open }, "\(short.map(\.message))")
        // In cleanup the source is destroyed: its rotation is not judged.
        let cleanup = try RuleHarness.findings("MIG006", Examples.healthy(.cleanup).adding(RotationWindowRule.sourceRotation("rate(400 days)")), .cleanup)
        XCTAssertTrue(cleanup.isEmpty, "\(cleanup.map(\.message))")
    }

    func testUnmatchedRotationIsOpen() throws {
        let stray = ExampleResource("aws_secretsmanager_secret_rotation.other", actions: ["create"], before: nil,
                                    after: ["rotate_immediately": false, "rotation_rules": Self.rules("rate(400 days)")],
                                    unknown: ["secret_id"])
        let result = try RuleHarness.findings("MIG006", Examples.healthy(.fullLoad).removing(Examples.targetRotation).adding(stray), .fullLoad)
        XCTAssertFalse(result.contains { $0.kind == .fail }, "\(result.map(\.message))")
        XCTAssertEqual(result.filter { $0.address == "aws_secretsmanager_secret_rotation.other" }.count, 1, "\(result.map(\.message))")
        XCTAssertTrue(result.contains { $0.kind == .open && $0.message.contains("matches no cluster") })
    }

    func testCleanup() throws {
        let kept = try RuleHarness.findings("MIG006", Examples.healthy(.cleanup).setting(Examples.targetRotation, "rotation_rules", to: Self.rules("", days: 400)), .cleanup)
        XCTAssertEqual(kept.map(\.severity), [.warning], "\(kept.map(\.message))")
        XCTAssertTrue(kept.first?.message.contains("restore the normal schedule") == true)
        // A malformed normal schedule still stops the apply: an error.
        let malformed = try RuleHarness.findings("MIG006", Examples.healthy(.cleanup).setting(Examples.targetRotation, "rotation_rules", to: Self.rules("cron(0 8 * * WED *)")), .cleanup)
        XCTAssertEqual(malformed.map(\.severity), [.error], "\(malformed.map(\.message))")
        XCTAssertTrue(malformed.first?.message.contains("is malformed") == true)
        XCTAssertTrue(try RuleHarness.findings("MIG006", Examples.healthy(.cleanup).setting(Examples.targetRotation, "rotation_rules", to: Self.rules("rate(7 days)")), .cleanup).isEmpty)
    }

    func testRotationOnAState() throws {
        let state = Examples.healthy(.cutover).setting(Examples.targetRotation, "rotation_rules", to: Self.rules("cron(0 8 ? * WED *)"), beforeToo: true)
        XCTAssertTrue(try RuleHarness.findings("MIG006", state, .cutover, state: true).contains { $0.kind == .fail && $0.address == Examples.targetRotation })
        let healthy = try RuleHarness.findings("MIG006", Examples.healthy(.cutover), .cutover, state: true)
        XCTAssertFalse(healthy.contains { $0.kind == .fail })
    }
}
