import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckCLI
@testable import MigCheckTestSupport

/// The shell's manners, in-process: exit codes, formats, files, help.
final class CommandLineTests: XCTestCase {
    private var fixtures: String { PackagePaths.packageRoot.appendingPathComponent("Fixtures").path }

    func testExitCodesFollowTheFindings() throws {
        let results = InProcess.runAll([
            ["\(fixtures)/full-load/plan.json"],
            ["\(fixtures)/rules/MIG004-writer-tier-0.prepare.plan.json"],
            ["--fail-on", "never", "\(fixtures)/rules/MIG004-writer-tier-0.prepare.plan.json"],
            ["--fail-on", "warning", "\(fixtures)/rules/MIG011-dms-module-kept.cleanup.plan.json"],
            ["\(fixtures)/rules/MIG011-dms-module-kept.cleanup.plan.json"],
            ["--phase", "sideways", "\(fixtures)/full-load/plan.json"],
            ["--source", "aws_rds_cluster.nope", "\(fixtures)/full-load/plan.json"],
        ])
        XCTAssertEqual(results.map(\.status), [0, 1, 0, 1, 0, 2, 2], results.map(\.stderr).joined(separator: "\n"))
        XCTAssertTrue(results[0].stdout.contains("0 errors, 0 warnings, 0 unverified in"), results[0].stdout)
        XCTAssertTrue(results[1].stdout.contains("MIG004"), results[1].stdout)
        XCTAssertTrue(results[5].stderr.hasPrefix("migcheck: error: --phase: expected prepare, full-load, cutover or cleanup"), results[5].stderr)
        XCTAssertTrue(results[6].stderr.contains("names no aws_rds_cluster"), results[6].stderr)
        XCTAssertEqual(results[6].stderr.split(separator: "\n").count, 1)
    }

    func testEveryFormatCanGoToStandardOutputAndToFiles() throws {
        let scratch = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let plan = "\(fixtures)/rules/MIG010-target-endpoint-on-source.full-load.plan.json"
        // One file per format: text and github share `.txt`, and two outputs naming one file are refused.
        let outputs = ReportFormat.allCases.map { "\($0.rawValue)=\(scratch.path)/report-\($0.rawValue).\($0.fileExtension)" }
        let result = InProcess.run(["--format", "json"] + outputs.flatMap { ["--output", $0] } + [plan])
        XCTAssertEqual(result.status, 1, result.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(json?["schemaVersion"] as? Int, 1)
        for format in ReportFormat.allCases {
            let text = try String(contentsOfFile: "\(scratch.path)/report-\(format.rawValue).\(format.fileExtension)", encoding: .utf8)
            XCTAssertTrue(text.contains("MIG010"), "\(format) report lacks the finding")
            XCTAssertFalse(text.contains("CANARY"), "\(format) report leaks a sensitive value")
        }
        let categorised = InProcess.run(["--format", "sarif", "--sarif-category", "migcheck-production", plan])
        XCTAssertTrue(categorised.stdout.contains("\"id\": \"migcheck-production/\""), categorised.stdout.prefix(2000) + "")
        let unwritable = InProcess.run(["--output", "sarif=/nonexistent-dir/x.sarif", plan])
        XCTAssertEqual(unwritable.status, 2)
        XCTAssertTrue(unwritable.stderr.contains("cannot write the sarif report"), unwritable.stderr)
    }

    func testSourceDirectoryPointsFindingsAtTheTerraformFiles() throws {
        // The plan is Terraform's own of the example's configuration (a break at promotion tier 0):
        // the finding on module.target[0].aws_rds_cluster_instance.this["1"] follows the module
        // call in main.tf to the block in modules/aurora-target/main.tf.
        let example = PackagePaths.packageRoot.appendingPathComponent("examples/aurora-dms-migration").path
        let module = try String(contentsOfFile: example + "/modules/aurora-target/main.tf", encoding: .utf8)
        let declaration = try XCTUnwrap(module.components(separatedBy: "\n").firstIndex { $0.hasPrefix(#"resource "aws_rds_cluster_instance" "this""#) })
        let plan = "\(fixtures)/rules/MIG004-writer-tier-0.prepare.plan.json"
        let result = InProcess.run(["--format", "github", "--source-dir", example, plan])
        XCTAssertEqual(result.status, 1, result.stderr)
        let line = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.contains("title=MIG004") })
        XCTAssertTrue(line.contains("file=\(example)/modules/aurora-target/main.tf,line=\(declaration + 1),"), String(line))
    }

    func testHelpVersionAndTheRuleCatalogue() throws {
        let results = InProcess.runAll([["--help"], ["--version"], ["rules"], ["explain", "MIG006"], ["explain", "MIG999"], []])
        XCTAssertEqual(results.map(\.status), [0, 0, 0, 0, 2, 2])
        XCTAssertTrue(results[0].stdout.contains("EXAMPLES:"))
        XCTAssertEqual(results[1].stdout, "migcheck \(MigCheckVersion.described(commit: buildCommit))\n")
        XCTAssertEqual(results[2].stdout.components(separatedBy: "\n").filter { $0.hasPrefix("MIG0") }.count, RuleRegistry.rules.count + RuleRegistry.readinessRules.count)
        XCTAssertTrue(results[3].stdout.contains("Runbook:") && results[3].stdout.contains("Example that fails"), results[3].stdout)
        XCTAssertTrue(results[5].stderr.contains("missing FILE"), results[5].stderr)
    }
}
