import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// Runs the rules over every document in `Fixtures/` (the healthy plan and state of each
/// phase, and the breaking variants in `Fixtures/rules/`) and compares the findings with
/// `Fixtures/expected/<path with / replaced by __>.findings`: one `RULE SEVERITY KIND ADDRESS`
/// line per finding (`-` for a plan-wide one), sorted. See Fixtures/README.md for what each
/// fixture breaks and why each expected line is there.
final class FixtureFindingsTests: XCTestCase {
    static let ruleIDs = RuleRegistry.rules.map { $0.description.id }

    /// One fixture document: its path relative to `Fixtures/`, its phase and what the rules found.
    struct FixtureResult: Sendable {
        let relativePath: String
        let phase: Phase
        let lines: [String]
    }

    /// Every fixture evaluated once for all tests, with what could not be read.
    struct Run: Sendable {
        var results: [FixtureResult] = []
        var problems: [String] = []
    }

    // MARK: - Locating the fixtures

    /// The phase of a fixture: its folder (`cutover/plan.json`) or, under `rules/`, the last
    /// dotted part of its name before the extension (`MIG006-rate-30-days.prepare.plan.json`).
    static func phase(of relativePath: String) -> Phase? {
        let parts = relativePath.split(separator: "/").map(String.init)
        if parts.count == 2, let phase = Phase(rawValue: parts[0]) { return phase }
        guard let name = parts.last else { return nil }
        for suffix in [".plan.json", ".state.json", ".tfstate", ".json"] where name.hasSuffix(suffix) {
            let stem = name.dropLast(suffix.count)
            guard let dot = stem.lastIndex(of: ".") else { return nil }
            return Phase(rawValue: String(stem[stem.index(after: dot)...]))
        }
        return nil
    }

    static func expectedName(of relativePath: String) -> String {
        relativePath.replacingOccurrences(of: "/", with: "__") + ".findings"
    }

    static func line(_ finding: Finding) -> String {
        "\(finding.ruleID) \(finding.severity.rawValue) \(finding.kind.rawValue) \(finding.address ?? "-")"
    }

    // MARK: - Evaluating them (once for all tests)

    static let run: Run = {
        var run = Run()
        guard let root = PackagePaths.root?.appendingPathComponent("Fixtures") else {
            run.problems.append("no Package.swift above \(#filePath)")
            return run
        }
        for relative in PackagePaths.fixturePaths(in: root) {
            guard let phase = phase(of: relative) else {
                run.problems.append("\(relative): no phase in its folder or name (e.g. rules/MIG006-rate-30-days.prepare.plan.json)")
                continue
            }
            do {
                let documents = try TerraformReader.read(path: root.appendingPathComponent(relative).path)
                if documents.isEmpty { run.problems.append("\(relative): no Terraform document") }
                var lines: [String] = []
                for document in documents {
                    let picture = try PictureBuilder.build(document)
                    let evaluation = Evaluator.evaluate(picture, phase: phase, phaseOrigin: "the fixture's name")
                    lines += evaluation.findings.map(line)
                }
                run.results.append(FixtureResult(relativePath: relative, phase: phase, lines: lines.sorted()))
            } catch {
                run.problems.append("\(relative): \(error)")
            }
        }
        return run
    }()

    static func results() throws -> [FixtureResult] {
        _ = try PackagePaths.fixturesDirectory()
        XCTAssertEqual(run.problems, [], "fixtures that cannot be evaluated")
        XCTAssertFalse(run.results.isEmpty, "no fixtures found")
        return run.results
    }

    // MARK: - Tests

