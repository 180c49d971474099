import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckTestSupport

/// One cause, one finding: a replaced target's MIG001/7/8/9 findings keep their verdicts but
/// are presented under their cause (text, Markdown), linked (SARIF relatedLocations, JSON
/// `cause`) and counted once as a cause in the summary line; text lines fit 120 columns.
final class FindingCauseReportTests: XCTestCase {
    typealias Examples = MigrationExamples

    /// The full-load plan replacing a protected target whose engine version changes and whose
    /// state has no final snapshot identifier: MIG001, MIG007, MIG008 and MIG009 on the target.
    static func replacedTarget() throws -> Evaluation {
        let plan = Examples.healthy(.fullLoad).withActions(Examples.target, ["delete", "create"])
            .setting(Examples.target, "engine_version", to: "16.6")
            .setting(Examples.targetInstances[0], "engine_version", to: "16.6")
            .setting(Examples.targetInstances[1], "engine_version", to: "16.6")
            .settingBefore(Examples.target, "final_snapshot_identifier", to: .null)
        let document = try XCTUnwrap(TerraformReader.read(text: plan.planJSON, file: "plans/full-load.json", expecting: .plan).first)
        return Evaluator.evaluate(try PictureBuilder.build(document), phase: .fullLoad)
    }

    func testAReplacedTargetIsOneCauseWithItsRulesUnderIt() throws {
        let evaluation = try Self.replacedTarget()
        let onTarget = evaluation.findings.filter { $0.address == Examples.target && $0.kind == .fail }
        XCTAssertEqual(Set(onTarget.map(\.ruleID)), ["MIG001", "MIG007", "MIG008", "MIG009"], "\(evaluation.findings.map(\.ruleID))")
        let groups = FindingGroups.groups(evaluation.findings)
        let group = try XCTUnwrap(groups.first { evaluation.findings[$0.cause].address == Examples.target })
        XCTAssertEqual(evaluation.findings[group.cause].ruleID, "MIG008")
        XCTAssertEqual(group.related.map { evaluation.findings[$0].ruleID }, ["MIG007", "MIG009", "MIG001"])
        // Every verdict still counts.
        XCTAssertEqual(ReportCounts(evaluation, gates: { _ in false }).errors, evaluation.findings.filter { $0.severity == .error && $0.kind == .fail }.count)
    }

