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
@testable import MigCheckCLI

/// Every report records how its verdict was reached: which policy applied (path as given, or
/// built-in, and the SHA-256 of its bytes) and where each document's phase and cluster roles
/// came from (a flag, the policy's line, or inferred with the candidates or reason).
final class RunProvenanceTests: XCTestCase {
    /// A policy path with a line break that could start a workflow command and a bidi override.
    static let policyFile = "infra/odd\u{202E}name\n::error::x.json"
    static let policyText = "{\n  \"policyVersion\": 1,\n  \"phase\": \"cutover\",\n  \"source\": \"aws_rds_cluster.legacy\"\n}\n"
    static let policyProvenance = PolicyProvenance(origin: .flag, path: policyFile, sha256: SHA256.hexDigest(of: policyText))

    private var policyFile: String { Self.policyFile }
    private var digest: String { Self.policyProvenance.sha256 }

    override class func tearDown() {
        try? FileManager.default.removeItem(at: ReportFixtures.temporaryDirectory)
        super.tearDown()
    }

    // MARK: - Evaluations with each origin

    /// Phase and source from the policy file, target inferred.
    private func fromPolicy() throws -> Evaluation {
        let policy = try PolicyReader.read(text: Self.policyText, file: policyFile)
        let document = try XCTUnwrap(TerraformReader.read(text: MigrationExamples.healthy(.cutover).planJSON, file: "plans/policy.json").first)
        let picture = try PictureBuilder.build(document, source: nil, target: nil, policy: policy)
        return Evaluator.evaluate(picture, phase: nil, policy: policy, today: ReportFixtures.today)
    }

    /// Phase, source and target on the command line.
    private func fromFlags() throws -> Evaluation {
        let document = try XCTUnwrap(TerraformReader.read(text: MigrationExamples.healthy(.cutover).planJSON, file: "plans/flags.json").first)
        let picture = try PictureBuilder.build(document, source: MigrationExamples.source, target: MigrationExamples.target, policy: .builtInDefault)
        return Evaluator.evaluate(picture, phase: .cutover, policy: .builtInDefault, today: ReportFixtures.today)
    }

    /// Everything inferred, and the evidence fits two phases.
    private func inferred() throws -> Evaluation {
        let path = PolicyTests.packageRoot.appendingPathComponent("Fixtures/inference/origin-before-switch.full-load.plan.json").path
        let document = try XCTUnwrap(TerraformReader.read(path: path).first)
        return Evaluator.evaluate(try PictureBuilder.build(document), phase: nil, policy: .builtInDefault, today: ReportFixtures.today)
    }

    private func input(_ evaluations: [Evaluation], policy: PolicyProvenance = RunProvenanceTests.policyProvenance) -> ReportInput {
        var input = ReportFixtures.input(evaluations)
        input.policy = policy
        return input
    }

