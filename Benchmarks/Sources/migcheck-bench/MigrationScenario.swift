/// The one coherent Aurora-to-Aurora migration every synthetic plan carries, in
/// the runbook's prepare phase (`../shared/runbook.md`, "Pre-Migration
/// preparation", step 1: deploy the migration-ready infrastructure).
///
/// Its AWS side (account, region, cluster and instance identifiers, parameter groups
/// and their parameters, secrets, DMS ARNs, engine, settings) is the healthy
/// migration of `Fixtures/tools/healthy-migration.json` (`HealthyMigration`), the
/// model the fixtures are generated from; the Terraform side (resource and module
/// names, count / for_each) is the bench's own, as it differs between fixtures too.
///
/// Root module:
/// - `aws_rds_cluster.migration_source` (existing, updated: moves from the default
///   parameter group to `aws_rds_cluster_parameter_group.migration_source`, which
///   turns on `rds.logical_replication`, apply method pending-reboot), with its
///   existing instances `aws_rds_cluster_instance.migration_source[0..]` and a new
///   rotation of its RDS-managed master secret at `rate(400 days)`, so the secret does
///   not rotate under DMS;
/// - `aws_rds_cluster.migration_target` (created, same engine and version, RDS-managed
///   master secret), its parameter group with `session_replication_role = replica`,
///   its instances on promotion tier 1, the secret rotation at `rate(400 days)` and
///   `aws_iam_policy.ecs_secrets_access` granting `secretsmanager:GetSecretValue` on
///   the target's master secret.
///
/// `module.db_migration` (the runbook's migration-only DMS module): one source and
/// one target `aws_dms_endpoint` whose `server_name` comes from the clusters'
/// `endpoint` through module inputs, and a full-load-and-cdc replication task.
///
/// Everything is built from fixed seeds, so it is identical in every plan size and
/// independent of the scattered random blocks around it. None of the random blocks
/// points at these clusters: their configuration references only ever see random
/// blocks (see `PlanWriter.writeConfigModule`), their values use other names, random
/// DMS endpoints point at hosts outside AWS and random parameter groups never turn on
/// logical replication. So migcheck's role inference sees exactly one consistent
/// source and target.
enum MigrationPart: CaseIterable {
    case sourceCluster, sourceInstances, sourceParameterGroup, sourceRotation
    case targetCluster, targetInstances, targetParameterGroup, targetRotation, secretsPolicy
    case sourceEndpoint, targetEndpoint, replicationTask

    var kind: ResourceKind {
        switch self {
        case .sourceCluster, .targetCluster: return .rdsCluster
        case .sourceInstances, .targetInstances: return .rdsClusterInstance
        case .sourceParameterGroup, .targetParameterGroup: return .rdsClusterParameterGroup
        case .sourceRotation, .targetRotation: return .secretsRotation
        case .secretsPolicy: return .iamPolicy
        case .sourceEndpoint, .targetEndpoint: return .dmsEndpoint
        case .replicationTask: return .dmsReplicationTask
        }
    }

    /// Resource name inside its module.
    var name: String {
        switch self {
        case .sourceCluster, .sourceInstances, .sourceParameterGroup, .sourceRotation: return "migration_source"
        case .targetCluster, .targetInstances, .targetParameterGroup, .targetRotation: return "migration_target"
        case .secretsPolicy: return "ecs_secrets_access"
        case .sourceEndpoint: return "source"
        case .targetEndpoint: return "target"
        case .replicationTask: return "migration"
        }
    }

    /// Index into `PlanLayout.calls`: the root module or the migration module.
    var call: Int {
        switch self {
        case .sourceEndpoint, .targetEndpoint, .replicationTask: return MigrationScenario.moduleCall
        default: return 0
        }
    }

    var expansion: Expansion {
        switch self {
        case .sourceInstances: return .count(MigrationScenario.model.source.instances.count)
        case .targetInstances: return .forEach(MigrationScenario.targetInstanceKeys)
        default: return .single
        }
    }

    /// Prepare phase: the source exists and gains its parameter group, everything else is new.
    var action: PlannedAction {
        switch self {
        case .sourceCluster: return .update
        case .sourceInstances: return .noOp
        default: return .create
        }
    }

