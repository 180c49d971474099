import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckCLI
@testable import MigCheckTestSupport

/// `migcheck ready` and `migcheck collect`, in-process.
final class ReadinessCommandLineTests: XCTestCase {
    /// The command line in-process, as the tests below read it.
    private func run(_ arguments: [String]) -> (status: ExitCode, output: String, error: String) {
        let result = InProcess.run(arguments)
        return (result.exitCode, result.stdout, result.stderr)
    }

    private func evidence(_ scenario: String) -> String { EvidenceFixtures.path(scenario) }

    func testReadyGivesTheGateItsVerdict() throws {
        let cases: [(String, Phase, Int32)] = [
            ("cutover-ready", .cutover, 1), ("cutover-checked", .cutover, 1), ("cleanup-ready", .cleanup, 1), ("pending-reboot", .cutover, 1), ("errored-tables", .cutover, 1),
            ("failed-task", .cutover, 1), ("cutover-gate", .cutover, 1), ("failed-task", .cleanup, 1), ("cleanup-gate", .cleanup, 1),
        ]
        for (scenario, phase, status) in cases {
            for format in ["text", "json"] {
                let result = run(["ready", "--phase", phase.rawValue, "--now", "2026-11-20T12:00:00Z", "--format", format,
                                  "--evidence", evidence(scenario)])
                XCTAssertEqual(result.status.rawValue, status, "\(scenario) \(phase) \(format): \(result.output) \(result.error)")
                XCTAssertEqual(result.error, "", scenario)
                XCTAssertFalse(result.output.contains("CANARY"), "\(scenario): a sensitive value reached the output")
                if format == "json" {
                    let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
                    let document = (object?["documents"] as? [[String: Any]])?.first
                    XCTAssertEqual((document?["readiness"] as? [String: Any])?["ready"] as? Bool, status == 0, scenario)
                }
            }
        }
        // Every rule holds on cutover-checked but MIG017, which without the policy's plannedEnd is unverified, never a pass.
        let checked = run(["ready", "--phase", "cutover", "--now", "2026-11-20T12:00:00Z", "--evidence", evidence("cutover-checked")])
        XCTAssertTrue(checked.output.hasPrefix("migcheck ready --phase cutover at 2026-11-20T12:00:00Z: not ready for the cutover deploy: "
            + "1 unverified\n"), checked.output)
        XCTAssertTrue(checked.output.replacingOccurrences(of: "\n      ", with: " ").contains("unverified MIG017 " + evidence("cutover-checked")
            + "/describe-secret.source.json:1:1: the planned end of the migration is not set"), checked.output)
        let pending = run(["ready", "--phase", "cutover", "--now", "2026-11-20T12:00:00Z", "--evidence", evidence("pending-reboot")])
        // The finding's lines unwrapped: a long path moves its words to the next line.
        let unwrapped = pending.output.replacingOccurrences(of: "\n      ", with: " ")
        XCTAssertTrue(unwrapped.contains("  error MIG014 " + evidence("pending-reboot") + "/describe-db-clusters.json:35:17: "
            + "app-production-aurora-2 (reader)"), pending.output)
        XCTAssertTrue(pending.output.hasPrefix("migcheck ready --phase cutover at 2026-11-20T12:00:00Z: not ready for the cutover deploy: 2 failing, 1 unverified\n"), pending.output)
    }

    func testBadEvidenceAndUsageAreExitTwoWithOneLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ready-bad-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("describe-db-clusters.json")
        try Data("{\"DBClusters\": [\n  {\"DBClusterIdentifier\": \"a\", \"DeletionProtection\": \"yes\"}]}".utf8).write(to: file)
        let bad = run(["ready", "--phase", "cutover", "--evidence", directory.path])
        XCTAssertEqual(bad.status, .badInput)
        XCTAssertEqual(bad.error, "\(file.path):2:54: error: DBClusters[0].DeletionProtection: expected true or false, found a string\n")
        for (arguments, line) in [
            (["ready", "--evidence", "x"], "migcheck: error: ready: --phase is required (full-load, cutover or cleanup)\n"),
            (["ready", "--phase", "prepare", "--evidence", "x"],
             "migcheck: error: ready: no readiness rule judges the gate before prepare; use --phase full-load, cutover or cleanup\n"),
            (["ready", "--phase", "cutover", "--now", "noon", "--evidence", "x"],
             "migcheck: error: --now: expected ISO 8601 with an offset such as 2026-11-20T12:00:00Z, found 'noon'\n"),
            (["collect", "--phase", "cutover", "--bogus\u{1b}"], "migcheck: error: unknown option '--bogus\\u001b' (see migcheck --help)\n"),
            (["collect", "--phase", "cutover", "--format", "json"], "migcheck: error: collect prints a shell script; --format and --output go with ready\n"),
            (["collect", "--phase", "cutover", "--now", "2026-11-20T12:00:00Z"], "migcheck: error: unknown option '--now' (see migcheck --help)\n"),
            (["ready", "--phase", "cutover", "--iam-policy"], "migcheck: error: unknown option '--iam-policy' (see migcheck --help)\n"),
            (["ready", "--phase", "cutover", "--now"], "migcheck: error: --now needs a value\n"),
            (["collect", "--phase", "cutover", "a.json", "b.json"], "migcheck: error: collect takes at most 1 FILE, found 2 (see migcheck collect --help)\n"),
        ] {
            let result = run(arguments)
            XCTAssertEqual(result.status, .badInput, "\(arguments)")
            XCTAssertEqual(result.error, line)
        }
    }

    func testCollectPrintsReadOnlyCallsWithThePlansIdentifiers() throws {
        let plan = PackagePaths.packageRoot.appendingPathComponent("Fixtures/cutover/plan.json").path
        let result = run(["collect", "--phase", "cutover", plan])
        XCTAssertEqual(result.status, .clean, result.error)
        let calls = result.output.split(separator: "\n").filter { $0.hasPrefix("aws ") }
        XCTAssertEqual(calls.count, 10, result.output)
        XCTAssertTrue(calls.allSatisfy { $0.contains(" --output json > 'evidence'/") && $0.split(separator: " ")[2].hasPrefix("describe-") })
        XCTAssertTrue(result.output.contains("aws rds describe-db-clusters --db-cluster-identifier 'app-production-aurora' --output json"))
        XCTAssertFalse(result.output.contains("_CLUSTER_ID"), "the plan knows both clusters")
        let alone = run(["collect", "--phase", "full-load"])
        XCTAssertTrue(alone.output.contains("# SOURCE_CLUSTER_ID: not known from a plan or state (none given); fill it in"), alone.output)
        XCTAssertFalse(alone.output.contains("describe-replication-tasks"), "no DMS task before the full-load deploy")
        let policy = run(["collect", "--phase", "cutover", "--iam-policy"])
        let object = try JSONSerialization.jsonObject(with: Data(policy.output.utf8)) as? [String: Any]
        let actions = (object?["Statement"] as? [[String: Any]] ?? []).flatMap { $0["Action"] as? [String] ?? [] }
        XCTAssertEqual(actions.count, 8)
        XCTAssertTrue(actions.allSatisfy { $0.split(separator: ":").last?.hasPrefix("Describe") == true }, "\(actions)")
        // Every call collect prints is allowed by the policy it prints.
        for call in calls {
            let words = call.split(separator: " ")
            let operation = words[2].split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
                .replacingOccurrences(of: "Db", with: "DB")
            XCTAssertTrue(actions.contains("\(words[1]):\(operation)"), "\(call): \(words[1]):\(operation) not in the policy")
        }
    }
}
