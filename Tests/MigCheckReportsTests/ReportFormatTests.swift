import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckTestSupport

/// The report formats: SARIF against the OASIS schema and GitHub's rules, JUnit against both
/// XSDs and by count, JSON by schema, workflow commands and Markdown by their escaping.
final class ReportFormatTests: XCTestCase {
    override class func tearDown() {
        try? FileManager.default.removeItem(at: ReportFixtures.temporaryDirectory)
        super.tearDown()
    }

    // MARK: - Fixtures

    private func evaluations() throws -> [Evaluation] {
        [try ReportFixtures.brokenEvaluation(), try ReportFixtures.syntheticEvaluation()]
    }

    private func json(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try XCTUnwrap(object as? [String: Any], "not a JSON object", file: file, line: line)
    }

    func testTheFixtureHasEveryKindOfFinding() throws {
        let evaluation = try ReportFixtures.brokenEvaluation()
        let findings = evaluation.findings
        XCTAssertTrue(findings.contains { $0.ruleID == "ORG001" && $0.address == ReportFixtures.awkwardAddress && $0.kind == .fail },
                      "the awkward instance must have a finding: \(findings.map { ($0.ruleID, $0.address ?? "-") })")
        XCTAssertTrue(findings.contains { $0.kind == .open }, "an unverified finding")
        XCTAssertTrue(findings.contains { $0.kind == .fail && $0.severity == .warning }, "a warning")
        XCTAssertTrue(findings.contains { $0.suppression != nil }, "a suppressed finding")
        XCTAssertTrue(findings.contains { $0.ruleID == Suppressions.expiredRuleID }, "an expired suppression")
        XCTAssertTrue(evaluation.rulesSkipped.contains { $0.rule.id == "ORG003" }, "a custom rule outside the phase")
        XCTAssertTrue(evaluation.rulesSkipped.contains { $0.rule.id == "MIG002" && $0.reason == "disabled by the policy" })
        XCTAssertTrue(ReportFixtures.awkwardAddress.contains("]]>") && ReportFixtures.awkwardAddress.contains("<&"))
    }

    // MARK: - Entry point

    func testEveryFormatIsDeterministicAndEndsWithANewline() throws {
        let first = ReportFixtures.input(try evaluations())
        let second = ReportFixtures.input(try evaluations())
        for format in ReportFormat.allCases {
            let text = Reports.render(format, first)
            XCTAssertEqual(text, Reports.render(format, second), "\(format) differs between two runs")
            XCTAssertTrue(text.hasSuffix("\n"), "\(format) should end with a newline")
        }
        let evaluations = try evaluations()
        XCTAssertEqual(Reports.render(.text, ReportFixtures.input(evaluations)),
                       evaluations.map { TextReport.render($0, style: TextStyle(colour: false)) }.joined(separator: "\n\n") + "\n")
    }

    func testOutputDestinationsParse() {
        XCTAssertEqual(ReportDestination.parse("sarif=out/migcheck.sarif").destination, ReportDestination(format: .sarif, path: "out/migcheck.sarif"))
        XCTAssertEqual(ReportDestination.parse("junit=a=b.xml").destination, ReportDestination(format: .junit, path: "a=b.xml"))
        XCTAssertNotNil(ReportDestination.parse("xml=out.xml").error)
        XCTAssertNotNil(ReportDestination.parse("sarif").error)
        XCTAssertNotNil(ReportDestination.parse("sarif=").error)
    }

    func testFailThresholdGatesLikeTheCLI() {
        let warning = Finding(ruleID: "X", severity: .warning, kind: .fail, message: "m")
        let openError = Finding(ruleID: "X", severity: .error, kind: .open, message: "m")
        var suppressed = Finding(ruleID: "X", severity: .error, kind: .fail, message: "m")
        suppressed.suppression = "reason"
        XCTAssertFalse(FailThreshold.error.gates(warning, unverifiedSeverity: .warning))
        XCTAssertTrue(FailThreshold.warning.gates(warning, unverifiedSeverity: .warning))
        XCTAssertFalse(FailThreshold.error.gates(openError, unverifiedSeverity: .warning))
        XCTAssertTrue(FailThreshold.error.gates(openError, unverifiedSeverity: .error))
        XCTAssertFalse(FailThreshold.warning.gates(suppressed, unverifiedSeverity: .error))
        XCTAssertFalse(FailThreshold.never.gates(openError, unverifiedSeverity: .error))
    }

    // MARK: - SARIF

    func testSARIFIsValidAgainstTheOASISSchema() throws {
        let stream = MigrationExamples.healthy(.cutover).planJSON + "\n" + ReportFixtures.brokenPlan.planJSON
        let inputs = [
            ReportFixtures.input(try evaluations()),
            ReportFixtures.input(try ReportFixtures.evaluate(stream, file: "stacks/all.json", phase: nil)),
            ReportFixtures.input([]),
        ]
        for (index, input) in inputs.enumerated() {
            try ReportFixtures.assertValidSARIF(Reports.render(.sarif, input), named: "report-\(index).sarif")
        }
    }

