import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckCLI

/// MIG010 dms-task, MIG011 cleanup-complete, MIG012 consumers-switched, MIG013 target-secret-access:
/// the edges their examples do not show.
final class RulesDMSAndConsumersTests: XCTestCase {
    typealias M = MigrationExamples

    // MARK: - Helpers

    static func findings(_ rule: String, _ plan: ExamplePlan, _ phase: Phase, state: Bool = false,
                         policy: Policy = .builtInDefault) throws -> [Finding] {
        try findings(rule, json: state ? plan.stateJSON : plan.planJSON, phase, state: state, policy: policy)
    }

    static func findings(_ rule: String, json: String, _ phase: Phase, state: Bool = false,
                         policy: Policy = .builtInDefault) throws -> [Finding] {
        let documents = try TerraformReader.read(text: json, file: "test.json", expecting: state ? .state : .plan)
        let picture = try PictureBuilder.build(try XCTUnwrap(documents.first))
        return Evaluator.evaluate(picture, phase: phase, policy: policy).findings.filter { $0.ruleID == rule }
    }

    static func picture(_ plan: ExamplePlan) throws -> MigrationPicture {
        let documents = try TerraformReader.read(text: plan.planJSON, file: "test.json", expecting: .plan)
        return try PictureBuilder.build(try XCTUnwrap(documents.first))
    }

    static func policy(_ rule: String, _ name: String, _ value: JSONLiteral) -> Policy {
        var policy = Policy.builtInDefault
        policy.rules[rule]?.parameters[name] = value
        return policy
    }

    static func policyJSON(_ statements: [JSONLiteral]) -> JSONLiteral {
        .string(JSONLiteral.object([("Version", "2012-10-17"), ("Statement", .array(statements))]).serialized)
    }

    static func containers(_ environment: [(String, String)], command: [String]? = nil) -> JSONLiteral {
        var container: JSONLiteral = ["name": "app", "image": "app:v42",
                                      "environment": .array(environment.map { ["name": .string($0.0), "value": .string($0.1)] })]
        if let command { container["command"] = .array(command.map(JSONLiteral.string)) }
        return .string(JSONLiteral.array([container]).serialized)
    }

    func fails(_ findings: [Finding]) -> [Finding] { findings.filter { $0.kind == .fail } }
    func opens(_ findings: [Finding]) -> [Finding] { findings.filter { $0.kind == .open } }

    // MARK: - MIG010 dms-task

    func testMissingTaskIsAFailureWithoutAddress() throws {
        let findings = try Self.findings("MIG010", M.healthy(.fullLoad).removing(M.task), .fullLoad)
        XCTAssertEqual(findings.count, 1)
        XCTAssertEqual(findings.first?.kind, .fail)
        XCTAssertNil(findings.first?.address)
        XCTAssertTrue(findings.first?.message.contains("no aws_dms_replication_task") == true)
    }

    func testUnknownMigrationTypeIsOpen() throws {
        let findings = try Self.findings("MIG010", M.healthy(.prepare).markingUnknown(M.task, "migration_type"), .prepare)
        XCTAssertTrue(fails(findings).isEmpty, "\(findings.map(\.message))")
        XCTAssertEqual(opens(findings).count, 1)
        XCTAssertTrue(opens(findings).first?.message.contains("migration_type") == true)
    }

    func testCDCOnlyNamesTheValue() throws {
        let findings = try Self.findings("MIG010", M.healthy(.cutover).setting(M.task, "migration_type", to: "cdc", beforeToo: true), .cutover)
        XCTAssertEqual(fails(findings).count, 1)
        XCTAssertTrue(fails(findings).first?.message.contains("\"cdc\"") == true)
        XCTAssertTrue(fails(findings).first?.message.contains("existing rows") == true)
    }

