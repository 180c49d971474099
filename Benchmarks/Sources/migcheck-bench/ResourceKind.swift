/// Which version of a resource's attributes to build. The same seed yields
/// the same random draws for every revision; the revision only decides which
/// of the pre-drawn values end up in the output, so before/after differ only
/// where an update would really change something.
enum Revision {
    case prior, updated, replaced

    var isChanged: Bool { self != .prior }
}

struct AttributeContext {
    /// ASCII-only label unique per resource instance, used in names/ARNs.
    let label: String
    let environment: String
    let region: String
    let revision: Revision

    var changed: Bool { revision.isChanged }
}

enum ResourceKind: CaseIterable {
    case s3Bucket, iamPolicy, iamRole, securityGroup, ecsTaskDefinition, lambdaFunction
    case rdsCluster, rdsClusterInstance, rdsClusterParameterGroup, dmsEndpoint, dmsReplicationTask
    case secretsRotation, cloudwatchAlarm, route53Record, sqsQueue, dynamodbTable

    var typeName: String {
        switch self {
        case .s3Bucket: return "aws_s3_bucket"
        case .iamPolicy: return "aws_iam_policy"
        case .iamRole: return "aws_iam_role"
        case .securityGroup: return "aws_security_group"
        case .ecsTaskDefinition: return "aws_ecs_task_definition"
        case .lambdaFunction: return "aws_lambda_function"
        case .rdsCluster: return "aws_rds_cluster"
        case .rdsClusterInstance: return "aws_rds_cluster_instance"
        case .rdsClusterParameterGroup: return "aws_rds_cluster_parameter_group"
        case .dmsEndpoint: return "aws_dms_endpoint"
        case .dmsReplicationTask: return "aws_dms_replication_task"
        case .secretsRotation: return "aws_secretsmanager_secret_rotation"
        case .cloudwatchAlarm: return "aws_cloudwatch_metric_alarm"
        case .route53Record: return "aws_route53_record"
        case .sqsQueue: return "aws_sqs_queue"
        case .dynamodbTable: return "aws_dynamodb_table"
        }
    }

    var schemaVersion: Int {
        switch self {
        case .securityGroup, .ecsTaskDefinition, .dynamodbTable, .cloudwatchAlarm: return 1
        case .route53Record: return 2
        default: return 0
        }
    }

    /// Relative frequency in ordinary modules / in data-layer modules.
    private var weights: (normal: Int, database: Int) {
        switch self {
        case .s3Bucket: return (12, 3)
        case .iamPolicy: return (8, 2)
        case .iamRole: return (7, 2)
        case .securityGroup: return (10, 4)
        case .ecsTaskDefinition: return (6, 1)
        case .lambdaFunction: return (7, 2)
        case .rdsCluster: return (2, 8)
        case .rdsClusterInstance: return (3, 10)
        case .rdsClusterParameterGroup: return (2, 8)
        case .dmsEndpoint: return (2, 8)
        case .dmsReplicationTask: return (2, 8)
        case .secretsRotation: return (3, 5)
        case .cloudwatchAlarm: return (10, 6)
        case .route53Record: return (10, 2)
        case .sqsQueue: return (8, 1)
        case .dynamodbTable: return (5, 2)
        }
    }

    static func pick(databaseHeavy: Bool, _ rng: inout SplitMix64) -> ResourceKind {
        let weighted = allCases.map { ($0, databaseHeavy ? $0.weights.database : $0.weights.normal) }
        var roll = rng.int(weighted.reduce(0) { $0 + $1.1 })
        for (kind, weight) in weighted {
            if roll < weight { return kind }
            roll -= weight
        }
        return .s3Bucket
    }

    /// Task definitions are immutable in AWS: every change is a replacement.
    var supportsInPlaceUpdate: Bool { self != .ecsTaskDefinition }

    /// Attributes the provider only knows after apply (absent from `after`,
    /// `true` in `after_unknown`) when the object is created or replaced.
    var unknownOnCreate: [String] {
        switch self {
        case .s3Bucket:
            return ["acceleration_status", "arn", "bucket_domain_name", "bucket_regional_domain_name", "grant",
                    "hosted_zone_id", "id", "lifecycle_rule", "logging", "object_lock_configuration", "policy",
                    "region", "replication_configuration", "request_payer", "server_side_encryption_configuration",
                    "versioning", "website", "website_domain", "website_endpoint"]
        case .iamPolicy: return ["arn", "attachment_count", "id", "policy_id"]
        case .iamRole: return ["arn", "create_date", "id", "managed_policy_arns", "unique_id"]
        case .securityGroup: return ["arn", "id", "owner_id"]
        case .ecsTaskDefinition: return ["arn", "arn_without_revision", "id", "revision"]
        case .lambdaFunction:
            return ["arn", "code_sha256", "id", "invoke_arn", "last_modified", "qualified_arn",
                    "qualified_invoke_arn", "signing_job_arn", "signing_profile_version_arn",
                    "source_code_size", "version"]
        case .rdsCluster:
            return ["arn", "cluster_members", "cluster_resource_id", "endpoint", "engine_version_actual",
                    "hosted_zone_id", "id", "reader_endpoint"]
        case .rdsClusterInstance:
            return ["arn", "availability_zone", "ca_cert_identifier", "dbi_resource_id", "endpoint",
                    "engine_version_actual", "id", "kms_key_id", "performance_insights_kms_key_id", "port", "writer"]
        case .rdsClusterParameterGroup: return ["arn", "id"]
        case .dmsEndpoint: return ["endpoint_arn", "kms_key_arn"]
        case .dmsReplicationTask: return ["replication_task_arn", "status"]
        case .secretsRotation: return ["id", "rotation_enabled"]
        case .cloudwatchAlarm: return ["arn", "id"]
        case .route53Record: return ["fqdn", "id"]
        case .sqsQueue: return ["arn", "id", "policy", "url"]
        case .dynamodbTable: return ["arn", "id", "stream_arn", "stream_label"]
        }
    }