    private func policyLocation(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: policyFile, start: SourcePosition(line: line, column: column), end: SourcePosition(line: line, column: column))
    }

    func testTheEvaluationRecordsWhereThePhaseAndTheRolesCameFrom() throws {
        let policy = try fromPolicy()
        XCTAssertEqual(policy.phaseOrigin, .policy(policyLocation(3, 12)))
        XCTAssertEqual(policy.phaseReason, "named by the policy (\(policyFile):3:12)")
        XCTAssertEqual(policy.picture.roleOrigins[.source], .policy(policyLocation(4, 13)))
        XCTAssertEqual(policy.picture.roleOrigins[.target], .inferred)

        let flags = try fromFlags()
        XCTAssertEqual(flags.phaseOrigin, .flag("--phase"))
        XCTAssertEqual(flags.picture.roleOrigins[.source], .flag("--source"))
        XCTAssertEqual(flags.picture.roleOrigins[.target], .flag("--target"))

        let inferred = try inferred()
        XCTAssertEqual(inferred.phaseOrigin, .inferred(candidates: [.fullLoad, .cutover]))
        XCTAssertEqual(inferred.picture.roleOrigins[.source], .inferred)
        XCTAssertEqual(inferred.picture.roleOrigins[.target], .inferred)
    }

    // MARK: - Text

    func testTheTextHeaderNamesThePolicyThePhaseAndTheRolesOrigins() throws {
        let policy = try fromPolicy(), flags = try fromFlags(), inferred = try inferred()
        let text = Reports.render(.text, input([policy, flags, inferred]))
        let visiblePath = TextEscaping.visible(policyFile)
        XCTAssertTrue(visiblePath.contains("\\u000a") && visiblePath.contains("\\u202e"), visiblePath)
        // Header lines wrap at 120 columns with a six-space hanging indent: read them whole.
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("      "), let last = lines.popLast() {
                lines.append(last + " " + line.drop { $0 == " " })
            } else {
                lines.append(line)
            }
        }
        XCTAssertEqual(lines.filter { $0 == "  policy: file \(visiblePath) (--policy), sha256 \(digest)" }.count, 3, text)
        XCTAssertTrue(lines.contains("  phase cutover (named by the policy (\(visiblePath):3:12))"), text)
        XCTAssertTrue(lines.contains("  source: aws_rds_cluster.legacy (named by the policy's \"source\" (\(visiblePath):4:13))"), text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("  target: aws_rds_cluster.core (inferred: ") }, text)
        XCTAssertTrue(lines.contains("  phase cutover (named by --phase)"), text)
        XCTAssertTrue(lines.contains("  source: aws_rds_cluster.legacy (named with --source)"), text)
        XCTAssertTrue(lines.contains("  target: aws_rds_cluster.core (named with --target)"), text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("  phases considered: full-load, cutover (inferred") }, text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("  source: aws_rds_cluster.legacy (inferred: ") }, text)
        XCTAssertFalse(text.contains("\u{202E}") || text.contains("\n::error"), "the policy path reaches the report raw")

        let builtIn = Reports.render(.text, input([flags], policy: .builtIn))
        XCTAssertTrue(builtIn.contains("\n  policy: built-in, sha256 \(SHA256.hexDigest(of: Policy.builtInDefault.fileText))\n"), builtIn)
    }

    // MARK: - JSON

    func testTheJSONReportRecordsThePolicyAndTheOrigins() throws {
        let report = try json(Reports.render(.json, input([try fromPolicy(), try fromFlags(), try inferred()])))
        let policy = try XCTUnwrap(report["policy"] as? [String: Any])
        XCTAssertEqual(policy["origin"] as? String, "--policy")
        XCTAssertEqual(policy["path"] as? String, policyFile, "the path round-trips exactly")
        XCTAssertEqual(policy["sha256"] as? String, digest)
        let documents = try XCTUnwrap(report["documents"] as? [[String: Any]])
        XCTAssertEqual(documents.count, 3)

        func origin(_ document: [String: Any], _ role: String) throws -> [String: Any] {
            let topology = try XCTUnwrap(document["topology"] as? [String: Any])
            let cluster = try XCTUnwrap(topology[role] as? [String: Any])
            return try XCTUnwrap(cluster["origin"] as? [String: Any])
        }
        let phase0 = try XCTUnwrap(documents[0]["phaseOrigin"] as? [String: Any])
        XCTAssertEqual(phase0["kind"] as? String, "policy")
        let location = try XCTUnwrap(phase0["location"] as? [String: Any])
        XCTAssertEqual(location["file"] as? String, policyFile)
        XCTAssertEqual(location["line"] as? Int, 3)
        XCTAssertEqual(location["column"] as? Int, 12)
        let source0 = try origin(documents[0], "source")
        XCTAssertEqual(source0["kind"] as? String, "policy")
        XCTAssertEqual((source0["location"] as? [String: Any])?["line"] as? Int, 4)
        XCTAssertEqual(try origin(documents[0], "target")["kind"] as? String, "inferred")
        XCTAssertNotNil(try origin(documents[0], "target")["reason"] as? String)

        let phase1 = try XCTUnwrap(documents[1]["phaseOrigin"] as? [String: Any])
        XCTAssertEqual(phase1["kind"] as? String, "flag")
        XCTAssertEqual(phase1["flag"] as? String, "--phase")
        XCTAssertEqual(try origin(documents[1], "source")["flag"] as? String, "--source")
        XCTAssertEqual(try origin(documents[1], "target")["flag"] as? String, "--target")

        let phase2 = try XCTUnwrap(documents[2]["phaseOrigin"] as? [String: Any])
        XCTAssertEqual(phase2["kind"] as? String, "inferred")
        XCTAssertEqual(phase2["candidates"] as? [String], ["full-load", "cutover"])

        let builtIn = try json(Reports.render(.json, input([try fromFlags()], policy: .builtIn)))
        let builtInPolicy = try XCTUnwrap(builtIn["policy"] as? [String: Any])
        XCTAssertEqual(builtInPolicy["origin"] as? String, "built-in")
        XCTAssertTrue(builtInPolicy["path"] is NSNull)
        XCTAssertEqual(builtInPolicy["sha256"] as? String, PolicyProvenance.builtIn.sha256)
    }

    // MARK: - SARIF

    func testSARIFRecordsThePolicyAndTheOriginsInPropertyBags() throws {
        let log = try json(Reports.render(.sarif, input([try fromPolicy(), try inferred()])))
        let runs = try XCTUnwrap(log["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.count, 2)
        for run in runs {
            let invocation = try XCTUnwrap((run["invocations"] as? [[String: Any]])?.first)
            let policy = try XCTUnwrap((invocation["properties"] as? [String: Any])?["policy"] as? [String: Any])
            XCTAssertEqual(policy["origin"] as? String, "--policy")
            XCTAssertEqual(policy["path"] as? String, TextEscaping.visible(policyFile), "shown with its controls visible")
            XCTAssertEqual(policy["sha256"] as? String, digest)
            let properties = try XCTUnwrap(run["properties"] as? [String: Any])
            XCTAssertEqual((properties["policy"] as? [String: Any])?["sha256"] as? String, digest)
            XCTAssertNotNil(properties["sourceOrigin"] as? [String: Any])
            XCTAssertNotNil(properties["targetOrigin"] as? [String: Any])
        }
        let first = try XCTUnwrap(runs[0]["properties"] as? [String: Any])
        XCTAssertEqual((first["phaseOrigin"] as? [String: Any])?["kind"] as? String, "policy")
        XCTAssertEqual((first["sourceOrigin"] as? [String: Any])?["kind"] as? String, "policy")
        XCTAssertEqual((first["targetOrigin"] as? [String: Any])?["kind"] as? String, "inferred")
        let second = try XCTUnwrap(runs[1]["properties"] as? [String: Any])
        XCTAssertEqual((second["phaseOrigin"] as? [String: Any])?["candidates"] as? [String], ["full-load", "cutover"])
    }

    func testSARIFWithTheRecordIsValidAgainstTheOASISSchema() throws {
        try ReportFixtures.requirePython(modules: ["jsonschema"])
        let schema = try ReportFixtures.schema("sarif-schema-2.1.0.json")
        let file = try ReportFixtures.temporaryFile("provenance.sarif",
                                                    Reports.render(.sarif, input([try fromPolicy(), try fromFlags(), try inferred()])))
        let script = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1])); log = json.load(open(sys.argv[2]))
        errors = list(jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(log))
        for error in errors[:20]: print(list(error.absolute_path), error.message[:300])
        sys.exit(1 if errors else 0)
        """
        let result = try XCTUnwrap(ReportFixtures.run(["python3", "-c", script, schema.path, file.path]))
        XCTAssertEqual(result.status, 0, result.output)
    }

    // MARK: - JUnit

    func testJUnitPropertiesRecordThePolicyAndTheOrigins() throws {
        let xml = Reports.render(.junit, input([try fromPolicy(), try fromFlags(), try inferred()]))
        XCTAssertFalse(xml.contains("\u{202E}") || xml.contains("\n::error"), "the policy path reaches the report raw")
        let document = try XMLDocument(data: Data(xml.utf8))
        let suites = try document.nodes(forXPath: "//testsuite").compactMap { $0 as? XMLElement }
        XCTAssertFalse(suites.isEmpty)
        func properties(_ suite: XMLElement) -> [String: String] {
            var result: [String: String] = [:]
            for property in suite.elements(forName: "properties").first?.elements(forName: "property") ?? [] {
                if let name = property.attribute(forName: "name")?.stringValue { result[name] = property.attribute(forName: "value")?.stringValue }
            }
            return result
        }
        for suite in suites {
            let values = properties(suite)
            XCTAssertEqual(values["policySha256"], digest)
            XCTAssertEqual(values["policyOrigin"], "--policy")
            XCTAssertNotNil(values["policy"])
            XCTAssertFalse(values["policy"]?.contains("\u{202E}") ?? true)
        }
        let byPackage = Dictionary(grouping: suites) { $0.attribute(forName: "package")?.stringValue ?? "" }
        let policyRun = try XCTUnwrap(byPackage["plans/policy.json"]?.first.map(properties))
        // Line breaks travel as character references (a reporter reads them back), the bidi control as a visible escape.
        XCTAssertEqual(policyRun["phaseOrigin"], "the policy (\(policyFile.replacingOccurrences(of: "\u{202E}", with: "\\u202e")):3:12)")
        XCTAssertEqual(policyRun["source"], "aws_rds_cluster.legacy")
        XCTAssertTrue(policyRun["sourceOrigin"]?.hasPrefix("the policy's \"source\" (") ?? false, policyRun["sourceOrigin"] ?? "-")
        XCTAssertTrue(policyRun["targetOrigin"]?.hasPrefix("inferred: ") ?? false)
        let flagRun = try XCTUnwrap(byPackage["plans/flags.json"]?.first.map(properties))
        XCTAssertEqual(flagRun["phaseOrigin"], "--phase")
        XCTAssertEqual(flagRun["sourceOrigin"], "--source")
        XCTAssertEqual(flagRun["targetOrigin"], "--target")
        let inferredRun = try XCTUnwrap(byPackage.first { $0.key.hasSuffix("origin-before-switch.full-load.plan.json") }?.value.first.map(properties))
        XCTAssertEqual(inferredRun["phaseOrigin"], "inferred (candidates: full-load, cutover)")

        let builtIn = Reports.render(.junit, input([try fromFlags()], policy: .builtIn))
        XCTAssertTrue(builtIn.contains("<property name=\"policy\" value=\"built-in\"/>"), builtIn)
        XCTAssertTrue(builtIn.contains("<property name=\"policySha256\" value=\"\(PolicyProvenance.builtIn.sha256)\"/>"), builtIn)
    }

    func testJUnitWithTheRecordValidatesAgainstBothSchemas() throws {
        try ReportFixtures.requireXmllint()
        let file = try ReportFixtures.temporaryFile("provenance.xml", Reports.render(.junit, input([try fromPolicy(), try fromFlags(), try inferred()])))
        for schema in ["jenkins-xunit-junit-10.xsd", "windyroad-JUnit.xsd"] {
            let xsd = try ReportFixtures.schema(schema)
            let result = try XCTUnwrap(ReportFixtures.run(["xmllint", "--noout", "--schema", xsd.path, file.path]))
            XCTAssertEqual(result.status, 0, "not valid against \(schema):\n\(result.output)")
        }
    }

    // MARK: - Markdown

    func testMarkdownRecordsThePolicyAndTheOrigins() throws {
        let markdown = Reports.render(.markdown, input([try fromPolicy(), try fromFlags(), try inferred()]))
        XCTAssertFalse(markdown.contains("\u{202E}") || markdown.contains("\n::error"), "the policy path reaches the report raw")
        let lines = markdown.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("Policy: <code>\(MarkdownReport.inline(policyFile))</code> (--policy), SHA-256 <code>\(digest)</code>."), markdown)
        XCTAssertTrue(lines.contains("Phase cutover: named by the policy (\(MarkdownReport.inline(policyFile)):3:12).  "), markdown)
        XCTAssertTrue(lines.contains("Source: <code>aws_rds_cluster.legacy</code> (named by the policy's \"source\" (\(MarkdownReport.inline(policyFile)):4:13)).  "),
                      markdown)
        XCTAssertTrue(lines.contains { $0.hasPrefix("Target: <code>aws_rds_cluster.core</code> (inferred: ") }, markdown)
        XCTAssertTrue(lines.contains("Source: <code>aws_rds_cluster.legacy</code> (named with --source).  "), markdown)
        XCTAssertTrue(lines.contains("Phase cutover: named by --phase.  "), markdown)

        let builtIn = Reports.render(.markdown, input([try fromFlags()], policy: .builtIn))
        XCTAssertTrue(builtIn.contains("\nPolicy: built-in, SHA-256 <code>\(PolicyProvenance.builtIn.sha256)</code>.\n"), builtIn)
    }

    // MARK: - Through the command line

    func testTheCommandLineRecordsThePolicyFileItRead() throws {
        let directory = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plan = PolicyTests.packageRoot.appendingPathComponent("Fixtures/full-load/plan.json").path
        let text = "{\n  \"policyVersion\": 1,\n  \"phase\": \"full-load\"\n}\n"
        try Data(text.utf8).write(to: directory.appendingPathComponent("migcheck.json"))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("policies"), withIntermediateDirectories: true)
        let other = "{\"policyVersion\": 1, \"source\": \"aws_rds_cluster.source[0]\"}\n"
        try Data(other.utf8).write(to: directory.appendingPathComponent("policies/prod.json"))
        let empty = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }

        let found = try ReadmeQuickStartTests.run(["--format", "json", plan], in: directory)
        let named = try ReadmeQuickStartTests.run(["--format", "json", "--policy", "policies/prod.json", plan], in: directory)
        let none = try ReadmeQuickStartTests.run(["--format", "json", plan], in: empty)
        for (result, origin, path, sha) in [(found, "working directory", "migcheck.json" as String?, SHA256.hexDigest(of: text)),
                                            (named, "--policy", "policies/prod.json", SHA256.hexDigest(of: other)),
                                            (none, "built-in", nil, PolicyProvenance.builtIn.sha256)] {
            XCTAssertNotEqual(result.status, 2, result.stderr)
            let policy = try XCTUnwrap(try json(result.stdout)["policy"] as? [String: Any])
            XCTAssertEqual(policy["origin"] as? String, origin)
            XCTAssertEqual(policy["path"] as? String, path)
            XCTAssertEqual(policy["sha256"] as? String, sha)
        }
        let documents = try XCTUnwrap(try json(found.stdout)["documents"] as? [[String: Any]])
        let phase = try XCTUnwrap(documents.first?["phaseOrigin"] as? [String: Any])
        XCTAssertEqual(phase["kind"] as? String, "policy")
        XCTAssertEqual((phase["location"] as? [String: Any])?["file"] as? String, "migcheck.json")

        let text2 = try ReadmeQuickStartTests.run(["--policy", "policies/prod.json", "--phase", "full-load", plan], in: directory)
        XCTAssertTrue(text2.stdout.contains("\n  policy: file policies/prod.json (--policy), sha256 \(SHA256.hexDigest(of: other))\n"), text2.stdout)
        XCTAssertTrue(text2.stdout.contains("\n  source: aws_rds_cluster.source[0] (named by the policy's \"source\" (policies/prod.json:1:32))\n"), text2.stdout)
    }

    private func json(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try XCTUnwrap(object as? [String: Any], "not a JSON object", file: file, line: line)
    }
}