    /// Attributes `after_unknown` marks for this part's action (they are left out of `after`).
    var unknownKeys: [String] {
        guard action == .create else { return [] }
        var keys = kind.unknownOnCreate
        switch self {
        case .targetCluster:
            keys += ["kms_key_id", "master_user_secret", "master_user_secret_kms_key_id"]
        case .targetInstances:
            // cluster_identifier = aws_rds_cluster.migration_target.id, unknown until the cluster exists.
            keys += ["cluster_identifier"]
        case .targetRotation:
            keys += ["secret_id"]
        case .secretsPolicy:
            // The document names the target's master secret, whose ARN is unknown until apply.
            keys += ["policy"]
        case .targetEndpoint:
            keys += ["server_name"]
        case .replicationTask:
            keys += ["source_endpoint_arn", "target_endpoint_arn"]
        default:
            break
        }
        return keys
    }
}

enum MigrationScenario {
    static let model = HealthyMigration.shared

    static let moduleName = "db_migration"
    static let moduleCall = PlanLayout.calls.firstIndex { $0.name == moduleName } ?? 0

    static let environment = model.environment
    static let region = model.region
    static let account = model.account
    static let engine = model.engine
    static let engineVersion = model.engineVersion
    static let family = model.parameterGroupFamily

    static let sourceIdentifier = model.source.clusterIdentifier
    static let targetIdentifier = model.target.clusterIdentifier
    /// for_each keys of the target instances (Terraform side), one per instance of the model.
    static let targetInstanceKeys = model.target.instances.indices.map { "primary-\($0 + 1)" }

    /// `<identifier>.cluster-<hash>.<region>.rds.amazonaws.com`, as world.py's `rds_endpoint`.
    static func host(_ identifier: String, reader: Bool = false) -> String {
        "\(identifier).cluster-\(reader ? "ro-" : "")\(model.rdsEndpointHash).\(region).rds.amazonaws.com"
    }

    private static func database(_ part: MigrationPart) -> HealthyMigration.Database {
        switch part {
        case .sourceCluster, .sourceInstances, .sourceParameterGroup, .sourceRotation, .sourceEndpoint:
            return model.source
        default:
            return model.target
        }
    }

    /// A parameter's value in HCL: numbers unquoted, as `value = 1` is written.
    private static func hclValue(_ text: String) -> JSONValue {
        Int(text).map { .int($0) } ?? .string(text)
    }

    static func address(_ part: MigrationPart) -> String {
        "\(part.kind.typeName).\(part.name)"
    }

    // MARK: Module call

    /// Arguments of `module "db_migration"` in the root module.
    static let moduleCallExpressions: JSONValue = .obj([
        ("db_password", references(["var.db_password"])),
        ("environment", references(["var.environment"])),
        ("name", constant(.string(moduleName))),
        ("replication_instance_arn", references(["var.replication_instance_arn"])),
        ("source_host", references(["\(address(.sourceCluster)).endpoint", address(.sourceCluster)])),
        ("target_host", references(["\(address(.targetCluster)).endpoint", address(.targetCluster)])),
        ("vpc_id", references(["var.vpc_id"])),
    ])

    static let moduleVariables: JSONValue = .obj([
        ("db_password", .object([("description", .string("Password of the DMS endpoints' database user")),
                                 ("sensitive", .bool(true))])),
        ("environment", .object([("description", .string("Inherited environment"))])),
        ("name", .object([])),
        ("replication_instance_arn", .object([("description", .string("DMS replication instance running the task"))])),
        ("source_host", .object([("description", .string("Writer endpoint of the cluster DMS reads from"))])),
        ("target_host", .object([("description", .string("Writer endpoint of the cluster DMS loads"))])),
        ("vpc_id", .object([])),
    ])

    // MARK: Values

    private static func context(_ label: String) -> AttributeContext {
        AttributeContext(label: label, environment: environment, region: region, revision: .prior)
    }

    private static func rng(_ part: MigrationPart, _ ordinal: Int) -> SplitMix64 {
        SplitMix64(seed: SplitMix64.seed(-7, MigrationPart.allCases.firstIndex(of: part) ?? 0, ordinal, 5))
    }

