import Foundation
import XCTest
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckCLI
@testable import MigCheckTestSupport

/// `migcheck collect` reads only the migration's resources: describe-endpoints filtered by the
/// plan's endpoint ARNs, the IAM policy scoped to the ARNs the plan knows, and a placeholder note
/// that says why a value is not printed.
final class CollectScopeTests: XCTestCase {
    private var cutoverPlan: String { PackagePaths.packageRoot.appendingPathComponent("Fixtures/cutover/plan.json").path }

    private func statements(_ policy: String) throws -> [[String: Any]] {
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(policy.utf8)) as? [String: Any])
        XCTAssertEqual(object["Version"] as? String, "2012-10-17")
        return try XCTUnwrap(object["Statement"] as? [[String: Any]])
    }

    /// Each action and the resources the policy allows it on ("*" as a one-element list).
    private func resources(_ policy: String) throws -> [String: [String]] {
        var byAction: [String: [String]] = [:]
        for statement in try statements(policy) {
            XCTAssertEqual(statement["Effect"] as? String, "Allow")
            let actions = try XCTUnwrap(statement["Action"] as? [String])
            let single = statement["Resource"] as? String
            let resources = try XCTUnwrap((statement["Resource"] as? [String]) ?? single.map { [$0] })
            for action in actions {
                XCTAssertNil(byAction[action], "\(action) in two statements")
                byAction[action] = resources
            }
        }
        return byAction
    }

    func testDescribeEndpointsIsFilteredByThePlansEndpointARNs() throws {
        let script = InProcess.run(["collect", "--phase", "cutover", cutoverPlan]).stdout
        XCTAssertTrue(script.contains("aws dms describe-endpoints --filters Name=endpoint-arn,Values="
            + "'arn:aws:dms:eu-west-2:123456789012:endpoint:0J8WXB7NM5YYZQ37MTID3W8UCUC',"
            + "'arn:aws:dms:eu-west-2:123456789012:endpoint:8MKZAZ27CDBSX68ZKLFI69Z4D4T' --output json > 'evidence'/describe-endpoints.json 2>&1\n"),
            script)
        let alone = InProcess.run(["collect", "--phase", "cleanup"]).stdout
        XCTAssertTrue(alone.contains("aws dms describe-endpoints --filters Name=endpoint-arn,Values=SOURCE_ENDPOINT_ARN,TARGET_ENDPOINT_ARN --output json"), alone)
        XCTAssertTrue(alone.contains("# SOURCE_ENDPOINT_ARN: not known from a plan or state (none given); fill it in\n"), alone)
        XCTAssertFalse(alone.contains("aws dms describe-endpoints --output json"), "no call lists every endpoint of the account")
    }

    /// The filtered answer holds the migration's endpoints alone; ready joins the clusters through them.
    func testReadyJoinsTheFilteredEndpoints() throws {
        let directory = try scratchDirectory()
        for file in ReadinessExamples.healthy(.cutover) {
            try Data(file.text.utf8).write(to: directory.appendingPathComponent(file.name))
        }
        let endpoints = try String(contentsOf: directory.appendingPathComponent("describe-endpoints.json"), encoding: .utf8)
        XCTAssertEqual(endpoints.components(separatedBy: "\"EndpointArn\"").count - 1, 2, "the migration's two endpoints, as filtered")
        let result = InProcess.run(["ready", "--phase", "cutover", "--now", "2026-11-20T12:00:00Z", "--format", "json", "--evidence", directory.path])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let document = try XCTUnwrap((object["documents"] as? [[String: Any]])?.first)
        let joins = try XCTUnwrap((document["readiness"] as? [String: Any])?["joins"] as? [String: String])
        XCTAssertEqual(joins["source"], "app-legacy (the master secret DMS endpoint app-source logs in with)")
        XCTAssertEqual(joins["target"], "app-core (the master secret DMS endpoint app-target logs in with)")
    }

    func testThePolicyScopesEachActionToThePlansARNs() throws {
        let result = InProcess.run(["collect", "--phase", "cutover", "--iam-policy", cutoverPlan])
        XCTAssertEqual(result.exitCode, .clean, result.stderr)
        XCTAssertEqual(result.stderr, "", "every ARN is known: no note")
        let byAction = try resources(result.stdout)
        XCTAssertEqual(Set(byAction.keys), Set(CollectPlan.actions))
        let account = "eu-west-2:123456789012"
        XCTAssertEqual(byAction["rds:DescribeDBClusters"], ["arn:aws:rds:\(account):cluster:app-production-aurora",
                                                            "arn:aws:rds:\(account):cluster:app-production-core"])
        XCTAssertEqual(byAction["rds:DescribeDBClusterParameters"], ["arn:aws:rds:\(account):cluster-pg:app-production-logical-replication",
                                                                     "arn:aws:rds:\(account):cluster-pg:app-production-core-disable-constraints"])
        XCTAssertEqual(byAction["rds:DescribeDBClusterSnapshots"], ["arn:aws:rds:\(account):cluster:app-production-aurora"])
        XCTAssertEqual(byAction["dms:DescribeTableStatistics"], ["arn:aws:dms:\(account):task:app-production-migration"])
        XCTAssertEqual(byAction["secretsmanager:DescribeSecret"]?.count, 2)
        XCTAssertTrue(byAction["secretsmanager:DescribeSecret"]?.allSatisfy { $0.hasPrefix("arn:aws:secretsmanager:\(account):secret:rds!cluster-") } == true)
        // The reference gives these no resource type: "*" only.
        for action in ["rds:DescribeDBInstances", "dms:DescribeReplicationTasks", "dms:DescribeEndpoints"] {
            XCTAssertEqual(byAction[action], ["*"], action)
        }
        // One role for every gate: cleanup reads the target's parameter group, and the policy is the same whatever --phase.
        for phase in ["full-load", "cleanup"] {
            XCTAssertEqual(InProcess.run(["collect", "--phase", phase, "--iam-policy", cutoverPlan]).stdout, result.stdout, phase)
        }
    }

    func testWithoutAPlanEveryActionIsOnStarAndTheScriptSaysSo() throws {
        let alone = InProcess.run(["collect", "--phase", "cutover", "--iam-policy"])
        XCTAssertEqual(alone.exitCode, .clean)
        let byAction = try resources(alone.stdout)
        XCTAssertEqual(Set(byAction.keys), Set(CollectPlan.actions))
        // The policy alone is JSON: its notes go to standard error, one line each.
        XCTAssertTrue(alone.stderr.contains("migcheck: note: IAM policy: rds:DescribeDBClusters on \"*\" (the source cluster's arn: "), alone.stderr)
        XCTAssertEqual(alone.stderr.split(separator: "\n").count, 5, alone.stderr)
        XCTAssertTrue(alone.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("migcheck: note: IAM policy: ") }, alone.stderr)
        XCTAssertTrue(byAction.values.allSatisfy { $0 == ["*"] }, "\(byAction)")
        let script = InProcess.run(["collect", "--phase", "cutover"]).stdout
        XCTAssertTrue(script.contains("# IAM policy: rds:DescribeDBClusters on \"*\" (the source cluster's arn: not known from a plan "
            + "or state (none given); the target cluster's arn: not known from a plan or state (none given)); narrow it by hand\n"), script)
        XCTAssertTrue(script.contains("# IAM policy: secretsmanager:DescribeSecret on \"*\""), script)
        XCTAssertFalse(script.contains("# IAM policy: dms:DescribeEndpoints"), "an action the reference leaves on * needs no note")
    }

    /// The cutover fixture with the source's `cluster_identifier` set to `identifier`.
    private func plan(sourceIdentifier identifier: String) throws -> URL {
        let fixture = PackagePaths.packageRoot.appendingPathComponent("Fixtures/cutover/plan.json")
        var text = try String(contentsOf: fixture, encoding: .utf8)
        let quoted = "\"cluster_identifier\":\"app-production-aurora\""
        XCTAssertTrue(text.contains(quoted))
        let encoded = String(decoding: try JSONSerialization.data(withJSONObject: [identifier], options: [.withoutEscapingSlashes]), as: UTF8.self)
        text = text.replacingOccurrences(of: quoted, with: "\"cluster_identifier\":" + encoded.dropFirst().dropLast())
        let file = try scratchDirectory().appendingPathComponent("plan.json")
        try Data(text.utf8).write(to: file)
        return file
    }

    /// A plan with no migration in it: the script says so before its placeholders.
    func testAPlanWithNoMigrationIsSaid() throws {
        let plan = try scratchDirectory().appendingPathComponent("plan.json")
        try Data(TerraformSamples.terraformDataPlan.utf8).write(to: plan)
        let script = InProcess.run(["collect", "--phase", "cutover", plan.path]).stdout
        XCTAssertTrue(script.contains("\n# The plan holds no Aurora PostgreSQL migration: was it the right one?"), script)
        XCTAssertFalse(InProcess.run(["collect", "--phase", "cutover", cutoverPlan]).stdout.contains("holds no"))
    }

    /// The full-load gate asks nothing of DMS: no call and no note name the task; cutover does both.
    func testOnlyTheGatesThatAskDMSNameTheTask() {
        let fullLoad = InProcess.run(["collect", "--phase", "full-load"]).stdout
        XCTAssertFalse(fullLoad.contains("TASK_ARN"), fullLoad)
        XCTAssertFalse(fullLoad.contains("aws dms "), fullLoad)
        let cutover = InProcess.run(["collect", "--phase", "cutover"]).stdout
        XCTAssertTrue(cutover.contains("# TASK_ARN: not known"), cutover)
        XCTAssertTrue(cutover.contains("--replication-task-arn TASK_ARN"), cutover)
    }

    func testThePlaceholderNoteSaysWhyTheValueIsNotPrinted() throws {
        let unsafe = InProcess.run(["collect", "--phase", "cutover", try plan(sourceIdentifier: "app-$(reboot)").path]).stdout
        XCTAssertTrue(unsafe.contains("# SOURCE_CLUSTER_ID: known but not printed: characters outside the safe set "
            + "(letters, digits and - _ . : / ! + = @); fill it in\n"), unsafe)
        XCTAssertFalse(unsafe.contains("reboot"), "the unsafe value itself is never printed")
        let long = InProcess.run(["collect", "--phase", "cutover", try plan(sourceIdentifier: String(repeating: "a", count: 2049)).path]).stdout
        XCTAssertTrue(long.contains("# SOURCE_CLUSTER_ID: known but not printed: longer than 2048 characters; fill it in\n"), long)
        let fits = InProcess.run(["collect", "--phase", "cutover", try plan(sourceIdentifier: String(repeating: "a", count: 2048)).path]).stdout
        XCTAssertFalse(fits.contains("# SOURCE_CLUSTER_ID:"), "2048 characters are printed")
        let directory = InProcess.run(["collect", "--phase", "cutover", "--evidence-dir", "out dir", cutoverPlan]).stdout
        XCTAssertTrue(directory.contains("# EVIDENCE_DIR: known but not printed: characters outside the safe set"), directory)
        // Unknown is told apart from known: no plan, and a value unknown until apply.
        let alone = InProcess.run(["collect", "--phase", "cutover"]).stdout
        XCTAssertTrue(alone.contains("# SOURCE_CLUSTER_ID: not known from a plan or state (none given); fill it in\n"), alone)
        let collect = CollectPlan(phase: .cutover, picture: nil)
        XCTAssertEqual(collect.unprintable(TerraformValue.unknown), "unknown until apply in the plan")
        XCTAssertEqual(collect.unprintable(""), "known but empty")
        XCTAssertNil(collect.unprintable("app-production-aurora"))
    }

    /// The script is valid sh for ShellCheck, with and without a plan (skipped without shellcheck).
    func testTheScriptPassesShellCheck() throws {
        guard let version = ExternalTools.run(["shellcheck", "--version"]), version.status == 0 else {
            throw XCTSkip("shellcheck is not installed")
        }
        let directory = try scratchDirectory()
        for (index, arguments) in [["collect", "--phase", "cutover", cutoverPlan], ["collect", "--phase", "cleanup"],
                                   ["collect", "--phase", "full-load", "--evidence-dir", "out dir"]].enumerated() {
            let file = directory.appendingPathComponent("collect-\(index).sh")
            try Data(InProcess.run(arguments).stdout.utf8).write(to: file)
            let check = try XCTUnwrap(ExternalTools.run(["shellcheck", "-s", "sh", file.path]))
            XCTAssertEqual(check.status, 0, "\(arguments): \(check.output)")
        }
    }
}
