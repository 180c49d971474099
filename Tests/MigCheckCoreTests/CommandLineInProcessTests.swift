import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckCLI

/// `run(arguments:environment:console:)` in this process: arguments, exit codes, the
/// environment and the one-line diagnostics, without starting the binary.
final class CommandLineInProcessTests: XCTestCase {
    private final class Capture {
        var output = ""
        var error = ""
    }

    private var fixtures: String { PolicyTests.packageRoot.appendingPathComponent("Fixtures").path }

    private func run(_ arguments: [String], environment: [String: String] = [:], terminal: Bool = false,
                     outputFailure: Int32? = nil) -> (status: ExitCode, output: String, error: String) {
        let capture = Capture()
        let console = Console(writeOutput: { text in
                                  if let outputFailure { return outputFailure }
                                  capture.output += text
                                  return nil
                              },
                              writeError: { capture.error += $0 },
                              isTerminal: { terminal })
        let status = MigCheckCLI.run(arguments: arguments, environment: environment, console: console)
        return (status, capture.output, capture.error)
    }

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
            let result = run(arguments)
            XCTAssertEqual(result.status, .badInput, "\(arguments)")
            XCTAssertEqual(result.error, line, "\(arguments)")
            XCTAssertEqual(result.output, "", "\(arguments)")
        }
    }

    func testHelpAndVersionAreExitZero() {
        let version = run(["--version"])
        XCTAssertEqual(version.status, .clean)
        XCTAssertEqual(version.output, "migcheck \(MigCheckVersion.described(commit: buildCommit))\n")
        let help = run(["help"])
        XCTAssertEqual(help.status, .clean)
        XCTAssertTrue(help.output.hasPrefix("USAGE: migcheck"), help.output)
        XCTAssertEqual(help.error, "")
    }

    func testExitCodesFollowTheFindings() {
        let failing = "\(fixtures)/rules/MIG004-writer-tier-0.prepare.plan.json"
        XCTAssertEqual(run(["\(fixtures)/full-load/plan.json"]).status, .clean)
        XCTAssertEqual(run([failing]).status, .findings)
        XCTAssertEqual(run(["--fail-on", "never", failing]).status, .clean)
        let unknownCluster = run(["--source", "aws_rds_cluster.nope", "\(fixtures)/full-load/plan.json"])
        XCTAssertEqual(unknownCluster.status, .badInput)
        XCTAssertEqual(unknownCluster.error.filter { $0 == "\n" }.count, 1, unknownCluster.error)
        XCTAssertTrue(unknownCluster.error.hasPrefix("migcheck: error: --source aws_rds_cluster.nope names no aws_rds_cluster"),
                      unknownCluster.error)
    }

    func testAnUnreadableDocumentIsOneLineNamingIt() {
        let missing = "\(fixtures)/no-such-plan.json"
        let result = run([missing, "\(fixtures)/full-load/plan.json"])
        XCTAssertEqual(result.status, .badInput)
        XCTAssertTrue(result.error.hasPrefix("\(missing)"), result.error)
        XCTAssertTrue(result.error.contains(": error: "), result.error)
        XCTAssertEqual(result.error.filter { $0 == "\n" }.count, 1, result.error)
        // The other file is still checked and reported.
        XCTAssertTrue(result.output.contains("0 errors"), result.output)
    }

    func testNoColorTurnsColourOffOnATerminal() {
        let failing = "\(fixtures)/rules/MIG004-writer-tier-0.prepare.plan.json"
        XCTAssertTrue(run([failing], terminal: true).output.contains("\u{1B}["))
        XCTAssertFalse(run([failing], environment: ["NO_COLOR": ""], terminal: true).output.contains("\u{1B}["))
        XCTAssertFalse(run([failing], terminal: false).output.contains("\u{1B}["))
    }

    func testAFailedWriteToStandardOutputIsExitTwo() {
        let result = run(["--version"], outputFailure: EIO)
        XCTAssertEqual(result.status, .badInput)
        XCTAssertEqual(result.error, "migcheck: error: cannot write standard output: \(String(cString: strerror(EIO)))\n")
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
