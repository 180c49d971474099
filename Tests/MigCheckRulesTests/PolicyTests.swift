import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

final class PolicyTests: XCTestCase {
    func testShippedPolicyEqualsTheBuiltInDefault() throws {
        let path = PackagePaths.packageRoot.appendingPathComponent("Policies/migcheck.json").path
        let shipped = try PolicyReader.read(path: path)
        XCTAssertEqual(shipped, Policy.builtInDefault,
                       "Policies/migcheck.json differs from the built-in default; regenerate it with `swift run migcheck default-policy > Policies/migcheck.json`")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(text, Policy.builtInDefault.fileText, "the shipped file should be byte-identical to `migcheck default-policy`")
    }

    func testDefaultPolicyTextReadsBackToItself() throws {
        XCTAssertEqual(try PolicyReader.read(text: Policy.builtInDefault.fileText), Policy.builtInDefault)
    }

    func testSettingsAndSuppressionsAreRead() throws {
        let policy = try PolicyReader.read(text: """
        {"policyVersion":1,"phase":"cutover","source":"aws_rds_cluster.legacy","target":"aws_rds_cluster.core",
         "unverifiedSeverity":"error",
         "rules":{"MIG001":{"enabled":false},"MIG006":{"severity":"warning"}},
         "suppressions":[{"rule":"MIG001","address":"aws_rds_cluster.core","reason":"known drift","expires":"2027-02-28"}],
         "assertions":[{"id":"ORG001","title":"target is encrypted","resourceType":"aws_rds_cluster","role":"target",
                        "attribute":"storage_encrypted","equals":true,"phases":["prepare","cutover"],"severity":"warning"}]}
        """)
        XCTAssertEqual(policy.phase, .cutover)
        XCTAssertEqual(policy.source, "aws_rds_cluster.legacy")
        XCTAssertEqual(policy.unverifiedSeverity, .error)
        XCTAssertEqual(policy.rules["MIG001"]?.enabled, false)
        XCTAssertEqual(policy.rules["MIG006"]?.severity, .warning)
        XCTAssertEqual(policy.rules["MIG002"], Policy.builtInDefault.rules["MIG002"], "rules left out keep their defaults")
        XCTAssertEqual(policy.suppressions, [Policy.Suppression(rule: "MIG001", address: "aws_rds_cluster.core", reason: "known drift",
                                                                expires: try XCTUnwrap(CalendarDate("2027-02-28")))])
        XCTAssertEqual(policy.assertions.first?.comparison, .equals(.bool(true)))
        XCTAssertEqual(policy.assertions.first?.phases, [.prepare, .cutover])
    }

    func testMalformedPoliciesNameTheExactPlace() {
        let cases: [(text: String, line: Int, column: Int, contains: String)] = [
            ("{\"phase\":\"full_load\"}", 1, 10, "phase: expected one of prepare, full-load, cutover, cleanup"),
            ("{\n  \"rules\": {\"MIG001\": {\"sevrity\": \"error\"}}\n}", 2, 24, "unknown key \"sevrity\""),
            ("{\"rules\":{\"MIG999\":{}}}", 1, 20, "unknown rule \"MIG999\""),
            ("{\"suppressions\":[{\"rule\":\"MIG001\",\"reason\":\"x\",\"expires\":\"2027-13-01\"}]}", 1, 58, "expected a date as YYYY-MM-DD"),
            ("{\"suppressions\":[{\"rule\":\"MIG001\",\"expires\":\"2027-01-01\"}]}", 1, 18, "missing \"reason\""),
            ("{\"suppressions\":[{\"rule\":\"MIG001\",\"reason\":\"  \",\"expires\":\"2027-01-01\"}]}", 1, 44, "needs a reason"),
            ("{\"assertions\":[{\"id\":\"MIG100\",\"title\":\"t\",\"resourceType\":\"x\",\"attribute\":\"a\",\"equals\":1}]}", 1, 22, "does not start with MIG"),
            ("{\"assertions\":[{\"id\":\"ORG1\",\"title\":\"t\",\"resourceType\":\"x\",\"attribute\":\"a\"}]}", 1, 16, "exactly one of"),
            ("{\"rules\":{\"MIG001\":{\"enabled\":\"yes\"}}}", 1, 31, "expected true or false"),
            ("{\"policyVersion\":2}", 1, 18, "expected policyVersion 1"),
            ("{\"phase\":\"prepare\",}", 1, 20, "expected a string key"),
            ("[]", 1, 1, "expected an object"),
        ]
        for testCase in cases {
            XCTAssertThrowsError(try PolicyReader.read(text: testCase.text, file: "migcheck.json"), testCase.text) { error in
                guard let error = error as? InputError else { return XCTFail("not an InputError: \(error)") }
                XCTAssertEqual(error.position, SourcePosition(line: testCase.line, column: testCase.column), "\(testCase.text): \(error)")
                XCTAssertTrue(error.message.contains(testCase.contains), "\(testCase.text): \(error.message)")
                XCTAssertTrue(error.description.hasPrefix("migcheck.json:\(testCase.line):\(testCase.column): error: "), error.description)
            }
        }
    }

