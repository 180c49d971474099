import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckCLI
@testable import MigCheckTestSupport

/// `migcheck ready` through the report machinery of the plan check: every format, `--output`,
/// the policy, operands told apart by shape.
final class ReadinessReportsCommandLineTests: XCTestCase {
    /// The command line in-process, as the tests below read it.
    private func run(_ arguments: [String]) -> (status: ExitCode, output: String, error: String) {
        let result = InProcess.run(arguments)
        return (result.exitCode, result.stdout, result.stderr)
    }

    private func evidence(_ scenario: String) -> String { EvidenceFixtures.path(scenario) }

    private let now = ["--now", "2026-11-20T12:00:00Z"]

    private func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ready-reports-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }

    func testEveryFormatOnStandardOutputAndInItsOutputFile() throws {
        let directory = try scratch()
        for format in ReportFormat.allCases {
            let file = directory.appendingPathComponent("ready.\(format.rawValue)")
            let result = run(["ready", "--phase", "cutover"] + now + ["--format", format.rawValue,
                              "--output", "\(format.rawValue)=\(file.path)", "--evidence", evidence("errored-tables")])
            XCTAssertEqual(result.status, .findings, "\(format): \(result.error)")
            XCTAssertEqual(result.error, "", format.rawValue)
            XCTAssertTrue(result.output.contains("MIG015"), "\(format): \(result.output)")
            XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), result.output, "\(format): the file is the same report")
        }
        // Every readiness rule holds on cutover-checked once the policy sets the migration's planned end (MIG017).
        let planned = directory.appendingPathComponent("planned.json")
        try Data(#"{"policyVersion": 1, "rules": {"MIG017": {"parameters": {"plannedEnd": "2026-11-27T00:00:00Z"}}}}"#.utf8).write(to: planned)
        let clean = run(["ready", "--phase", "cutover"] + now + ["--format", "sarif", "--policy", planned.path, "--evidence", evidence("cutover-checked")])
        XCTAssertEqual(clean.status, .clean, clean.error)
        let unplanned = run(["ready", "--phase", "cutover"] + now + ["--format", "sarif", "--evidence", evidence("cutover-checked")])
        XCTAssertEqual(unplanned.status, .findings, "an unverified MIG017 is not ready under the default --fail-on")
    }

    func testSARIFPointsAtTheEvidenceFileAndJUnitHasOneCasePerReadinessRule() throws {
        let sarif = run(["ready", "--phase", "cutover"] + now + ["--format", "sarif", "--evidence", evidence("errored-tables")])
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(sarif.output.utf8)) as? [String: Any])
        let results = try XCTUnwrap(((root["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]])
        let places = results.compactMap { result -> String? in
            guard let physical = ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any],
                  let uri = (physical["artifactLocation"] as? [String: Any])?["uri"] as? String,
                  let region = physical["region"] as? [String: Any] else { return nil }
            return "\(result["ruleId"] ?? ""):\(uri):\(region["startLine"] ?? 0):\(region["startColumn"] ?? 0)"
        }
        XCTAssertTrue(places.contains("MIG015:\(evidence("errored-tables"))/describe-replication-tasks.json:3:9"), "\(places)")
        XCTAssertTrue(places.contains("MIG015:\(evidence("errored-tables"))/describe-table-statistics.json:22:9"), "\(places)")

        let junit = run(["ready", "--phase", "cutover"] + now + ["--format", "junit", "--evidence", evidence("errored-tables")])
        let ran = RuleRegistry.readinessDescriptions.filter { $0.phases.contains(.cutover) }.map(\.id)
        let classes = junit.output.split(separator: "\n").filter { $0.contains("<testcase ") }.compactMap { line -> String? in
            guard let start = line.range(of: "classname=\"")?.upperBound, let end = line[start...].firstIndex(of: "\"") else { return nil }
            return String(line[start..<end].split(separator: ".").last ?? "")
        }
        XCTAssertEqual(classes.sorted(), ran.sorted(), junit.output)
    }

    /// Evidence alone is no Terraform document: the JSON says `evidence` from the AWS CLI; joined
    /// to a plan, the document is the plan's.
    func testTheJSONDocumentOfEvidenceAloneIsEvidence() throws {
        let plan = PackagePaths.packageRoot.appendingPathComponent("Fixtures/cutover/plan.json").path
        func document(_ arguments: [String]) throws -> [String: Any] {
            let result = run(["ready", "--phase", "cutover"] + now + ["--format", "json"] + arguments)
            XCTAssertNotEqual(result.status, .badInput, result.error)
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
            return try XCTUnwrap((object["documents"] as? [[String: Any]])?.first)
        }
        let alone = try document(["--evidence", evidence("cutover-ready")])
        XCTAssertEqual(alone["kind"] as? String, "evidence")
        XCTAssertEqual(alone["producer"] as? String, "AWS CLI")
        XCTAssertTrue(alone["formatVersion"] is NSNull && alone["terraformVersion"] is NSNull, "\(alone)")
        let joined = try document(["--evidence", evidence("cutover-ready"), plan])
        XCTAssertEqual(joined["kind"] as? String, "plan")
        XCTAssertEqual(joined["producer"] as? String, "Terraform")
        XCTAssertEqual(joined["terraformVersion"] as? String, "1.11.4")
    }

    func testTheJSONReportOfReadyMatchesTheSchema() throws {
        try ExternalTools.requirePython(modules: ["jsonschema"])
        let directory = try scratch()
        let schema = PackagePaths.packageRoot.appendingPathComponent("docs/json-report.schema.json").path
        let plan = PackagePaths.packageRoot.appendingPathComponent("Fixtures/cutover/plan.json").path
        var reports: [String] = []
        for (index, arguments) in [["--evidence", evidence("errored-tables")], ["--evidence", evidence("cutover-ready"), plan], []]
            .enumerated() {
            let file = directory.appendingPathComponent("ready-\(index).json").path
            let result = run(["ready", "--phase", "cutover"] + now + ["--output", "json=\(file)"] + arguments)
            XCTAssertNotEqual(result.status, .badInput, result.error)
            reports.append(file)
        }
        let validator = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
            for path in sys.argv[2:]:
                for error in validator.iter_errors(json.load(open(path))):
                    print(path, list(error.absolute_path), error.message)
            """
        let result = try XCTUnwrap(ExternalTools.run(["python3", "-c", validator, schema] + reports))
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(result.output, "")
        let joined = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: reports[1]))) as? [String: Any]
        let readiness = ((joined?["documents"] as? [[String: Any]])?.first?["readiness"]) as? [String: Any]
        XCTAssertEqual(readiness?["joinedTo"] as? String, plan)
    }

    func testNoEvidenceIsNeverReady() {
        for failOn in ["error", "warning", "never"] {
            let result = run(["ready", "--phase", "cutover", "--fail-on", failOn] + now)
            XCTAssertEqual(result.status, .findings, "--fail-on \(failOn): \(result.error)")
            XCTAssertTrue(result.output.contains("evidence: none given (collect it with migcheck collect)"), result.output)
            XCTAssertTrue(result.output.contains("collect it with `aws rds describe-db-clusters"), result.output)
        }
    }

    func testThePolicyConfiguresAndSuppressesReadinessRules() throws {
        let directory = try scratch()
        func policy(_ text: String) throws -> String {
            let file = directory.appendingPathComponent("policy-\(UUID().uuidString).json")
            try Data(text.utf8).write(to: file)
            return file.path
        }
        let base = ["ready", "--phase", "cutover"] + now + ["--evidence", evidence("errored-tables")]
        let warning = try policy(#"{"policyVersion": 1, "rules": {"MIG016": {"enabled": false}, "MIG017": {"enabled": false}, "MIG015": {"severity": "warning"}}}"#)
        XCTAssertEqual(run(base + ["--policy", warning, "--fail-on", "error"]).status, .clean)
        XCTAssertEqual(run(base + ["--policy", warning, "--fail-on", "warning"]).status, .findings)
        let disabled = try policy(#"{"policyVersion": 1, "rules": {"MIG016": {"enabled": false}, "MIG017": {"enabled": false}, "mig015": {"enabled": false}}}"#)
        let off = run(base + ["--policy", disabled, "--format", "json"])
        XCTAssertEqual(off.status, .clean, off.error)
        XCTAssertTrue(off.output.contains("\"skipReason\": \"disabled by the policy\""), off.output)
        let suppressed = try policy(#"{"policyVersion": 1, "rules": {"MIG016": {"enabled": false}, "MIG017": {"enabled": false}}, "suppressions": [{"rule": "MIG015", "reason": "reloading", "expires": "2099-01-01"}]}"#)
        let quiet = run(base + ["--policy", suppressed])
        XCTAssertEqual(quiet.status, .clean, quiet.error)
        XCTAssertTrue(quiet.output.contains("suppressed by the policy or inline"), quiet.output)
        let unknown = try policy(#"{"policyVersion": 1, "rules": {"MIG999": {"enabled": false}}}"#)
        XCTAssertEqual(run(base + ["--policy", unknown]).error, "\(unknown):1:42: error: rules: unknown rule \"MIG999\" (see `migcheck rules`)\n")
        // The plan check reads the same file without complaint.
        let plan = PackagePaths.packageRoot.appendingPathComponent("Fixtures/cutover/plan.json").path
        XCTAssertNotEqual(run(["--policy", disabled, plan]).status, .badInput)
    }

    /// `./migcheck.json` in the working directory, as the plan check finds it: through the binary.
    func testReadyFindsThePolicyInTheWorkingDirectory() throws {
        let directory = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = #"{"policyVersion": 1, "rules": {"MIG016": {"enabled": false}, "MIG017": {"enabled": false}, "MIG015": {"enabled": false}}}"# + "\n"
        try Data(text.utf8).write(to: directory.appendingPathComponent("migcheck.json"))
        let result = try MigCheckBinary.run(["ready", "--phase", "cutover"] + now + ["--format", "json", "--evidence", evidence("errored-tables")],
                                            in: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let policy = try XCTUnwrap(root["policy"] as? [String: Any])
        XCTAssertEqual(policy["origin"] as? String, "working directory")
        XCTAssertEqual(policy["sha256"] as? String, SHA256.hexDigest(of: text))
    }

    func testOperandsAreToldApartByShape() throws {
        let plan = PackagePaths.packageRoot.appendingPathComponent("Fixtures/cutover/plan.json").path
        let asFlag = run(["ready", "--phase", "cutover", "--format", "json"] + now + ["--evidence", evidence("pending-reboot")])
        let asOperand = run(["ready", "--phase", "cutover", "--format", "json"] + now + [evidence("pending-reboot")])
        XCTAssertEqual(asOperand.status, .findings, asOperand.error)
        XCTAssertEqual(withoutTimestamp(asOperand.output), withoutTimestamp(asFlag.output))
        let files = try FileManager.default.contentsOfDirectory(atPath: evidence("pending-reboot")).sorted()
            .map { evidence("pending-reboot") + "/" + $0 }
        let joined = run(["ready", "--phase", "cutover"] + now + [files[0], plan] + files.dropFirst())
        XCTAssertEqual(joined.status, .findings, joined.error)
        XCTAssertTrue(joined.output.contains("\n  joined to: \(plan): plan"), joined.output)
        let two = run(["ready", "--phase", "cutover", plan, plan])
        XCTAssertEqual(two.status, .badInput)
        XCTAssertEqual(two.error, "migcheck: error: ready: one plan or state at most, found '\(plan)' and '\(plan)'\n")

        let check = run([files[0]])
        XCTAssertEqual(check.status, .badInput)
        XCTAssertTrue(check.error.hasPrefix("\(files[0]):1:1: error: this is AWS CLI evidence ("), check.error)
        XCTAssertTrue(check.error.hasSuffix("judge it with `migcheck ready --phase PHASE [plan.json] EVIDENCE...`\n"), check.error)
    }

    func testNoReportOverwritesTheEvidence() throws {
        let directory = try scratch()
        let copy = directory.appendingPathComponent("evidence")
        try FileManager.default.copyItem(atPath: evidence("cutover-ready"), toPath: copy.path)
        let file = copy.appendingPathComponent("describe-secret.json").path
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        for (output, expected) in [
            ("json=\(file)", "would overwrite the evidence \(file); write the report elsewhere"),
            ("sarif=\(copy.path)", "would overwrite the evidence \(copy.path); write the report elsewhere"),
            ("json=\(copy.path)/ready.json", "is in an evidence directory, where the next run would read it as evidence; write the report elsewhere"),
        ] {
            let result = run(["ready", "--phase", "cutover", "--evidence", copy.path, "--output", output])
            XCTAssertEqual(result.status, .badInput, output)
            XCTAssertTrue(result.error.hasPrefix("migcheck: error: --output \(output) "), result.error)
            XCTAssertTrue(result.error.hasSuffix(expected + "\n"), result.error)
            XCTAssertEqual(result.output, "", "refused before anything is written")
        }
        let asOperand = run(["ready", "--phase", "cutover", file, "--output", "json=\(file)"])
        XCTAssertEqual(asOperand.status, .badInput, asOperand.error)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file)), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: copy.appendingPathComponent("ready.json").path))
    }

    /// What a directory holds beside regular files is not read, and each entry is said, escaped:
    /// the verdict is the one of the regular files alone.
    func testEntriesOfTheEvidenceDirectoryThatAreNotFilesAreNoted() throws {
        let copy = try scratch().appendingPathComponent("evidence")
        try FileManager.default.copyItem(atPath: evidence("cutover-ready"), toPath: copy.path)
        let arguments = ["ready", "--phase", "cutover", "--now", "2026-11-20T12:00:00Z", "--format", "json", "--evidence", copy.path]
        let plain = run(arguments)
        try FileManager.default.createDirectory(at: copy.appendingPathComponent("older"), withIntermediateDirectories: false)
        let dangling = copy.appendingPathComponent("describe-db-clusters\n::error::x.json").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "nowhere.json")
        XCTAssertEqual(mkfifo(copy.appendingPathComponent("pipe.json").path, 0o600), 0)
        let noted = run(arguments)
        XCTAssertEqual(noted.status, plain.status, noted.error)
        XCTAssertEqual(noted.output, plain.output, "the same verdict from the same files")
        let lines = noted.error.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, 3, noted.error)
        XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("migcheck: note: \(copy.path)/") }, noted.error)
        XCTAssertTrue(noted.error.contains("describe-db-clusters\\u000a::error::x.json is not read as evidence: a symbolic link to nothing"), noted.error)
        XCTAssertTrue(noted.error.contains("/older is not read as evidence: a directory"), noted.error)
        XCTAssertTrue(noted.error.contains("/pipe.json is not read as evidence: not a regular file"), noted.error)
    }

    /// A value the state marks sensitive is named in the clear by the evidence (the same clusters):
    /// no format prints it, nor the instance names that spell it, and the verdict is the same.
    func testAClusterIdentifierTheStateMarksSensitiveIsNotPrintedFromTheEvidence() throws {
        let fixture = PackagePaths.packageRoot.appendingPathComponent("Fixtures/cutover/state.json")
        var state = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as? [String: Any])
        func mark(_ module: [String: Any]) -> [String: Any] {
            var module = module
            module["resources"] = (module["resources"] as? [[String: Any]])?.map { resource in
                guard resource["type"] as? String == "aws_rds_cluster" else { return resource }
                var resource = resource
                var marks = resource["sensitive_values"] as? [String: Any] ?? [:]
                marks["cluster_identifier"] = true
                resource["sensitive_values"] = marks
                return resource
            }
            if let children = module["child_modules"] as? [[String: Any]] { module["child_modules"] = children.map(mark) }
            return module
        }
        var values = try XCTUnwrap(state["values"] as? [String: Any])
        values["root_module"] = mark(try XCTUnwrap(values["root_module"] as? [String: Any]))
        state["values"] = values
        let marked = try scratch().appendingPathComponent("state.json")
        try JSONSerialization.data(withJSONObject: state).write(to: marked)
        for format in ReportFormat.allCases {
            let arguments = ["ready", "--phase", "cleanup"] + now + ["--format", format.rawValue, "--evidence", evidence("cutover-ready")]
            let plain = run(arguments + [fixture.path])
            XCTAssertTrue(plain.output.contains("app-production-aurora"), "the test must be able to fail: \(format)")
            let hidden = run(arguments + [marked.path])
            XCTAssertEqual(hidden.status, plain.status, "\(format): \(hidden.error)")
            for identifier in ["app-production-aurora", "app-production-core"] {
                XCTAssertFalse(hidden.output.contains(identifier) || hidden.error.contains(identifier), "\(format): \(identifier) printed")
            }
            XCTAssertTrue(hidden.output.contains("(sensitive)"), "\(format): \(hidden.output.prefix(2000))")
        }
    }

    /// A plan with no migration in it (the wrong one given) joins nothing: said in the text and
    /// JSON, and the evidence is judged alone, with the same findings.
    func testAPlanWithNoMigrationIsSaidAndTheEvidenceJudgedAlone() throws {
        let plan = try scratch().appendingPathComponent("plan.json")
        try Data(TerraformSamples.terraformDataPlan.utf8).write(to: plan)
        let alone = run(["ready", "--phase", "cutover"] + now + ["--format", "json", "--evidence", evidence("cutover-ready")])
        let joined = run(["ready", "--phase", "cutover"] + now + ["--format", "json", "--evidence", evidence("cutover-ready"), plan.path])
        XCTAssertEqual(joined.status, alone.status, joined.error)
        func findings(_ output: String) throws -> [String] {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            let document = try XCTUnwrap((object["documents"] as? [[String: Any]])?.first)
            return try XCTUnwrap(document["findings"] as? [[String: Any]]).compactMap { $0["message"] as? String }
        }
        XCTAssertEqual(try findings(joined.output), try findings(alone.output))
        let text = run(["ready", "--phase", "cutover"] + now + ["--evidence", evidence("cutover-ready"), plan.path])
        XCTAssertTrue(text.output.contains("  note: the plan holds no Aurora PostgreSQL migration"), text.output)
        XCTAssertTrue(joined.output.contains("the plan holds no Aurora PostgreSQL migration"), joined.output)
    }

    func testHelpOfReadyAndCollect() {
        for command in ["ready", "collect"] {
            let result = run([command, "--help"])
            XCTAssertEqual(result.status, .clean)
            XCTAssertEqual(result.output, usage + "\n")
        }
    }

    private func withoutTimestamp(_ text: String) -> String {
        text.split(separator: "\n").filter { !$0.contains("\"timestamp\"") && !$0.contains("durationMilliseconds") }.joined(separator: "\n")
    }
}
