import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckCLI

/// MIG006 rotation-window (and its schedule-expression parser), MIG007 deletion-protection,
/// MIG008 no-data-loss and MIG009 final-snapshot: parsing and edge decisions.
final class RulesLifecycleTests: XCTestCase {
    typealias Examples = MigrationExamples

    // MARK: - Schedule expressions

    func testRateExpressions() {
        let cases: [(String, Int)] = [
            ("rate(400 days)", 400 * 24), ("rate(1 day)", 24), ("rate(999 days)", 999 * 24),
            ("rate(4 hours)", 4), ("rate(12 hours)", 12), ("rate(9600 hours)", 9600),
        ]
        for (text, hours) in cases {
            switch ScheduleExpression.parse(text) {
            case .success(let parsed):
                XCTAssertEqual(parsed.intervalHours, hours, text)
                XCTAssertEqual(parsed.text, text)
            case .failure(let error):
                XCTFail("\(text) should parse: \(error)")
            }
        }
    }

    func testMalformedRates() {
        let cases: [(String, String)] = [
            ("rate(400 day)", "plural unit: rate(400 days)"),
            ("rate(1 days)", "singular unit: rate(1 day)"),
            ("rate(1 hours)", "singular unit: rate(1 hour)"),
            ("rate(0 days)", "at least 1"),
            ("rate(05 days)", "leading zero"),
            ("rate(-5 days)", "not a positive integer"),
            ("rate(+5 days)", "not a positive integer"),
            ("rate(4.5 days)", "not a positive integer"),
            ("rate(400days)", "separated by one space"),
            ("rate(400  days)", "separated by one space"),
            ("rate()", "separated by one space"),
            ("rate(30 minutes)", "not minutes"),
            ("rate(2 weeks)", "\"weeks\" is not hour, hours, day or days"),
            ("rate(3 hours)", "every 4 hours"),
            ("rate(1000 days)", "999-day maximum"),
            ("rate(24000 hours)", "999-day maximum"),
            ("rate(99999999999999999999999 days)", "999-day maximum"),
            ("Rate(400 days)", "lower case"),
            ("RATE(400 days)", "lower case"),
            (" rate(400 days)", "leading or trailing spaces"),
            ("rate(400 days)\n", "neither rate(...) nor cron(...)"),
            ("rate(400 days", "neither rate(...) nor cron(...)"),
            ("400 days", "neither rate(...) nor cron(...)"),
            ("at(2027-01-01T00:00:00)", "\"at\" is neither rate nor cron"),
            ("", "empty"),
        ]
        for (text, expected) in cases {
            switch ScheduleExpression.parse(text) {
            case .success(let parsed):
                XCTFail("\(JSONQuoting.quoted(text)) should be malformed, parsed as \(parsed)")
            case .failure(let error):
                XCTAssertTrue(error.reason.contains(expected), "\(JSONQuoting.quoted(text)): \(error.reason)")
            }
        }
    }

    func testCronExpressions() {
        let valid = [
            "cron(0 8 ? * WED *)", "cron(0 4/12 * * ? *)", "cron(0 8 1/7 * ? *)", "cron(0 0 ? * SUN#1 *)",
            "cron(0 16 L * ? *)", "cron(0 10 ? FEB,MAY,AUG,NOV TUE#2 *)", "cron(0 8 15W * ? *)", "cron(0 8 LW * ? *)",
            "cron(0 8 ? * 6L *)", "cron(0 8 ? * FRIL *)", "cron(0 8 ? * MON-FRI *)", "cron(0 0-12/3 ? * * *)",
            "cron(0 23 1,15 JAN-DEC/2 ? *)", "cron(0 8 ? * wed *)", "cron(0 */6 * * ? *)", "cron(0 8 ? * 2#5 *)",
        ]
        for text in valid {
            switch ScheduleExpression.parse(text) {
            case .success(let parsed):
                XCTAssertNil(parsed.intervalHours, text)
                XCTAssertEqual(parsed.text, text)
            case .failure(let error):
                XCTFail("\(text) should parse: \(error)")
            }
        }
    }