    func testSourceEndpointOnTargetNamesBothClusters() throws {
        let plan = M.healthy(.fullLoad)
            .setting(M.sourceEndpoint, "server_name", to: .string(M.targetHost), beforeToo: true)
            .settingReferences(M.sourceEndpoint, "server_name", to: ["var.target_host"])
        let failures = fails(try Self.findings("MIG010", plan, .fullLoad))
        XCTAssertEqual(failures.count, 1)
        XCTAssertEqual(failures.first?.address, M.sourceEndpoint)
        XCTAssertTrue(failures.first?.message.contains("points at the target cluster \(M.target)") == true)
        XCTAssertTrue(failures.first?.message.contains("not at the source cluster \(M.source)") == true)
    }

    func testTaskUsingATargetEndpointAsSourceFails() throws {
        let plan = M.healthy(.fullLoad).settingReferences(M.task, "source_endpoint_arn",
                                                          to: ["aws_dms_endpoint.target.endpoint_arn", "aws_dms_endpoint.target"])
        let failures = fails(try Self.findings("MIG010", plan, .fullLoad))
        XCTAssertTrue(failures.contains { $0.message.contains("endpoint_type is \"target\"") }, "\(failures.map(\.message))")
    }

    func testSourceEndpointOnReaderEndpointFails() throws {
        let reader = M.sourceHost.replacingFirst("cluster-", with: "cluster-ro-")
        let plan = M.healthy(.fullLoad).setting(M.sourceEndpoint, "server_name", to: .string(reader), beforeToo: true)
        let failures = fails(try Self.findings("MIG010", plan, .fullLoad))
        XCTAssertEqual(failures.count, 1)
        XCTAssertTrue(failures.first?.message.contains("reader endpoint") == true)
    }

    func testReplacingTheTaskInPrepareIsFine() throws {
        let plan = M.healthy(.fullLoad).withActions(M.task, ["create", "delete"])
        XCTAssertTrue(fails(try Self.findings("MIG010", plan, .prepare)).isEmpty)
        XCTAssertEqual(fails(try Self.findings("MIG010", plan, .cutover)).count, 1)
    }

    func testEndpointARNOutsideThePlanIsOpen() throws {
        let plan = M.healthy(.fullLoad)
            .settingReferences(M.task, "source_endpoint_arn", to: nil)
            .setting(M.sourceEndpoint, "endpoint_arn", to: "arn:aws:dms:eu-west-2:123456789012:endpoint:OTHER", beforeToo: true)
        let findings = try Self.findings("MIG010", plan, .fullLoad)
        XCTAssertTrue(fails(findings).isEmpty, "\(findings.map(\.message))")
        XCTAssertTrue(opens(findings).contains { $0.message.contains("is no aws_dms_endpoint") }, "\(findings.map(\.message))")
    }

