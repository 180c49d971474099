import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReports
@testable import MigCheckCLI
@testable import MigCheckTestSupport

/// How `migcheck ready` reads in every format: findings named by the evidence file and line they
/// point at (never `(plan-wide)`), the summary counting evidence files, SARIF listing the evidence
/// as artifacts, and no planted canary from the evidence anywhere.
final class ReadinessWordingTests: XCTestCase {
    /// The command line in-process, as the tests below read it.
    private func run(_ arguments: [String]) -> (status: ExitCode, output: String, error: String) {
        let result = InProcess.run(arguments)
        return (result.exitCode, result.stdout, result.stderr)
    }

    private func evidence(_ scenario: String) -> String { EvidenceFixtures.path(scenario) }

    private var state: String { PackagePaths.packageRoot.appendingPathComponent("Fixtures/cutover/state.json").path }

    private func ready(_ scenario: String, _ format: String, joined: Bool = false) -> String {
        let result = run(["ready", "--phase", "cutover", "--now", "2026-11-20T12:00:00Z", "--format", format,
                          "--evidence", evidence(scenario)] + (joined ? [state] : []))
        XCTAssertEqual(result.error, "", "\(scenario) \(format)")
        XCTAssertNotEqual(result.status, .badInput, "\(scenario) \(format): \(result.error)")
        return result.output
    }

