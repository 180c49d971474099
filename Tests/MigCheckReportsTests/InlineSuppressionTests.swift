import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckTestSupport

/// `# migcheck:ignore RULE reason="…" expires=YYYY-MM-DD` in the `.tf` files under `--source-dir`:
/// parsed strictly, matched to the block it stands on or above, judged on an injected day.
final class InlineSuppressionTests: XCTestCase {
    private var root = ""
    private static let valid = #"# migcheck:ignore MIG005 reason="single-instance source, reboot window agreed" expires=2027-01-31"#
    private let today = CalendarDate(year: 2026, month: 11, day: 25) ?? CalendarDate.epoch

    override func setUpWithError() throws {
        root = try scratchDirectory().path
    }

    /// The prepare plan with a single-instance source: MIG005 on aws_rds_cluster.legacy.
    private func evaluation(today day: CalendarDate? = nil, policy: Policy = .builtInDefault) throws -> Evaluation {
        let plan = ExpiredSuppressionRule.singleInstanceSource.planJSON
        let document = try XCTUnwrap(try TerraformReader.read(text: plan, file: "plan.json").first)
        let evaluation = Evaluator.evaluate(try PictureBuilder.build(document), phase: .prepare, policy: policy, today: day ?? today)
        XCTAssertTrue(evaluation.findings.contains { $0.ruleID == "MIG005" && $0.address == MigrationExamples.source })
        return evaluation
    }

    private func parse(_ body: String) -> String? {
        switch InlineSuppressions.parse(body, canonicalRule: { RuleRegistry.rule(id: $0)?.description.id }) {
        case .success: return nil
        case .failure(let error): return error.message
        }
    }

