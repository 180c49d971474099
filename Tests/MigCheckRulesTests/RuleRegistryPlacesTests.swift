import Foundation
import XCTest
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// `RuleRegistry.rules` is the one list of rules: every count and ID list (the fixture tests,
/// the policy file check, `rules`, SARIF, JUnit) derives from it. Adding a rule means one rule
/// file, one registry line, its fixture and its expected findings, plus the pages that document
/// it; this test names each of those places that a registered rule is missing.
final class RuleRegistryPlacesTests: XCTestCase {
    /// Every place a rule with this ID must have in the package, by path, that is missing.
    static func missingPlaces(for id: String, root: URL = PackagePaths.packageRoot) -> [String] {
        let files = FileManager.default
        func names(in directory: String) -> [String] {
            ((try? files.contentsOfDirectory(atPath: root.appendingPathComponent(directory).path)) ?? []).sorted()
        }
        func text(_ path: String) -> String {
            (try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) ?? ""
        }
        var missing: [String] = []
        if !names(in: "Sources/MigCheckRules/Catalog").contains(where: { $0.hasPrefix(id) && $0.hasSuffix(".swift") }) {
            missing.append("Sources/MigCheckRules/Catalog/\(id)<Name>.swift (the rule file)")
        }
        if !files.fileExists(atPath: root.appendingPathComponent("docs/rules/\(id).md").path) {
            missing.append("docs/rules/\(id).md (the rule page: swift run migcheck rules --markdown-dir docs/rules)")
        }
        if !names(in: "Fixtures/rules").contains(where: { $0.hasPrefix(id + "-") }) {
            missing.append("Fixtures/rules/\(id)-*.json|tfstate (a fixture that breaks it: Fixtures/tools/breaking.py)")
        }
        let expected = names(in: "Fixtures/expected").filter { $0.hasPrefix("rules__\(id)-") && $0.hasSuffix(".findings") }
        if !expected.contains(where: { text("Fixtures/expected/\($0)").split(separator: "\n").contains { $0.hasPrefix(id + " ") } }) {
            missing.append("Fixtures/expected/rules__\(id)-*.findings (its expected findings, with a \(id) line)")
        }
        if !text("Policies/migcheck.json").contains("\"\(id)\"") {
            missing.append("Policies/migcheck.json (its entry: swift run migcheck default-policy > Policies/migcheck.json)")
        }
        if !text("README.md").contains("| [\(id)](docs/rules/\(id).md) |") {
            missing.append("README.md (a row of the rule table: | [\(id)](docs/rules/\(id).md) | …)")
        }
        if !text("docs/migration.md").contains("[\(id)](rules/\(id).md)") {
            missing.append("docs/migration.md (the step it guards: [\(id)](rules/\(id).md))")
        }
        if !text("docs/rules/README.md").contains(id) {
            missing.append("docs/rules/README.md (its line in the index)")
        }
        return missing
    }

    func testEveryRegisteredRuleHasEveryPlace() {
        XCTAssertFalse(RuleRegistry.rules.isEmpty)
        for rule in RuleRegistry.rules {
            let id = rule.description.id
            let missing = Self.missingPlaces(for: id)
            XCTAssertTrue(missing.isEmpty, "\(id) is registered but missing:\n  " + missing.joined(separator: "\n  "))
        }
    }

    /// The other way round: a rule file, page or fixture whose ID the registry lacks (a rule
    /// written but not registered) is named with the registry line it needs.
    func testEveryRuleFileAndFixtureIsRegistered() throws {
        let root = PackagePaths.packageRoot
        let registered = Set(RuleRegistry.allDescriptions.map(\.id))
        var unregistered: [String] = []
        for directory in ["Sources/MigCheckRules/Catalog", "docs/rules", "Fixtures/rules"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(directory).path).sorted()
            for name in names where name.range(of: "^MIG[0-9]{3}", options: .regularExpression) != nil {
                let id = String(name.prefix(6))
                if !registered.contains(id) { unregistered.append("\(directory)/\(name) (\(id) has no line in Sources/MigCheckRules/Engine/RuleRegistry.swift)") }
            }
        }
        XCTAssertTrue(unregistered.isEmpty, "not registered:\n  " + unregistered.joined(separator: "\n  "))
    }

    func testRegistryIDsAreUniqueAndInOrder() {
        let ids = RuleRegistry.rules.map { $0.description.id }
        XCTAssertEqual(ids, ids.sorted())
        XCTAssertEqual(Set(ids).count, ids.count)
        XCTAssertTrue(ids.allSatisfy { $0.range(of: "^MIG0[0-9]{2}$", options: .regularExpression) != nil }, "\(ids)")
    }

    /// A rule registered without anything else (here a made-up MIG099) is reported place by place.
    func testAnUnplacedRuleIsReportedPlaceByPlace() {
        XCTAssertEqual(Self.missingPlaces(for: "MIG099"), [
            "Sources/MigCheckRules/Catalog/MIG099<Name>.swift (the rule file)",
            "docs/rules/MIG099.md (the rule page: swift run migcheck rules --markdown-dir docs/rules)",
            "Fixtures/rules/MIG099-*.json|tfstate (a fixture that breaks it: Fixtures/tools/breaking.py)",
            "Fixtures/expected/rules__MIG099-*.findings (its expected findings, with a MIG099 line)",
            "Policies/migcheck.json (its entry: swift run migcheck default-policy > Policies/migcheck.json)",
            "README.md (a row of the rule table: | [MIG099](docs/rules/MIG099.md) | …)",
            "docs/migration.md (the step it guards: [MIG099](rules/MIG099.md))",
            "docs/rules/README.md (its line in the index)",
        ])
    }
}
