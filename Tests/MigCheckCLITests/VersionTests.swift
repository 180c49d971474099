import XCTest
@testable import MigCheckFoundation
@testable import MigCheckCLI
@testable import MigCheckTestSupport

/// `migcheck --version` (`0.1.0 (abc1234)`), and the one version every place that shows it
/// agrees on: CHANGELOG.md's latest release, SARIF, JSON, JUnit and Markdown.
final class VersionTests: XCTestCase {
    private static let shape = #"^\d+\.\d+\.\d+ \(([0-9a-f]{7}|unknown commit)\)$"#

    private var packageRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return url
    }

    private func run(_ arguments: [String]) -> (status: ExitCode, output: String) {
        final class Capture { var output = "" }
        let capture = Capture()
        let console = Console(writeOutput: { capture.output += $0; return nil }, writeError: { _ in }, isTerminal: { false })
        let status = MigCheckCLI.run(arguments: arguments, environment: [:], console: console)
        return (status, capture.output)
    }

    private func matchesShape(_ text: String) -> Bool {
        text.range(of: Self.shape, options: .regularExpression) != nil
    }

    func testVersionNamesTheSemanticVersionAndTheCommit() {
        let printed = run(["--version"])
        XCTAssertEqual(printed.status, .clean)
        XCTAssertEqual(printed.output, "migcheck \(MigCheckVersion.described(commit: buildCommit))\n")
        XCTAssertTrue(matchesShape(MigCheckVersion.described(commit: buildCommit)), printed.output)
        XCTAssertEqual(MigCheckVersion.described(commit: nil), "\(MigCheckVersion.current) (unknown commit)")
        XCTAssertTrue(matchesShape(MigCheckVersion.described(commit: nil)))
        XCTAssertTrue(matchesShape(MigCheckVersion.described(commit: "0a1b2c3")))
        XCTAssertFalse(matchesShape(MigCheckVersion.described(commit: "")), "an empty commit is no commit")
        XCTAssertFalse(matchesShape("0.1 (0a1b2c3)"))
    }

    /// Built in a git checkout without MIGCHECK_BUILD_COMMIT, the commit is the checkout's HEAD.
    func testTheCommitIsTheCheckoutsHead() throws {
        guard ProcessInfo.processInfo.environment["MIGCHECK_BUILD_COMMIT"] == nil else {
            throw XCTSkip("MIGCHECK_BUILD_COMMIT is set: the build took the commit from it; skipping")
        }
        guard FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent(".git").path),
              let git = ExternalTools.run(["git", "-C", packageRoot.path, "rev-parse", "HEAD"]), git.status == 0 else {
            throw XCTSkip("not a git checkout, or no git: the commit cannot be compared; skipping")
        }
        XCTAssertEqual(buildCommit, String(git.output.prefix(7)),
                       "built from another commit than HEAD (a commit since the build? run swift build again)")
    }

    /// The version is written once (Version.swift); the changelog's latest release names it.
    func testTheChangelogsLatestReleaseIsTheVersion() throws {
        let changelog = try String(contentsOf: packageRoot.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        let releases = changelog.split(separator: "\n").filter { $0.hasPrefix("## [") && !$0.hasPrefix("## [Unreleased]") }
        let latest = try XCTUnwrap(releases.first, "CHANGELOG.md has no released entry")
        XCTAssertTrue(latest.hasPrefix("## [\(MigCheckVersion.current)] - "),
                      "CHANGELOG.md's latest release is '\(latest)', Version.swift says \(MigCheckVersion.current)")
        XCTAssertTrue(changelog.contains("\n[\(MigCheckVersion.current)]: "), "CHANGELOG.md has no link for \(MigCheckVersion.current)")
    }

    /// Every report names the semantic version alone: the same plan gives the same report at any commit.
    func testReportsCarryTheSemanticVersion() throws {
        let plan = packageRoot.appendingPathComponent("Fixtures/full-load/plan.json").path
        let version = MigCheckVersion.current
        let sarif = run(["--format", "sarif", plan]).output
        let log = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        let runs = try XCTUnwrap(log["runs"] as? [[String: Any]])
        XCTAssertFalse(runs.isEmpty)
        for sarifRun in runs {
            let driver = try XCTUnwrap((sarifRun["tool"] as? [String: Any])?["driver"] as? [String: Any])
            XCTAssertEqual(driver["semanticVersion"] as? String, version)
            XCTAssertEqual(driver["version"] as? String, version)
        }
        let json = run(["--format", "json", plan]).output
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual((report["tool"] as? [String: Any])?["version"] as? String, version)
        XCTAssertTrue(run(["--format", "junit", plan]).output.contains("name=\"migcheckVersion\" value=\"\(version)\""))
        XCTAssertTrue(run(["--format", "markdown", plan]).output.contains("<sub>migcheck \(version)</sub>"))
        if let commit = buildCommit {
            for format in ["text", "json", "sarif", "junit", "github", "markdown"] {
                XCTAssertFalse(run(["--format", format, plan]).output.contains(commit), "\(format) names the commit")
            }
        }
    }
}