    func testMalformedCrons() {
        let cases: [(String, String)] = [
            ("cron(0 8 * * ?)", "has 5 fields"),
            ("cron(0 8 ? * WED * *)", "has 7 fields"),
            ("cron()", "has 0 fields"),
            ("cron(15 8 ? * WED *)", "minutes field \"15\" must be 0"),
            ("cron(0 8 ? * WED 2027)", "year field \"2027\" must be *"),
            ("cron(0 8 ? * ? *)", "both ?"),
            ("cron(0 8 * * WED *)", "exactly one of them must be ?"),
            ("cron(0 8 1 * 1 *)", "exactly one of them must be ?"),
            ("cron(0 24 ? * WED *)", "hours value 24 is outside 0-23"),
            ("cron(0 8 ? 13 WED *)", "month value 13 is outside 1-12"),
            ("cron(0 8 32 * ? *)", "day-of-month value 32 is outside 1-31"),
            ("cron(0 8 0 * ? *)", "day-of-month value 0 is outside 1-31"),
            ("cron(0 8 ? * 8 *)", "day-of-week value 8 is outside 1-7"),
            ("cron(0 8 ? * FOO *)", "day-of-week value \"FOO\" is not one of 1-7 or SUN,MON,TUE,WED,THU,FRI,SAT"),
            ("cron(0 8 ? * SUN#6 *)", "must be 1-5"),
            ("cron(0 8 ? * WED# *)", "must be 1-5"),
            ("cron(0 8 ? * #2 *)", "day-of-week value \"\""),
            ("cron(0 8 1,,2 * ? *)", "empty list item"),
            ("cron(0 8-2 ? * WED *)", "runs backwards"),
            ("cron(0 8/0 ? * WED *)", "increment \"0\""),
            ("cron(0 8/24 ? * WED *)", "increment \"24\""),
            ("cron(0 8/2/2 ? * WED *)", "more than one /"),
            ("cron(0 1-2-3 ? * WED *)", "not a value or a range"),
            ("cron(0 8 L,5 * ? *)", "must stand alone"),
            ("cron(0 8 32W * ? *)", "outside 1-31"),
            ("cron(0 8 W * ? *)", "must stand alone"),
            ("cron(0 8 ? * L,MON *)", "must stand alone"),
            ("cron(0 8 ?,1 * WED *)", "must stand alone"),
            ("cron(0 ? ? * WED *)", "hours value \"?\""),
            ("cron(0 8 ? JANUARY WED *)", "month value \"JANUARY\""),
            ("cron(0 8 ? * WED *))", "year field \"*)\" must be *"),
            ("cron(0 8 ? * WED 🙂)", "year field"),
            ("cron(0 ٨ ? * WED *)", "hours value"),
            ("cron(", "neither rate(...) nor cron(...)"),
            ("cron(()", "has 1 field"),
        ]
        for (text, expected) in cases {
            switch ScheduleExpression.parse(text) {
            case .success(let parsed):
                XCTFail("\(text) should be malformed, parsed as \(parsed)")
            case .failure(let error):
                XCTAssertTrue(error.reason.contains(expected), "\(text): \(error.reason)")
            }
        }
    }