    /// Attributes that become unknown on an in-place update.
    var unknownOnUpdate: [String] {
        switch self {
        case .lambdaFunction: return ["last_modified", "qualified_arn", "qualified_invoke_arn", "version"]
        case .rdsCluster, .rdsClusterInstance: return ["engine_version_actual"]
        default: return []
        }
    }

    var sensitiveKeys: [String] {
        switch self {
        case .rdsCluster: return ["master_password"]
        case .dmsEndpoint: return ["password"]
        default: return []
        }
    }

    /// The attribute reported in `replace_paths`; on replacement its value is
    /// changed (unless the builder already changes it for every revision).
    var forceNewKey: String {
        switch self {
        case .s3Bucket: return "bucket"
        case .iamPolicy, .iamRole, .securityGroup, .sqsQueue, .dynamodbTable, .rdsClusterParameterGroup: return "name"
        case .ecsTaskDefinition: return "container_definitions"
        case .lambdaFunction: return "function_name"
        case .rdsCluster: return "database_name"
        case .rdsClusterInstance: return "identifier"
        case .dmsEndpoint: return "endpoint_id"
        case .dmsReplicationTask: return "replication_task_id"
        case .secretsRotation: return "secret_id"
        case .cloudwatchAlarm: return "alarm_name"
        case .route53Record: return "name"
        }
    }

    /// Attributes shown in `configuration` expressions.
    var configKeys: [String] {
        switch self {
        case .s3Bucket: return ["bucket", "force_destroy", "tags"]
        case .iamPolicy: return ["description", "name", "path", "policy", "tags"]
        case .iamRole: return ["assume_role_policy", "managed_policy_arns", "max_session_duration", "name", "tags"]
        case .securityGroup: return ["description", "egress", "ingress", "name", "tags", "vpc_id"]
        case .ecsTaskDefinition:
            return ["container_definitions", "cpu", "execution_role_arn", "family", "memory", "network_mode",
                    "requires_compatibilities", "tags", "task_role_arn"]
        case .lambdaFunction:
            return ["environment", "function_name", "handler", "memory_size", "role", "runtime", "s3_bucket",
                    "s3_key", "tags", "timeout"]
        case .rdsCluster:
            return ["availability_zones", "backup_retention_period", "cluster_identifier", "database_name",
                    "db_cluster_parameter_group_name", "deletion_protection", "engine", "engine_version",
                    "master_password", "master_username", "serverlessv2_scaling_configuration",
                    "storage_encrypted", "tags", "vpc_security_group_ids"]
        case .rdsClusterInstance:
            return ["cluster_identifier", "engine", "engine_version", "identifier", "instance_class",
                    "performance_insights_enabled", "promotion_tier", "tags"]
        case .rdsClusterParameterGroup: return ["description", "family", "name", "parameter", "tags"]
        case .dmsEndpoint:
            return ["database_name", "endpoint_id", "endpoint_type", "engine_name", "password", "port",
                    "postgres_settings", "server_name", "ssl_mode", "tags", "username"]
        case .dmsReplicationTask:
            return ["migration_type", "replication_instance_arn", "replication_task_id", "replication_task_settings",
                    "source_endpoint_arn", "table_mappings", "tags", "target_endpoint_arn"]
        case .secretsRotation: return ["rotation_lambda_arn", "rotation_rules", "secret_id"]
        case .cloudwatchAlarm:
            return ["alarm_actions", "alarm_description", "alarm_name", "comparison_operator", "dimensions",
                    "evaluation_periods", "metric_name", "namespace", "period", "statistic", "threshold"]
        case .route53Record: return ["name", "records", "ttl", "type", "zone_id"]
        case .sqsQueue: return ["name", "redrive_policy", "tags", "visibility_timeout_seconds"]
        case .dynamodbTable:
            return ["attribute", "billing_mode", "global_secondary_index", "hash_key", "name",
                    "point_in_time_recovery", "range_key", "tags", "ttl"]
        }
    }

