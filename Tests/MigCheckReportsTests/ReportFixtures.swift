import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckTestSupport

/// Evaluations for the report tests: healthy example plans broken on purpose, with a resource
/// whose for_each key holds everything XML, JSON, Markdown and workflow commands must escape.
enum ReportFixtures {
    /// A for_each key with `<`, `&`, both quotes, a line feed, `]]>` and a control character.
    static let awkwardKey = "<&\"'\n]]>\u{1}"
    /// Its address exactly as Terraform prints it (HCL quoting: `\"`, `\n`, `\u0001`).
    static let awkwardAddress = "aws_rds_cluster_instance.core" + InstanceKey.string(awkwardKey).description
    static let timestamp = "2026-11-20T10:00:00"
    static let hostname = "ci"
    static let today = CalendarDate(year: 2026, month: 11, day: 25) ?? CalendarDate.epoch

    /// Custom assertions that guarantee findings whatever the built-in rules do meanwhile.
    static var policy: Policy {
        var policy = Policy.builtInDefault
        policy.rules["MIG002"]?.enabled = false
        policy.assertions = [
            Policy.Assertion(id: "ORG001", title: "instances take over in order", resourceType: "aws_rds_cluster_instance", role: nil,
                             attribute: "promotion_tier", comparison: .equals(1), phases: Set(Phase.allCases), severity: .error),
            // A title with markup, a raw line break and a control character: it reaches messages and rule texts.
            Policy.Assertion(id: "ORG002", title: "class <&> \"sized\" 100%, ok: yes\nsecond line\u{1}", resourceType: "aws_rds_cluster_instance",
                             role: .target, attribute: "instance_class", comparison: .equals("db.r6g.large"),
                             phases: Set(Phase.allCases), severity: .warning),
            Policy.Assertion(id: "ORG003", title: "only after cleanup", resourceType: "aws_rds_cluster", role: .target,
                             attribute: "deletion_protection", comparison: .equals(true), phases: [.cleanup], severity: .error),
        ]
        policy.suppressions = [
            Policy.Suppression(rule: "ORG001", address: MigrationExamples.sourceInstances[0], reason: "replaced next sprint <&>",
                               expires: CalendarDate(year: 2027, month: 1, day: 31) ?? CalendarDate.epoch),
            Policy.Suppression(rule: "MIG001", address: "aws_rds_cluster.gone", reason: "old exception",
                               expires: CalendarDate(year: 2026, month: 1, day: 1) ?? CalendarDate.epoch),
        ]
        return policy
    }

    /// The cutover plan with: the target on another engine version (MIG001 error), one
    /// target instance's class unknown until apply (ORG002 unverified), another on another
    /// class (ORG002 warning), the awkward instance at promotion tier 0 (ORG001 error), a
    /// suppressed ORG001 finding on the source and an expired suppression (MIG900).
    static var brokenPlan: ExamplePlan {
        var instance = MigrationExamples.instance(id: "app-core-x", cluster: "app-core", tier: 0)
        instance["instance_class"] = "db.r6g.large"
        return MigrationExamples.healthy(.cutover)
            .setting(MigrationExamples.target, "engine_version", to: "15.4")
            .markingUnknown(MigrationExamples.targetInstances[0], "instance_class")
            .setting(MigrationExamples.targetInstances[1], "instance_class", to: "db.r6g.xlarge")
            .adding(ExampleResource(awkwardAddress, actions: ["create"], before: nil, after: instance,
                                    references: ["cluster_identifier": ["\(MigrationExamples.target).id", MigrationExamples.target]]))
    }

    static func evaluate(_ text: String, file: String, phase: Phase? = .cutover, policy: Policy = ReportFixtures.policy) throws -> [Evaluation] {
        try TerraformReader.read(text: text, file: file).map { document in
            Evaluator.evaluate(try PictureBuilder.build(document), phase: phase, policy: policy, today: today)
        }
    }

    static func brokenEvaluation(file: String = "plans/cutover.json") throws -> Evaluation {
        try XCTUnwrap(evaluate(brokenPlan.planJSON, file: file).first)
    }