    private func evidenceFiles(_ scenario: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: evidence(scenario)).filter { $0.hasSuffix(".json") }.sorted()
            .map { "\(evidence(scenario))/\($0)" }
    }

    func testNoFormatCallsAnEvidenceFindingPlanWide() {
        for scenario in ["cutover-checked", "errored-tables", "pending-reboot"] {
            for format in ReportFormat.allCases.map(\.rawValue) {
                for joined in [false, true] {
                    let output = ready(scenario, format, joined: joined)
                    XCTAssertTrue(output.contains("MIG017"), "\(scenario) \(format) joined \(joined): \(output)")
                    XCTAssertFalse(output.contains("(plan-wide)"), "\(scenario) \(format) joined \(joined): \(output)")
                    XCTAssertFalse(output.contains(" in 0 resources"), "\(scenario) \(format) joined \(joined): \(output)")
                }
            }
        }
    }

    func testTextAndJSONSummariesCountTheEvidenceFiles() throws {
        let count = try evidenceFiles("errored-tables").count
        XCTAssertEqual(count, 11)
        let text = ready("errored-tables", "text")
        XCTAssertTrue(text.contains("3 errors, 0 warnings, 1 unverified in 11 evidence files; phase cutover"), text)
        let joined = ready("errored-tables", "text", joined: true)
        XCTAssertTrue(joined.contains("1 unverified in 11 evidence files joined to 32 resources; phase cutover"), joined)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ready("errored-tables", "json").utf8)) as? [String: Any])
        let documents = try XCTUnwrap(json["documents"] as? [[String: Any]])
        let summary = try XCTUnwrap(documents.first?["summary"] as? [String: Any])
        XCTAssertEqual(summary["text"] as? String, "4 causes: 3 errors, 0 warnings, 1 unverified in 11 evidence files; phase cutover")
    }

    func testGitHubAnnotationsNameTheEvidenceFileAndLine() {
        let tasks = "\(evidence("errored-tables"))/describe-replication-tasks.json"
        let lines = ready("errored-tables", "github").split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("::error file=\(GitHubAnnotations.escapeProperty(tasks)),line=3,")
                && $0.contains("title=MIG015::\(tasks):3: DMS task app-production-migration has 1 table in error") },
                      lines.joined(separator: "\n"))
        // Joined to the state, a finding about a resource is named by its address, as in a plan report.
        let joined = ready("errored-tables", "github", joined: true)
        XCTAssertTrue(joined.contains("title=MIG015::module.dms[0].aws_dms_replication_task.migration: DMS task"), joined)
        XCTAssertTrue(joined.contains("title=MIG017 (unverified)::\(evidence("errored-tables"))/describe-secret.source.json:1: the planned end"), joined)
    }

    func testJUnitNamesTheEvidenceAndKeepsOneCasePerReadinessRule() {
        let xml = ready("errored-tables", "junit")
        let directory = evidence("errored-tables")
        XCTAssertTrue(xml.contains("<testcase name=\"\(directory)/describe-replication-tasks.json:3, \(directory)/describe-table-statistics.json:22\" "
            + "classname=\"\(directory).MIG015\""), xml)
        XCTAssertTrue(xml.contains("<testcase name=\"\(directory)/describe-db-cluster-snapshots.json:3\" classname=\"\(directory).MIG016\""), xml)
        // The failure's line starts with the location and does not name it twice.
        XCTAssertTrue(xml.contains(">\(directory)/describe-replication-tasks.json:3:9: error MIG015 DMS task app-production-migration"), xml)
        XCTAssertEqual(xml.components(separatedBy: "describe-replication-tasks.json:3").count - 1, 2, "the case's name and its failure line")
    }

    func testMarkdownNamesTheEvidenceFileAndLineAndCountsTheFiles() {
        let markdown = ready("pending-reboot", "markdown")
        XCTAssertTrue(markdown.contains("2 errors, 0 warnings, 1 unverified in 11 evidence files of 1 document."), markdown)
        XCTAssertTrue(markdown.contains("| | rule | resource or evidence | finding |"), markdown)
        XCTAssertTrue(markdown.contains("| ❌ error | MIG014 | <code>\(MarkdownReport.inline(evidence("pending-reboot")))/describe-db-clusters.json:35</code> |"),
                      markdown)
        // The table's column says what was read, as the summaries do, not 0 resources.
        XCTAssertTrue(markdown.contains("| document | phase | errors | warnings | unverified | notes | suppressed | read | result |"), markdown)
        XCTAssertTrue(markdown.contains(" | 2 | 0 | 1 | 0 | 0 | 11 evidence files | ❌ fails |"), markdown)
        let joined = ready("pending-reboot", "markdown", joined: true)
        XCTAssertTrue(joined.contains("in 11 evidence files joined to 32 resources of 1 document."), joined)
        XCTAssertTrue(joined.contains(" | 11 evidence files joined to 32 resources | ❌ fails |"), joined)
    }

    func testSARIFListsTheEvidenceFilesAsArtifactsAndNamesThemInMessages() throws {
        for joined in [false, true] {
            let log = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ready("pending-reboot", "sarif", joined: joined).utf8)) as? [String: Any])
            let run = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
            let artifacts = try XCTUnwrap(run["artifacts"] as? [[String: Any]])
            XCTAssertEqual(artifacts.compactMap { ($0["location"] as? [String: Any])?["uri"] as? String },
                           try evidenceFiles("pending-reboot").map(SARIFReport.uriReference))
            XCTAssertTrue(artifacts.allSatisfy { $0["roles"] as? [String] == ["analysisTarget"] })
            let messages = try XCTUnwrap(run["results"] as? [[String: Any]]).compactMap { ($0["message"] as? [String: Any])?["text"] as? String }
            XCTAssertTrue(messages.contains("unverified: \(evidence("pending-reboot"))/describe-secret.source.json:1: "
                + "the planned end of the migration is not set, so whether rds!cluster-00000000-0000-4000-8000-000000000001 and "
                + "rds!cluster-00000000-0000-4000-8000-000000000003 rotate before it cannot be checked; set \"plannedEnd\" "
                + "(ISO 8601, e.g. 2026-12-31T18:00:00Z) in the policy's rules.MIG017.parameters"), "\(messages)")
        }
        // A plan's SARIF run names no artifacts, as before.
        let plan = run(["check", "--format", "sarif", PackagePaths.packageRoot.appendingPathComponent("Fixtures/cutover/plan.json").path])
        XCTAssertFalse(plan.output.contains("\"artifacts\""), plan.output)
    }

    func testNoCanaryFromTheEvidenceReachesAnyFormat() throws {
        let scenarios = try FileManager.default.contentsOfDirectory(atPath: PackagePaths.packageRoot.appendingPathComponent("Fixtures/evidence").path)
            .filter { !$0.hasSuffix(".md") }.sorted()
        XCTAssertGreaterThanOrEqual(scenarios.count, 11)
        var planted = 0
        for scenario in scenarios {
            for file in try evidenceFiles(scenario) where try String(contentsOfFile: file, encoding: .utf8).contains("CANARY") { planted += 1 }
            for format in ReportFormat.allCases.map(\.rawValue) {
                for joined in [false, true] {
                    let output = ready(scenario, format, joined: joined)
                    XCTAssertFalse(output.isEmpty && format != "github", "\(scenario) \(format)")
                    XCTAssertFalse(output.contains("CANARY"), "\(scenario) \(format) joined \(joined)")
                }
            }
        }
        XCTAssertGreaterThan(planted, 0, "the fixtures plant canaries, so this test can fail")
    }
}