    /// Every attribute of one instance of a part, unknown-until-apply ones included
    /// (the writer leaves those out of `after`). `before` selects the prior state.
    static func values(_ part: MigrationPart, ordinal: Int, before: Bool) -> [Attribute] {
        var random = rng(part, ordinal)
        let overrides: [Attribute]
        let base: [Attribute]
        switch part {
        case .sourceCluster, .targetCluster:
            let isSource = part == .sourceCluster
            let database = database(part)
            let identifier = database.clusterIdentifier
            base = AWSAttributes.rdsCluster(context(identifier), &random)
            var common: [Attribute] = [
                ("arn", .string("arn:aws:rds:\(region):\(account):cluster:\(identifier)")),
                ("backup_retention_period", .int(7)),
                ("cluster_identifier", .string(identifier)),
                ("cluster_members", .strings(database.instances.map(\.identifier))),
                ("cluster_resource_id", .string(database.clusterResourceID)),
                ("database_name", .string(model.databaseName)),
                ("db_subnet_group_name", .string("\(environment)-db-subnets")),
                ("deletion_protection", .bool(true)),
                ("endpoint", .string(host(identifier))), ("engine", .string(engine)),
                ("engine_version", .string(engineVersion)), ("engine_version_actual", .string(engineVersion)),
                ("final_snapshot_identifier", .string("\(identifier)-final")), ("id", .string(identifier)),
                ("master_username", .string(model.masterUsername)),
                ("reader_endpoint", .string(host(identifier, reader: true))),
                ("skip_final_snapshot", .bool(false)),
            ]
            // Prepare moves the source off the default group onto the logical-replication one.
            let group = isSource && before ? "default.\(family)" : database.parameterGroupName
            common += [
                ("db_cluster_parameter_group_name", .string(group)),
                ("manage_master_user_password", .bool(true)), ("master_password", .null),
                ("master_user_secret", .array([.obj([
                    ("kms_key_id", .string("arn:aws:kms:\(region):\(account):alias/aws/secretsmanager")),
                    ("secret_arn", .string(database.managedSecretARN)),
                    ("secret_status", .string("active")),
                ])])),
            ]
            overrides = common

        case .sourceInstances, .targetInstances:
            let isSource = part == .sourceInstances
            let database = database(part)
            let cluster = database.clusterIdentifier
            let instance = database.instances[ordinal % database.instances.count]
            let identifier = instance.identifier
            base = AWSAttributes.rdsClusterInstance(context(identifier), &random)
            overrides = [
                ("arn", .string("arn:aws:rds:\(region):\(account):db:\(identifier)")),
                ("availability_zone", .string(instance.availabilityZone)),
                ("cluster_identifier", .string(cluster)),
                ("db_parameter_group_name", .string("default.\(family)")),
                ("db_subnet_group_name", .string("\(environment)-db-subnets")),
                ("dbi_resource_id", .string(instance.dbiResourceID)),
                ("endpoint", .string("\(identifier).\(model.rdsEndpointHash).\(region).rds.amazonaws.com")),
                ("engine", .string(engine)), ("engine_version", .string(engineVersion)),
                ("engine_version_actual", .string(engineVersion)), ("id", .string(identifier)),
                ("identifier", .string(identifier)), ("instance_class", .string(model.instanceClass)),
                // Source: count.index (writer on 0); target: tier 1 on all, so any can take over.
                ("promotion_tier", .int(isSource ? ordinal : 1)), ("writer", .bool(ordinal == 0)),
            ]

        case .sourceParameterGroup, .targetParameterGroup:
            let database = database(part)
            let name = database.parameterGroupName
            let parameters: [JSONValue] = database.parameters.map {
                .obj([("apply_method", .string($0.applyMethod)), ("name", .string($0.name)),
                      ("value", .string($0.value))])
            }
            let tags = AWSAttributes.makeTags(context(name), &random)
            base = []
            overrides = [
                ("arn", .string("arn:aws:rds:\(region):\(account):cluster-pg:\(name)")),
                ("description", .string("Custom parameter group for Aurora PostgreSQL cluster")),
                ("family", .string(family)), ("id", .string(name)), ("name", .string(name)),
                ("name_prefix", .string("")), ("parameter", .array(parameters)),
                ("tags", tags.tags), ("tags_all", tags.all),
            ]

        case .sourceRotation, .targetRotation:
            let secret = database(part).managedSecretARN
            base = []
            overrides = [
                ("id", .string(secret)), ("rotate_immediately", .bool(false)),
                ("rotation_enabled", .bool(true)), ("rotation_lambda_arn", .string("")),
                ("rotation_rules", .array([.obj([
                    ("automatically_after_days", .int(0)), ("duration", .string("")),
                    ("schedule_expression", .string(model.secretRotationWhileMigrating)),
                ])])),
                ("secret_id", .string(secret)),
            ]

        case .secretsPolicy:
            let name = "\(model.prefix)-ecs-secrets-access"
            let arn = "arn:aws:iam::\(account):policy/\(name)"
            let policyID = "ANPA" + random.alphanumeric(17)
            let tags = AWSAttributes.makeTags(context(name), &random)
            base = []
            overrides = [
                ("arn", .string(arn)), ("attachment_count", .int(1)),
                ("description", .string("Lets the ECS execution role read the target database's master secret")),
                ("id", .string(arn)), ("name", .string(name)), ("name_prefix", .string("")), ("path", .string("/")),
                ("policy", AWSAttributes.document(.obj([
                    ("Statement", .array([.obj([
                        ("Action", .strings(["secretsmanager:GetSecretValue"])), ("Effect", .string("Allow")),
                        ("Resource", .string(model.target.managedSecretARN)),
                        ("Sid", .string("TargetDatabaseSecret")),
                    ])])),
                    ("Version", .string("2012-10-17")),
                ]))),
                ("policy_id", .string(policyID)), ("tags", tags.tags), ("tags_all", tags.all),
            ]

        case .sourceEndpoint, .targetEndpoint:
            let isSource = part == .sourceEndpoint
            let type = isSource ? "source" : "target"
            let identifier = "\(model.prefix)-\(type)"
            base = AWSAttributes.dmsEndpoint(context(identifier), &random)
            overrides = [
                ("database_name", .string(model.databaseName)),
                ("endpoint_arn", .string(isSource ? model.sourceEndpointARN : model.targetEndpointARN)),
                ("endpoint_id", .string(identifier)),
                ("endpoint_type", .string(type)), ("engine_name", .string(engine)), ("id", .string(identifier)),
                ("server_name", .string(host(database(part).clusterIdentifier))),
                ("ssl_mode", .string("require")), ("username", .string(model.masterUsername)),
            ]

        case .replicationTask:
            let identifier = "\(model.prefix)-migration"
            base = AWSAttributes.dmsReplicationTask(context(identifier), &random)
            overrides = [
                ("id", .string(identifier)), ("migration_type", .string(model.migrationType)),
                ("replication_instance_arn", .string(model.replicationInstanceARN)),
                ("replication_task_arn", .string(model.replicationTaskARN)),
                ("replication_task_id", .string(identifier)),
                // Started by hand (Data Migration step 1) once the target schema is prepared.
                ("start_replication_task", .bool(false)),
                ("table_mappings", AWSAttributes.document(model.tableMappings)),
            ]
        }
        return JSONValue.sortedUnique(base + overrides)
    }

