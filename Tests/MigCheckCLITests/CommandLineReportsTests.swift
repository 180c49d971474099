import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckCLI
@testable import MigCheckTestSupport

/// What the command line adds to the reports, in-process: inline suppressions under
/// --source-dir, a plan with no migration, the rule pages and --rules-url.
final class CommandLineReportsTests: XCTestCase {
    func testTheCommandLineAppliesInlineSuppressionsAndNotesWhatItCouldNotLocate() throws {
        let root = try scratchDirectory().path
        // Above the module call: the suppression covers every resource inside it (the example's
        // target instances are module.target[0].aws_rds_cluster_instance.this[...]).
        try ScratchFiles.write(in: root, "infra/main.tf", """
        # migcheck:ignore MIG004 reason="tier 0 writer agreed with the DBAs" expires=2099-01-31
        module "target" {
          source = "./modules/aurora-target"
          count  = local.has_target ? 1 : 0
        }
        """)
        let plan = PackagePaths.packageRoot.appendingPathComponent("Fixtures/rules/MIG004-writer-tier-0.prepare.plan.json").path
        let result = InProcess.run(["--format", "sarif", "--source-dir", root + "/infra", plan])
        XCTAssertEqual(result.status, 0, "the suppressed MIG004 does not gate: " + result.stderr)
        XCTAssertTrue(result.stdout.contains("\"kind\": \"inSource\""), String(result.stdout.prefix(3000)))
        let notes = result.stderr.split(separator: "\n").filter { $0.hasPrefix("migcheck: note: no declaration under --source-dir") }
        XCTAssertEqual(notes.count, 1, result.stderr)
        XCTAssertTrue(notes.first?.contains("aws_rds_cluster.source[0]") == true, result.stderr)
    }

    func testNoMigrationExitsZeroWithTheLineAndOneWithAPhase() throws {
        let scratch = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let plan = scratch.appendingPathComponent("plan.json")
        try TerraformSamples.terraformDataPlan.write(to: plan, atomically: true, encoding: .utf8)
        let results = InProcess.runAll([
            ["--fail-on", "warning", plan.path],
            ["--fail-on", "error", plan.path],
            ["--fail-on", "warning", "--phase", "cutover", plan.path],
        ])
        XCTAssertEqual(results.map(\.status), [0, 0, 1], results.map(\.stderr).joined(separator: "\n"))
        XCTAssertTrue(results[0].stdout.contains("\n  no migration in this plan: no Aurora PostgreSQL cluster"), results[0].stdout)
        XCTAssertTrue(results[2].stdout.contains("phase cutover (named by --phase)"), results[2].stdout)
    }

    func testTheCommandLineWritesAndPrintsThePages() throws {
        let scratch = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let directory = scratch.appendingPathComponent("rules").path
        let plan = PackagePaths.packageRoot.appendingPathComponent("Fixtures/rules/MIG004-writer-tier-0.prepare.plan.json").path
        let results = InProcess.runAll([
            ["rules", "--markdown-dir", directory],
            ["rules"],
            ["explain", "MIG900"],
            ["explain", "MIG006", "--format", "markdown"],
            ["rules", "--format", "markdown"],
            ["--format", "sarif", "--rules-url", "https://git.example.org/fork/docs/rules/", plan],
            ["--rules-url", "https://example.org/\u{1b}[2J", plan],
            ["--rules-url", "http://example.org/rules", plan],
            ["explain", "MIG006", "--format", "sarif"],
            ["explain", "MIG006", "--markdown-dir", directory],
        ])
        XCTAssertEqual(results.map(\.status), [0, 0, 0, 0, 0, 1, 2, 2, 2, 2], results.map(\.stderr).joined(separator: "\n"))
        for page in RuleDocs.pages() {
            XCTAssertEqual(try String(contentsOfFile: "\(directory)/\(page.name)", encoding: .utf8), page.text, page.name)
        }
        XCTAssertTrue(results[1].stdout.contains("MIG900  expired-suppression"), results[1].stdout)
        XCTAssertTrue(results[2].stdout.contains("expired-suppression") && results[2].stdout.contains("Example that fails"), results[2].stdout)
        XCTAssertEqual(results[3].stdout, RuleDocs.page(RotationWindowRule.description))
        XCTAssertEqual(results[4].stdout, RuleDocs.index())
        XCTAssertTrue(results[5].stdout.contains("\"helpUri\": \"https://git.example.org/fork/docs/rules/MIG004.md\""), results[5].stdout.prefix(3000) + "")
        XCTAssertTrue(results[6].stderr.hasPrefix("migcheck: error: --rules-url: "), results[6].stderr)
        XCTAssertFalse(results[6].stderr.contains("\u{1b}"), "the error echoes an escape sequence raw")
        XCTAssertTrue(results[6].stderr.contains("\\u001b"), results[6].stderr)
        XCTAssertTrue(results[7].stderr.contains("not an https URL"), results[7].stderr)
    }
}