    func testEveryMalformedFormIsRefusedWithItsReason() {
        let malformed: [(String, String)] = [
            (#"migcheck:ignore MIG005 expires=2027-01-31"#, "gives no reason"),
            (#"migcheck:ignore MIG005 reason="" expires=2027-01-31"#, "empty reason"),
            (#"migcheck:ignore MIG005 reason="  " expires=2027-01-31"#, "empty reason"),
            (#"migcheck:ignore MIG005 reason="ok""#, "gives no expiry"),
            (#"migcheck:ignore MIG005 reason="ok" expires=2027-02-30"#, "not a date"),
            (#"migcheck:ignore MIG005 reason="ok" expires=31/01/2027"#, "not a date"),
            (#"migcheck:ignore MIG005 reason="ok" expires="#, "not a date"),
            (#"migcheck:ignore MIG999 reason="ok" expires=2027-01-31"#, "unknown rule \"MIG999\""),
            (#"migcheck:ignore MIG900 reason="ok" expires=2027-01-31"#, "unknown rule \"MIG900\""),
            (#"migcheck:ignore"#, "names no rule"),
            (#"migcheck:ignore reason="ok" expires=2027-01-31"#, "names no rule"),
            (#"migcheck:ingore MIG005 reason="ok" expires=2027-01-31"#, "`migcheck:ingore` is not a migcheck directive"),
            (#"migcheck:ignore=MIG005 reason="ok" expires=2027-01-31"#, "`migcheck:ignore=` is not a migcheck directive"),
            (#"migcheck:ignore MIG005 reason="ok" expires=2027-01-31 owner=dba"#, "has \"owner\" where"),
            (#"migcheck:ignore MIG005 reason="ok" expires=2027-01-31 trailing"#, "has \"trailing\" where"),
            (#"migcheck:ignore MIG005 reason="a" reason="b" expires=2027-01-31"#, "gives reason= twice"),
            (#"migcheck:ignore MIG005 reason="a" expires=2027-01-31 expires=2027-02-01"#, "gives expires= twice"),
            (#"migcheck:ignore MIG005 reason=agreed expires=2027-01-31"#, "not in double quotes"),
            (#"migcheck:ignore MIG005 reason="never closed expires=2027-01-31"#, "quote is never closed"),
        ]
        for (body, expected) in malformed {
            let message = parse(body)
            XCTAssertTrue(message?.contains(expected) == true, "\(body): \(message ?? "accepted")")
        }
        for body in [#"migcheck:ignore MIG005 reason="ok" expires=2027-01-31"#,
                     #"migcheck:ignore mig005   expires=2027-01-31 reason="say \"yes\"""#,
                     "migcheck:ignore MIG005\treason=\"ok\"\texpires=2027-01-31"] {
            XCTAssertNil(parse(body), body)
        }
    }

    func testAboveTheResourceOnItsFirstLineAndWithSlashes() throws {
        try ScratchFiles.write(in: root, "a.tf", """
        // A comment line may stand between.
        \(Self.valid)
        // owner: dba team
        resource "aws_rds_cluster" "legacy" {
          engine = "aurora-postgresql"
        }
        """)
        var located = try evaluation().locatingSources(in: root, today: today)
        var finding = try XCTUnwrap(located.findings.first { $0.ruleID == "MIG005" && $0.address == MigrationExamples.source })
        XCTAssertEqual(finding.suppression, "single-instance source, reboot window agreed (until 2027-01-31; inline at \(root)/a.tf:2)")
        XCTAssertTrue(finding.suppressionInSource)
        XCTAssertEqual(finding.location?.start.line, 4)
        XCTAssertFalse(ReportFixtures.input([located]).fails, "a suppressed finding does not gate")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(Reports.render(.json, ReportFixtures.input([located])).utf8)) as? [String: Any])
        let documents = try XCTUnwrap(json["documents"] as? [[String: Any]])
        let findings = try XCTUnwrap(documents.first?["findings"] as? [[String: Any]])
        XCTAssertEqual(findings.first { $0["ruleId"] as? String == "MIG005" }?["suppressionKind"] as? String, "inSource")

        try ScratchFiles.write(in: root, "a.tf", #"resource "aws_rds_cluster" "legacy" { // migcheck:ignore MIG005 reason="agreed" expires=2027-01-31"# + "\n}\n")
        located = try evaluation().locatingSources(in: root, today: today)
        finding = try XCTUnwrap(located.findings.first { $0.ruleID == "MIG005" && $0.address == MigrationExamples.source })
        XCTAssertEqual(finding.suppression, "agreed (until 2027-01-31; inline at \(root)/a.tf:1)", "on the block's first line")
        XCTAssertFalse(located.findings.contains { $0.ruleID == InlineSuppressions.malformedRuleID })
    }

    func testAboveAModuleCallItCoversTheResourcesInside() throws {
        try ScratchFiles.write(in: root, "main.tf", """
        # migcheck:ignore MIG005 reason="the db module's cluster is single-instance on purpose" expires=2027-01-31
        module "db" {
          source = "./modules/db"
        }
        """)
        try ScratchFiles.write(in: root, "modules/db/main.tf", #"resource "aws_rds_cluster" "legacy" {}"#)
        let inModule = "module.db." + MigrationExamples.source
        let base = try evaluation()
        let moved = base.replacingFindings(base.findings.map { finding in
            var copy = finding
            if copy.address == MigrationExamples.source { copy.address = inModule }
            return copy
        })
        let located = moved.locatingSources(in: root, today: today)
        let finding = try XCTUnwrap(located.findings.first { $0.ruleID == "MIG005" && $0.address == inModule })
        XCTAssertEqual(finding.suppression, "the db module's cluster is single-instance on purpose (until 2027-01-31; inline at \(root)/main.tf:1)")
        XCTAssertEqual(finding.location?.file, root + "/modules/db/main.tf")
        // Another rule on the same resource is not covered.
        XCTAssertTrue(located.findings.filter { $0.address == inModule && $0.ruleID != "MIG005" }.allSatisfy { $0.suppression == nil })
    }

    func testExpiryIsJudgedOnTheInjectedDay() throws {
        try ScratchFiles.write(in: root, "main.tf", #"# migcheck:ignore MIG005 reason="reboot window agreed" expires=2026-11-25"# + "\n" + #"resource "aws_rds_cluster" "legacy" {}"#)
        let onTheDay = try evaluation().locatingSources(in: root, today: today)
        XCTAssertNotNil(onTheDay.findings.first { $0.ruleID == "MIG005" }?.suppression, "in force on its expiry date")
        XCTAssertFalse(onTheDay.findings.contains { $0.ruleID == Suppressions.expiredRuleID })

        let dayAfter = CalendarDate(year: 2026, month: 11, day: 26) ?? CalendarDate.epoch
        let expired = try evaluation(today: dayAfter).locatingSources(in: root, today: dayAfter)
        XCTAssertNil(expired.findings.first { $0.ruleID == "MIG005" }?.suppression, "the finding it hid is back")
        let mig900 = try XCTUnwrap(expired.findings.first { $0.ruleID == Suppressions.expiredRuleID })
        XCTAssertEqual(mig900.location?.file, root + "/main.tf")
        XCTAssertEqual(mig900.location?.start, SourcePosition(line: 1, column: 1))
        XCTAssertEqual(mig900.address, MigrationExamples.source)
        XCTAssertTrue(mig900.message.contains("the inline suppression of MIG005 at \(root)/main.tf:1 expired on 2026-11-25"), mig900.message)
        XCTAssertTrue(ReportFixtures.input([expired]).fails)
    }

    func testMisplacedBlockCommentedAndRepeatedSuppressionsAreMIG902AtTheirLine() throws {
        try ScratchFiles.write(in: root, "main.tf", """
        \(Self.valid)

        resource "aws_rds_cluster" "legacy" {
          # migcheck:ignore MIG005 reason="inside the body" expires=2027-01-31
          engine = "aurora-postgresql"
        }
        /* migcheck:ignore MIG005 reason="block" expires=2027-01-31 */
        resource "aws_rds_cluster" "core" {}
        # migcheck:ignore MIG005 reason="locals hold no resource" expires=2027-01-31
        locals {}
        # migcheck:ignore MIG001 reason="first" expires=2027-01-31
        # migcheck:ignore MIG001 reason="second" expires=2027-01-31
        resource "aws_rds_cluster" "other" {}
        # migcheck:ignore MIG005 expires=2027-01-31
        """)
        let located = try evaluation().locatingSources(in: root, today: today)
        let malformed = located.findings.filter { $0.ruleID == InlineSuppressions.malformedRuleID }
        let byLine = Dictionary(malformed.map { ($0.location?.start.line ?? 0, $0.message) }, uniquingKeysWith: { $0 + " | " + $1 })
        XCTAssertEqual(Set(byLine.keys), [1, 4, 7, 9, 12, 14], "\(byLine)")
        XCTAssertTrue(byLine[1]?.contains("is neither on a block's first line nor directly above a block") == true)
        XCTAssertTrue(byLine[4]?.contains("is neither on a block's first line nor directly above a block") == true)
        XCTAssertTrue(byLine[7]?.contains("not a `/* … */` block comment") == true)
        XCTAssertTrue(byLine[9]?.contains("stands above a \"locals\" block") == true)
        XCTAssertTrue(byLine[12]?.contains("repeats the one at \(root)/main.tf:11") == true)
        XCTAssertTrue(byLine[14]?.contains("gives no reason") == true)
        XCTAssertTrue(malformed.allSatisfy { $0.severity == .error && $0.location?.file == root + "/main.tf" })
        XCTAssertNil(located.findings.first { $0.ruleID == "MIG005" }?.suppression, "nothing malformed suppresses")
    }

    func testSARIFRecordsAnInlineSuppressionAsInSourceAndAPolicyOneAsExternal() throws {
        try ScratchFiles.write(in: root, "main.tf", Self.valid + "\n" + #"resource "aws_rds_cluster" "legacy" {}"#)
        let inline = try evaluation().locatingSources(in: root, today: today)
        let policy = try PolicyReader.read(text: ExpiredSuppressionRule.policy(expires: "2027-01-31"))
        let external = try evaluation(policy: policy).locatingSources(in: root + "/none", today: today)
        func suppressions(_ evaluation: Evaluation) throws -> [[String: Any]] {
            let sarif = Reports.render(.sarif, ReportFixtures.input([evaluation]))
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
            let runs = try XCTUnwrap(json["runs"] as? [[String: Any]])
            let results = try XCTUnwrap(runs.first?["results"] as? [[String: Any]])
            let result = try XCTUnwrap(results.first { $0["ruleId"] as? String == "MIG005" })
            return try XCTUnwrap(result["suppressions"] as? [[String: Any]])
        }
        let inSource = try suppressions(inline)
        XCTAssertEqual(inSource.first?["kind"] as? String, "inSource")
        XCTAssertEqual(inSource.first?["justification"] as? String, "single-instance source, reboot window agreed (until 2027-01-31; inline at \(root)/main.tf:1)")
        XCTAssertEqual(try suppressions(external).first?["kind"] as? String, "external")
    }

    func testAFindingLocatedNowhereKeepsItsPlanPositionAndTheRunSaysSo() throws {
        try ScratchFiles.write(in: root, "main.tf", #"resource "aws_rds_cluster" "core" {}"#)
        let base = try evaluation()
        let planPosition = try XCTUnwrap(base.findings.first { $0.ruleID == "MIG005" }?.location)
        let located = base.locatingSources(in: root, today: today)
        XCTAssertEqual(located.findings.first { $0.ruleID == "MIG005" }?.location, planPosition)
        XCTAssertEqual(located.notes.count, 1, "one note for the document")
        let note = try XCTUnwrap(located.notes.first)
        XCTAssertTrue(note.contains("no declaration under --source-dir \(root) for \(MigrationExamples.source)"), note)
        XCTAssertTrue(note.hasSuffix("point at the plan instead"), note)
        let sarif = Reports.render(.sarif, ReportFixtures.input([located]))
        XCTAssertTrue(sarif.contains("migcheck/source-not-located"), "SARIF carries the note as a notification")
    }

    func testAFindingWithoutItsOwnPositionFallsBackToItsResourceInThePlan() throws {
        // An expired policy suppression's MIG900 names the resource but has no position of its own.
        let policy = try PolicyReader.read(text: ExpiredSuppressionRule.policy(expires: "2026-10-31"))
        let evaluation = try evaluation(policy: policy)
        let mig900 = try XCTUnwrap(evaluation.findings.first { $0.ruleID == Suppressions.expiredRuleID })
        XCTAssertNil(mig900.location)
        let resource = try XCTUnwrap(evaluation.picture.resources.first { $0.addressText == MigrationExamples.source })
        XCTAssertEqual(ReportSupport.location(mig900, in: evaluation), resource.location)
        XCTAssertNotEqual(resource.location.start, SourcePosition(line: 1, column: 1))

        // A plan-wide finding points at the first line, and its text says it is plan-wide.
        let synthetic = try ReportFixtures.syntheticEvaluation()
        let github = Reports.render(.github, ReportFixtures.input([synthetic]))
        XCTAssertTrue(github.contains("line=1,endLine=1,col=1,endColumn=2,title=ORG002::(plan-wide): plan-wide note"), github)
        let sarif = Reports.render(.sarif, ReportFixtures.input([synthetic]))
        XCTAssertTrue(sarif.contains("\"text\": \"(plan-wide): plan-wide note\""), sarif)
    }

}