    // MARK: Configuration

    private static func constant(_ value: JSONValue) -> JSONValue { .obj([("constant_value", value)]) }
    private static func references(_ list: [String]) -> JSONValue { .obj([("references", .strings(list))]) }
    private static let tagsReferences = references(["local.common_tags", "var.environment"])

    private static func clusterReferences(_ cluster: MigrationPart, _ attribute: String) -> JSONValue {
        references(["\(address(cluster)).\(attribute)", address(cluster)])
    }

    /// The block's `expressions` as Terraform writes them: constants for literals,
    /// references (longest first) for everything computed from other objects.
    static func configExpressions(_ part: MigrationPart) -> JSONValue {
        switch part {
        case .sourceCluster, .targetCluster:
            let isSource = part == .sourceCluster
            let group: MigrationPart = isSource ? .sourceParameterGroup : .targetParameterGroup
            var expressions: [Attribute] = [
                ("backup_retention_period", constant(.int(7))),
                ("cluster_identifier", constant(.string(isSource ? sourceIdentifier : targetIdentifier))),
                ("database_name", constant(.string(model.databaseName))),
                ("db_cluster_parameter_group_name", clusterReferences(group, "name")),
                ("db_subnet_group_name", constant(.string("\(environment)-db-subnets"))),
                ("deletion_protection", constant(.bool(true))),
                ("engine", constant(.string(engine))), ("engine_version", constant(.string(engineVersion))),
                ("final_snapshot_identifier",
                 constant(.string("\(isSource ? sourceIdentifier : targetIdentifier)-final"))),
                ("master_username", constant(.string(model.masterUsername))),
                ("skip_final_snapshot", constant(.bool(false))),
                ("storage_encrypted", constant(.bool(true))), ("tags", tagsReferences),
            ]
            expressions.append(("manage_master_user_password", constant(.bool(true))))
            return .obj(expressions)

        case .sourceInstances, .targetInstances:
            let isSource = part == .sourceInstances
            let cluster: MigrationPart = isSource ? .sourceCluster : .targetCluster
            let index = isSource ? "count.index" : "each.key"
            return .obj([
                ("cluster_identifier", clusterReferences(cluster, "id")),
                ("engine", clusterReferences(cluster, "engine")),
                ("engine_version", clusterReferences(cluster, "engine_version")),
                ("identifier", references(["\(address(cluster)).cluster_identifier", address(cluster), index])),
                ("instance_class", constant(.string(model.instanceClass))),
                ("promotion_tier", isSource ? references(["count.index"]) : constant(.int(1))),
                ("tags", tagsReferences),
            ])

        case .sourceParameterGroup, .targetParameterGroup:
            return .obj([
                ("description", constant(.string("Custom parameter group for Aurora PostgreSQL cluster"))),
                ("family", constant(.string(family))),
                ("name", references(["var.environment"])),
                ("parameter", .array(database(part).parameters.map {
                    .obj([("apply_method", constant(.string($0.applyMethod))), ("name", constant(.string($0.name))),
                          ("value", constant(hclValue($0.value)))])
                })),
                ("tags", tagsReferences),
            ])

        case .sourceRotation, .targetRotation:
            return .obj([
                ("rotate_immediately", constant(.bool(false))),
                ("rotation_rules", .array([.obj([
                    ("schedule_expression", constant(.string(model.secretRotationWhileMigrating))),
                ])])),
                ("secret_id", secretReferences(part == .sourceRotation ? .sourceCluster : .targetCluster)),
            ])

        case .secretsPolicy:
            return .obj([
                ("description",
                 constant(.string("Lets the ECS execution role read the target database's master secret"))),
                ("name", references(["var.environment"])),
                ("path", constant(.string("/"))),
                ("policy", secretReferences(.targetCluster)),
                ("tags", tagsReferences),
            ])

        case .sourceEndpoint, .targetEndpoint:
            let type = part == .sourceEndpoint ? "source" : "target"
            return .obj([
                ("database_name", constant(.string(model.databaseName))),
                ("endpoint_id", references(["var.environment"])),
                ("endpoint_type", constant(.string(type))),
                ("engine_name", constant(.string(engine))),
                ("password", references(["var.db_password"])),
                ("port", constant(.int(5432))),
                ("server_name", references(["var.\(type)_host"])),
                ("ssl_mode", constant(.string("require"))),
                ("tags", tagsReferences),
                ("username", constant(.string(model.masterUsername))),
            ])

        case .replicationTask:
            return .obj([
                ("migration_type", constant(.string(model.migrationType))),
                ("replication_instance_arn", references(["var.replication_instance_arn"])),
                ("replication_task_id", references(["var.environment"])),
                ("source_endpoint_arn", references(["aws_dms_endpoint.source.endpoint_arn", "aws_dms_endpoint.source"])),
                ("start_replication_task", constant(.bool(false))),
                ("tags", tagsReferences),
                ("target_endpoint_arn", references(["aws_dms_endpoint.target.endpoint_arn", "aws_dms_endpoint.target"])),
            ])
        }
    }

    /// `aws_rds_cluster.NAME.master_user_secret[0].secret_arn`, as Terraform lists it.
    private static func secretReferences(_ cluster: MigrationPart) -> JSONValue {
        references([
            "\(address(cluster)).master_user_secret[0].secret_arn",
            "\(address(cluster)).master_user_secret[0]",
            "\(address(cluster)).master_user_secret",
            address(cluster),
        ])
    }
}
