import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// MIG010 dms-task: the edges its examples do not show.
final class MIG010Tests: XCTestCase {
    typealias M = MigrationExamples

    func testMissingTaskIsAFailureWithoutAddress() throws {
        let findings = try RuleHarness.findings("MIG010", M.healthy(.fullLoad).removing(M.task), .fullLoad)
        XCTAssertEqual(findings.count, 1)
        XCTAssertEqual(findings.first?.kind, .fail)
        XCTAssertNil(findings.first?.address)
        XCTAssertTrue(findings.first?.message.contains("no aws_dms_replication_task") == true)
    }

    func testUnknownMigrationTypeIsOpen() throws {
        let findings = try RuleHarness.findings("MIG010", M.healthy(.prepare).markingUnknown(M.task, "migration_type"), .prepare)
        XCTAssertTrue(RuleHarness.fails(findings).isEmpty, "\(findings.map(\.message))")
        XCTAssertEqual(RuleHarness.opens(findings).count, 1)
        XCTAssertTrue(RuleHarness.opens(findings).first?.message.contains("migration_type") == true)
    }

    func testCDCOnlyNamesTheValue() throws {
        let findings = try RuleHarness.findings("MIG010", M.healthy(.cutover).setting(M.task, "migration_type", to: "cdc", beforeToo: true), .cutover)
        XCTAssertEqual(RuleHarness.fails(findings).count, 1)
        XCTAssertTrue(RuleHarness.fails(findings).first?.message.contains("\"cdc\"") == true)
        XCTAssertTrue(RuleHarness.fails(findings).first?.message.contains("existing rows") == true)
    }

    func testSourceEndpointOnTargetNamesBothClusters() throws {
        let plan = M.healthy(.fullLoad)
            .setting(M.sourceEndpoint, "server_name", to: .string(M.targetHost), beforeToo: true)
            .settingReferences(M.sourceEndpoint, "server_name", to: ["var.target_host"])
        let failures = RuleHarness.fails(try RuleHarness.findings("MIG010", plan, .fullLoad))
        XCTAssertEqual(failures.count, 1)
        XCTAssertEqual(failures.first?.address, M.sourceEndpoint)
        XCTAssertTrue(failures.first?.message.contains("points at the target cluster \(M.target)") == true)
        XCTAssertTrue(failures.first?.message.contains("not at the source cluster \(M.source)") == true)
    }

    func testTaskUsingATargetEndpointAsSourceFails() throws {
        let plan = M.healthy(.fullLoad).settingReferences(M.task, "source_endpoint_arn",
                                                          to: ["aws_dms_endpoint.target.endpoint_arn", "aws_dms_endpoint.target"])
        let failures = RuleHarness.fails(try RuleHarness.findings("MIG010", plan, .fullLoad))
        XCTAssertTrue(failures.contains { $0.message.contains("endpoint_type is \"target\"") }, "\(failures.map(\.message))")
    }

    func testSourceEndpointOnReaderEndpointFails() throws {
        let reader = M.sourceHost.replacingFirst("cluster-", with: "cluster-ro-")
        let plan = M.healthy(.fullLoad).setting(M.sourceEndpoint, "server_name", to: .string(reader), beforeToo: true)
        let failures = RuleHarness.fails(try RuleHarness.findings("MIG010", plan, .fullLoad))
        XCTAssertEqual(failures.count, 1)
        XCTAssertTrue(failures.first?.message.contains("reader endpoint") == true)
    }

    func testReplacingTheTaskInPrepareIsFine() throws {
        let plan = M.healthy(.fullLoad).withActions(M.task, ["create", "delete"])
        XCTAssertTrue(RuleHarness.fails(try RuleHarness.findings("MIG010", plan, .prepare)).isEmpty)
        XCTAssertEqual(RuleHarness.fails(try RuleHarness.findings("MIG010", plan, .cutover)).count, 1)
    }

    func testEndpointARNOutsideThePlanIsOpen() throws {
        let plan = M.healthy(.fullLoad)
            .settingReferences(M.task, "source_endpoint_arn", to: nil)
            .setting(M.sourceEndpoint, "endpoint_arn", to: "arn:aws:dms:eu-west-2:123456789012:endpoint:OTHER", beforeToo: true)
        let findings = try RuleHarness.findings("MIG010", plan, .fullLoad)
        XCTAssertTrue(RuleHarness.fails(findings).isEmpty, "\(findings.map(\.message))")
        XCTAssertTrue(RuleHarness.opens(findings).contains { $0.message.contains("is no aws_dms_endpoint") }, "\(findings.map(\.message))")
    }