    func testFindingsMatchTheExpectedFiles() throws {
        let results = try Self.results()
        XCTAssertFalse(results.isEmpty, "no fixtures found")
        let expectedDirectory = try PackagePaths.fixturesDirectory().appendingPathComponent("expected")
        for result in results {
            let url = expectedDirectory.appendingPathComponent(Self.expectedName(of: result.relativePath))
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                XCTFail("\(result.relativePath) has no expected findings file \(url.lastPathComponent) in Fixtures/expected/; it found:\n"
                    + result.lines.joined(separator: "\n"))
                continue
            }
            let expected = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            XCTAssertEqual(expected, expected.sorted(), "\(url.lastPathComponent) is not sorted")
            if result.lines != expected.sorted() {
                let missing = expected.filter { !result.lines.contains($0) }
                let unexpected = result.lines.filter { !expected.contains($0) }
                XCTFail("\(result.relativePath) (phase \(result.phase)): findings differ from \(url.lastPathComponent)\n"
                    + "  found:      \(result.lines)\n  expected:   \(expected.sorted())\n"
                    + "  not found:  \(missing)\n  unexpected: \(unexpected)")
            }
        }
    }

    func testEveryExpectedFileBelongsToAFixture() throws {
        let root = try PackagePaths.fixturesDirectory()
        let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("expected").path)
            .filter { !$0.hasPrefix(".") }
        let wanted = Set(PackagePaths.fixturePaths(in: root).map(Self.expectedName))
        for name in names.sorted() where !wanted.contains(name) {
            XCTFail("Fixtures/expected/\(name) belongs to no fixture")
        }
    }

    func testEveryRuleFailsInABreakingPlanOfItsOwn() throws {
        let results = try Self.results()
        XCTAssertEqual(Set(RuleRegistry.descriptions.map(\.id)), Set(Self.ruleIDs), "the rule catalogue changed: update this test and the fixtures")
        for id in Self.ruleIDs {
            let own = results.filter { $0.relativePath.hasPrefix("rules/\(id)-") && $0.relativePath.hasSuffix(".plan.json") }
            XCTAssertFalse(own.isEmpty, "no breaking plan Fixtures/rules/\(id)-<slug>.<phase>.plan.json")
            let failing = own.filter { result in
                result.lines.contains { $0.hasPrefix("\(id) error fail ") || $0.hasPrefix("\(id) warning fail ") }
            }
            XCTAssertFalse(failing.isEmpty, "\(id) fails (kind fail, not a note) in none of its breaking plans \(own.map(\.relativePath))")
        }
    }

    func testEveryPhaseHasAHealthyPlan() throws {
        let results = try Self.results()
        for phase in Phase.allCases {
            guard let healthy = results.first(where: { $0.relativePath == "\(phase.rawValue)/plan.json" }) else {
                XCTFail("no healthy plan Fixtures/\(phase.rawValue)/plan.json")
                continue
            }
            // Terraform's own plans (Fixtures/README.md): the e2e gate's verdict, --fail-on error,
            // so no error; the warnings they carry are in expected/ and explained in the README.
            let errors = healthy.lines.filter { $0.split(separator: " ").dropFirst().first == "error" }
            XCTAssertEqual(errors, [], "the healthy \(phase) plan has errors")
        }
        // The healthy states may hold open findings (README), never failures above a note.
        // (inference/ holds deploys whose phase is easy to guess wrong, some of them broken.)
        for healthy in results where !healthy.relativePath.hasPrefix("rules/") && !healthy.relativePath.hasPrefix("inference/")
            && !healthy.relativePath.hasSuffix("plan.json") {
            let failing = healthy.lines.filter { $0.contains(" fail ") && !$0.contains(" note fail ") }
            XCTAssertEqual(failing, [], "healthy fixture \(healthy.relativePath) fails a rule")
        }
    }

    func testPhasesOfFixtureNames() {
        XCTAssertEqual(Self.phase(of: "cutover/plan.json"), .cutover)
        XCTAssertEqual(Self.phase(of: "cleanup/terraform.tfstate"), .cleanup)
        XCTAssertEqual(Self.phase(of: "rules/MIG006-rate-30-days.prepare.plan.json"), .prepare)
        XCTAssertEqual(Self.phase(of: "rules/MIG006-cron-during-full-load.full-load.plan.json"), .fullLoad)
        XCTAssertEqual(Self.phase(of: "rules/MIG002-replica-after-cutover.cutover.state.json"), .cutover)
        XCTAssertEqual(Self.phase(of: "rules/MIG011-dms-module-kept.cleanup.tfstate"), .cleanup)
        XCTAssertNil(Self.phase(of: "rules/MIG006-no-phase.plan.json"))
    }
}
