import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckCLI
@testable import MigCheckTestSupport

/// `InProcess.run(arguments:environment:console:)` in this process: arguments, exit codes, the
/// environment and the one-line diagnostics, without starting the binary.
final class CommandLineInProcessTests: XCTestCase {
    private var fixtures: String { PackagePaths.packageRoot.appendingPathComponent("Fixtures").path }

    func testUsageErrorsAreExitTwoWithOneLine() {
        let cases: [([String], String)] = [
            (["--bogus", "plan.json"], "migcheck: error: unknown option '--bogus' (see migcheck --help)\n"),
            (["--phase", "sideways", "plan.json"],
             "migcheck: error: --phase: expected prepare, full-load, cutover or cleanup, found 'sideways'\n"),
            (["--fail-on", "never", "--fail-on=warning", "plan.json"], "migcheck: error: --fail-on given twice; it takes one value\n"),
            (["check"], "migcheck: error: missing FILE (see migcheck --help)\n"),
            (["--format"], "migcheck: error: --format needs a value\n"),
            (["-", "-"], "migcheck: error: standard input ('-') can be read only once\n"),
            (["explain", "MIG999"], "migcheck: error: no rule 'MIG999' (see migcheck rules)\n"),
            (["--phase", "a\nb", "plan.json"],
             "migcheck: error: --phase: expected prepare, full-load, cutover or cleanup, found 'a\\u000ab'\n"),
        ]
        for (arguments, line) in cases {
            let result = InProcess.run(arguments)
            XCTAssertEqual(result.exitCode, .badInput, "\(arguments)")
            XCTAssertEqual(result.stderr, line, "\(arguments)")
            XCTAssertEqual(result.stdout, "", "\(arguments)")
        }
    }

    func testHelpAndVersionAreExitZero() {
        let version = InProcess.run(["--version"])
        XCTAssertEqual(version.exitCode, .clean)
        XCTAssertEqual(version.stdout, "migcheck \(MigCheckVersion.described(commit: buildCommit))\n")
        let help = InProcess.run(["help"])
        XCTAssertEqual(help.exitCode, .clean)
        XCTAssertTrue(help.stdout.hasPrefix("USAGE: migcheck"), help.stdout)
        XCTAssertEqual(help.stderr, "")
    }

    func testExitCodesFollowTheFindings() {
        let failing = "\(fixtures)/rules/MIG004-writer-tier-0.prepare.plan.json"
        XCTAssertEqual(InProcess.run(["\(fixtures)/full-load/plan.json"]).exitCode, .clean)
        XCTAssertEqual(InProcess.run([failing]).exitCode, .findings)
        XCTAssertEqual(InProcess.run(["--fail-on", "never", failing]).exitCode, .clean)
        let unknownCluster = InProcess.run(["--source", "aws_rds_cluster.nope", "\(fixtures)/full-load/plan.json"])
        XCTAssertEqual(unknownCluster.exitCode, .badInput)
        XCTAssertEqual(unknownCluster.stderr.filter { $0 == "\n" }.count, 1, unknownCluster.stderr)
        XCTAssertTrue(unknownCluster.stderr.hasPrefix("migcheck: error: --source aws_rds_cluster.nope names no aws_rds_cluster"),
                      unknownCluster.stderr)
    }

    func testAnUnreadableDocumentIsOneLineNamingIt() {
        let missing = "\(fixtures)/no-such-plan.json"
        let result = InProcess.run([missing, "\(fixtures)/full-load/plan.json"])
        XCTAssertEqual(result.exitCode, .badInput)
        XCTAssertTrue(result.stderr.hasPrefix("\(missing)"), result.stderr)
        XCTAssertTrue(result.stderr.contains(": error: "), result.stderr)
        XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, result.stderr)
        // The other file is still checked and reported.
        XCTAssertTrue(result.stdout.contains("0 errors"), result.stdout)
    }

    func testNoColorTurnsColourOffOnATerminal() {
        let failing = "\(fixtures)/rules/MIG004-writer-tier-0.prepare.plan.json"
        XCTAssertTrue(InProcess.run([failing], terminal: true).stdout.contains("\u{1B}["))
        XCTAssertFalse(InProcess.run([failing], environment: ["NO_COLOR": ""], terminal: true).stdout.contains("\u{1B}["))
        XCTAssertFalse(InProcess.run([failing], terminal: false).stdout.contains("\u{1B}["))
    }

    func testAFailedWriteToStandardOutputIsExitTwo() {
        let result = InProcess.run(["--version"], outputFailure: EIO)
        XCTAssertEqual(result.exitCode, .badInput)
        XCTAssertEqual(result.stderr, "migcheck: error: cannot write standard output: \(String(cString: strerror(EIO)))\n")
    }

    func testDiagnosticsNameTheirFileAndPosition() {
        let input = InputError(file: "plan.json", position: SourcePosition(line: 3, column: 7), message: "expected a value")
        XCTAssertEqual(input.diagnosticLine, "plan.json:3:7: error: expected a value")
        XCTAssertEqual(input.diagnosticLocation, DiagnosticLocation(file: "plan.json", position: SourcePosition(line: 3, column: 7)))
        let usage: any Diagnostic = UsageError(message: "missing FILE")
        XCTAssertEqual(usage.diagnosticLine, "migcheck: error: missing FILE")
        XCTAssertNil(usage.diagnosticLocation)
    }
}
