import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckTestSupport

/// The text report fits a 120-column terminal, header included; only a single word longer than
/// a line (an address) may go beyond it. Notes about the document are in the report itself.
final class TextReportWidthTests: XCTestCase {
    func testEveryLineOfEveryFixtureReportFitsOrIsOneLongWord() throws {
        let root = try XCTUnwrap(PackagePaths.root)
        let fixtures = try XCTUnwrap(FileManager.default.enumerator(atPath: root.appendingPathComponent("Fixtures").path))
            .compactMap { $0 as? String }
            .filter { ($0.hasSuffix(".json") || $0.hasSuffix(".tfstate")) && !$0.hasPrefix("tools/") && !$0.hasPrefix("expected/") && !$0.hasPrefix("evidence/") }
        XCTAssertGreaterThan(fixtures.count, 20)
        for name in fixtures {
            let path = root.appendingPathComponent("Fixtures").appendingPathComponent(name).path
            for document in try TerraformReader.read(path: path, expecting: nil) {
                let evaluation = Evaluator.evaluate(try PictureBuilder.build(document), phase: nil)
                for line in TextReport.render(evaluation, style: TextStyle(colour: false)).split(separator: "\n") where line.count > TextReport.lineWidth {
                    let words = line.split(separator: " ")
                    let longest = words.map(\.count).max() ?? 0
                    XCTAssertTrue(words.count <= 3 && longest > TextReport.lineWidth / 2,
                                  "\(name): a line of \(line.count) columns that is not one long address: \(line)")
                }
            }
        }
    }

    func testHeaderReasonsWrapWithAHangingIndent() {
        let long = Array(repeating: "evidence", count: 40).joined(separator: " ")
        let lines = TextReport.headerLines("phase cutover (inferred: \(long))")
        XCTAssertGreaterThan(lines.count, 1)
        XCTAssertTrue(lines.allSatisfy { $0.count <= TextReport.lineWidth }, "\(lines)")
        XCTAssertTrue(lines[0].hasPrefix("  phase cutover"))
        XCTAssertTrue(lines.dropFirst().allSatisfy { $0.hasPrefix("      ") && !$0.hasPrefix("       ") })
    }

    func testNotesAboutTheDocumentAreInTheTextReport() throws {
        let evaluation = try ReportFixtures.brokenEvaluation()
        var noted = evaluation
        noted.notes = ["no declaration under --source-dir infra for aws_rds_cluster.core; its findings point at the plan instead"]
        let text = TextReport.render(noted, style: TextStyle(colour: false))
        XCTAssertTrue(text.contains("  note: no declaration under --source-dir infra for aws_rds_cluster.core"), text)
        XCTAssertFalse(TextReport.render(evaluation, style: TextStyle(colour: false)).contains("  note: "))
    }
}

extension TextReportWidthTests {
    func testNotesAboutTheDocumentAreInTheMarkdownReport() throws {
        var evaluation = try ReportFixtures.brokenEvaluation()
        evaluation.notes = ["no declaration under --source-dir infra for aws_rds_cluster.core\n::error::x"]
        let markdown = Reports.render(.markdown, ReportFixtures.input([evaluation]))
        XCTAssertTrue(markdown.contains("Note: no declaration under --source-dir infra for"), markdown)
        XCTAssertFalse(markdown.split(separator: "\n").contains { $0.hasPrefix("::") }, markdown)
    }
}