    /// `references` for an attribute in the configuration, pointing at the
    /// closest earlier block of the right type in the same module where one
    /// exists, e.g. ["aws_rds_cluster.core_3.id", "aws_rds_cluster.core_3"].
    func configReferences(for key: String, earlierBlocks: [ResourceKind: String]) -> [String]? {
        func reference(_ kind: ResourceKind, _ attribute: String) -> [String]? {
            guard let name = earlierBlocks[kind] else { return nil }
            let base = "\(kind.typeName).\(name)"
            return ["\(base).\(attribute)", base]
        }
        switch (self, key) {
        case (_, "tags"): return ["local.common_tags", "var.environment"]
        case (.rdsClusterInstance, "cluster_identifier"): return reference(.rdsCluster, "id")
        case (.rdsClusterInstance, "engine"): return reference(.rdsCluster, "engine")
        case (.rdsClusterInstance, "engine_version"): return reference(.rdsCluster, "engine_version")
        case (.rdsCluster, "master_password"): return ["random_password.master.result", "random_password.master"]
        case (.rdsCluster, "db_cluster_parameter_group_name"): return reference(.rdsClusterParameterGroup, "name")
        case (.rdsCluster, "vpc_security_group_ids"): return reference(.securityGroup, "id")
        case (.dmsReplicationTask, "source_endpoint_arn"), (.dmsReplicationTask, "target_endpoint_arn"):
            return reference(.dmsEndpoint, "endpoint_arn")
        case (.dmsReplicationTask, "replication_instance_arn"): return ["var.replication_instance_arn"]
        case (.dmsEndpoint, "password"): return ["var.db_password"]
        case (.secretsRotation, "rotation_lambda_arn"): return reference(.lambdaFunction, "arn")
        case (.secretsRotation, "secret_id"): return ["aws_secretsmanager_secret.db.id", "aws_secretsmanager_secret.db"]
        case (.securityGroup, "vpc_id"): return ["var.vpc_id"]
        case (.ecsTaskDefinition, "container_definitions"): return ["local.container_definitions"]
        case (.ecsTaskDefinition, "execution_role_arn"), (.ecsTaskDefinition, "task_role_arn"),
             (.lambdaFunction, "role"):
            return reference(.iamRole, "arn")
        case (.cloudwatchAlarm, "dimensions"): return reference(.rdsCluster, "cluster_identifier")
        default: return nil
        }
    }

    /// Builds the full attribute object (every computed value known) for one
    /// instance; `after`/`values` are derived from it by dropping unknowns.
    func attributes(seed: UInt64, label: String, revision: Revision) -> [Attribute] {
        var rng = SplitMix64(seed: seed)
        let context = AttributeContext(label: label,
                                       environment: rng.pick(["prod", "staging", "dev"]),
                                       region: rng.pick(["eu-central-1", "us-east-1", "ap-northeast-1"]),
                                       revision: revision)
        let values: [Attribute]
        switch self {
        case .s3Bucket: values = AWSAttributes.s3Bucket(context, &rng)
        case .iamPolicy: values = AWSAttributes.iamPolicy(context, &rng)
        case .iamRole: values = AWSAttributes.iamRole(context, &rng)
        case .securityGroup: values = AWSAttributes.securityGroup(context, &rng)
        case .ecsTaskDefinition: values = AWSAttributes.ecsTaskDefinition(context, &rng)
        case .lambdaFunction: values = AWSAttributes.lambdaFunction(context, &rng)
        case .rdsCluster: values = AWSAttributes.rdsCluster(context, &rng)
        case .rdsClusterInstance: values = AWSAttributes.rdsClusterInstance(context, &rng)
        case .rdsClusterParameterGroup: values = AWSAttributes.rdsClusterParameterGroup(context, &rng)
        case .dmsEndpoint: values = AWSAttributes.dmsEndpoint(context, &rng)
        case .dmsReplicationTask: values = AWSAttributes.dmsReplicationTask(context, &rng)
        case .secretsRotation: values = AWSAttributes.secretsRotation(context, &rng)
        case .cloudwatchAlarm: values = AWSAttributes.cloudwatchAlarm(context, &rng)
        case .route53Record: values = AWSAttributes.route53Record(context, &rng)
        case .sqsQueue: values = AWSAttributes.sqsQueue(context, &rng)
        case .dynamodbTable: values = AWSAttributes.dynamodbTable(context, &rng)
        }
        var sorted = JSONValue.sortedUnique(values)
        if revision == .replaced && self != .ecsTaskDefinition {
            // Replacement is forced by a changed immutable attribute.
            for index in sorted.indices where sorted[index].key == forceNewKey {
                if case .string(let text) = sorted[index].value {
                    sorted[index].value = .string(text + "-v2")
                }
            }
        }
        return sorted
    }
}