    func testSuppressionsMarkFindingsAndExpiredOnesAreFindings() throws {
        let plan = MigrationExamples.healthy(.prepare).setting(MigrationExamples.target, "engine_version", to: "15.4")
        let picture = try PictureBuilder.build(try XCTUnwrap(TerraformReader.read(text: plan.planJSON).first))
        var policy = Policy.builtInDefault
        let today = try XCTUnwrap(CalendarDate("2026-11-25"))
        policy.suppressions = [
            Policy.Suppression(rule: "MIG001", address: MigrationExamples.target, reason: "upgrade scheduled",
                               expires: try XCTUnwrap(CalendarDate("2026-11-25"))),
        ]
        let active = Evaluator.evaluate(picture, phase: .prepare, policy: policy, today: today)
        let onTarget = active.findings.filter { $0.ruleID == "MIG001" && $0.address == MigrationExamples.target }
        XCTAssertFalse(onTarget.isEmpty)
        XCTAssertTrue(onTarget.allSatisfy { $0.suppression == "upgrade scheduled (until 2026-11-25)" })
        XCTAssertFalse(active.activeFindings.contains { $0.address == MigrationExamples.target && $0.ruleID == "MIG001" })
        XCTAssertFalse(active.findings.contains { $0.ruleID == Suppressions.expiredRuleID })

        let tomorrow = try XCTUnwrap(CalendarDate("2026-11-26"))
        let expired = Evaluator.evaluate(picture, phase: .prepare, policy: policy, today: tomorrow)
        XCTAssertTrue(expired.activeFindings.contains { $0.ruleID == "MIG001" && $0.address == MigrationExamples.target },
                      "an expired suppression hides nothing")
        let expiry = try XCTUnwrap(expired.findings.first { $0.ruleID == Suppressions.expiredRuleID })
        XCTAssertEqual(expiry.severity, .error)
        XCTAssertTrue(expiry.message.contains("expired on 2026-11-25"), expiry.message)
    }

    func testDisabledRulesAndSeverityOverrides() throws {
        let plan = MigrationExamples.healthy(.prepare).setting(MigrationExamples.target, "engine_version", to: "15.4")
        let picture = try PictureBuilder.build(try XCTUnwrap(TerraformReader.read(text: plan.planJSON).first))
        var policy = Policy.builtInDefault
        policy.rules["MIG001"]?.severity = .warning
        let downgraded = Evaluator.evaluate(picture, phase: .prepare, policy: policy)
        let findings = downgraded.findings.filter { $0.ruleID == "MIG001" }
        XCTAssertFalse(findings.isEmpty)
        XCTAssertTrue(findings.allSatisfy { $0.severity == .warning })

        policy.rules["MIG001"]?.enabled = false
        let disabled = Evaluator.evaluate(picture, phase: .prepare, policy: policy)
        XCTAssertFalse(disabled.findings.contains { $0.ruleID == "MIG001" })
        XCTAssertTrue(disabled.rulesSkipped.contains { $0.rule.id == "MIG001" && $0.reason == "disabled by the policy" })
    }

    func testCustomAssertionsJudgeWithoutSwift() throws {
        let policy = try PolicyReader.read(text: """
        {"policyVersion":1,"assertions":[
          {"id":"ORG001","title":"target encrypted","resourceType":"aws_rds_cluster","role":"target","attribute":"storage_encrypted","equals":true},
          {"id":"ORG002","title":"big enough","resourceType":"aws_rds_cluster","role":"target","attribute":"backup_retention_period","atLeast":14,"severity":"warning"},
          {"id":"ORG003","title":"instance class","resourceType":"aws_rds_cluster_instance","role":"target","attribute":"instance_class","oneOf":["db.r6g.large","db.r6g.xlarge"]},
          {"id":"ORG004","title":"endpoint known","resourceType":"aws_rds_cluster","role":"target","attribute":"endpoint","notEquals":""},
          {"id":"ORG005","title":"only in cleanup","resourceType":"aws_rds_cluster","attribute":"engine","equals":"x","phases":["cleanup"]}
        ]}
        """)
        let picture = try PictureBuilder.build(try XCTUnwrap(TerraformReader.read(text: MigrationExamples.healthy(.prepare).planJSON).first))
        let evaluation = Evaluator.evaluate(picture, phase: .prepare, policy: policy)
        let byRule = Dictionary(grouping: evaluation.findings.filter { $0.ruleID.hasPrefix("ORG") }, by: \.ruleID)
        XCTAssertNil(byRule["ORG001"], "storage_encrypted is true")
        XCTAssertEqual(byRule["ORG002"]?.map(\.kind), [.fail], "backup_retention_period 7 < 14")
        XCTAssertEqual(byRule["ORG002"]?.first?.severity, .warning)
        XCTAssertNil(byRule["ORG003"], "both target instances are db.r6g.large")
        XCTAssertEqual(byRule["ORG004"]?.map(\.kind), [.open], "the new target's endpoint is unknown until apply")
        XCTAssertNil(byRule["ORG005"])
        XCTAssertTrue(evaluation.rulesSkipped.contains { $0.rule.id == "ORG005" })
        XCTAssertTrue(evaluation.rulesRun.contains { $0.id == "ORG001" })
    }

    func testCalendarDatesAreStrict() {
        XCTAssertNotNil(CalendarDate("2028-02-29"))
        XCTAssertNil(CalendarDate("2027-02-29"))
        XCTAssertNil(CalendarDate("2027-2-01"))
        XCTAssertNil(CalendarDate("27-02-01"))
        XCTAssertNil(CalendarDate("2027-02-01T00:00:00Z"))
        XCTAssertTrue(CalendarDate.today() > CalendarDate.epoch)
    }
}
