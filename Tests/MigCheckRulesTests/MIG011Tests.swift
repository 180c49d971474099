import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// MIG011 cleanup-complete: the edges its examples do not show.
final class MIG011Tests: XCTestCase {
    typealias M = MigrationExamples

    func testCleanupFindingsAreWarnings() throws {
        let plan = M.healthy(.cleanup).withActions(M.replicationInstance, ["no-op"]).withActions(M.task, ["no-op"])
        let findings = try RuleHarness.findings("MIG011", plan, .cleanup)
        XCTAssertEqual(Set(findings.compactMap(\.address)), [M.replicationInstance, M.task])
        XCTAssertTrue(findings.allSatisfy { $0.severity == .warning && $0.kind == .fail })
    }

    func testKeptSourceClusterAsksToTurnOffDeletionProtection() throws {
        let plan = M.healthy(.cleanup).withActions(M.source, ["no-op"]).setting(M.source, "deletion_protection", to: true, beforeToo: true)
        let findings = try RuleHarness.findings("MIG011", plan, .cleanup)
        XCTAssertEqual(findings.map(\.address), [M.source])
        XCTAssertTrue(findings.first?.message.contains("deletion_protection") == true)
    }

    func testDMSModuleMatesAndDMSRolesRemain() throws {
        let trust = RuleHarness.policyJSON([["Effect": "Allow", "Action": "sts:AssumeRole", "Principal": ["Service": "dms.eu-west-2.amazonaws.com"]]])
        let ecsTrust = RuleHarness.policyJSON([["Effect": "Allow", "Action": "sts:AssumeRole", "Principal": ["Service": "ecs-tasks.amazonaws.com"]]])
        let plan = M.healthy(.cleanup)
            .adding(ExampleResource("module.dms.aws_security_group.dms", actions: ["no-op"], before: ["name": "dms"], after: ["name": "dms"]))
            .adding(ExampleResource("aws_iam_role.dms_vpc", actions: ["no-op"], before: ["name": "dms-vpc-role", "assume_role_policy": trust],
                                    after: ["name": "dms-vpc-role", "assume_role_policy": trust]))
            .adding(ExampleResource("aws_iam_role.ecs_execution", actions: ["no-op"], before: ["name": "ecs", "assume_role_policy": ecsTrust],
                                    after: ["name": "ecs", "assume_role_policy": ecsTrust]))
        let addresses = Set(try RuleHarness.findings("MIG011", plan, .cleanup).compactMap(\.address))
        XCTAssertEqual(addresses, ["module.dms.aws_security_group.dms", "aws_iam_role.dms_vpc"])
    }

    func testSchemaPrepModuleAndItsServiceAreRecognised() throws {
        let marked = RuleHarness.containers([("DB_HOST", M.targetHost), ("SERVER_TYPE", "none")])
        let definition: JSONLiteral = ["family": "app-prepare-new-db", "container_definitions": marked]
        let service: JSONLiteral = ["name": "app-prepare-new-db", "task_definition": "arn:aws:ecs:eu-west-2:123456789012:task-definition/app-prepare-new-db:3"]
        let plan = M.healthy(.cleanup)
            .adding(ExampleResource("module.prep.aws_ecs_task_definition.this", actions: ["no-op"], before: definition, after: definition))
            .adding(ExampleResource("module.prep.aws_security_group.this", actions: ["no-op"], before: ["name": "prep"], after: ["name": "prep"]))
            .adding(ExampleResource("aws_ecs_service.prep", actions: ["no-op"], before: service, after: service))
        let addresses = Set(try RuleHarness.findings("MIG011", plan, .cleanup).compactMap(\.address))
        XCTAssertEqual(addresses, ["module.prep.aws_ecs_task_definition.this", "module.prep.aws_security_group.this", "aws_ecs_service.prep"])
    }

    func testIdleContainerMarksSchemaPrepButAnApplicationDoesNot() throws {
        let idle: JSONLiteral = ["family": "shell", "container_definitions": RuleHarness.containers([("DB_HOST", M.targetHost)], command: ["sleep", "infinity"])]
        let busy: JSONLiteral = ["family": "web", "container_definitions": RuleHarness.containers([("DB_HOST", M.targetHost)], command: ["bin/rails", "server"])]
        let plan = M.healthy(.cleanup)
            .adding(ExampleResource("aws_ecs_task_definition.shell", actions: ["no-op"], before: idle, after: idle))
            .adding(ExampleResource("aws_ecs_task_definition.web", actions: ["no-op"], before: busy, after: busy))
        XCTAssertEqual(try RuleHarness.findings("MIG011", plan, .cleanup).compactMap(\.address), ["aws_ecs_task_definition.shell"])
    }

    func testPolicyParametersNameMigrationOnlyResources() throws {
        let rule: JSONLiteral = ["type": "ingress", "from_port": 5432, "to_port": 5432]
        let plan = M.healthy(.cleanup)
            .adding(ExampleResource("aws_security_group_rule.db_prepare_access_to_db", actions: ["no-op"], before: rule, after: rule))
        XCTAssertTrue(try RuleHarness.findings("MIG011", plan, .cleanup).isEmpty)
        let named = RuleHarness.policy("MIG011", "migrationOnlyAddresses", ["aws_security_group_rule.db_prepare_access_to_db"])
        XCTAssertEqual(try RuleHarness.findings("MIG011", plan, .cleanup, policy: named).compactMap(\.address), ["aws_security_group_rule.db_prepare_access_to_db"])

        let markers = RuleHarness.policy("MIG011", "schemaPrepMarkers", ["ROLE=prepare"])
        let custom: JSONLiteral = ["family": "x", "container_definitions": RuleHarness.containers([("ROLE", "prepare")])]
        let marked = M.healthy(.cleanup).adding(ExampleResource("aws_ecs_task_definition.x", actions: ["no-op"], before: custom, after: custom))
        XCTAssertTrue(try RuleHarness.findings("MIG011", marked, .cleanup).isEmpty)
        XCTAssertEqual(try RuleHarness.findings("MIG011", marked, .cleanup, policy: markers).compactMap(\.address), ["aws_ecs_task_definition.x"])
    }

    func testOrphanLogicalReplicationGroupInStateAfterCleanup() throws {
        let plan = M.healthy(.cleanup).withActions(M.sourceGroup, ["no-op"])
        let findings = try RuleHarness.findings("MIG011", plan, .cleanup, state: true)
        XCTAssertEqual(findings.compactMap(\.address), [M.sourceGroup])
        XCTAssertTrue(findings.first?.message.contains("logical-replication parameter group") == true)
    }

    func testTaskDefinitionFamilyParsing() {
        XCTAssertEqual(MigrationOnly.family(ofTaskDefinition: "arn:aws:ecs:eu-west-2:1:task-definition/app-prep:3"), "app-prep")
        XCTAssertEqual(MigrationOnly.family(ofTaskDefinition: "app-prep:12"), "app-prep")
        XCTAssertEqual(MigrationOnly.family(ofTaskDefinition: "app-prep"), "app-prep")
    }
}