    func testSARIFFollowsGitHubCodeScanningRules() throws {
        let evaluations = try evaluations()
        let log = try json(Reports.render(.sarif, ReportFixtures.input(evaluations)))
        XCTAssertEqual(log["version"] as? String, "2.1.0")
        XCTAssertEqual(log["$schema"] as? String, SARIFReport.schemaURI)
        let runs = try XCTUnwrap(log["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.count, evaluations.count, "one run per evaluated document")
        var categories = Set<String>()
        for (run, evaluation) in zip(runs, evaluations) {
            let category = try XCTUnwrap((run["automationDetails"] as? [String: Any])?["id"] as? String)
            XCTAssertTrue(category.hasPrefix("migcheck/cutover/") && category.hasSuffix("/"), category)
            XCTAssertTrue(category.contains(evaluation.picture.document.file), category)
            XCTAssertTrue(categories.insert(category).inserted, "two runs share the category \(category)")

            let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
            XCTAssertEqual(driver["name"] as? String, "migcheck")
            XCTAssertEqual(driver["semanticVersion"] as? String, MigCheckVersion.current)
            XCTAssertEqual(driver["informationUri"] as? String, MigCheckVersion.informationURI)
            let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
            let ids = rules.compactMap { $0["id"] as? String }
            XCTAssertEqual(ids.count, rules.count)
            XCTAssertEqual(Set(ids).count, ids.count, "rule IDs repeat: \(ids)")
            let expected = Set(evaluation.rulesRun.map(\.id) + evaluation.rulesSkipped.map(\.rule.id) + evaluation.findings.map(\.ruleID))
            XCTAssertEqual(Set(ids), expected, "one rules entry per rule")
            for rule in rules {
                let id = rule["id"] as? String ?? "?"
                XCTAssertFalse((rule["name"] as? String ?? "").isEmpty, "\(id) name")
                for key in ["shortDescription", "fullDescription"] {
                    let text = try XCTUnwrap((rule[key] as? [String: Any])?["text"] as? String, "\(id) \(key)")
                    XCTAssertFalse(text.isEmpty, "\(id) \(key) is empty")
                    XCTAssertLessThanOrEqual(text.utf16.count, SARIFReport.githubDescriptionLimit, "\(id) \(key)")
                }
                XCTAssertFalse(((rule["help"] as? [String: Any])?["text"] as? String ?? "").isEmpty, "\(id) help text")
                XCTAssertTrue((rule["helpUri"] as? String ?? "").hasPrefix("https://"), "\(id) helpUri")
                let level = (rule["defaultConfiguration"] as? [String: Any])?["level"] as? String
                XCTAssertTrue(["error", "warning", "note"].contains(level ?? ""), "\(id) defaultConfiguration.level")
                let tags = try XCTUnwrap((rule["properties"] as? [String: Any])?["tags"] as? [String], "\(id) tags")
                XCTAssertFalse(tags.isEmpty)
                XCTAssertLessThanOrEqual(tags.count, 20, "GitHub reads at most 20 tags")
            }

            let results = try XCTUnwrap(run["results"] as? [[String: Any]])
            XCTAssertEqual(results.count, evaluation.findings.count, "one result per finding, suppressed ones included")
            XCTAssertLessThanOrEqual(results.count, SARIFReport.githubResultLimit)
            var stableHashes = Set<String>()
            for (result, finding) in zip(results, evaluation.findings) {
                XCTAssertEqual(result["ruleId"] as? String, finding.ruleID)
                let index = try XCTUnwrap(result["ruleIndex"] as? Int)
                XCTAssertEqual(ids[index], finding.ruleID, "ruleIndex points at the rule")
                XCTAssertEqual(result["kind"] as? String, finding.kind == .open ? "open" : "fail")
                XCTAssertEqual(result["level"] as? String, finding.kind == .fail ? finding.severity.rawValue : "none",
                               "SARIF 2.1.0 §3.27.10: a result that is not a failure has level none")
                XCTAssertEqual((result["properties"] as? [String: Any])?["migcheckSeverity"] as? String, finding.severity.rawValue)
                let text = try XCTUnwrap((result["message"] as? [String: Any])?["text"] as? String)
                XCTAssertTrue(text.contains(TextEscaping.visible(finding.message)), "message text, controls made visible")
                let location = try XCTUnwrap((result["locations"] as? [[String: Any]])?.first)
                let physical = try XCTUnwrap(location["physicalLocation"] as? [String: Any])
                XCTAssertFalse(((physical["artifactLocation"] as? [String: Any])?["uri"] as? String ?? "").isEmpty)
                let region = try XCTUnwrap(physical["region"] as? [String: Int])
                for key in ["startLine", "startColumn", "endLine", "endColumn"] {
                    XCTAssertGreaterThanOrEqual(region[key] ?? 0, 1, "region.\(key)")
                }
                if let findingLocation = finding.location {
                    XCTAssertEqual(region["startLine"], findingLocation.start.line)
                    XCTAssertEqual(region["startColumn"], findingLocation.start.column)
                } else if let address = finding.address,
                          let resource = evaluation.picture.resources.first(where: { $0.addressText == address }) {
                    XCTAssertEqual(region["startLine"], resource.location.start.line, "no position of its own: its resource's in the plan")
                    XCTAssertEqual(region["startColumn"], resource.location.start.column)
                } else {
                    XCTAssertEqual(region["startLine"], 1, "a plan-wide finding points at the file's first line")
                    XCTAssertEqual(region["startColumn"], 1)
                }
                let logical = (location["logicalLocations"] as? [[String: Any]])?.first
                XCTAssertEqual(logical?["fullyQualifiedName"] as? String, finding.address, "logical location = resource address")
                let fingerprints = try XCTUnwrap(result["partialFingerprints"] as? [String: String])
                XCTAssertNotNil(fingerprints["primaryLocationLineHash"])
                let stable = try XCTUnwrap(fingerprints["migcheck/v1"])
                XCTAssertTrue(stableHashes.insert(stable).inserted, "migcheck/v1 repeats within a run: \(stable)")
                let suppressions = result["suppressions"] as? [[String: Any]]
                if let reason = finding.suppression {
                    XCTAssertEqual(suppressions?.first?["kind"] as? String, "external")
                    XCTAssertEqual(suppressions?.first?["justification"] as? String, TextEscaping.visible(reason))
                } else {
                    XCTAssertNil(suppressions)
                }
            }
        }
    }

    func testSARIFFingerprintsSurviveLineMovesAndReruns() throws {
        let before = try ReportFixtures.brokenEvaluation()
        var moved = ReportFixtures.brokenPlan
        moved.resources.insert(ExampleResource("aws_s3_bucket.logs", actions: ["create"], before: nil,
                                               after: ["bucket": "app-logs", "force_destroy": false]), at: 0)
        let after = try XCTUnwrap(ReportFixtures.evaluate(moved.planJSON, file: "plans/cutover.json").first)
        func results(_ evaluation: Evaluation) throws -> [String: (fingerprints: [String: String], column: Int)] {
            let log = try json(Reports.render(.sarif, ReportFixtures.input([evaluation])))
            let run = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
            var byKey: [String: (fingerprints: [String: String], column: Int)] = [:]
            for result in try XCTUnwrap(run["results"] as? [[String: Any]]) {
                let text = (result["message"] as? [String: Any])?["text"] as? String ?? ""
                let region = (((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Int])
                byKey["\(result["ruleId"] ?? "") \(text)"] = (result["partialFingerprints"] as? [String: String] ?? [:], region?["startColumn"] ?? 0)
            }
            return byKey
        }
        let old = try results(before)
        let new = try results(after)
        XCTAssertEqual(try results(before).mapValues(\.fingerprints), old.mapValues(\.fingerprints), "a rerun changes fingerprints")
        var compared = 0
        for (key, value) in old {
            guard let other = new[key], value.column > 1 else { continue }
            XCTAssertNotEqual(value.column, other.column, "the resource did not move: \(key)")
            XCTAssertEqual(value.fingerprints, other.fingerprints, "fingerprints changed when the resource moved: \(key)")
            compared += 1
        }
        XCTAssertGreaterThan(compared, 3)
    }

    func testSARIFKeepsTheMostSevereResultsOverGitHubsLimit() throws {
        let base = try ReportFixtures.brokenEvaluation()
        let long = String(repeating: "A long rationale. ", count: 120)
        let rule = RuleDescription(id: "ORG900", name: "org-long", title: String(repeating: "Long title ", count: 150), rationale: long,
                                   runbookStep: "policy", phases: [.cutover], triggeringExamples: [], nonTriggeringExamples: [])
        var findings: [Finding] = []
        for index in 0..<SARIFReport.githubResultLimit {
            findings.append(Finding(ruleID: "ORG900", severity: .note, kind: .fail, message: "note \(index)", address: "null_resource.n[\(index)]"))
        }
        for index in 0..<10 {
            findings.append(Finding(ruleID: "ORG900", severity: .error, kind: .fail, message: "error \(index)", address: "null_resource.e[\(index)]"))
            findings.append(Finding(ruleID: "ORG900", severity: .warning, kind: .open, message: "open \(index)", address: "null_resource.o[\(index)]"))
        }
        for index in 0..<5 {
            findings.append(Finding(ruleID: "ORG900", severity: .error, kind: .fail, message: "suppressed \(index)",
                                    address: "null_resource.s[\(index)]", suppression: "accepted"))
        }
        findings.sort(by: Finding.reportOrder)
        let evaluation = Evaluation(picture: base.picture, phase: .cutover, phaseReason: "test", findings: findings,
                                    rulesRun: [rule], rulesSkipped: [], customRules: [rule])
        let log = try json(Reports.render(.sarif, ReportFixtures.input([evaluation])))
        let run = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, SARIFReport.githubResultLimit)
        let messages = results.compactMap { ($0["message"] as? [String: Any])?["text"] as? String }
        XCTAssertEqual(messages.filter { $0.contains(": error ") }.count, 10, "every error is kept")
        XCTAssertEqual(messages.filter { $0.contains(": open ") }.count, 10, "every unverified warning is kept")
        XCTAssertEqual(messages.filter { $0.contains("suppressed") }.count, 0, "suppressed results go first")
        let dropped = findings.count - SARIFReport.githubResultLimit
        let invocation = try XCTUnwrap((run["invocations"] as? [[String: Any]])?.first)
        let notification = try XCTUnwrap((invocation["toolExecutionNotifications"] as? [[String: Any]])?.first)
        let text = try XCTUnwrap((notification["message"] as? [String: Any])?["text"] as? String)
        XCTAssertTrue(text.contains("dropped \(dropped)"), text)
        let rules = try XCTUnwrap((((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]]))
        for key in ["shortDescription", "fullDescription"] {
            let description = try XCTUnwrap((rules.first?[key] as? [String: Any])?["text"] as? String)
            XCTAssertEqual(description.utf16.count, SARIFReport.githubDescriptionLimit, "\(key) is cut at GitHub's limit")
            XCTAssertTrue(description.hasSuffix("…"))
        }
    }

    func testSARIFCategoriesStayApartForStreamsAndRepeatedFiles() throws {
        let stream = MigrationExamples.healthy(.fullLoad).planJSON + "\n" + ReportFixtures.brokenPlan.planJSON
        let documents = try ReportFixtures.evaluate(stream, file: "stacks/all.json", phase: nil)
        XCTAssertEqual(documents.count, 2)
        let repeated = try ReportFixtures.brokenEvaluation()
        let log = try json(Reports.render(.sarif, ReportFixtures.input(documents + [repeated, repeated])))
        let ids = try XCTUnwrap(log["runs"] as? [[String: Any]]).compactMap { ($0["automationDetails"] as? [String: Any])?["id"] as? String }
        XCTAssertEqual(ids, ["migcheck/\(documents[0].phase)/stacks/all.json#1/", "migcheck/\(documents[1].phase)/stacks/all.json#2/",
                             "migcheck/cutover/plans/cutover.json/", "migcheck/cutover/plans/cutover.json#2/"])
    }

    func testSARIFArtifactURIsArePercentEncodedButStayRelative() {
        XCTAssertEqual(SARIFReport.uriReference("plans/prod.json"), "plans/prod.json")
        XCTAssertEqual(SARIFReport.uriReference("../x/plan 1#2?.json"), "../x/plan%201%232%3F.json")
        XCTAssertEqual(SARIFReport.uriReference("/abs/é:.json"), "/abs/%C3%A9%3A.json")
        XCTAssertEqual(SARIFReport.uriReference("dir\\plan.json"), "dir/plan.json")
    }

    // MARK: - JUnit

    func testJUnitValidatesAgainstBothSchemas() throws {
        let stream = MigrationExamples.healthy(.cutover).planJSON + "\n" + ReportFixtures.brokenPlan.planJSON
        let inputs = [
            ReportFixtures.input(try evaluations()),
            ReportFixtures.input(try ReportFixtures.evaluate(stream, file: "stacks/all.json", phase: nil), failOn: .warning),
            ReportFixtures.input([]),
        ]
        for (index, input) in inputs.enumerated() {
            try ReportFixtures.assertValidJUnit(Reports.render(.junit, input), named: "report-\(index).xml")
        }
    }

    /// The test cases the report should hold, worked out from the evaluation alone.
    private struct ExpectedSuite {
        var tests = 0
        var failures = 0
        var skipped = 0
    }

    private func expectedSuites(_ evaluation: Evaluation, failOn: FailThreshold) -> [String: ExpectedSuite] {
        var suites: [String: ExpectedSuite] = [:]
        for skipped in evaluation.rulesSkipped {
            suites[skipped.rule.id] = ExpectedSuite(tests: 1, failures: 0, skipped: 1)
        }
        let ran = Set(evaluation.rulesRun.map(\.id) + evaluation.findings.map(\.ruleID))
        for id in ran {
            let findings = evaluation.findings.filter { $0.ruleID == id }
            if findings.isEmpty {
                suites[id] = ExpectedSuite(tests: 1, failures: 0, skipped: 0)
                continue
            }
            var suite = ExpectedSuite()
            for address in Set(findings.map { $0.address ?? "\u{0}" }) {
                let group = findings.filter { ($0.address ?? "\u{0}") == address }
                suite.tests += 1
                let active = group.filter { $0.suppression == nil }
                if active.contains(where: { failOn.gates($0, unverifiedSeverity: .warning) || ($0.kind == .fail && $0.severity == .error) }) {
                    suite.failures += 1
                } else if active.contains(where: { $0.kind == .open }) || active.isEmpty {
                    suite.skipped += 1
                }
            }
            suites[id] = suite
        }
        return suites
    }

    func testJUnitCountsAndTimesMatchTheFindings() throws {
        for failOn in FailThreshold.allCases {
            let evaluations = try evaluations()
            let durations = [0.25, 1.5]
            let input = ReportFixtures.input(evaluations, failOn: failOn, durations: durations)
            let document = try XMLDocument(data: Data(Reports.render(.junit, input).utf8), options: [])
            let root = try XCTUnwrap(document.rootElement())
            XCTAssertEqual(root.name, "testsuites")
            XCTAssertEqual(root.attributes ?? [], [], "the strict schema allows no attribute on <testsuites>")
            let suites = root.elements(forName: "testsuite")
            var position = 0
            for (index, evaluation) in evaluations.enumerated() {
                let expected = expectedSuites(evaluation, failOn: failOn)
                let label = TextEscaping.visible(evaluation.picture.document.file)
                let mine = suites.filter { $0.attribute(forName: "package")?.stringValue == label }
                XCTAssertEqual(mine.count, expected.count, "one suite per rule of \(label)")
                var total = 0
                for suite in mine {
                    XCTAssertEqual(suite.attribute(forName: "id")?.stringValue, String(position), "ids count from 0")
                    position += 1
                    let name = suite.attribute(forName: "name")?.stringValue ?? ""
                    let id = String(name.prefix { $0 != " " })
                    let want = try XCTUnwrap(expected[id], "unexpected suite \(name)")
                    let cases = suite.elements(forName: "testcase")
                    let failures = cases.filter { !$0.elements(forName: "failure").isEmpty }
                    let skipped = cases.filter { !$0.elements(forName: "skipped").isEmpty }
                    XCTAssertEqual(cases.count, want.tests, "\(failOn) \(name) tests")
                    XCTAssertEqual(failures.count, want.failures, "\(failOn) \(name) failures")
                    XCTAssertEqual(skipped.count, want.skipped, "\(failOn) \(name) skipped")
                    XCTAssertEqual(suite.attribute(forName: "tests")?.stringValue, String(cases.count))
                    XCTAssertEqual(suite.attribute(forName: "failures")?.stringValue, String(failures.count))
                    XCTAssertEqual(suite.attribute(forName: "skipped")?.stringValue, String(skipped.count))
                    XCTAssertEqual(suite.attribute(forName: "errors")?.stringValue, "0")
                    XCTAssertEqual(suite.attribute(forName: "timestamp")?.stringValue, ReportFixtures.timestamp)
                    XCTAssertEqual(suite.attribute(forName: "hostname")?.stringValue, ReportFixtures.hostname)
                    for failure in failures.flatMap({ $0.elements(forName: "failure") }) {
                        XCTAssertNotNil(failure.attribute(forName: "type"))
                        XCTAssertFalse((failure.attribute(forName: "message")?.stringValue ?? "").isEmpty)
                    }
                    for skip in skipped.flatMap({ $0.elements(forName: "skipped") }) {
                        XCTAssertFalse((skip.attribute(forName: "message")?.stringValue ?? "").isEmpty, "a skip says why")
                    }
                    let caseMilliseconds = cases.map { self.milliseconds(of: $0) }.reduce(0, +)
                    XCTAssertEqual(self.milliseconds(of: suite), caseMilliseconds, "\(name): suite time is the sum of its test cases")
                    total += caseMilliseconds
                }
                XCTAssertEqual(total, Int(durations[index] * 1000), "\(label): the suites add up to the document's time")
            }
            XCTAssertEqual(position, suites.count)
        }
    }

    private func milliseconds(of element: XMLElement) -> Int {
        let text = element.attribute(forName: "time")?.stringValue ?? ""
        let parts = text.split(separator: ".")
        guard parts.count == 2, parts[1].count == 3, let whole = Int(parts[0]), let fraction = Int(parts[1]) else {
            XCTFail("time \(text) is not seconds with three decimals")
            return -1
        }
        return whole * 1000 + fraction
    }

    func testJUnitNamesTheReasonsAndKeepsAwkwardKeysExact() throws {
        let evaluations = try evaluations()
        let document = try XMLDocument(data: Data(Reports.render(.junit, ReportFixtures.input(evaluations)).utf8), options: [])
        let cases = try XCTUnwrap(document.rootElement()).elements(forName: "testsuite").flatMap { $0.elements(forName: "testcase") }
        func testCase(_ classname: String, _ name: String) -> XMLElement? {
            cases.first { $0.attribute(forName: "classname")?.stringValue == classname && $0.attribute(forName: "name")?.stringValue == name }
        }
        let awkward = try XCTUnwrap(testCase("plans/cutover.json.ORG001", ReportFixtures.awkwardAddress),
                                    "the awkward address must come back exactly: \(cases.compactMap { $0.attribute(forName: "name")?.stringValue })")
        let failure = try XCTUnwrap(awkward.elements(forName: "failure").first)
        XCTAssertEqual(failure.attribute(forName: "type")?.stringValue, "error")
        XCTAssertTrue(failure.stringValue?.contains(ReportFixtures.awkwardAddress) ?? false, failure.stringValue ?? "")

        let unknown = try XCTUnwrap(testCase("plans/cutover.json.ORG002", MigrationExamples.targetInstances[0]))
        XCTAssertTrue(unknown.elements(forName: "skipped").first?.attribute(forName: "message")?.stringValue?.hasPrefix("unverified: ") ?? false)
        let suppressed = try XCTUnwrap(testCase("plans/cutover.json.ORG001", MigrationExamples.sourceInstances[0]))
        XCTAssertTrue(suppressed.elements(forName: "skipped").first?.attribute(forName: "message")?.stringValue?.contains("replaced next sprint <&>") ?? false)
        let outside = try XCTUnwrap(cases.first { $0.attribute(forName: "classname")?.stringValue == "plans/cutover.json.ORG003" })
        XCTAssertEqual(outside.elements(forName: "skipped").first?.attribute(forName: "message")?.stringValue, "applies to cleanup, not cutover")

        // Raw line breaks, carriage returns and control characters: breaks survive as
        // character references, the characters XML cannot carry come back as \uXXXX.
        let synthetic = try XCTUnwrap(testCase("odd dir/plan <&>%:,\\u0001.json.ORG001", "aws_rds_cluster_instance.core[\"line\nbreak\r\\u0001]]>\"]"),
                                      "\(cases.compactMap { $0.attribute(forName: "name")?.stringValue })")
        let message = synthetic.elements(forName: "failure").first?.attribute(forName: "message")?.stringValue ?? ""
        XCTAssertEqual(message, "tier 0: 100% wrong, a:b\r\n::error::injected\\u0001\\u007f\\u0085 ]]> <&> \"q\" 'a' | *x* `c` @team")
    }

    func testXMLEscapingIsExact() {
        XCTAssertEqual(JUnitReport.attribute("<&\"'\n\r\t]]>\u{1}\u{7F}\u{FFFE}é"), "&lt;&amp;&quot;&apos;&#10;&#13;&#9;]]&gt;\\u0001\\u007f\\ufffeé")
        XCTAssertEqual(JUnitReport.text("<&\"'\n\r\t]]>\u{1}"), "&lt;&amp;\"'&#10;&#13;\t]]&gt;\\u0001")
        XCTAssertFalse(JUnitReport.text("]]>").contains("]]>"))
    }

    // MARK: - JSON

    func testJSONReportFollowsItsSchema() throws {
        let evaluations = try evaluations()
        let input = ReportFixtures.input(evaluations)
        let report = try json(Reports.render(.json, input))
        XCTAssertEqual(report["schemaVersion"] as? Int, JSONReport.schemaVersion)
        XCTAssertEqual((report["tool"] as? [String: Any])?["version"] as? String, MigCheckVersion.current)
        XCTAssertEqual(report["timestamp"] as? String, ReportFixtures.timestamp + "Z")
        XCTAssertEqual(report["failOn"] as? String, "error")
        XCTAssertEqual(report["result"] as? String, "fail")
        let documents = try XCTUnwrap(report["documents"] as? [[String: Any]])
        XCTAssertEqual(documents.count, evaluations.count)
        var total = ReportCounts()
        for (document, evaluation) in zip(documents, evaluations) {
            XCTAssertEqual(document["file"] as? String, evaluation.picture.document.file)
            XCTAssertEqual(document["kind"] as? String, "plan")
            XCTAssertEqual(document["phase"] as? String, evaluation.phase.rawValue)
            XCTAssertEqual(document["phaseReason"] as? String, evaluation.phaseReason)
            let topology = try XCTUnwrap(document["topology"] as? [String: Any])
            for (role, address) in [(ClusterRole.source, MigrationExamples.source), (.target, MigrationExamples.target)] {
                let cluster = try XCTUnwrap(topology[role.rawValue] as? [String: Any])
                XCTAssertEqual(cluster["address"] as? String, address)
                XCTAssertEqual(cluster["reason"] as? String, evaluation.picture.roleReasons[role])
                XCTAssertEqual(cluster["instances"] as? [String], evaluation.picture.cluster(role)?.instances.map(\.addressText))
            }
            let findings = try XCTUnwrap(document["findings"] as? [[String: Any]])
            XCTAssertEqual(findings.count, evaluation.findings.count)
            for (object, finding) in zip(findings, evaluation.findings) {
                XCTAssertEqual(object["ruleId"] as? String, finding.ruleID)
                XCTAssertEqual(object["address"] as? String, finding.address, "addresses round-trip exactly, control characters included")
                XCTAssertEqual(object["message"] as? String, finding.message)
                XCTAssertEqual(object["severity"] as? String, finding.severity.rawValue)
                XCTAssertEqual(object["kind"] as? String, finding.kind.rawValue)
                XCTAssertEqual(object["suppression"] as? String, finding.suppression)
                XCTAssertEqual(object["gating"] as? Bool, input.gates(finding))
                XCTAssertEqual(object["location"] is NSNull, finding.location == nil)
            }
            let order = findings.map { ($0["ruleId"] as? String ?? "", $0["address"] as? String ?? "", $0["message"] as? String ?? "") }
            XCTAssertTrue(zip(order, order.dropFirst()).allSatisfy { $0 <= $1 }, "findings in rule, address, message order")
            let rules = try XCTUnwrap(document["rules"] as? [[String: Any]])
            XCTAssertEqual(rules.filter { $0["status"] as? String == "skipped" }.count, evaluation.rulesSkipped.count)
            let counts = ReportCounts(evaluation, gates: input.gates)
            total = total + counts
            let summary = try XCTUnwrap(document["summary"] as? [String: Any])
            XCTAssertEqual(summary["text"] as? String, TextReport.summaryLine(evaluation))
            for (key, value) in [("resources", counts.resources), ("errors", counts.errors), ("warnings", counts.warnings), ("notes", counts.notes),
                                 ("unverified", counts.unverified), ("suppressed", counts.suppressed), ("gating", counts.gating)] {
                XCTAssertEqual(summary[key] as? Int, value, "summary.\(key)")
            }
        }
        let summary = try XCTUnwrap(report["summary"] as? [String: Any])
        XCTAssertEqual(summary["documents"] as? Int, evaluations.count)
        XCTAssertEqual(summary["errors"] as? Int, total.errors)
        XCTAssertEqual(summary["unverified"] as? Int, total.unverified)
        XCTAssertEqual(summary["gating"] as? Int, total.gating)
        XCTAssertEqual(try json(Reports.render(.json, ReportFixtures.input(evaluations, failOn: .never)))["result"] as? String, "pass")
    }

    func testJSONReportSummaryMatchesTheTextSummaryLine() throws {
        let evaluation = try ReportFixtures.brokenEvaluation()
        let counts = ReportCounts(evaluation, gates: { _ in false })
        let line = TextReport.summaryLine(evaluation)
        let causes = FindingGroups.causeCount(evaluation.findings)
        XCTAssertTrue(line.hasPrefix("\(causes) cause\(causes == 1 ? "" : "s"): \(counts.errors) error"), line)
        XCTAssertTrue(line.contains("\(counts.unverified) unverified"), line)
        XCTAssertTrue(line.hasSuffix("in \(counts.resources) resources; phase cutover"), line)
    }

    // MARK: - GitHub workflow commands

    func testWorkflowCommandEscapingFollowsTheToolkit() {
        XCTAssertEqual(GitHubAnnotations.escapeData("100% a:b, c\r\nd"), "100%25 a:b, c%0D%0Ad")
        XCTAssertEqual(GitHubAnnotations.escapeProperty("100% a:b, c\r\nd"), "100%25 a%3Ab%2C c%0D%0Ad")
        XCTAssertEqual(GitHubAnnotations.escapeData("bell\u{7}"), "bell\\u0007")
    }

    func testWorkflowCommandsAnnotateEveryActiveFinding() throws {
        let evaluations = try evaluations()
        let output = Reports.render(.github, ReportFixtures.input(evaluations))
        XCTAssertFalse(output.contains("\r"))
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let active = evaluations.flatMap(\.activeFindings)
        XCTAssertEqual(lines.count, active.count, "one command per active finding")
        for (line, finding) in zip(lines, active) {
            let text = String(line)
            let command: String
            switch finding.severity {
            case .error: command = "::error "
            case .warning: command = "::warning "
            case .note: command = "::notice "
            }
            XCTAssertTrue(text.hasPrefix(command), text)
            let afterName = text.dropFirst(command.count)
            let separator = try XCTUnwrap(afterName.range(of: "::"), text)
            let properties = afterName[..<separator.lowerBound].split(separator: ",").map { part -> (String, String) in
                let pieces = part.split(separator: "=", maxSplits: 1)
                return (String(pieces.first ?? ""), unescape(String(pieces.count > 1 ? pieces[1] : "")))
            }
            XCTAssertEqual(properties.map(\.0), ["file", "line", "endLine", "col", "endColumn", "title"], text)
            let evaluation = try XCTUnwrap(evaluations.first { $0.findings.contains(finding) })
            XCTAssertEqual(properties[0].1, TextEscaping.visible(evaluation.picture.document.file))
            XCTAssertEqual(properties[1].1, String(finding.location?.start.line ?? 1))
            XCTAssertTrue(properties[5].1.hasPrefix(finding.ruleID))
            let message = unescape(String(afterName[separator.upperBound...]))
            let expected = TextEscaping.visible("\(finding.address ?? "(plan-wide)"): \(finding.message)", keeping: ["\r", "\n"])
            XCTAssertEqual(message, expected)
        }
    }

    private func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%0A", with: "\n")
            .replacingOccurrences(of: "%3A", with: ":").replacingOccurrences(of: "%2C", with: ",").replacingOccurrences(of: "%25", with: "%")
    }

    // MARK: - Markdown

    func testMarkdownSummaryTableIsEscaped() throws {
        let evaluations = try evaluations()
        let output = Reports.render(.markdown, ReportFixtures.input(evaluations))
        XCTAssertTrue(output.hasPrefix("## migcheck ❌ fails"), output)
        XCTAssertTrue(output.contains("| document | phase | errors | warnings | unverified | notes | suppressed | resources | result |"))
        for evaluation in evaluations {
            let counts = ReportCounts(evaluation, gates: { _ in false })
            XCTAssertTrue(output.contains("| cutover | \(counts.errors) | \(counts.warnings) | \(counts.unverified) | \(counts.notes) | \(counts.suppressed) | \(counts.resources) |"), output)
        }
        XCTAssertFalse(output.contains("@team"), "no @-mention from a plan")
        XCTAssertTrue(output.contains("&#64;team"))
        // Every table row has as many unescaped cell separators as its header.
        for table in [["| document |", "| <code>"], ["| | rule |", "| ❌", "| ⚠️", "| ❔", "| ℹ️"]] {
            let header = try XCTUnwrap(output.split(separator: "\n").first { $0.hasPrefix(table[0]) })
            let want = pipes(String(header))
            for row in output.split(separator: "\n") where table.dropFirst().contains(where: { row.hasPrefix($0) }) {
                XCTAssertEqual(pipes(String(row)), want, String(row))
            }
        }
        // No HTML but the report's own.
        var stripped = output
        for tag in ["<code>", "</code>", "<details>", "</details>", "<summary>", "</summary>", "<sub>", "</sub>"] {
            stripped = stripped.replacingOccurrences(of: tag, with: "")
        }
        XCTAssertFalse(stripped.contains("<"), "raw < from a plan")
        XCTAssertEqual(MarkdownReport.inline("a|b *c* engine_version _x_ <y> `z`"), "a\\|b \\*c\\* engine_version \\_x\\_ &lt;y&gt; \\`z\\`")
    }

    private func pipes(_ row: String) -> Int {
        var count = 0
        var escaped = false
        for character in row {
            if character == "|" && !escaped { count += 1 }
            escaped = character == "\\" && !escaped
        }
        return count
    }

    // MARK: - The CI helper

    func testCIValidatorAgreesWithTheReports() throws {
        try ExternalTools.requirePython(modules: ["jsonschema", "sarif", "junitparser"])
        try ExternalTools.requireXmllint()
        let schemas = try SharedFixtures.directory("schemas")
        let root = try XCTUnwrap(PackagePaths.root)
        let input = ReportFixtures.input(try evaluations())
        var arguments = ["python3", root.appendingPathComponent(".ci/validate_reports.py").path, "--schemas", schemas.path]
        for (format, flag) in [(ReportFormat.sarif, "--sarif"), (.junit, "--junit"), (.json, "--json")] {
            let file = try ReportFixtures.temporaryFile("ci.\(format.fileExtension)", Reports.render(format, input))
            arguments += [flag, file.path]
        }
        let result = try XCTUnwrap(ExternalTools.run(arguments))
        XCTAssertEqual(result.status, 0, result.output)

        // And it notices a mismatch: a JSON report of another run.
        let other = try ReportFixtures.temporaryFile("other.json", Reports.render(.json, ReportFixtures.input([try ReportFixtures.brokenEvaluation()])))
        var mismatched = arguments
        mismatched[mismatched.count - 1] = other.path
        let failed = try XCTUnwrap(ExternalTools.run(mismatched))
        XCTAssertNotEqual(failed.status, 0, failed.output)
    }
}
