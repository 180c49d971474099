import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// The readiness rules (MIG014, MIG015) on their examples, on the recorded evidence, and joined
/// to a plan.
final class ReadinessRulesTests: XCTestCase {
    static let noon = EvidenceInstant(seconds: 1_795_176_000)  // 2026-11-20T12:00:00Z

    /// The rules these tests are about; MIG016 to MIG018 have their own (MIG0NNTests).
    static let firstRules: Set<String> = ["MIG014", "MIG015"]

    static func judge(_ scenario: String, _ phase: Phase, plan: MigrationPicture? = nil, only rules: Set<String>? = nil) throws -> [Finding] {
        let live = LivePicture(documents: try EvidenceFixtures.scenario(scenario), plan: plan, now: noon)
        return ReadinessEvaluator.evaluate(live, phase: phase).findings.filter { rules?.contains($0.ruleID) ?? true }
    }

    static func first(_ live: LivePicture, _ phase: Phase) -> [Finding] {
        ReadinessEvaluator.evaluate(live, phase: phase).findings.filter { firstRules.contains($0.ruleID) }
    }

    static func lines(_ findings: [Finding]) -> [String] {
        findings.map { "\($0.ruleID) \($0.kind.rawValue) \($0.location.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.start)" } ?? "-")" }
    }

    func testEveryReadinessRuleCarriesExamplesThatHold() throws {
        XCTAssertEqual(RuleRegistry.readinessDescriptions.map(\.id), ["MIG014", "MIG015", "MIG016", "MIG017", "MIG018"])
        for description in RuleRegistry.readinessDescriptions {
            XCTAssertFalse(description.triggeringExamples.isEmpty, description.id)
            XCTAssertFalse(description.nonTriggeringExamples.isEmpty, description.id)
            for example in description.triggeringExamples {
                XCTAssertTrue(example.isReadiness)
                let findings = try example.findings(of: description.id)
                XCTAssertTrue(findings.contains { $0.kind == .fail }, "\(description.id) \"\(example.name)\" should fail: \(findings.map(\.message))")
            }
            for example in description.nonTriggeringExamples {
                let findings = try example.findings(of: description.id)
                XCTAssertEqual(findings.map(\.message), [], "\(description.id) \"\(example.name)\" should hold")
            }
        }
    }

    func testRegistryKeepsReadinessApartAndUnique() {
        let plan = Set(RuleRegistry.descriptions.map(\.id))
        let readiness = RuleRegistry.readinessDescriptions.map(\.id)
        XCTAssertTrue(plan.isDisjoint(with: readiness))
        XCTAssertEqual(readiness, readiness.sorted())
        XCTAssertEqual(Set(readiness).count, readiness.count)
        for id in readiness {
            XCTAssertEqual(Self.missingPlaces(for: id), [], id)
        }
        XCTAssertEqual(Self.missingPlaces(for: "MIG099").count, 6)
    }

    /// The places a readiness rule has (a plan rule's are RuleRegistryPlacesTests'): its rule
    /// file, its page and index line, README's row, the migration step it guards, and a recorded
    /// evidence scenario it fails on.
    static func missingPlaces(for id: String) -> [String] {
        let root = PackagePaths.packageRoot
        func text(_ path: String) -> String { (try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) ?? "" }
        let catalog = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Sources/MigCheckRules/Catalog").path)) ?? []
        var missing: [String] = []
        if !catalog.contains(where: { $0.hasPrefix(id) && $0.hasSuffix(".swift") }) { missing.append("Sources/MigCheckRules/Catalog/\(id)<Name>.swift") }
        if text("docs/rules/\(id).md").isEmpty { missing.append("docs/rules/\(id).md (swift run migcheck rules --markdown-dir docs/rules)") }
        if !text("docs/rules/README.md").contains("[\(id)](\(id).md)") { missing.append("docs/rules/README.md (its line in the index)") }
        if !text("README.md").contains("| [\(id)](docs/rules/\(id).md) |") { missing.append("README.md (a row of the rule table)") }
        if !text("docs/migration.md").contains("[\(id)](rules/\(id).md)") { missing.append("docs/migration.md (the step it guards)") }
        let scenarios = ["cutover-gate", "cutover-ready", "pending-reboot", "errored-tables", "failed-task", "cleanup-gate",
                         "cutover-checked", "snapshot-not-ready", "secret-rotated", "drifted", "members-degraded",
                         "cleanup-ready"]
        let fails = scenarios.contains { scenario in
            [Phase.fullLoad, .cutover, .cleanup].contains { phase in
                ((try? judge(scenario, phase)) ?? []).contains { $0.ruleID == id && $0.kind == .fail }
            }
        }
        if !fails { missing.append("Fixtures/evidence/<scenario> it fails on (Tests/evidence/variants.py)") }
        return missing
    }

    func testRecordedScenarios() throws {
        XCTAssertEqual(Self.lines(try Self.judge("cutover-ready", .cutover, only: Self.firstRules)), [])
        XCTAssertEqual(Self.lines(try Self.judge("cutover-gate", .cutover, only: Self.firstRules)), [
            "MIG015 fail describe-replication-tasks.json:3:9",
            "MIG015 open describe-table-statistics.error.txt:2:1",
        ])
        let pending = try Self.judge("pending-reboot", .cutover, only: Self.firstRules)
        XCTAssertEqual(Self.lines(pending), ["MIG014 fail describe-db-clusters.json:35:17"])
        XCTAssertTrue(pending.first?.message.contains("app-production-aurora-2 (reader) of the source cluster app-production-aurora is "
            + "pending-reboot") == true, pending.first?.message ?? "")
        XCTAssertTrue(pending.first?.message.contains("reboot the reader first (app-production-aurora-2)") == true)
        let errored = try Self.judge("errored-tables", .cutover, only: Self.firstRules)
        XCTAssertEqual(Self.lines(errored), ["MIG015 fail describe-replication-tasks.json:3:9", "MIG015 fail describe-table-statistics.json:22:9"])
        XCTAssertTrue(errored.contains { $0.message.contains("table public.orders of DMS task app-production-migration is \"Table error\"") })
        let failed = try Self.judge("failed-task", .cutover)
        XCTAssertTrue(failed.contains { $0.message.contains("is failed (Stop Reason FATAL_ERROR)") }, "\(failed.map(\.message))")
        XCTAssertTrue(try Self.judge("failed-task", .cleanup).contains { $0.ruleID == "MIG015" && $0.message.contains("failed") })
        // moto's cleanup gate: the task stopped, but nobody applied origin to the target's group (no cutover deploy ran).
        XCTAssertEqual(Self.lines(try Self.judge("cleanup-gate", .cleanup, only: Self.firstRules)), ["MIG014 fail describe-db-cluster-parameters.target.json:3:9"])
        for scenario in ["cutover-ready", "pending-reboot", "errored-tables", "failed-task"] {
            for finding in try Self.judge(scenario, .cutover) + Self.judge(scenario, .cleanup) {
                XCTAssertFalse(finding.message.contains("CANARY"), "\(scenario): \(finding.message)")
            }
        }
    }

    /// Without DMS endpoints (the full-load gate: DMS does not exist yet) the evidence alone
    /// cannot tell the source; the plan's cluster identifier joins it.
    func testTheFullLoadGateJoinsThroughThePlan() throws {
        let files = ReadinessExamples.removing(ReadinessExamples.healthy(.fullLoad), "describe-endpoints.json")
        let documents = try files.map { try EvidenceReader.read(text: $0.text, file: $0.name) }
        let alone = Self.first(LivePicture(documents: documents, now: Self.noon), .fullLoad)
        XCTAssertEqual(alone.map(\.kind), [.open])
        XCTAssertTrue(alone.first?.message.hasPrefix("no source cluster found in the evidence") == true)

        let plan = try TerraformReader.read(text: MigrationExamples.healthy(.fullLoad).planJSON, file: "plan.json", expecting: .plan)
        let picture = try PictureBuilder.build(try XCTUnwrap(plan.first))
        let live = LivePicture(documents: documents, plan: picture, now: Self.noon)
        XCTAssertEqual(live.source?.identifier, "app-legacy")
        XCTAssertEqual(live.joins[.source], "cluster identifier of aws_rds_cluster.legacy in the plan")
        XCTAssertEqual(live.target?.identifier, "app-core")
        XCTAssertEqual(Self.first(live, .fullLoad).map(\.message), [])

        let pending = ReadinessExamples.replacing(files, with: ReadinessExamples.clusters(source: ReadinessExamples.sourceMembers("pending-reboot", writer: "pending-reboot")))
        let behind = LivePicture(documents: try pending.map { try EvidenceReader.read(text: $0.text, file: $0.name) }, plan: picture, now: Self.noon)
        let findings = Self.first(behind, .fullLoad)
        XCTAssertEqual(findings.map(\.address), [MigrationExamples.source, MigrationExamples.source])
        XCTAssertTrue(findings.allSatisfy { $0.message.hasSuffix("reboot the reader first (app-legacy-1), then fail over to a rebooted "
            + "reader and reboot the former writer (app-legacy-0)") }, "\(findings.map(\.message))")
    }

    /// Evidence alone at the full-load gate: the files `collect` names by role tell the clusters apart.
    func testTheFullLoadGateJoinsThroughCollectsFileNames() throws {
        let source = #"{"DBClusters": [{"DBClusterIdentifier": "app-legacy", "DBClusterMembers": [{"DBInstanceIdentifier": "app-legacy-0", "#
            + #""IsClusterWriter": true, "DBClusterParameterGroupStatus": "pending-reboot"}]}]}"#
        let documents = [
            try EvidenceReader.read(text: source, file: "evidence/describe-db-clusters.source.json"),
            try EvidenceReader.read(text: ReadinessExamples.parameters("rds.logical_replication", "1", label: "source").text,
                                    file: "evidence/describe-db-cluster-parameters.source.json"),
        ]
        let live = LivePicture(documents: documents, now: Self.noon)
        XCTAssertEqual(live.joins[.source], "the file describe-db-clusters.source.json, as migcheck collect names it")
        let findings = Self.first(live, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertTrue(findings.first?.message.hasSuffix("then fail over to a rebooted reader and reboot the former writer (app-legacy-0)") == true,
                      findings.first?.message ?? "")
    }

    func testMissingOrFailedEvidenceAsksForTheCommand() throws {
        let failed = try EvidenceReader.read(text: "An error occurred (AccessDeniedException) when calling the DescribeReplicationTasks "
            + "operation: not authorized", file: "describe-replication-tasks.json")
        let live = LivePicture(documents: [failed], now: Self.noon)
        let findings = ReadinessEvaluator.evaluate(live, phase: .cutover).findings
        XCTAssertEqual(findings.map(\.ruleID), ["MIG014", "MIG015", "MIG016", "MIG017", "MIG018"])
        XCTAssertTrue(findings.allSatisfy { $0.kind == .open && $0.severity == .warning })
        XCTAssertTrue(findings[1].message.contains("the call failed (AccessDeniedException: An error occurred"), findings[1].message)
        XCTAssertTrue(findings[1].message.contains("collect it with `aws dms describe-replication-tasks --filters"), findings[1].message)
        XCTAssertTrue(findings[0].message.contains("no answer of it is in the evidence"), findings[0].message)
    }

    /// The examples' evidence uses only fields botocore's output shapes have (Tests/evidence/validate_shapes.py).
    func testExampleEvidenceHasOnlyBotocoreFields() throws {
        // The recording's venv, else python3 on PATH when it has botocore (.ci/run's venv: .ci/requirements-reports.txt).
        var python = PackagePaths.packageRoot.appendingPathComponent(".build/e2e-venv/bin/python3")
        if !FileManager.default.isExecutableFile(atPath: python.path) {
            guard let probe = ExternalTools.run(["sh", "-c", "command -v python3 && python3 -c 'import botocore'"]), probe.status == 0,
                  let path = probe.output.split(separator: "\n").first else {
                throw XCTSkip("no .build/e2e-venv (Tests/evidence/record.sh or Tests/e2e/run.sh creates it) and no botocore for "
                    + "python3 on PATH: botocore's shapes not checked")
            }
            python = URL(fileURLWithPath: String(path))
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("readiness-examples-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        var count = 0
        for description in RuleRegistry.readinessDescriptions {
            for (index, example) in (description.triggeringExamples + description.nonTriggeringExamples).enumerated() {
                let folder = directory.appendingPathComponent("\(description.id)-\(index)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for file in example.evidence {
                    try Data(file.text.utf8).write(to: folder.appendingPathComponent(file.name))
                    count += 1
                }
            }
        }
        let process = Process()
        process.executableURL = python
        process.arguments = [PackagePaths.packageRoot.appendingPathComponent("Tests/evidence/validate_shapes.py").path, directory.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("validate_shapes: \(count) files"), text)
    }
}
