import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// A healthy migration, one plan per phase, that every rule's examples start from:
/// a triggering example breaks one thing, a non-triggering one shows a variant that is fine.
///
/// The source is `aws_rds_cluster.legacy` (two instances, `count`), the target
/// `aws_rds_cluster.core` (two `for_each` instances), DMS lives in `module.dms`.
public enum MigrationExamples {
    public static let source = "aws_rds_cluster.legacy"
    public static let target = "aws_rds_cluster.core"
    public static let sourceGroup = "aws_rds_cluster_parameter_group.logical_replication"
    public static let targetGroup = "aws_rds_cluster_parameter_group.disable_constraints"
    public static let targetRotation = "aws_secretsmanager_secret_rotation.core"
    public static let sourceEndpoint = "module.dms.aws_dms_endpoint.source"
    public static let targetEndpoint = "module.dms.aws_dms_endpoint.target"
    public static let task = "module.dms.aws_dms_replication_task.migration"
    public static let replicationInstance = "module.dms.aws_dms_replication_instance.this"
    public static let secretsPolicy = "aws_iam_policy.ecs_secrets_access"
    public static let appTask = "aws_ecs_task_definition.app"
    public static let schemaPrep = "aws_ecs_task_definition.schema_prep"
    public static let targetInstances = [#"aws_rds_cluster_instance.core["primary-1"]"#, #"aws_rds_cluster_instance.core["primary-2"]"#]
    public static let sourceInstances = ["aws_rds_cluster_instance.legacy[0]", "aws_rds_cluster_instance.legacy[1]"]

    static let sourceHost = "app-legacy.cluster-c1a2b3c4d5e6.eu-west-2.rds.amazonaws.com"
    static let targetHost = "app-core.cluster-c1a2b3c4d5e6.eu-west-2.rds.amazonaws.com"
    static let sourceSecret = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!cluster-legacy-AbCdEf"
    static let targetSecret = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!cluster-core-GhIjKl"

    public static func healthy(_ phase: Phase) -> ExamplePlan {
        var resources: [ExampleResource] = []
        let targetExists = phase != .prepare
        let migrationLives = phase != .cleanup
        let role: JSONLiteral = phase == .prepare || phase == .fullLoad ? "replica" : "origin"

        // Source cluster: gains its logical-replication parameter group in prepare, destroyed in cleanup.
        var sourceBefore = cluster(id: "app-legacy", host: sourceHost, secret: sourceSecret,
                                   group: phase == .prepare ? "default.aurora-postgresql16" : "app-legacy-logical-replication")
        if phase == .cleanup { sourceBefore["deletion_protection"] = false }
        var sourceAfter = sourceBefore
        sourceAfter["db_cluster_parameter_group_name"] = "app-legacy-logical-replication"
        resources.append(ExampleResource(source, actions: phase == .prepare ? ["update"] : phase == .cleanup ? ["delete"] : ["no-op"],
                                         before: sourceBefore, after: phase == .cleanup ? nil : sourceAfter,
                                         references: ["db_cluster_parameter_group_name": ["\(sourceGroup).name", sourceGroup]]))
        for (index, address) in sourceInstances.enumerated() {
            let value: JSONLiteral = instance(id: "app-legacy-\(index)", cluster: "app-legacy", tier: .number(String(index)))
            resources.append(ExampleResource(address, actions: phase == .cleanup ? ["delete"] : ["no-op"], before: value,
                                             after: phase == .cleanup ? nil : value,
                                             references: ["cluster_identifier": ["\(source).id", source]]))
        }
        let sourceGroupValue: JSONLiteral = parameterGroup(name: "app-legacy-logical-replication", parameters: [
            ["apply_method": "pending-reboot", "name": "max_wal_senders", "value": "20"],
            ["apply_method": "pending-reboot", "name": "rds.logical_replication", "value": "1"],
        ])
        resources.append(ExampleResource(sourceGroup, actions: phase == .prepare ? ["create"] : phase == .cleanup ? ["delete"] : ["no-op"],
                                         before: phase == .prepare ? nil : sourceGroupValue,
                                         after: phase == .cleanup ? nil : sourceGroupValue))

        // Target cluster and its instances: created in prepare, kept ever after.
        let targetValue = cluster(id: "app-core", host: targetHost, secret: targetSecret, group: "app-core-disable-constraints")
        var targetAfter = targetValue
        var targetUnknown: [String] = []
        if !targetExists {
            for attribute in ["arn", "endpoint", "reader_endpoint", "id", "master_user_secret"] { targetAfter[attribute] = nil }
            targetUnknown = ["arn", "endpoint", "reader_endpoint", "id", "master_user_secret"]
        }
        resources.append(ExampleResource(target, actions: targetExists ? ["no-op"] : ["create"],
                                         before: targetExists ? targetValue : nil, after: targetAfter, unknown: targetUnknown,
                                         references: ["db_cluster_parameter_group_name": ["\(targetGroup).name", targetGroup]]))
        for (index, address) in targetInstances.enumerated() {
            var value: JSONLiteral = instance(id: "app-core-\(index + 1)", cluster: "app-core", tier: 1)
            var unknown: [String] = []
            if !targetExists {
                value["cluster_identifier"] = nil
                unknown = ["cluster_identifier", "arn", "endpoint"]
            }
            resources.append(ExampleResource(address, actions: targetExists ? ["no-op"] : ["create"],
                                             before: targetExists ? value : nil, after: value, unknown: unknown,
                                             references: ["cluster_identifier": ["\(target).id", target]]))
        }
        let targetGroupBefore: JSONLiteral = parameterGroup(name: "app-core-disable-constraints", parameters: [
            ["apply_method": "immediate", "name": "session_replication_role", "value": phase == .cutover ? "replica" : role],
        ])
        let targetGroupAfter: JSONLiteral = parameterGroup(name: "app-core-disable-constraints", parameters: [
            ["apply_method": "immediate", "name": "session_replication_role", "value": role],
        ])
        resources.append(ExampleResource(targetGroup, actions: phase == .prepare ? ["create"] : phase == .cutover ? ["update"] : ["no-op"],
                                         before: phase == .prepare ? nil : targetGroupBefore, after: targetGroupAfter))

        // The target secret's rotation: 400 days for the migration, the normal schedule after cleanup.
        let rotationBefore: JSONLiteral = rotation(secret: targetSecret, schedule: "rate(400 days)")
        var rotationAfter: JSONLiteral = rotation(secret: targetSecret, schedule: phase == .cleanup ? "cron(0 8 ? * WED *)" : "rate(400 days)")
        if !targetExists { rotationAfter["secret_id"] = nil }
        resources.append(ExampleResource(targetRotation, actions: phase == .prepare ? ["create"] : phase == .cleanup ? ["update"] : ["no-op"],
                                         before: phase == .prepare ? nil : rotationBefore, after: rotationAfter,
                                         unknown: targetExists ? [] : ["secret_id"],
                                         references: ["secret_id": ["\(target).master_user_secret[0].secret_arn", "\(target).master_user_secret[0]",
                                                                    "\(target).master_user_secret", target]]))

        // The services' access to the target secret.
        var policyAfter: JSONLiteral = ["name": "app-ecs-secrets-access", "policy": .string(secretsPolicy(targetExists ? targetSecret : nil))]
        if !targetExists { policyAfter["policy"] = nil }
        resources.append(ExampleResource(secretsPolicy, actions: targetExists ? ["no-op"] : ["create"],
                                         before: targetExists ? policyAfter : nil, after: policyAfter,
                                         unknown: targetExists ? [] : ["policy"],
                                         references: ["policy": ["\(target).master_user_secret[0].secret_arn", target]]))

        // The application: on the source until cutover, on the target from then on.
        let appBefore: JSONLiteral = taskDefinition(family: "app", host: phase == .cleanup ? targetHost : sourceHost)
        let appAfter: JSONLiteral = taskDefinition(family: "app", host: phase == .cutover || phase == .cleanup ? targetHost : sourceHost)
        resources.append(ExampleResource(appTask, actions: phase == .cutover ? ["delete", "create"] : ["no-op"],
                                         before: appBefore, after: appAfter))

        // Migration-only resources: created in prepare, destroyed in cleanup.
        if migrationLives || phase == .cleanup {
            let actions: [String] = phase == .prepare ? ["create"] : phase == .cleanup ? ["delete"] : ["no-op"]
            let prep: JSONLiteral = taskDefinition(family: "app-prepare-new-db", host: targetHost)
            resources.append(ExampleResource(schemaPrep, actions: actions, before: phase == .prepare ? nil : prep,
                                             after: phase == .cleanup ? nil : (targetExists ? prep : ["family": "app-prepare-new-db"]),
                                             unknown: targetExists ? [] : ["container_definitions"]))
            let replication: JSONLiteral = ["replication_instance_id": "app-migration", "replication_instance_class": "dms.t3.medium",
                                            "replication_instance_arn": "arn:aws:dms:eu-west-2:123456789012:rep:APPMIGRATION"]
            resources.append(ExampleResource(replicationInstance, actions: actions, before: phase == .prepare ? nil : replication,
                                             after: phase == .cleanup ? nil : replication))
            let sourceEndpointValue: JSONLiteral = endpoint(id: "app-source", type: "source", host: sourceHost)
            resources.append(ExampleResource(sourceEndpoint, actions: actions, before: phase == .prepare ? nil : sourceEndpointValue,
                                             after: phase == .cleanup ? nil : sourceEndpointValue, sensitive: ["password"],
                                             references: ["server_name": ["var.source_host"]]))
            var targetEndpointValue: JSONLiteral = endpoint(id: "app-target", type: "target", host: targetHost)
            if !targetExists { targetEndpointValue["server_name"] = nil }
            resources.append(ExampleResource(targetEndpoint, actions: actions, before: phase == .prepare ? nil : targetEndpointValue,
                                             after: phase == .cleanup ? nil : targetEndpointValue,
                                             unknown: targetExists ? [] : ["server_name"], sensitive: ["password"],
                                             references: ["server_name": ["var.target_host"]]))
            let taskValue: JSONLiteral = ["replication_task_id": "app-migration", "migration_type": "full-load-and-cdc",
                                          "start_replication_task": .bool(phase != .prepare),
                                          "source_endpoint_arn": "arn:aws:dms:eu-west-2:123456789012:endpoint:APPSOURCE",
                                          "target_endpoint_arn": "arn:aws:dms:eu-west-2:123456789012:endpoint:APPTARGET",
                                          "table_mappings": #"{"rules":[{"rule-type":"selection","rule-id":"1","rule-name":"1","object-locator":{"schema-name":"public","table-name":"%"},"rule-action":"include"}]}"#]
            resources.append(ExampleResource(task, actions: actions, before: phase == .prepare ? nil : taskValue,
                                             after: phase == .cleanup ? nil : taskValue,
                                             references: ["source_endpoint_arn": ["aws_dms_endpoint.source.endpoint_arn", "aws_dms_endpoint.source"],
                                                          "target_endpoint_arn": ["aws_dms_endpoint.target.endpoint_arn", "aws_dms_endpoint.target"]]))
        }
        return ExamplePlan(resources: resources, moduleInputs: [
            "dms": ["source_host": ["\(source).endpoint", source], "target_host": ["\(target).endpoint", target]],
        ])
    }

    // MARK: - Attribute sets of real AWS provider resources

    package static func cluster(id: String, host: String, secret: String, group: String) -> JSONLiteral {
        [
            "arn": .string("arn:aws:rds:eu-west-2:123456789012:cluster:\(id)"),
            "backup_retention_period": 7,
            "cluster_identifier": .string(id),
            "database_name": "app",
            "db_cluster_parameter_group_name": .string(group),
            "deletion_protection": true,
            "endpoint": .string(host),
            "engine": "aurora-postgresql",
            "engine_mode": "provisioned",
            "engine_version": "16.4",
            "final_snapshot_identifier": .string("\(id)-final"),
            "id": .string(id),
            "manage_master_user_password": true,
            "master_user_secret": [["kms_key_id": "", "secret_arn": .string(secret), "secret_status": "active"]],
            "master_username": "app",
            "port": 5432,
            "reader_endpoint": .string(host.replacingFirst("cluster-", with: "cluster-ro-")),
            "skip_final_snapshot": false,
            "storage_encrypted": true,
        ]
    }

    package static func instance(id: String, cluster: String, tier: JSONLiteral) -> JSONLiteral {
        ["cluster_identifier": .string(cluster), "engine": "aurora-postgresql", "engine_version": "16.4",
         "identifier": .string(id), "instance_class": "db.r6g.large", "promotion_tier": tier, "publicly_accessible": false]
    }

    package static func parameterGroup(name: String, parameters: [JSONLiteral]) -> JSONLiteral {
        ["description": "Managed by Terraform", "family": "aurora-postgresql16", "id": .string(name),
         "name": .string(name), "parameter": .array(parameters)]
    }

    package static func rotation(secret: String, schedule: String) -> JSONLiteral {
        ["id": .string(secret), "rotate_immediately": false, "rotation_enabled": true,
         "rotation_rules": [["automatically_after_days": 0, "duration": "", "schedule_expression": .string(schedule)]],
         "secret_id": .string(secret)]
    }

    package static func endpoint(id: String, type: String, host: String) -> JSONLiteral {
        ["database_name": "app", "endpoint_id": .string(id), "endpoint_type": .string(type), "engine_name": "aurora-postgresql",
         "password": "CANARY-dms-endpoint-password", "port": 5432, "server_name": .string(host), "ssl_mode": "require",
         "username": "dms"]
    }

    static func taskDefinition(family: String, host: String) -> JSONLiteral {
        let definitions: JSONLiteral = [[
            "name": .string(family), "image": "123456789012.dkr.ecr.eu-west-2.amazonaws.com/app:v42", "essential": true,
            "environment": [["name": "DB_HOST", "value": .string(host)], ["name": "DB_NAME", "value": "app"]],
        ]]
        return ["family": .string(family), "container_definitions": .string(definitions.serialized), "network_mode": "awsvpc"]
    }

    static func secretsPolicy(_ secret: String?) -> String {
        let policy: JSONLiteral = ["Version": "2012-10-17", "Statement": [[
            "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": .string(secret ?? ""),
        ]]]
        return policy.serialized
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        var copy = self
        copy.replaceSubrange(range, with: replacement)
        return copy
    }
}
