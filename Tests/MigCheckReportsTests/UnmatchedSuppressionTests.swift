import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckTestSupport

/// A policy suppression that matches nothing in the plan (MIG901): a warning, in every format.
final class UnmatchedSuppressionTests: XCTestCase {
    func testASuppressionForNoResourceInThePlanIsAWarningInEveryFormat() throws {
        let plan = MigrationExamples.healthy(.prepare).setting(MigrationExamples.target, "engine_version", to: "15.4")
        let picture = try PictureBuilder.build(try XCTUnwrap(TerraformReader.read(text: plan.planJSON, file: "plan.json").first))
        let today = try XCTUnwrap(CalendarDate("2026-11-25"))
        let until = try XCTUnwrap(CalendarDate("2027-01-31"))
        var policy = Policy.builtInDefault
        policy.suppressions = [
            Policy.Suppression(rule: "MIG001", address: "aws_rds_cluster.typo", reason: "upgrade scheduled", expires: until),
            Policy.Suppression(rule: "MIG001", address: MigrationExamples.target, reason: "upgrade scheduled", expires: until),
            Policy.Suppression(rule: "MIG005", address: nil, reason: "every resource", expires: until),
        ]
        let evaluation = Evaluator.evaluate(picture, phase: .prepare, policy: policy, today: today)
        let unmatched = evaluation.findings.filter { $0.ruleID == Suppressions.unmatchedRuleID }
        XCTAssertEqual(unmatched.count, 1, "\(unmatched)")
        let finding = try XCTUnwrap(unmatched.first)
        XCTAssertEqual(finding.severity, .warning)
        XCTAssertEqual(finding.kind, .fail)
        XCTAssertNil(finding.suppression)
        XCTAssertTrue(finding.message.contains("the suppression of MIG001 for aws_rds_cluster.typo matches no resource in this plan"),
                      finding.message)

        // An expired suppression for nothing is reported once, as expired (MIG900).
        let later = Evaluator.evaluate(picture, phase: .prepare, policy: policy, today: try XCTUnwrap(CalendarDate("2027-02-01")))
        XCTAssertFalse(later.findings.contains { $0.ruleID == Suppressions.unmatchedRuleID })

        let input = ReportFixtures.input([evaluation], failOn: .warning)
        for format in ReportFormat.allCases {
            let text = Reports.render(format, input)
            XCTAssertTrue(text.contains(Suppressions.unmatchedRuleID), "\(format) lacks the unmatched suppression")
            XCTAssertTrue(text.contains("aws_rds_cluster.typo"), "\(format) lacks the address")
        }
        XCTAssertTrue(Reports.render(.sarif, input).contains("unmatched-suppression"))
        XCTAssertTrue(input.fails, "a warning gates with --fail-on warning")
    }
}