    /// Terraform's own plan of the example replacing the target over a database_name change
    /// (Tests/e2e/breaks/MIG008-target-replaced.full-load.tf): MIG008 and MIG007 on the cluster,
    /// MIG008 on both instances it takes with it. Four errors, one cause, the cluster's change named.
    func testTheReplacedTargetFixtureIsOneCause() throws {
        let file = try PackagePaths.fixturesDirectory().appendingPathComponent("rules/MIG008-target-replaced-database-name.full-load.plan.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        let document = try XCTUnwrap(TerraformReader.read(text: text, file: "plan.json", expecting: .plan).first)
        let evaluation = Evaluator.evaluate(try PictureBuilder.build(document), phase: nil)
        let errors = evaluation.findings.filter { $0.severity == .error && $0.kind == .fail }
        XCTAssertEqual(errors.map(\.ruleID).sorted(), ["MIG007", "MIG008", "MIG008", "MIG008"], "\(evaluation.findings.map(\.message))")
        let report = TextReport.render(evaluation, style: TextStyle(colour: false))
        XCTAssertTrue(report.hasSuffix("1 cause: 4 errors, 0 warnings, 0 unverified in 31 resources; phase full-load"), report)
        let section = Self.findingsSection(report)
        XCTAssertEqual(section.first, "module.target[0].aws_rds_cluster.this", report)
        XCTAssertTrue(section.dropFirst().first?.hasPrefix("  error MIG008 the plan replaces the target cluster module.target[0].aws_rds_cluster.this") == true, report)
        XCTAssertTrue(report.contains("revert the change to database_name (\"app\" → \"app_new\") that forces the replacement"), report)
        XCTAssertEqual(section.filter { $0.hasPrefix("    also: error MIG00") }.count, 3, report)
        XCTAssertTrue(section.contains("    also: error MIG008 the plan replaces target instance module.target[0].aws_rds_cluster_instance.this[\"1\"] with its"), report)
        XCTAssertFalse(section.contains { $0.hasPrefix("module.target[0].aws_rds_cluster_instance") }, "the instances follow their cluster: \(report)")
    }

    func testTheTextReportPutsTheCauseFirstAndTheOthersUnderIt() throws {
        let evaluation = try Self.replacedTarget()
        let text = TextReport.render(evaluation, style: TextStyle(colour: false))
        let lines = text.components(separatedBy: "\n")
        let heading = try XCTUnwrap(lines.firstIndex(of: Examples.target), text)
        XCTAssertTrue(lines[heading + 1].hasPrefix("  error MIG008 the plan replaces the target cluster"), text)
        let block = lines[(heading + 1)...].prefix { $0.hasPrefix("  ") }
        let also = block.filter { $0.hasPrefix("    also: ") }
        XCTAssertEqual(also.map { String($0.dropFirst("    also: ".count).prefix(12)) }, ["error MIG007", "error MIG009", "error MIG001"], text)
        // The address is the heading: finding lines do not repeat it as a prefix.
        XCTAssertFalse(text.contains("MIG008 \(Examples.target): "), text)
        let causes = FindingGroups.causeCount(evaluation.findings)
        let errors = evaluation.findings.filter { $0.severity == .error && $0.kind == .fail }.count
        XCTAssertEqual(lines.last?.hasPrefix("\(causes) causes: \(errors) errors, "), true, text)
        XCTAssertLessThan(causes, evaluation.activeFindings.count)
    }

    func testTextLinesFitA120ColumnTerminalWithAHangingIndent() throws {
        let evaluation = try Self.replacedTarget()
        let long = String(repeating: "word ", count: 80) + "end"
        let address = "module.a_very_long_module_name[\"" + String(repeating: "k", count: 130) + "\"].aws_rds_cluster.x"
        var findings = evaluation.findings
        findings.append(Finding(ruleID: "ORG001", severity: .error, kind: .fail, message: long, address: address))
        findings.append(Finding(ruleID: "ORG002", severity: .warning, kind: .fail, message: "see " + address + " " + long, address: address))
        let widened = Evaluation(picture: evaluation.picture, phase: evaluation.phase, phaseReason: evaluation.phaseReason, findings: findings,
                                 rulesRun: evaluation.rulesRun, rulesSkipped: evaluation.rulesSkipped, customRules: evaluation.customRules,
                                 noMigration: nil, phasesConsidered: evaluation.phasesConsidered)
        let text = TextReport.render(widened, style: TextStyle(colour: false))
        for line in Self.findingsSection(text) where line.count > TextReport.lineWidth {
            // Only an address (one word longer than the width) may go beyond, alone on its line.
            let words = line.split(separator: " ")
            XCTAssertTrue(words.count == 1 || line == address || (words.count == 2 && words[0] == "see"),
                          "line of \(line.count) columns: \(line)")
        }
        let lines = text.components(separatedBy: "\n")
        let first = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("  error ORG001 word word") })
        XCTAssertLessThanOrEqual(lines[first].count, TextReport.lineWidth)
        XCTAssertTrue(lines[first + 1].hasPrefix("      word"), lines[first + 1])
        XCTAssertTrue(lines[first...].dropFirst().prefix { !$0.hasPrefix("  error") && !$0.hasPrefix("    also") }.allSatisfy { $0.hasPrefix("      ") })
        // The rules' own messages wrap too.
        let plain = Self.findingsSection(TextReport.render(evaluation, style: TextStyle(colour: false)))
        XCTAssertGreaterThan(plain.count, 5)
        XCTAssertTrue(plain.allSatisfy { $0.count <= TextReport.lineWidth }, plain.joined(separator: "\n"))
    }

    /// The lines between the header (up to the first blank line) and the summary (after the last).
    static func findingsSection(_ text: String) -> [String] {
        let lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: ""), let end = lines.lastIndex(of: ""), start < end else { return [] }
        return Array(lines[(start + 1)..<end])
    }

    func testMarkdownRowsFollowTheirCause() throws {
        let evaluation = try Self.replacedTarget()
        let markdown = MarkdownReport.render(ReportFixtures.input([evaluation]))
        let rows = markdown.components(separatedBy: "\n").filter { $0.contains("<code>\(Examples.target)</code>") && $0.hasPrefix("| ❌") }
        XCTAssertEqual(rows.count, 4, markdown)
        XCTAssertTrue(rows.first?.contains("| MIG008 |") == true, markdown)
        XCTAssertFalse(rows.first?.contains("↳ also:") == true, markdown)
        XCTAssertTrue(rows.dropFirst().allSatisfy { $0.contains("| ↳ also: ") }, markdown)
        XCTAssertEqual(rows.dropFirst().map { $0.contains("| MIG007 |") || $0.contains("| MIG009 |") || $0.contains("| MIG001 |") }, [true, true, true])
    }

    func testAHugeGroupListsABoundedNumberOfRelatedLocations() throws {
        let evaluation = try Self.replacedTarget()
        var findings = evaluation.findings
        for index in 0..<200 {
            findings.append(Finding(ruleID: "ORG001", severity: .warning, kind: .fail, message: "m\(index); fix", address: Examples.target))
        }
        let many = Evaluation(picture: evaluation.picture, phase: evaluation.phase, phaseReason: evaluation.phaseReason, findings: findings,
                              rulesRun: evaluation.rulesRun, rulesSkipped: evaluation.rulesSkipped, customRules: evaluation.customRules,
                              noMigration: nil, phasesConsidered: evaluation.phasesConsidered)
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(Reports.render(.sarif, ReportFixtures.input([many])).utf8)) as? [String: Any])
        let results = try XCTUnwrap(((log["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]])
        let counts = results.compactMap { ($0["relatedLocations"] as? [Any])?.count }
        XCTAssertEqual(counts.max(), SARIFReport.relatedLocationLimit)
        let first = results.first { $0["ruleId"] as? String == "ORG001" }
        let text = (((first?["relatedLocations"] as? [[String: Any]])?.first?["message"]) as? [String: Any])?["text"] as? String
        XCTAssertTrue(text?.hasPrefix("MIG008 (the cause): ") == true, "\(text ?? "")")
    }

    func testJSONFindingsNameTheirCause() throws {
        let evaluation = try Self.replacedTarget()
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(Reports.render(.json, ReportFixtures.input([evaluation])).utf8)) as? [String: Any])
        let document = try XCTUnwrap((object["documents"] as? [[String: Any]])?.first)
        let findings = try XCTUnwrap(document["findings"] as? [[String: Any]])
        let cause = try XCTUnwrap(findings.firstIndex { $0["ruleId"] as? String == "MIG008" && $0["address"] as? String == Examples.target })
        for (index, finding) in findings.enumerated() {
            let expected = finding["address"] as? String == Examples.target ? cause : index
            XCTAssertEqual(finding["cause"] as? Int, expected, "\(finding)")
        }
        XCTAssertEqual(object["schemaVersion"] as? Int, 1)
    }

    func testSARIFResultsOfOneCauseLinkEachOtherAndStayValid() throws {
        let evaluation = try Self.replacedTarget()
        let sarif = Reports.render(.sarif, ReportFixtures.input([evaluation]))
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        let results = try XCTUnwrap(((log["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]])
        func address(_ result: [String: Any]) -> String? {
            (((result["locations"] as? [[String: Any]])?.first?["logicalLocations"] as? [[String: Any]])?.first?["name"]) as? String
        }
        let grouped = results.filter { address($0) == Examples.target && $0["kind"] as? String == "fail" }
        XCTAssertEqual(grouped.count, 4)
        for result in grouped {
            let related = try XCTUnwrap(result["relatedLocations"] as? [[String: Any]], "\(result)")
            XCTAssertEqual(related.count, 3)
            let texts = related.compactMap { ($0["message"] as? [String: Any])?["text"] as? String }
            let rules = Set(texts.map { String($0.prefix(6)) })
            XCTAssertEqual(rules.union([result["ruleId"] as? String ?? ""]), ["MIG001", "MIG007", "MIG008", "MIG009"], "\(texts)")
            XCTAssertEqual(related.compactMap { $0["id"] as? Int }, [0, 1, 2])
            if result["ruleId"] as? String != "MIG008" {
                XCTAssertTrue(texts.contains { $0.hasPrefix("MIG008 (the cause): ") }, "\(texts)")
            }
        }
        XCTAssertTrue(results.filter { address($0) != Examples.target }.allSatisfy { $0["relatedLocations"] == nil || ($0["relatedLocations"] as? [Any])?.isEmpty == false })

        try ReportFixtures.assertValidSARIF(sarif, named: "causes.sarif")
    }
}