    // MARK: - MIG006 rotation-window

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
            let failures = try findings("MIG006", plan, .fullLoad).filter { $0.kind == .fail }
            XCTAssertEqual(!failures.isEmpty, fails, "\(rules.serialized): \(failures.map(\.message))")
            if fails {
                XCTAssertTrue(failures.contains { $0.message.contains(expected) && $0.address == Examples.targetRotation && $0.severity == .error },
                              "\(rules.serialized): \(failures.map(\.message))")
            }
        }
    }

    func testRotateImmediately() throws {
        let unset = try findings("MIG006", Examples.healthy(.prepare).setting(Examples.targetRotation, "rotate_immediately", to: .null), .prepare)
        XCTAssertTrue(unset.contains { $0.kind == .fail && $0.message.contains("defaults it to true") }, "\(unset.map(\.message))")
        let unknown = try findings("MIG006", Examples.healthy(.prepare).markingUnknown(Examples.targetRotation, "rotate_immediately"), .prepare)
        XCTAssertFalse(unknown.contains { $0.kind == .fail }, "\(unknown.map(\.message))")
        XCTAssertTrue(unknown.contains { $0.kind == .open && $0.message.contains("rotate_immediately of \(Examples.targetRotation) is unknown") })
        // After the migration an immediate rotation is harmless.
        let cleanup = try findings("MIG006", Examples.healthy(.cleanup).setting(Examples.targetRotation, "rotate_immediately", to: true), .cleanup)
        XCTAssertTrue(cleanup.isEmpty, "\(cleanup.map(\.message))")
    }

    func testUnknownRotationRulesAreOpen() throws {
        let result = try findings("MIG006", Examples.healthy(.prepare).markingUnknown(Examples.targetRotation, "rotation_rules"), .prepare)
        XCTAssertFalse(result.contains { $0.kind == .fail }, "\(result.map(\.message))")
        XCTAssertTrue(result.contains { $0.kind == .open && $0.address == Examples.targetRotation && $0.severity == .warning })
    }

    func testSecretKnownOnlyAfterApplyIsMatchedByReference() throws {
        // In prepare the target and its secret are new: secret_id is unknown, the configuration reference matches it.
        let result = try findings("MIG006", Examples.healthy(.prepare).setting(Examples.targetRotation, "rotation_rules", to: Self.rules("rate(30 days)")), .prepare)
        XCTAssertTrue(result.contains { $0.kind == .fail && $0.address == Examples.targetRotation && $0.message.contains("target's master secret") })
    }

    func testMinimumRotationDaysIsAPolicyParameter() throws {
        var policy = Policy.builtInDefault
        policy.rules["MIG006"]?.parameters["minimumRotationDays"] = 30
        let plan = Examples.healthy(.fullLoad).setting(Examples.targetRotation, "rotation_rules", to: Self.rules("rate(30 days)"))
        XCTAssertFalse(try findings("MIG006", plan, .fullLoad, policy: policy).contains { $0.kind == .fail })
        let shorter = Examples.healthy(.fullLoad).setting(Examples.targetRotation, "rotation_rules", to: Self.rules("rate(29 days)"))
        XCTAssertTrue(try findings("MIG006", shorter, .fullLoad, policy: policy).contains { $0.kind == .fail && $0.message.contains("less than the 30 days") })
    }

    func testMissingRotation() throws {
        // An RDS-managed target secret with no rotation: RDS's 7-day default.
        let managed = try findings("MIG006", Examples.healthy(.fullLoad).removing(Examples.targetRotation), .fullLoad)
        XCTAssertTrue(managed.contains { $0.kind == .fail && $0.address == Examples.target && $0.message.contains("default 7-day rotation") })
        // A rotation the plan destroys leaves the default as well, and the message says which.
        let destroyed = try findings("MIG006", Examples.healthy(.cutover).withActions(Examples.targetRotation, ["delete"]), .cutover)
        XCTAssertTrue(destroyed.contains { $0.kind == .fail && $0.message.contains("the plan destroys \(Examples.targetRotation)") })
        // No RDS-managed secret, no rotation: nothing rotates the password.
        let unmanaged = Examples.healthy(.fullLoad).removing(Examples.targetRotation)
            .setting(Examples.target, "manage_master_user_password", to: .null, beforeToo: true)
            .setting(Examples.target, "master_user_secret", to: [], beforeToo: true)
        XCTAssertFalse(try findings("MIG006", unmanaged, .fullLoad).contains { $0.address == Examples.target })
        // Whether RDS manages it is unknown: open.
        let unknown = Examples.healthy(.prepare).removing(Examples.targetRotation).markingUnknown(Examples.target, "manage_master_user_password")
        let open = try findings("MIG006", unknown, .prepare)
        XCTAssertTrue(open.contains { $0.kind == .open && $0.address == Examples.target && $0.message.contains("manage_master_user_password") })
        XCTAssertFalse(open.contains { $0.kind == .fail })
        // In cleanup RDS's default schedule is a normal one.
        XCTAssertTrue(try findings("MIG006", Examples.healthy(.cleanup).removing(Examples.targetRotation), .cleanup).isEmpty)
    }

    func testSourceRotation() throws {
        // The source's rotation cannot be seen without a rotation resource: open, never a pass or a fail.
        let healthy = try findings("MIG006", Examples.healthy(.fullLoad), .fullLoad)
        XCTAssertEqual(healthy.map(\.kind), [.open], "\(healthy.map(\.message))")
        XCTAssertEqual(healthy.first?.address, Examples.source)
        let short = try findings("MIG006", Examples.healthy(.cutover).adding(RotationWindowRule.sourceRotation("cron(0 8 ? * WED *)")), .cutover)
        XCTAssertTrue(short.contains { $0.kind == .fail && $0.message.contains("source's master secret") })
        XCTAssertFalse(short.contains { $0.kind == .open }, "\(short.map(\.message))")
        // In cleanup the source is destroyed: its rotation is not judged.
        let cleanup = try findings("MIG006", Examples.healthy(.cleanup).adding(RotationWindowRule.sourceRotation("rate(400 days)")), .cleanup)
        XCTAssertTrue(cleanup.isEmpty, "\(cleanup.map(\.message))")
    }

    func testUnmatchedRotationIsOpen() throws {
        let stray = ExampleResource("aws_secretsmanager_secret_rotation.other", actions: ["create"], before: nil,
                                    after: ["rotate_immediately": false, "rotation_rules": Self.rules("rate(400 days)")],
                                    unknown: ["secret_id"])
        let result = try findings("MIG006", Examples.healthy(.fullLoad).removing(Examples.targetRotation).adding(stray), .fullLoad)
        XCTAssertFalse(result.contains { $0.kind == .fail }, "\(result.map(\.message))")
        XCTAssertEqual(result.filter { $0.address == "aws_secretsmanager_secret_rotation.other" }.count, 1, "\(result.map(\.message))")
        XCTAssertTrue(result.contains { $0.kind == .open && $0.message.contains("matches no cluster") })
    }

    func testCleanup() throws {
        let kept = try findings("MIG006", Examples.healthy(.cleanup).setting(Examples.targetRotation, "rotation_rules", to: Self.rules("", days: 400)), .cleanup)
        XCTAssertEqual(kept.map(\.severity), [.warning], "\(kept.map(\.message))")
        XCTAssertTrue(kept.first?.message.contains("restore the normal schedule") == true)
        // A malformed normal schedule still stops the apply: an error.
        let malformed = try findings("MIG006", Examples.healthy(.cleanup).setting(Examples.targetRotation, "rotation_rules", to: Self.rules("cron(0 8 * * WED *)")), .cleanup)
        XCTAssertEqual(malformed.map(\.severity), [.error], "\(malformed.map(\.message))")
        XCTAssertTrue(malformed.first?.message.contains("is malformed") == true)
        XCTAssertTrue(try findings("MIG006", Examples.healthy(.cleanup).setting(Examples.targetRotation, "rotation_rules", to: Self.rules("rate(7 days)")), .cleanup).isEmpty)
    }

    func testRotationOnAState() throws {
        let state = Examples.healthy(.cutover).setting(Examples.targetRotation, "rotation_rules", to: Self.rules("cron(0 8 ? * WED *)"), beforeToo: true)
        XCTAssertTrue(try findings("MIG006", state, .cutover, state: true).contains { $0.kind == .fail && $0.address == Examples.targetRotation })
        let healthy = try findings("MIG006", Examples.healthy(.cutover), .cutover, state: true)
        XCTAssertFalse(healthy.contains { $0.kind == .fail })
    }

    // MARK: - MIG007 deletion-protection

    func testDeletionProtection() throws {
        // Destroying an unprotected cluster (prior state false or unset) is fine.
        let unset = Examples.healthy(.cleanup).settingBefore(Examples.source, "deletion_protection", to: nil)
        XCTAssertTrue(try findings("MIG007", unset, .cleanup).isEmpty)
        // A protected source in the prior state blocks the destroy even if this plan "turns it off".
        let replaced = Examples.healthy(.fullLoad).withActions(Examples.source, ["create", "delete"])
            .setting(Examples.source, "deletion_protection", to: false)
        let result = try findings("MIG007", replaced, .fullLoad)
        XCTAssertTrue(result.contains { $0.kind == .fail && $0.address == Examples.source && $0.message.contains("replaces") }, "\(result.map(\.message))")
        // Target without the attribute: AWS's default is false.
        let missing = try findings("MIG007", Examples.healthy(.cutover).setting(Examples.target, "deletion_protection", to: nil, beforeToo: true), .cutover, state: true)
        XCTAssertTrue(missing.contains { $0.kind == .fail && $0.message.contains("defaults to false") }, "\(missing.map(\.message))")
        // A forgotten target is MIG008's business.
        XCTAssertTrue(try findings("MIG007", Examples.healthy(.cutover).withActions(Examples.target, ["forget"]), .cutover).isEmpty)
        // Unknown until apply: open.
        let unknown = try findings("MIG007", Examples.healthy(.prepare).markingUnknown(Examples.target, "deletion_protection"), .prepare)
        XCTAssertEqual(unknown.map(\.kind), [.open])
    }

    func testDeletionProtectionWithoutTarget() throws {
        let result = try findings("MIG007", Examples.healthy(.cleanup).removing(Examples.target), .cleanup)
        XCTAssertTrue(result.contains { $0.kind == .open && $0.message.contains("no target cluster") }, "\(result.map(\.message))")
    }

    // MARK: - MIG008 no-data-loss

    func testNoDataLoss() throws {
        let forgotten = try findings("MIG008", Examples.healthy(.fullLoad).withActions(Examples.targetInstances[1], ["forget"]), .fullLoad)
        XCTAssertEqual(forgotten.map(\.severity), [.warning])
        XCTAssertEqual(forgotten.first?.kind, .fail)
        let sourceForgotten = try findings("MIG008", Examples.healthy(.cutover).withActions(Examples.source, ["forget"]), .cutover)
        XCTAssertTrue(sourceForgotten.first?.message.contains("cleanup cannot destroy it") == true, "\(sourceForgotten.map(\.message))")
        // Destroying (even replacing) the source in cleanup is not this rule's business.
        XCTAssertTrue(try findings("MIG008", Examples.healthy(.cleanup).withActions(Examples.source, ["delete", "create"]), .cleanup).isEmpty)
        // Replacing the target while forgetting the old one (["create","forget"]) still leaves an empty target.
        let forgetReplace = try findings("MIG008", Examples.healthy(.fullLoad).withActions(Examples.target, ["create", "forget"]), .fullLoad)
        XCTAssertEqual(forgetReplace.map(\.severity), [.error])
        XCTAssertTrue(forgetReplace.first?.message.contains("forgets the old one") == true, "\(forgetReplace.map(\.message))")
        // A target instance deleted in cleanup is still an error.
        let instance = try findings("MIG008", Examples.healthy(.cleanup).withActions(Examples.targetInstances[0], ["delete"]), .cleanup)
        XCTAssertEqual(instance.map(\.severity), [.error])
        XCTAssertEqual(instance.first?.address, Examples.targetInstances[0])
        // On a state nothing is planned, not even a missing cluster is worth a finding.
        XCTAssertTrue(try findings("MIG008", Examples.healthy(.fullLoad), .fullLoad, state: true).isEmpty)
        XCTAssertTrue(try findings("MIG008", Examples.healthy(.fullLoad).removing(Examples.source), .fullLoad, state: true).isEmpty)
    }

    func testNoDataLossWithoutSource() throws {
        let before = try findings("MIG008", Examples.healthy(.fullLoad).removing(Examples.source), .fullLoad)
        XCTAssertTrue(before.contains { $0.kind == .open && $0.message.contains("no source cluster") }, "\(before.map(\.message))")
        // After cleanup the source is gone: nothing to say.
        XCTAssertTrue(try findings("MIG008", Examples.healthy(.cleanup).removing(Examples.source), .cleanup).isEmpty)
    }

    // MARK: - MIG009 final-snapshot

    func testFinalSnapshot() throws {
        // Unset skip_final_snapshot is the provider's default, false; an empty identifier is no identifier.
        let unset = Examples.healthy(.cleanup).settingBefore(Examples.source, "skip_final_snapshot", to: nil)
            .settingBefore(Examples.source, "final_snapshot_identifier", to: "")
        let refused = try findings("MIG009", unset, .cleanup)
        XCTAssertEqual(refused.map(\.severity), [.error])
        XCTAssertTrue(refused.first?.message.contains("skip_final_snapshot = unset (false)") == true, "\(refused.map(\.message))")
        XCTAssertTrue(refused.first?.message.contains("set final_snapshot_identifier in an earlier deploy") == true)
        // Any phase whose plan destroys a cluster is judged.
        let early = Examples.healthy(.prepare).withActions(Examples.source, ["delete"]).settingBefore(Examples.source, "skip_final_snapshot", to: true)
        XCTAssertEqual(try findings("MIG009", early, .prepare).map(\.severity), [.warning])
        // A clean destroy before cleanup (MIG008 objects, not MIG009).
        XCTAssertTrue(try findings("MIG009", Examples.healthy(.fullLoad).withActions(Examples.source, ["delete"]), .fullLoad).isEmpty)
    }

    func testFinalSnapshotReadinessInCleanup() throws {
        // The first cleanup deploy keeps the source; an identifier known only after apply is open.
        let unknown = Examples.healthy(.cleanup).withActions(Examples.source, ["update"])
            .markingUnknown(Examples.source, "final_snapshot_identifier")
        let result = try findings("MIG009", unknown, .cleanup)
        XCTAssertEqual(result.map(\.kind), [.open], "\(result.map(\.message))")
        // On a state the source that is still there is judged for the deploy that destroys it.
        let state = Examples.healthy(.cutover).setting(Examples.source, "skip_final_snapshot", to: true, beforeToo: true)
        let warning = try findings("MIG009", state, .cleanup, state: true)
        XCTAssertEqual(warning.map(\.severity), [.warning])
        XCTAssertEqual(warning.first?.kind, .fail)
        // Before cleanup a kept source is not judged.
        XCTAssertTrue(try findings("MIG009", state, .cutover, state: true).isEmpty)
    }

    // MARK: - Support

    private func findings(_ id: String, _ plan: ExamplePlan, _ phase: Phase, state: Bool = false,
                          policy: Policy = .builtInDefault) throws -> [Finding] {
        let documents = try TerraformReader.read(text: state ? plan.stateJSON : plan.planJSON, file: "\(id).json",
                                                 expecting: state ? .state : .plan)
        let picture = try PictureBuilder.build(try XCTUnwrap(documents.first))
        return Evaluator.evaluate(picture, phase: phase, policy: policy).findings.filter { $0.ruleID == id }
    }
}