    func testModuleLayoutDecidesByValueAndIsOpenWhileUnknown() throws {
        XCTAssertTrue(try RuleHarness.findings("MIG010", DMSTaskRule.moduleLayout(.fullLoad, targetServer: .string(M.targetHost)), .fullLoad).isEmpty)
        let open = try RuleHarness.findings("MIG010", DMSTaskRule.moduleLayout(.prepare, targetServer: nil), .prepare)
        XCTAssertTrue(RuleHarness.fails(open).isEmpty)
        XCTAssertEqual(RuleHarness.opens(open).map(\.address), [#"module.dms.aws_dms_endpoint.this["target"]"#])
    }

    /// The runbook's own DMS module reads each endpoint's host from a Secrets Manager secret
    /// whose version refers to the cluster (through module inputs).
    func secretsLayout(sourceHostInput: String) -> ExamplePlan {
        var plan = M.healthy(.fullLoad)
        for (endpoint, side) in [(M.sourceEndpoint, "source"), (M.targetEndpoint, "target")] {
            plan = plan.setting(endpoint, "server_name", to: nil, beforeToo: true)
                .setting(endpoint, "secrets_manager_arn", to: .string("arn:aws:secretsmanager:eu-west-2:123456789012:secret:dms-\(side)"), beforeToo: true)
                .settingReferences(endpoint, "server_name", to: nil)
                .settingReferences(endpoint, "secrets_manager_arn", to: ["aws_secretsmanager_secret.\(side).arn", "aws_secretsmanager_secret.\(side)"])
            let secret: JSONLiteral = ["name": .string("dms-\(side)"), "arn": .string("arn:aws:secretsmanager:eu-west-2:123456789012:secret:dms-\(side)")]
            plan = plan.adding(ExampleResource("module.dms.aws_secretsmanager_secret.\(side)", actions: ["no-op"], before: secret, after: secret))
            let version: JSONLiteral = ["secret_string_wo_version": 1]
            plan = plan.adding(ExampleResource("module.dms.aws_secretsmanager_secret_version.\(side)", actions: ["no-op"], before: version, after: version,
                                               references: ["secret_id": ["aws_secretsmanager_secret.\(side).id", "aws_secretsmanager_secret.\(side)"],
                                                            "secret_string_wo": [side == "source" ? sourceHostInput : "var.target_host"]]))
        }
        return plan
    }

    func testEndpointBehindSecretsManagerSecret() throws {
        XCTAssertTrue(try RuleHarness.findings("MIG010", secretsLayout(sourceHostInput: "var.source_host"), .fullLoad).isEmpty)
        let swapped = RuleHarness.fails(try RuleHarness.findings("MIG010", secretsLayout(sourceHostInput: "var.target_host"), .fullLoad))
        XCTAssertEqual(swapped.map(\.address), [M.sourceEndpoint])
        XCTAssertTrue(swapped.first?.message.contains("secrets_manager_arn") == true)
    }

    func testRoute53AliasInFrontOfTheSource() throws {
        let record: JSONLiteral = ["name": "db.legacy.internal", "fqdn": "db.legacy.internal", "type": "CNAME", "records": [.string(M.sourceHost)]]
        let plan = M.healthy(.fullLoad)
            .setting(M.sourceEndpoint, "server_name", to: "db.legacy.internal", beforeToo: true)
            .settingReferences(M.sourceEndpoint, "server_name", to: nil)
            .adding(ExampleResource("aws_route53_record.legacy_db", actions: ["no-op"], before: record, after: record))
        XCTAssertTrue(try RuleHarness.findings("MIG010", plan, .fullLoad).isEmpty)
        let unresolved = try RuleHarness.findings("MIG010", plan.removing("aws_route53_record.legacy_db"), .fullLoad)
        XCTAssertTrue(RuleHarness.fails(unresolved).isEmpty)
        XCTAssertEqual(RuleHarness.opens(unresolved).count, 1)
    }

    func testUnrelatedTasksInTheStackAreLeftAlone() throws {
        let onPrem = "orders.onprem.example.com"
        let stream = "arn:aws:dms:eu-west-2:123456789012:endpoint:STREAM"
        let streamSource = "arn:aws:dms:eu-west-2:123456789012:endpoint:ORDERS"
        var source = MigrationExamples.endpoint(id: "orders", type: "source", host: onPrem)
        source["endpoint_arn"] = .string(streamSource)
        var target = MigrationExamples.endpoint(id: "stream", type: "target", host: "kinesis")
        target["endpoint_arn"] = .string(stream)
        let task: JSONLiteral = ["replication_task_id": "orders-cdc", "migration_type": "cdc",
                                 "source_endpoint_arn": .string(streamSource), "target_endpoint_arn": .string(stream)]
        let plan = M.healthy(.fullLoad)
            .adding(ExampleResource("aws_dms_endpoint.orders", actions: ["no-op"], before: source, after: source))
            .adding(ExampleResource("aws_dms_endpoint.stream", actions: ["no-op"], before: target, after: target))
            .adding(ExampleResource("aws_dms_replication_task.orders_cdc", actions: ["no-op"], before: task, after: task,
                                    references: ["source_endpoint_arn": ["aws_dms_endpoint.orders.endpoint_arn", "aws_dms_endpoint.orders"],
                                                 "target_endpoint_arn": ["aws_dms_endpoint.stream.endpoint_arn", "aws_dms_endpoint.stream"]]))
        XCTAssertTrue(try RuleHarness.findings("MIG010", plan, .fullLoad).isEmpty)
        // Without the migration's own task, the remaining one is judged (and is no migration task).
        let alone = try RuleHarness.findings("MIG010", plan.removing(M.task), .fullLoad)
        XCTAssertTrue(RuleHarness.fails(alone).contains { $0.message.contains("\"cdc\"") }, "\(alone.map(\.message))")
    }

    func testStateIsJudgedByValues() throws {
        XCTAssertTrue(try RuleHarness.findings("MIG010", M.healthy(.fullLoad), .fullLoad, state: true).isEmpty)
        let swapped = M.healthy(.fullLoad).setting(M.sourceEndpoint, "server_name", to: .string(M.targetHost), beforeToo: true)
        XCTAssertEqual(RuleHarness.fails(try RuleHarness.findings("MIG010", swapped, .fullLoad, state: true)).count, 1)
    }
}