    /// Findings no reader would produce, straight into an evaluation: raw line breaks,
    /// carriage returns and control characters in addresses, messages and the file name,
    /// workflow-command look-alikes, and a finding without location or address.
    static func syntheticEvaluation() throws -> Evaluation {
        let file = "odd dir/plan <&>%:,\u{1}.json"
        let base = try XCTUnwrap(evaluate(MigrationExamples.healthy(.cutover).planJSON, file: file).first)
        let start = SourcePosition(line: 3, column: 7)
        let location = SourceLocation(file: file, start: start, end: SourcePosition(line: 3, column: 19))
        let findings = [
            Finding(ruleID: "ORG001", severity: .error, kind: .fail,
                    message: "tier 0: 100% wrong, a:b\r\n::error::injected\u{1}\u{7F}\u{85} ]]> <&> \"q\" 'a' | *x* `c` @team",
                    address: "aws_rds_cluster_instance.core[\"line\nbreak\r\u{1}]]>\"]", location: location),
            Finding(ruleID: "ORG001", severity: .warning, kind: .open, message: "unknown until apply", address: "aws_rds_cluster_instance.core[\"a,b:c\"]"),
            Finding(ruleID: "ORG002", severity: .note, kind: .fail, message: "plan-wide note"),
            Finding(ruleID: "ORG002", severity: .error, kind: .fail, message: "suppressed one", address: "aws_rds_cluster.core",
                    suppression: "accepted <risk> & \"reason\"\n(until 2027-01-01)"),
        ].sorted(by: Finding.reportOrder)
        return Evaluation(picture: base.picture, phase: base.phase, phaseReason: base.phaseReason, findings: findings,
                          rulesRun: base.rulesRun, rulesSkipped: base.rulesSkipped, customRules: base.customRules)
    }

    static func input(_ evaluations: [Evaluation], failOn: FailThreshold = .error, durations: [Double]? = nil) -> ReportInput {
        ReportInput(evaluations: evaluations, failOn: failOn, unverifiedSeverity: .warning, timestamp: timestamp, hostname: hostname,
                    durations: durations ?? evaluations.indices.map { 0.0125 + Double($0) })
    }

    // MARK: - Validating against the published schemas

    static func schema(_ name: String) throws -> URL {
        try SharedFixtures.directory("schemas").appendingPathComponent(name)
    }

    /// `text` (a SARIF log) is valid against the OASIS SARIF 2.1.0 schema, formats included;
    /// XCTSkip without python3 and jsonschema or without ../shared/schemas.
    static func assertValidSARIF(_ text: String, named name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try ExternalTools.requirePython(modules: ["jsonschema"])
        let schema = try schema("sarif-schema-2.1.0.json")
        let log = try temporaryFile(name, text)
        let script = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1])); log = json.load(open(sys.argv[2]))
        errors = list(jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(log))
        for error in errors[:20]: print(list(error.absolute_path), error.message[:300])
        sys.exit(1 if errors else 0)
        """
        let result = try XCTUnwrap(ExternalTools.run(["python3", "-c", script, schema.path, log.path]), file: file, line: line)
        XCTAssertEqual(result.status, 0, "\(name) is not valid against the OASIS schema:\n\(result.output)", file: file, line: line)
    }

    /// `text` (a JUnit report) is valid against both JUnit XSDs; XCTSkip without xmllint or ../shared/schemas.
    static func assertValidJUnit(_ text: String, named name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try ExternalTools.requireXmllint()
        let report = try temporaryFile(name, text)
        for schemaName in ["jenkins-xunit-junit-10.xsd", "windyroad-JUnit.xsd"] {
            let xsd = try schema(schemaName)
            let result = try XCTUnwrap(ExternalTools.run(["xmllint", "--noout", "--schema", xsd.path, report.path]), file: file, line: line)
            XCTAssertEqual(result.status, 0, "\(name) is not valid against \(schemaName):\n\(result.output)", file: file, line: line)
        }
    }

    static let temporaryDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("migcheck-reports-\(getpid())")

    static func temporaryFile(_ name: String, _ contents: String) throws -> URL {
        try FileManager.default.createDirectory(at: temporaryDirectory, withIntermediateDirectories: true)
        let url = temporaryDirectory.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url
    }
}
