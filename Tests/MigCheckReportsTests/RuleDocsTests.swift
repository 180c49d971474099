import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckTestSupport

/// The documentation the reports point at: the rule pages are what `migcheck rules
/// --markdown-dir` writes, every SARIF helpUri and every link in the Markdown resolves, every
/// rule names steps of docs/migration.md, and MIG900 is a rule like the others.
final class RuleDocsTests: XCTestCase {
    static var root: URL { PackagePaths.packageRoot }

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    // MARK: - Rule pages

    func testCommittedRulePagesAreWhatTheGeneratorWrites() throws {
        let pages = RuleDocs.pages()
        XCTAssertEqual(pages.map(\.name), ["README.md"] + RuleRegistry.allDescriptions.map { "\($0.id).md" })
        for page in pages {
            let path = "\(RuleDocs.directory)/\(page.name)"
            let committed = try? Self.read(path)
            XCTAssertNotNil(committed, "\(path) is missing: run `\(RuleDocs.command)` and commit the result")
            if let committed, committed != page.text {
                let line = zip(committed.split(separator: "\n", omittingEmptySubsequences: false),
                               page.text.split(separator: "\n", omittingEmptySubsequences: false))
                    .enumerated().first { $0.element.0 != $0.element.1 }.map { "line \($0.offset + 1): committed \"\($0.element.0)\", "
                        + "generated \"\($0.element.1)\"" } ?? "the lengths differ"
                XCTFail("\(path) is stale (\(line)): run `\(RuleDocs.command)` and commit the result")
            }
        }
        let listed = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent(RuleDocs.directory).path)
        let extra = Set(listed.filter { $0.hasSuffix(".md") }).subtracting(pages.map(\.name))
        XCTAssertTrue(extra.isEmpty, "\(RuleDocs.directory) holds pages no rule has: \(extra.sorted()); delete them")
    }

    func testEveryPageShowsItsExamplesAndTheirRealFindings() throws {
        for description in RuleRegistry.allDescriptions {
            let page = RuleDocs.page(description)
            XCTAssertTrue(page.contains("# \(description.id) \(description.name)"), description.id)
            XCTAssertTrue(page.contains(description.rationale), "\(description.id): the rationale")
            for name in description.parameters.keys {
                XCTAssertTrue(page.contains("| `\(name)` |"), "\(description.id): parameter \(name)")
            }
            for example in description.triggeringExamples {
                XCTAssertTrue(page.contains("### Fails: \(example.name)\n"), "\(description.id): \(example.name)")
                // The finding the example really produces is on the page, word for word.
                let failure = try XCTUnwrap(try example.findings(of: description.id).first { $0.kind == .fail && $0.severity != .note },
                                            "\(description.id) example \"\(example.name)\" does not fail")
                XCTAssertTrue(page.contains(failure.message), "\(description.id) \(example.name): \(failure.message)")
            }
            for example in description.nonTriggeringExamples {
                XCTAssertTrue(page.contains("### Passes: \(example.name)\n"), "\(description.id): \(example.name)")
            }
        }
        // A changed attribute is shown as Terraform with what the reference plan has.
        let rotation = RuleDocs.page(RotationWindowRule.description)
        XCTAssertTrue(rotation.contains(#"schedule_expression = "rate(30 days)"  # reference plan: "rate(400 days)""#), rotation)
        XCTAssertTrue(rotation.contains(#"resource "aws_secretsmanager_secret_rotation" "core" {"#))
        XCTAssertTrue(rotation.contains("| `minimumRotationDays` | `400` |"))
        XCTAssertFalse(RuleDocs.pages().contains { $0.text.contains("CANARY") }, "a page prints a sensitive value")
    }

    func testTheIndexListsEveryRuleWithItsPage() {
        let index = RuleDocs.index()
        for description in RuleRegistry.allDescriptions {
            XCTAssertTrue(index.contains("| [\(description.id)](\(description.id).md) | \(description.name) |"), description.id)
        }
        XCTAssertTrue(index.contains("## Custom assertions"))
        XCTAssertTrue(index.contains(RuleDocs.command))
    }

    // MARK: - MIG900

    func testExpiredSuppressionIsARuleWithADescription() throws {
        let description = try XCTUnwrap(RuleRegistry.description(id: "mig900"))
        XCTAssertEqual(description.id, Suppressions.expiredRuleID)
        XCTAssertEqual(description.name, "expired-suppression")
        XCTAssertNotEqual(description.runbookStep, "policy")
        XCTAssertFalse(RuleRegistry.descriptions.contains { $0.id == "MIG900" }, "MIG900 is not evaluated over plans")
        XCTAssertTrue(RuleCatalogReport.list(style: TextStyle(colour: false)).contains("MIG900  expired-suppression"))
        XCTAssertEqual(ReportSupport.synthesized("MIG900").rationale, description.rationale)
        XCTAssertFalse(description.triggeringExamples.isEmpty)
        XCTAssertFalse(description.nonTriggeringExamples.isEmpty)
        for example in description.triggeringExamples {
            let findings = try example.findings(of: description.id)
            XCTAssertTrue(findings.contains { $0.kind == .fail && $0.severity == .error }, "\(example.name): \(findings.map(\.message))")
        }
        for example in description.nonTriggeringExamples {
            XCTAssertEqual(try example.findings(of: description.id).map(\.message), [], example.name)
        }
        let explained = RuleCatalogReport.explain(description, style: TextStyle(colour: false))
        XCTAssertTrue(explained.contains("Example that fails") && explained.contains("expired on 2026-10-31"), explained)
        XCTAssertTrue(explained.contains("\(MigCheckVersion.informationURI)/blob/main/docs/rules/MIG900.md"), explained)
    }

    // MARK: - SARIF helpUri

    func testEverySARIFHelpURIResolvesToARulePage() throws {
        let evaluation = try ReportFixtures.brokenEvaluation()
        XCTAssertTrue(evaluation.findings.contains { $0.ruleID == "MIG900" }, "the fixture has an expired suppression")
        let log = try JSONSerialization.jsonObject(with: Data(Reports.render(.sarif, ReportFixtures.input([evaluation])).utf8)) as? [String: Any]
        let run = try XCTUnwrap((log?["runs"] as? [[String: Any]])?.first)
        let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        XCTAssertEqual(driver["informationUri"] as? String, MigCheckVersion.informationURI)
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        let ids = rules.compactMap { $0["id"] as? String }
        XCTAssertTrue(ids.contains("MIG900") && ids.contains("ORG001"), "\(ids)")
        let base = MigCheckVersion.informationURI + "/blob/main/"
        for rule in rules {
            let id = rule["id"] as? String ?? "?"
            let uri = try XCTUnwrap(rule["helpUri"] as? String, id)
            XCTAssertTrue(uri.hasPrefix(base + "docs/rules/"), "\(id): \(uri)")
            let parts = String(uri.dropFirst(base.count)).split(separator: "#", maxSplits: 1).map(String.init)
            let path = parts[0]
            XCTAssertTrue(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(path).path), "\(id): \(uri) names no file")
            if RuleRegistry.description(id: id) != nil {
                XCTAssertEqual(path, "docs/rules/\(id).md", id)
            }
            if parts.count == 2 {
                XCTAssertTrue(try Self.anchors(in: Self.read(path)).contains(parts[1]), "\(id): \(uri) names no heading")
            }
        }
    }

    func testRulesURLMovesHelpURIsToAFork() throws {
        var input = ReportFixtures.input([try ReportFixtures.brokenEvaluation()])
        input.rulesURL = "https://git.example.org/team/migcheck/src/main/docs/rules"
        let text = Reports.render(.sarif, input)
        XCTAssertTrue(text.contains("\"helpUri\": \"https://git.example.org/team/migcheck/src/main/docs/rules/MIG001.md\""))
        XCTAssertTrue(text.contains("\"helpUri\": \"https://git.example.org/team/migcheck/src/main/docs/rules/README.md#custom-assertions\""))
        XCTAssertFalse(text.contains("\"helpUri\": \"https://github.com/"), "a helpUri ignores --rules-url")
    }

    func testRulesURLIsAnHTTPSURL() {
        XCTAssertEqual(RuleDocs.parseBaseURL("https://git.example.org/team/migcheck/blob/main/docs/rules/").url,
                       "https://git.example.org/team/migcheck/blob/main/docs/rules")
        XCTAssertEqual(RuleDocs.parseBaseURL("https://example.org:8443/a_b/~c/%20d").url, "https://example.org:8443/a_b/~c/%20d")
        for bad in ["http://example.org/rules", "example.org/rules", "https://", "https:///rules", "https://exa mple.org",
                    "https://example.org/rules?page=1", "https://example.org/rules#top", "https://example.org/a\u{1b}[31mb", "ftp://x", ""] {
            let parsed = RuleDocs.parseBaseURL(bad)
            XCTAssertNil(parsed.url, bad)
            let error = parsed.error ?? ""
            XCTAssertTrue(error.hasPrefix("--rules-url: "), error)
            XCTAssertFalse(error.unicodeScalars.contains { $0.value < 0x20 }, "the error echoes a control character: \(error)")
        }
        XCTAssertTrue(RuleDocs.parseBaseURL("https://example.org/a\u{1b}[31mb").error?.contains("\\u001b") == true)
    }

    // MARK: - docs/migration.md

    func testEveryRuleNamesStepsOfTheMigrationDocument() throws {
        let document = try Self.read(RuleDocs.migrationDocument)
        let headings = Set(Self.headings(in: document))
        for description in RuleRegistry.allDescriptions {
            let steps = RuleDocs.steps(of: description)
            XCTAssertFalse(steps.isEmpty, "\(description.id) names no step")
            for step in steps {
                XCTAssertTrue(headings.contains(step),
                              "\(description.id)'s runbookStep names \"\(step)\", which is no heading of \(RuleDocs.migrationDocument)")
            }
            XCTAssertTrue(document.contains("[\(description.id)](rules/\(description.id).md)"),
                          "\(RuleDocs.migrationDocument) never says which step \(description.id) guards")
        }
        XCTAssertNil(document.range(of: #"[Ss]tep \d"#, options: .regularExpression), "the document numbers steps of another document")
    }

    // MARK: - Links

    /// Every relative link in the README and docs/ names a file that exists, and an anchor a heading of it.
    func testLinksInTheMarkdownResolve() throws {
        var files = ["README.md"]
        for directory in ["docs", RuleDocs.directory] {
            let names = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent(directory).path)
            files += names.filter { $0.hasSuffix(".md") }.sorted().map { "\(directory)/\($0)" }
        }
        XCTAssertTrue(files.contains("docs/interop.md") && files.contains("docs/migration.md"), "\(files)")
        let readme = try Self.read("README.md")
        for link in ["docs/rules/README.md", "docs/migration.md", "docs/interop.md"] {
            XCTAssertTrue(readme.contains("](\(link))") || readme.contains("](\(link)#"), "README does not link \(link)")
        }
        var checked = 0
        for file in files {
            let text = try Self.read(file)
            let directory = (file as NSString).deletingLastPathComponent
            for target in Self.links(in: text) where !target.contains("://") && !target.hasPrefix("mailto:") {
                let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let path = parts[0].isEmpty ? file : ((directory as NSString).appendingPathComponent(parts[0]) as NSString).standardizingPath
                let exists = FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(path).path)
                XCTAssertTrue(exists, "\(file): the link \(target) names no file")
                if exists, parts.count == 2, path.hasSuffix(".md") {
                    XCTAssertTrue(try Self.anchors(in: Self.read(path)).contains(parts[1]), "\(file): the link \(target) names no heading")
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }

    // MARK: - Timestamps

    func testJSONTimestampCarriesItsZoneAndJUnitsDoesNot() throws {
        let input = ReportFixtures.input([try ReportFixtures.brokenEvaluation()])
        let report = try JSONSerialization.jsonObject(with: Data(Reports.render(.json, input).utf8)) as? [String: Any]
        XCTAssertEqual(report?["timestamp"] as? String, "2026-11-20T10:00:00Z")
        let junit = Reports.render(.junit, input)
        XCTAssertTrue(junit.contains("timestamp=\"2026-11-20T10:00:00\""), junit.prefix(600) + "")
        XCTAssertFalse(junit.contains("T10:00:00Z"), "the JUnit schema allows no zone")
        XCTAssertTrue(Reports.render(.sarif, input).contains("\"startTimeUtc\": \"2026-11-20T10:00:00Z\""))
        XCTAssertNotNil(input.zonedTimestamp.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression))
        XCTAssertNotNil(ReportInput.currentTimestamp().range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$"#, options: .regularExpression))
    }

    // MARK: - Markdown helpers

    static func headings(in text: String) -> [String] {
        var inFence = false
        var headings: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inFence.toggle() }
            guard !inFence, line.hasPrefix("#") else { continue }
            let title = line.drop { $0 == "#" }
            guard title.first == " " else { continue }
            headings.append(title.trimmingCharacters(in: .whitespaces))
        }
        return headings
    }

    /// GitHub's anchors: the heading's slug, `-1`, `-2`… for repeats.
    static func anchors(in text: String) -> Set<String> {
        var seen: [String: Int] = [:]
        var anchors = Set<String>()
        for heading in headings(in: text) {
            let slug = RuleDocs.anchor(heading.replacingOccurrences(of: "`", with: ""))
            let count = seen[slug, default: 0]
            anchors.insert(count == 0 ? slug : "\(slug)-\(count)")
            seen[slug] = count + 1
        }
        return anchors
    }

    /// The targets of `[text](target)` links outside code.
    static func links(in text: String) -> [String] {
        var inFence = false
        var targets: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inFence.toggle() }
            guard !inFence else { continue }
            // Drop inline code spans, then find `](`.
            let plain = line.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 0 }
                .map(\.element).joined(separator: " ")
            var rest = Substring(plain)
            while let start = rest.range(of: "](") {
                let after = rest[start.upperBound...]
                guard let end = after.firstIndex(of: ")") else { break }
                targets.append(String(after[..<end]))
                rest = after[end...]
            }
        }
        return targets
    }
}