    func testModuleLayoutDecidesByValueAndIsOpenWhileUnknown() throws {
        XCTAssertTrue(try Self.findings("MIG010", DMSTaskRule.moduleLayout(.fullLoad, targetServer: .string(M.targetHost)), .fullLoad).isEmpty)
        let open = try Self.findings("MIG010", DMSTaskRule.moduleLayout(.prepare, targetServer: nil), .prepare)
        XCTAssertTrue(fails(open).isEmpty)
        XCTAssertEqual(opens(open).map(\.address), [#"module.dms.aws_dms_endpoint.this["target"]"#])
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
        XCTAssertTrue(try Self.findings("MIG010", secretsLayout(sourceHostInput: "var.source_host"), .fullLoad).isEmpty)
        let swapped = fails(try Self.findings("MIG010", secretsLayout(sourceHostInput: "var.target_host"), .fullLoad))
        XCTAssertEqual(swapped.map(\.address), [M.sourceEndpoint])
        XCTAssertTrue(swapped.first?.message.contains("secrets_manager_arn") == true)
    }

    func testRoute53AliasInFrontOfTheSource() throws {
        let record: JSONLiteral = ["name": "db.legacy.internal", "fqdn": "db.legacy.internal", "type": "CNAME", "records": [.string(M.sourceHost)]]
        let plan = M.healthy(.fullLoad)
            .setting(M.sourceEndpoint, "server_name", to: "db.legacy.internal", beforeToo: true)
            .settingReferences(M.sourceEndpoint, "server_name", to: nil)
            .adding(ExampleResource("aws_route53_record.legacy_db", actions: ["no-op"], before: record, after: record))
        XCTAssertTrue(try Self.findings("MIG010", plan, .fullLoad).isEmpty)
        let unresolved = try Self.findings("MIG010", plan.removing("aws_route53_record.legacy_db"), .fullLoad)
        XCTAssertTrue(fails(unresolved).isEmpty)
        XCTAssertEqual(opens(unresolved).count, 1)
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
        XCTAssertTrue(try Self.findings("MIG010", plan, .fullLoad).isEmpty)
        // Without the migration's own task, the remaining one is judged (and is no migration task).
        let alone = try Self.findings("MIG010", plan.removing(M.task), .fullLoad)
        XCTAssertTrue(fails(alone).contains { $0.message.contains("\"cdc\"") }, "\(alone.map(\.message))")
    }

    func testStateIsJudgedByValues() throws {
        XCTAssertTrue(try Self.findings("MIG010", M.healthy(.fullLoad), .fullLoad, state: true).isEmpty)
        let swapped = M.healthy(.fullLoad).setting(M.sourceEndpoint, "server_name", to: .string(M.targetHost), beforeToo: true)
        XCTAssertEqual(fails(try Self.findings("MIG010", swapped, .fullLoad, state: true)).count, 1)
    }

    // MARK: - MIG011 cleanup-complete

    func testCleanupFindingsAreWarnings() throws {
        let plan = M.healthy(.cleanup).withActions(M.replicationInstance, ["no-op"]).withActions(M.task, ["no-op"])
        let findings = try Self.findings("MIG011", plan, .cleanup)
        XCTAssertEqual(Set(findings.compactMap(\.address)), [M.replicationInstance, M.task])
        XCTAssertTrue(findings.allSatisfy { $0.severity == .warning && $0.kind == .fail })
    }

    func testKeptSourceClusterAsksToTurnOffDeletionProtection() throws {
        let plan = M.healthy(.cleanup).withActions(M.source, ["no-op"]).setting(M.source, "deletion_protection", to: true, beforeToo: true)
        let findings = try Self.findings("MIG011", plan, .cleanup)
        XCTAssertEqual(findings.map(\.address), [M.source])
        XCTAssertTrue(findings.first?.message.contains("deletion_protection") == true)
    }

    func testDMSModuleMatesAndDMSRolesRemain() throws {
        let trust = Self.policyJSON([["Effect": "Allow", "Action": "sts:AssumeRole", "Principal": ["Service": "dms.eu-west-2.amazonaws.com"]]])
        let ecsTrust = Self.policyJSON([["Effect": "Allow", "Action": "sts:AssumeRole", "Principal": ["Service": "ecs-tasks.amazonaws.com"]]])
        let plan = M.healthy(.cleanup)
            .adding(ExampleResource("module.dms.aws_security_group.dms", actions: ["no-op"], before: ["name": "dms"], after: ["name": "dms"]))
            .adding(ExampleResource("aws_iam_role.dms_vpc", actions: ["no-op"], before: ["name": "dms-vpc-role", "assume_role_policy": trust],
                                    after: ["name": "dms-vpc-role", "assume_role_policy": trust]))
            .adding(ExampleResource("aws_iam_role.ecs_execution", actions: ["no-op"], before: ["name": "ecs", "assume_role_policy": ecsTrust],
                                    after: ["name": "ecs", "assume_role_policy": ecsTrust]))
        let addresses = Set(try Self.findings("MIG011", plan, .cleanup).compactMap(\.address))
        XCTAssertEqual(addresses, ["module.dms.aws_security_group.dms", "aws_iam_role.dms_vpc"])
    }

    func testSchemaPrepModuleAndItsServiceAreRecognised() throws {
        let marked = Self.containers([("DB_HOST", M.targetHost), ("SERVER_TYPE", "none")])
        let definition: JSONLiteral = ["family": "app-prepare-new-db", "container_definitions": marked]
        let service: JSONLiteral = ["name": "app-prepare-new-db", "task_definition": "arn:aws:ecs:eu-west-2:123456789012:task-definition/app-prepare-new-db:3"]
        let plan = M.healthy(.cleanup)
            .adding(ExampleResource("module.prep.aws_ecs_task_definition.this", actions: ["no-op"], before: definition, after: definition))
            .adding(ExampleResource("module.prep.aws_security_group.this", actions: ["no-op"], before: ["name": "prep"], after: ["name": "prep"]))
            .adding(ExampleResource("aws_ecs_service.prep", actions: ["no-op"], before: service, after: service))
        let addresses = Set(try Self.findings("MIG011", plan, .cleanup).compactMap(\.address))
        XCTAssertEqual(addresses, ["module.prep.aws_ecs_task_definition.this", "module.prep.aws_security_group.this", "aws_ecs_service.prep"])
    }

    func testIdleContainerMarksSchemaPrepButAnApplicationDoesNot() throws {
        let idle: JSONLiteral = ["family": "shell", "container_definitions": Self.containers([("DB_HOST", M.targetHost)], command: ["sleep", "infinity"])]
        let busy: JSONLiteral = ["family": "web", "container_definitions": Self.containers([("DB_HOST", M.targetHost)], command: ["bin/rails", "server"])]
        let plan = M.healthy(.cleanup)
            .adding(ExampleResource("aws_ecs_task_definition.shell", actions: ["no-op"], before: idle, after: idle))
            .adding(ExampleResource("aws_ecs_task_definition.web", actions: ["no-op"], before: busy, after: busy))
        XCTAssertEqual(try Self.findings("MIG011", plan, .cleanup).compactMap(\.address), ["aws_ecs_task_definition.shell"])
    }

    func testPolicyParametersNameMigrationOnlyResources() throws {
        let rule: JSONLiteral = ["type": "ingress", "from_port": 5432, "to_port": 5432]
        let plan = M.healthy(.cleanup)
            .adding(ExampleResource("aws_security_group_rule.db_prepare_access_to_db", actions: ["no-op"], before: rule, after: rule))
        XCTAssertTrue(try Self.findings("MIG011", plan, .cleanup).isEmpty)
        let named = Self.policy("MIG011", "migrationOnlyAddresses", ["aws_security_group_rule.db_prepare_access_to_db"])
        XCTAssertEqual(try Self.findings("MIG011", plan, .cleanup, policy: named).compactMap(\.address), ["aws_security_group_rule.db_prepare_access_to_db"])

        let markers = Self.policy("MIG011", "schemaPrepMarkers", ["ROLE=prepare"])
        let custom: JSONLiteral = ["family": "x", "container_definitions": Self.containers([("ROLE", "prepare")])]
        let marked = M.healthy(.cleanup).adding(ExampleResource("aws_ecs_task_definition.x", actions: ["no-op"], before: custom, after: custom))
        XCTAssertTrue(try Self.findings("MIG011", marked, .cleanup).isEmpty)
        XCTAssertEqual(try Self.findings("MIG011", marked, .cleanup, policy: markers).compactMap(\.address), ["aws_ecs_task_definition.x"])
    }

    func testOrphanLogicalReplicationGroupInStateAfterCleanup() throws {
        let plan = M.healthy(.cleanup).withActions(M.sourceGroup, ["no-op"])
        let findings = try Self.findings("MIG011", plan, .cleanup, state: true)
        XCTAssertEqual(findings.compactMap(\.address), [M.sourceGroup])
        XCTAssertTrue(findings.first?.message.contains("logical-replication parameter group") == true)
    }

    func testTaskDefinitionFamilyParsing() {
        XCTAssertEqual(MigrationOnly.family(ofTaskDefinition: "arn:aws:ecs:eu-west-2:1:task-definition/app-prep:3"), "app-prep")
        XCTAssertEqual(MigrationOnly.family(ofTaskDefinition: "app-prep:12"), "app-prep")
        XCTAssertEqual(MigrationOnly.family(ofTaskDefinition: "app-prep"), "app-prep")
    }

    // MARK: - MIG012 consumers-switched

    func testStandaloneMatching() throws {
        func contains(_ haystack: String, _ needle: String) throws -> Bool {
            let document = try JSONDocument(text: JSONLiteral.string(haystack).serialized)
            return SourceMarkers.containsStandalone(document.root, Array(needle.utf8))
        }
        let host = "app.cluster-abc.eu-west-2.rds.amazonaws.com"
        XCTAssertTrue(try contains("postgres://u@\(host):5432/app", host))
        XCTAssertTrue(try contains("{\"DB_HOST\":\"\(host)\"}", host), "inside a JSON string inside JSON")
        XCTAssertTrue(try contains("line\n\(host)", host), "after a \\n escape")
        XCTAssertFalse(try contains("myapp.cluster-abc.eu-west-2.rds.amazonaws.com", host))
        XCTAssertFalse(try contains("x.\(host)", host))
        XCTAssertFalse(try contains("arn:aws:rds:eu-west-2:1:cluster:app-legacy-2", "arn:aws:rds:eu-west-2:1:cluster:app-legacy"))
        XCTAssertTrue(try contains("arn:aws:rds:eu-west-2:1:cluster:app-legacy/*", "arn:aws:rds:eu-west-2:1:cluster:app-legacy"))
        XCTAssertFalse(try contains("app-legacy-logical-replication", "app-legacy"))
        XCTAssertTrue(try contains("DBClusterIdentifier=app-legacy", "app-legacy"))
    }

    func testShortIdentifiersAreNotSearched() throws {
        let source = try XCTUnwrap(try Self.picture(M.healthy(.cutover)).source)
        XCTAssertTrue(SourceMarkers(source, minimumIdentifierLength: 8).markers.contains { $0.label == "identifier" })
        XCTAssertFalse(SourceMarkers(source, minimumIdentifierLength: 11).markers.contains { $0.label == "identifier" })
        let labels = SourceMarkers(source, minimumIdentifierLength: 8).markers.map(\.label)
        XCTAssertEqual(Array(labels.prefix(2)), ["endpoint", "reader endpoint"])
        XCTAssertTrue(labels.contains("instance endpoint") == false, "the examples' instances carry no endpoint")
        XCTAssertTrue(labels.contains(SourceMarkers.secretLabel))
    }

    func testAlarmOnTheSourceIdentifierFails() throws {
        let alarm: JSONLiteral = ["alarm_name": "db-cpu", "dimensions": ["DBClusterIdentifier": "app-legacy"]]
        let plan = M.healthy(.cutover).adding(ExampleResource("aws_cloudwatch_metric_alarm.db_cpu", actions: ["no-op"], before: alarm, after: alarm))
        let failures = fails(try Self.findings("MIG012", plan, .cutover))
        XCTAssertEqual(failures.compactMap(\.address), ["aws_cloudwatch_metric_alarm.db_cpu"])
        XCTAssertTrue(failures.first?.message.contains("identifier \"app-legacy\"") == true)
        XCTAssertTrue(failures.first?.message.contains("dimensions") == true)
    }

    func testConditionalReferenceWithCleanValueIsOnlyAWarning() throws {
        let parameter: JSONLiteral = ["name": "/app/db_host", "type": "String", "value": .string(M.targetHost)]
        let plan = M.healthy(.cutover).adding(ExampleResource(
            "aws_ssm_parameter.db_host", actions: ["no-op"], before: parameter, after: parameter,
            references: ["value": ["var.switched", "\(M.target).endpoint", M.target, "\(M.source).endpoint", M.source]]))
        let findings = try Self.findings("MIG012", plan, .cutover)
        XCTAssertEqual(findings.count, 1)
        XCTAssertEqual(findings.first?.severity, .warning)
        XCTAssertTrue(findings.first?.message.contains("still refers to \(M.source)") == true)
    }

    func testIgnoreAddressesParameter() throws {
        let plan = M.healthy(.cutover).setting(M.appTask, "container_definitions", to: ConsumersSwitchedRule.containers(host: M.sourceHost))
        XCTAssertEqual(fails(try Self.findings("MIG012", plan, .cutover)).count, 1)
        let policy = Self.policy("MIG012", "ignoreAddresses", [.string(M.appTask)])
        XCTAssertTrue(try Self.findings("MIG012", plan, .cutover, policy: policy).isEmpty)
    }

    func testMigrationOwnResourcesMayPointAtTheSource() throws {
        // The DMS module's secret version and a snapshot of the source both name it.
        let version: JSONLiteral = ["secret_string": .string("{\"host\":\"\(M.sourceHost)\"}")]
        let snapshot: JSONLiteral = ["db_cluster_identifier": "app-legacy", "db_cluster_snapshot_identifier": "app-legacy-before-cutover"]
        let plan = M.healthy(.cutover)
            .adding(ExampleResource("module.dms.aws_secretsmanager_secret_version.source", actions: ["no-op"], before: version, after: version,
                                    sensitive: ["secret_string"]))
            .adding(ExampleResource("aws_db_cluster_snapshot.before_cutover", actions: ["create"], before: nil, after: snapshot))
        XCTAssertTrue(try Self.findings("MIG012", plan, .cutover).isEmpty)
    }

    func testSensitiveValueIsSearchedButNeverPrinted() throws {
        let secret = "{\"url\":\"postgres://app:CANARY-password@\(M.sourceHost):5432/app\"}"
        let version: JSONLiteral = ["secret_id": "app-config", "secret_string": .string(secret)]
        let plan = M.healthy(.cleanup).adding(ExampleResource("aws_secretsmanager_secret_version.app", actions: ["no-op"],
                                                              before: version, after: version, sensitive: ["secret_string"]))
        let failures = fails(try Self.findings("MIG012", plan, .cleanup))
        XCTAssertEqual(failures.compactMap(\.address), ["aws_secretsmanager_secret_version.app"])
        XCTAssertFalse(failures.contains { $0.message.contains("CANARY") })
    }

    func testPolicyStillGrantingTheSourceSecretIsAWarning() throws {
        let policy = Self.policyJSON([["Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                                       "Resource": [.string(M.targetSecret), .string(M.sourceSecret)]]])
        let plan = M.healthy(.cutover).setting(M.secretsPolicy, "policy", to: policy, beforeToo: true)
        let findings = try Self.findings("MIG012", plan, .cutover)
        XCTAssertEqual(findings.count, 1)
        XCTAssertEqual(findings.first?.severity, .warning)
    }

    func testOutputHoldingTheSourceEndpoint() throws {
        let plan = M.healthy(.cutover).planJSON
        let output = #""output_changes":{"db_host":{"actions":["no-op"],"before":"\#(M.sourceHost)","after":"\#(M.sourceHost)","after_unknown":false,"before_sensitive":false,"after_sensitive":false}},"#
        let json = plan.replacingFirst("\"resource_changes\":", with: output + "\"resource_changes\":")
        let findings = try Self.findings("MIG012", json: json, .cutover)
        XCTAssertEqual(findings.count, 1, "\(findings.map(\.message))")
        XCTAssertNil(findings.first?.address)
        XCTAssertEqual(findings.first?.severity, .warning)
        XCTAssertTrue(findings.first?.message.contains("output \"db_host\"") == true)
    }

    func testNoSourceIsOpenBeforeCleanupAndTheExpectedOutcomeAfter() throws {
        XCTAssertEqual(try Self.findings("MIG012", M.healthy(.cleanup), .cutover, state: true).map(\.kind), [.open])
        XCTAssertEqual(try Self.findings("MIG012", M.healthy(.cleanup), .cleanup, state: true).map(\.kind), [])
    }

    // MARK: - MIG013 target-secret-access

    func testResourcePatternMatching() {
        let arn = M.targetSecret
        let match = IAMPolicyDocument.resourceMatches
        XCTAssertTrue(match("*", arn))
        XCTAssertTrue(match(arn, arn))
        XCTAssertTrue(match("arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!cluster-core-*", arn))
        XCTAssertTrue(match("arn:aws:secretsmanager:*:*:secret:rds!cluster-core-??????", arn))
        XCTAssertFalse(match("arn:aws:secretsmanager:*:*:secret:rds!cluster-core-?????", arn))
        XCTAssertTrue(match("arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!*-GhIjKl", arn))
        XCTAssertFalse(match("arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!cluster-legacy-*", arn))
        // A * that ends a segment may run past colons; one inside a segment may not.
        XCTAssertTrue(match("arn:aws:secretsmanager:*", arn))
        XCTAssertTrue(match("arn:aws*:123456789012:secret:rds!cluster-core-GhIjKl", arn))
        XCTAssertFalse(match("arn:aws*2:123456789012:secret:rds!cluster-core-GhIjKl", arn))
        XCTAssertFalse(match("ARN:aws:secretsmanager:*", arn), "resources are case-sensitive")
    }

    func testActionMatching() {
        let action = TargetSecretAccessRule.readAction
        XCTAssertTrue(IAMPolicyDocument.actionMatches("SecretsManager:Get*", action))
        XCTAssertTrue(IAMPolicyDocument.actionMatches("secretsmanager:*", action))
        XCTAssertTrue(IAMPolicyDocument.actionMatches("*", action))
        XCTAssertFalse(IAMPolicyDocument.actionMatches("secretsmanager:Describe*", action))
        XCTAssertFalse(IAMPolicyDocument.actionMatches("s3:*", action))
    }

    func testPolicyDocumentStatements() throws {
        let arn = M.targetSecret
        let action = TargetSecretAccessRule.readAction
        let single = try XCTUnwrap(IAMPolicyDocument(json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"\#(arn)"}}"#))
        XCTAssertTrue(single.allows(action, on: arn))
        let notResource = try XCTUnwrap(IAMPolicyDocument(json: #"{"Statement":[{"Effect":"Allow","Action":"secretsmanager:*","NotResource":"arn:aws:secretsmanager:*:*:secret:rds!cluster-legacy-*"}]}"#))
        XCTAssertTrue(notResource.allows(action, on: arn))
        XCTAssertFalse(notResource.allows(action, on: M.sourceSecret))
        let notAction = try XCTUnwrap(IAMPolicyDocument(json: #"{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#))
        XCTAssertTrue(notAction.allows(action, on: arn))
        let conditionalDeny = try XCTUnwrap(IAMPolicyDocument(json: #"{"Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#))
        XCTAssertTrue(conditionalDeny.allows(action, on: arn), "a conditional deny is not evaluated")
        XCTAssertNil(IAMPolicyDocument(json: "not json"))
    }

    func testDenyOnlyCountsInTheDocumentThatAllows() throws {
        let deny: JSONLiteral = ["name": "deny-humans", "policy": Self.policyJSON([["Effect": "Deny", "Action": "secretsmanager:*", "Resource": "*"]])]
        let plan = M.healthy(.cutover).adding(ExampleResource("aws_iam_policy.deny_humans", actions: ["no-op"], before: deny, after: deny))
        XCTAssertTrue(try Self.findings("MIG013", plan, .cutover).isEmpty, "a deny attached elsewhere is not weighed")
        let selfDenying = M.healthy(.cutover).setting(M.secretsPolicy, "policy", to: .string(TargetSecretAccessRule.denyingPolicy), beforeToo: true)
        let failures = fails(try Self.findings("MIG013", selfDenying, .cutover))
        XCTAssertEqual(failures.map(\.address), [M.secretsPolicy])
        XCTAssertTrue(failures.first?.message.contains("explicitly denies") == true)
    }

    func testUnknownSecretWithoutReferenceIsOpen() throws {
        let plan = M.healthy(.prepare).settingReferences(M.secretsPolicy, "policy", to: nil)
        let findings = try Self.findings("MIG013", plan, .prepare)
        XCTAssertEqual(findings.map(\.kind), [.open])
        XCTAssertTrue(findings.first?.message.contains("unknown until apply") == true)
    }

    func testReferenceThroughPolicyDocumentDataSource() throws {
        let plan = M.healthy(.prepare)
            .settingReferences(M.secretsPolicy, "policy", to: ["data.aws_iam_policy_document.ecs_secrets_access.json", "data.aws_iam_policy_document.ecs_secrets_access"])
            .adding(ExampleResource("data.aws_iam_policy_document.ecs_secrets_access", actions: ["read"], before: nil, after: ["id": "x"],
                                    unknown: ["json"], references: ["statement": ["\(M.target).master_user_secret[0].secret_arn", M.target]]))
        XCTAssertTrue(try Self.findings("MIG013", plan, .prepare).isEmpty)
    }

    /// Data sources read while planning appear only in `prior_state`, not in `resource_changes`.
    func planWithDocumentReadDuringPlanning(granting secret: String) throws -> String {
        let json = MigrationExamples.secretsPolicy(secret)
        let plan = M.healthy(.fullLoad).removing(M.secretsPolicy)
            .adding(ExampleResource("data.aws_iam_policy_document.ecs_secrets_access", actions: ["read"], before: ["json": .string(json)],
                                    after: ["json": .string(json)]))
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(plan.planJSON.utf8)) as? [String: Any])
        let changes = try XCTUnwrap(object["resource_changes"] as? [[String: Any]])
        object["resource_changes"] = changes.filter { ($0["mode"] as? String) != "data" }
        return try XCTUnwrap(String(data: try JSONSerialization.data(withJSONObject: object), encoding: .utf8))
    }

    func testPolicyDocumentReadDuringPlanning() throws {
        XCTAssertTrue(try Self.findings("MIG013", json: try planWithDocumentReadDuringPlanning(granting: M.targetSecret), .fullLoad).isEmpty)
        let other = try planWithDocumentReadDuringPlanning(granting: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!cluster-other-XyZ")
        XCTAssertEqual(fails(try Self.findings("MIG013", json: other, .fullLoad)).map(\.address), ["data.aws_iam_policy_document.ecs_secrets_access"])
    }

    func testTargetWithoutManagedSecretIsOpen() throws {
        let plan = M.healthy(.fullLoad).setting(M.target, "master_user_secret", to: [], beforeToo: true)
            .setting(M.target, "manage_master_user_password", to: nil, beforeToo: true)
        let findings = try Self.findings("MIG013", plan, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.open])
        XCTAssertTrue(findings.first?.message.contains("no master_user_secret") == true)
    }

    func testManagedPolicyAttachmentGrantsEverySecret() throws {
        let attachment: JSONLiteral = ["role": "ecs-execution", "policy_arn": "arn:aws:iam::aws:policy/SecretsManagerReadWrite"]
        let plan = M.healthy(.cutover).removing(M.secretsPolicy)
            .adding(ExampleResource("aws_iam_role_policy_attachment.secrets", actions: ["no-op"], before: attachment, after: attachment))
        XCTAssertTrue(try Self.findings("MIG013", plan, .cutover).isEmpty)
    }

    func testDMSOwnSecretPolicyAndUnrelatedPoliciesAreOpenNotFailed() throws {
        let dmsSecret = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:dms-target-AbC"
        let dmsPolicy: JSONLiteral = ["name": "dms-secret-access", "policy": .string(MigrationExamples.secretsPolicy(dmsSecret))]
        let s3Policy: JSONLiteral = ["name": "s3", "policy": Self.policyJSON([["Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"]])]
        let plan = M.healthy(.fullLoad).removing(M.secretsPolicy)
            .adding(ExampleResource("module.dms.aws_iam_policy.db_secret_access", actions: ["no-op"], before: dmsPolicy, after: dmsPolicy))
            .adding(ExampleResource("aws_iam_policy.s3", actions: ["no-op"], before: s3Policy, after: s3Policy))
        let findings = try Self.findings("MIG013", plan, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.open], "\(findings.map(\.message))")
        XCTAssertTrue(findings.first?.message.contains("allows secretsmanager:GetSecretValue") == true)
    }

    func testUnknownPolicyWithKnownSecretIsOpenUnlessItRefersToTheTarget() throws {
        let unknown = M.healthy(.fullLoad).markingUnknown(M.secretsPolicy, "policy")
        XCTAssertTrue(try Self.findings("MIG013", unknown, .fullLoad).isEmpty, "refers to the target in the configuration")
        let findings = try Self.findings("MIG013", unknown.settingReferences(M.secretsPolicy, "policy", to: nil), .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.open])
    }
}
