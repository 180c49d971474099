/// Attribute builders for the AWS resource types in the synthetic plans,
/// modelled on what hashicorp/aws 5.x puts into `terraform show -json`.
///
/// Rule for every builder: all random draws happen unconditionally and in
/// the same order for every `Revision`; the revision only selects between
/// already-drawn values. That keeps `before` and `after` identical except
/// for the attributes an update actually touches.
enum AWSAttributes {
    /// One account for the whole plan: the healthy migration's.
    static let accountID = HealthyMigration.shared.account

    // MARK: Shared text pools (escapes, HTML-sensitive characters, non-ASCII)

    static let owners = [
        "platform-team", "Jürgen Müller", "データ基盤チーム", "sre & <oncall>", "team \"orders\"", "ops",
    ]
    static let descriptions = [
        "Managed by Terraform", "allow <internal> & \"vpn\" traffic", "Grüße aus Köln 🚀",
        "line one\nline two", "path C:\\data\\exports", "emoji 🎉 and tab\tseparated", "日本語の説明",
    ]

    static func makeTags(_ context: AttributeContext, _ rng: inout SplitMix64) -> (tags: JSONValue, all: JSONValue) {
        let owner = rng.pick(owners)
        let costCenter = rng.int(in: 1000...9999)
        let withDescription = rng.chance(30)
        let description = rng.pick(descriptions)
        let ticket = rng.int(in: 10000...99999)
        var tags: [Attribute] = [
            ("Name", .string(context.label)), ("Environment", .string(context.environment)),
            ("Owner", .string(owner)), ("CostCenter", .string("cc-\(costCenter)")),
        ]
        if withDescription { tags.append(("Description", .string(description))) }
        if context.changed { tags.append(("ChangeTicket", .string("CHG-\(ticket)"))) }
        let defaults: [Attribute] = [("ManagedBy", .string("terraform")), ("Repository", .string("github.com/acme/infra"))]
        return (.obj(tags), .obj(tags + defaults))
    }

    static func kmsKeyARN(_ context: AttributeContext, _ rng: inout SplitMix64) -> String {
        "arn:aws:kms:\(context.region):\(accountID):key/\(rng.hex(8))-\(rng.hex(4))-\(rng.hex(4))-\(rng.hex(4))-\(rng.hex(12))"
    }

    /// Go-style compact JSON text of a document, e.g. for IAM policies.
    static func document(_ value: JSONValue) -> JSONValue {
        .string(ByteSink.jsonText(value))
    }

    static func policyDocument(_ context: AttributeContext, statements: Int, _ rng: inout SplitMix64) -> JSONValue {
        let services = ["s3", "dynamodb", "sqs", "kms", "rds", "secretsmanager", "logs"]
        let verbs = ["Get", "Put", "List", "Describe", "Delete", "Create", "Update"]
        var list: [JSONValue] = []
        for index in 0..<statements {
            let service = rng.pick(services)
            let actionCount = rng.int(in: 1...5)
            let actions = (0..<actionCount).map { "\(service):\(verbs[($0 + index) % verbs.count])*" }
            let effect = rng.chance(90) ? "Allow" : "Deny"
            let withCondition = rng.chance(40)
            let conditionValue = rng.pick(["data & <ml>", "team \"orders\"", "Grüße", "ops"])
            var statement: [Attribute] = [
                ("Sid", .string("Stmt\(index)")),
                ("Effect", .string(effect)),
                ("Action", .strings(context.changed && index == 0 ? actions + ["\(service):Tag*"] : actions)),
                ("Resource", .strings([
                    "arn:aws:\(service):\(context.region):\(accountID):\(context.label)/*",
                    "arn:aws:\(service):\(context.region):\(accountID):\(context.label)",
                ])),
            ]
            if withCondition {
                statement.append(("Condition", .obj([
                    ("StringEquals", .obj([("aws:PrincipalTag/team", .string(conditionValue))])),
                ])))
            }
            list.append(.obj(statement))
        }
        return document(.obj([("Version", .string("2012-10-17")), ("Statement", .array(list))]))
    }

    /// One ECS/Lambda environment value; many kinds of escaping on purpose.
    static func environmentEntry(_ index: Int, _ rng: inout SplitMix64) -> (name: String, value: String) {
        let variant = rng.int(12)
        let token = rng.hex(24)
        switch variant {
        case 0: return ("GREETING_\(index)", "Grüße 日本語 🚀")
        case 1: return ("HTML_TEMPLATE_\(index)",
                        "<div class=\"banner\">Hello & welcome, <b>\(token.prefix(6))</b></div>")
        case 2: return ("MULTILINE_\(index)", "first line\nsecond\tline\r\nthird \"quoted\" line")
        case 3: return ("JSON_CONFIG_\(index)",
                        "{\"retries\":3,\"backoff\":\"1.5e3ms\",\"nested\":{\"ok\":true,\"ratio\":-0.25}}")
        case 4: return ("WINDOWS_PATH_\(index)", "C:\\Program Files\\Acme\\bin\\app.exe")
        case 5: return ("HOST_REGEX_\(index)", "^(?:[a-z0-9-]+\\.)+example\\.com$")
        case 6: return ("SEPARATOR_\(index)", "para\u{2028}graph\u{2029}end")
        case 7: return ("ANSI_\(index)", "\u{1B}[1mbold\u{1B}[0m bell\u{07}")
        case 8: return ("DATABASE_URL_\(index)",
                        "postgres://app:\(token)@db.internal:5432/app?sslmode=require&application_name=orders")
        default: return ("TOKEN_\(index)", token)
        }
    }

    // MARK: Resource types

    static func s3Bucket(_ c: AttributeContext, _ rng: inout SplitMix64) -> [Attribute] {
        let bucket = "\(c.label)-\(rng.hex(6))"
        let tags = makeTags(c, &rng)
        let versioning = rng.chance(50)
        let kms = rng.chance(70)
        let kmsKey = kmsKeyARN(c, &rng)
        let canonicalID = rng.hex(64)
        let hasLifecycle = rng.chance(40)
        let expirationDays = rng.int(in: 30...365)
        let lifecycle: [JSONValue] = hasLifecycle ? [.obj([
            ("abort_incomplete_multipart_upload_days", .int(7)), ("enabled", .bool(true)),
            ("expiration", .array([.obj([("date", .string("")), ("days", .int(expirationDays)),
                                         ("expired_object_delete_marker", .bool(false))])])),
            ("id", .string("expire-old-objects")), ("noncurrent_version_expiration", .array([])),
            ("noncurrent_version_transition", .array([])), ("prefix", .string("logs/")), ("tags", .obj([])),
            ("transition", .array([.obj([("date", .string("")), ("days", .int(30)),
                                         ("storage_class", .string("STANDARD_IA"))])])),
        ])] : []
        return [
            ("acceleration_status", .string("")), ("acl", .null), ("arn", .string("arn:aws:s3:::\(bucket)")),
            ("bucket", .string(bucket)), ("bucket_domain_name", .string("\(bucket).s3.amazonaws.com")),
            ("bucket_prefix", .string("")),
            ("bucket_regional_domain_name", .string("\(bucket).s3.\(c.region).amazonaws.com")),
            ("cors_rule", .array([])), ("force_destroy", .bool(false)),
            ("grant", .array([.obj([("id", .string(canonicalID)), ("permissions", .strings(["FULL_CONTROL"])),
                                    ("type", .string("CanonicalUser")), ("uri", .string(""))])])),
            ("hosted_zone_id", .string("Z21DNDUVLTQW6Q")), ("id", .string(bucket)),
            ("lifecycle_rule", .array(lifecycle)), ("logging", .array([])),
            ("object_lock_configuration", .array([])), ("object_lock_enabled", .bool(false)),
            ("policy", .string("")), ("region", .string(c.region)), ("replication_configuration", .array([])),
            ("request_payer", .string("BucketOwner")),
            ("server_side_encryption_configuration", .array([.obj([("rule", .array([.obj([
                ("apply_server_side_encryption_by_default", .array([.obj([
                    ("kms_master_key_id", .string(kms ? kmsKey : "")),
                    ("sse_algorithm", .string(kms ? "aws:kms" : "AES256")),
                ])])),
                ("bucket_key_enabled", .bool(kms)),
            ])]))])])),
            ("tags", tags.tags), ("tags_all", tags.all), ("timeouts", .null),
            ("versioning", .array([.obj([("enabled", .bool(c.changed ? !versioning : versioning)),
                                         ("mfa_delete", .bool(false))])])),
            ("website", .array([])), ("website_domain", .null), ("website_endpoint", .null),
        ]
    }

    static func iamPolicy(_ c: AttributeContext, _ rng: inout SplitMix64) -> [Attribute] {
        let name = "\(c.label)-policy"
        let arn = "arn:aws:iam::\(accountID):policy/service/\(name)"
        let policy = policyDocument(c, statements: rng.int(in: 1...4), &rng)
        let attachments = rng.int(in: 0...3)
        let description = rng.pick(descriptions)
        let policyID = "ANPA" + rng.alphanumeric(17)
        let tags = makeTags(c, &rng)
        return [
            ("arn", .string(arn)), ("attachment_count", .int(attachments)), ("description", .string(description)),
            ("id", .string(arn)), ("name", .string(name)), ("name_prefix", .string("")),
            ("path", .string("/service/")), ("policy", policy), ("policy_id", .string(policyID)),
            ("tags", tags.tags), ("tags_all", tags.all),
        ]
    }

    static func iamRole(_ c: AttributeContext, _ rng: inout SplitMix64) -> [Attribute] {
        let name = "\(c.label)-role"
        let principal = rng.pick(["ecs-tasks.amazonaws.com", "lambda.amazonaws.com", "dms.amazonaws.com"])
        let assume = document(.obj([
            ("Version", .string("2012-10-17")),
            ("Statement", .array([.obj([("Action", .string("sts:AssumeRole")), ("Effect", .string("Allow")),
                                        ("Principal", .obj([("Service", .string(principal))]))])])),
        ]))
        let inlineCount = rng.int(in: 0...2)
        var inline: [JSONValue] = []
        for index in 0..<inlineCount {
            inline.append(.obj([("name", .string("inline-\(index)")),
                                ("policy", policyDocument(c, statements: rng.int(in: 1...2), &rng))]))
        }
        let managed = ["ReadOnlyAccess", "CloudWatchAgentServerPolicy", "AmazonSSMManagedInstanceCore"]
        let managedCount = rng.int(in: 1...3)
        let sessions = rng.pick([3600, 7200, 43200])
        let month = rng.int(in: 1...9), day = rng.int(in: 10...28)
        let uniqueID = "AROA" + rng.alphanumeric(17)
        let description = rng.pick(descriptions)
        let tags = makeTags(c, &rng)
        return [
            ("arn", .string("arn:aws:iam::\(accountID):role/\(name)")), ("assume_role_policy", assume),
            ("create_date", .string("2023-0\(month)-\(day)T08:15:30Z")), ("description", .string(description)),
            ("force_detach_policies", .bool(false)), ("id", .string(name)), ("inline_policy", .array(inline)),
            ("managed_policy_arns", .strings(managed.prefix(managedCount).map { "arn:aws:iam::aws:policy/\($0)" })),
            ("max_session_duration", .int(c.changed ? sessions * 2 : sessions)), ("name", .string(name)),
            ("name_prefix", .string("")), ("path", .string("/")), ("permissions_boundary", .null),
            ("tags", tags.tags), ("tags_all", tags.all), ("unique_id", .string(uniqueID)),
        ]
    }

    static func securityGroup(_ c: AttributeContext, _ rng: inout SplitMix64) -> [Attribute] {
        let name = "\(c.label)-sg"
        let groupID = "sg-" + rng.hex(17)
        let vpcID = "vpc-" + rng.hex(17)
        let ruleDescriptions = ["HTTPS from \"office\" <vpn>", "postgres & replication", "Grüße-Netz", "", "ICMP ping"]
        let ruleCount = rng.int(in: 1...6)
        var rules: [JSONValue] = []
        for index in 0...ruleCount { // one extra rule, only present after an update
            let icmp = rng.chance(15)
            let port = rng.pick([22, 80, 443, 5432, 3306, 6379, 8080, 9090])
            let cidrCount = rng.int(in: 1...3)
            var cidrs: [String] = []
            for _ in 0..<cidrCount { cidrs.append("10.\(rng.int(256)).\(rng.int(256)).0/24") }
            let peerCount = rng.int(in: 0...2)
            var peers: [String] = []
            for _ in 0..<peerCount { peers.append("sg-" + rng.hex(17)) }
            let description = rng.pick(ruleDescriptions)
            if index == ruleCount && !c.changed { continue }
            rules.append(.obj([
                ("cidr_blocks", .strings(cidrs)), ("description", .string(description)),
                ("from_port", .int(icmp ? -1 : port)), ("ipv6_cidr_blocks", .array([])),
                ("prefix_list_ids", .array([])), ("protocol", .string(icmp ? "icmp" : "tcp")),
                ("security_groups", .strings(peers)), ("self", .bool(false)), ("to_port", .int(icmp ? -1 : port)),
            ]))
        }
        let description = rng.pick(descriptions)
        let tags = makeTags(c, &rng)
        return [
            ("arn", .string("arn:aws:ec2:\(c.region):\(accountID):security-group/\(groupID)")),
            ("description", .string(description)),
            ("egress", .array([.obj([
                ("cidr_blocks", .strings(["0.0.0.0/0"])), ("description", .string("")), ("from_port", .int(0)),
                ("ipv6_cidr_blocks", .strings(["::/0"])), ("prefix_list_ids", .array([])),
                ("protocol", .string("-1")), ("security_groups", .array([])), ("self", .bool(false)),
                ("to_port", .int(0)),
            ])])),
            ("id", .string(groupID)), ("ingress", .array(rules)), ("name", .string(name)),
            ("name_prefix", .string("")), ("owner_id", .string(accountID)), ("revoke_rules_on_delete", .bool(false)),
            ("tags", tags.tags), ("tags_all", tags.all), ("timeouts", .null), ("vpc_id", .string(vpcID)),
        ]
    }

    /// `container_definitions` is a JSON document stored as a string: after
    /// two rounds of escaping it is full of `\"`, `\\n` and `\\u003c`.
    static func containerDefinitions(_ c: AttributeContext, _ rng: inout SplitMix64) -> JSONValue {
        let containerCount = rng.int(in: 1...3)
        var containers: [JSONValue] = []
        for index in 0..<containerCount {
            let name = index == 0 ? "app" : rng.pick(["envoy", "datadog-agent", "log-router", "otel-collector"])
            let minor = rng.int(in: 0...9), patch = rng.int(in: 0...40)
            let image = "\(accountID).dkr.ecr.\(c.region).amazonaws.com/\(c.label)/\(name):v1.\(minor).\(c.changed ? patch + 1 : patch)"
            let cpu = rng.pick([128, 256, 512])
            let memory = rng.pick([256, 512, 1024])
            let port = rng.pick([80, 3000, 8080, 9000])
            let environmentCount = rng.int(in: 4...24)
            var environment: [JSONValue] = []
            for entry in 0..<environmentCount {
                let (key, value) = environmentEntry(entry, &rng)
                environment.append(.obj([("name", .string(key)), ("value", .string(value))]))
            }
            let secretCount = rng.int(in: 0...3)
            var secrets: [JSONValue] = []
            for secret in 0..<secretCount {
                secrets.append(.obj([
                    ("name", .string("SECRET_\(secret)")),
                    ("valueFrom", .string("arn:aws:secretsmanager:\(c.region):\(accountID):secret:\(c.label)/s\(secret)-\(rng.alphanumeric(6))")),
                ]))
            }
            containers.append(.obj([
                ("command", .strings(["sh", "-c",
                                      "echo \"starting \(name)\" && exec /app/bin/server --port=\(port) --config='/etc/app/config.json'\n"])),
                ("cpu", .int(cpu)), ("environment", .array(environment)), ("essential", .bool(index == 0)),
                ("healthCheck", .obj([
                    ("command", .strings(["CMD-SHELL", "curl -fsS http://localhost:\(port)/health || exit 1"])),
                    ("interval", .int(30)), ("retries", .int(3)), ("startPeriod", .int(10)), ("timeout", .int(5)),
                ])),
                ("image", .string(image)),
                ("logConfiguration", .obj([
                    ("logDriver", .string("awslogs")),
                    ("options", .obj([("awslogs-group", .string("/ecs/\(c.label)")),
                                      ("awslogs-region", .string(c.region)),
                                      ("awslogs-stream-prefix", .string(name))])),
                    ("secretOptions", .array([])),
                ])),
                ("memory", .int(memory)), ("mountPoints", .array([])), ("name", .string(name)),
                ("portMappings", .array([.obj([("containerPort", .int(port)), ("hostPort", .int(port)),
                                               ("protocol", .string("tcp"))])])),
                ("secrets", .array(secrets)), ("systemControls", .array([])),
                ("ulimits", .array([.obj([("hardLimit", .int(65536)), ("name", .string("nofile")),
                                          ("softLimit", .int(65536))])])),
                ("volumesFrom", .array([])),
            ]))
        }
        return document(.array(containers))
    }

    static func ecsTaskDefinition(_ c: AttributeContext, _ rng: inout SplitMix64) -> [Attribute] {
        let family = "\(c.label)-task"
        let revisionNumber = rng.int(in: 1...300)
        let containers = containerDefinitions(c, &rng)
        let cpu = rng.pick(["256", "512", "1024", "2048"])
        let memory = rng.pick(["512", "1024", "2048", "4096"])
        let arm = rng.chance(50)
        let hasVolume = rng.chance(30)
        let fileSystem = "fs-" + rng.hex(8), accessPoint = "fsap-" + rng.hex(17)
        let tags = makeTags(c, &rng)
        let arnBase = "arn:aws:ecs:\(c.region):\(accountID):task-definition/\(family)"
        let volumes: [JSONValue] = hasVolume ? [.obj([
            ("configure_at_launch", .bool(false)), ("docker_volume_configuration", .array([])),
            ("efs_volume_configuration", .array([.obj([
                ("authorization_config", .array([.obj([("access_point_id", .string(accessPoint)),
                                                       ("iam", .string("ENABLED"))])])),
                ("file_system_id", .string(fileSystem)), ("root_directory", .string("/")),
                ("transit_encryption", .string("ENABLED")), ("transit_encryption_port", .int(0)),
            ])])),
            ("fsx_windows_file_server_volume_configuration", .array([])), ("host_path", .string("")),
            ("name", .string("data")),
        ])] : []
        return [
            ("arn", .string("\(arnBase):\(revisionNumber)")), ("arn_without_revision", .string(arnBase)),
            ("container_definitions", containers), ("cpu", .string(cpu)), ("ephemeral_storage", .array([])),
            ("execution_role_arn", .string("arn:aws:iam::\(accountID):role/\(c.label)-execution")),
            ("family", .string(family)), ("id", .string(family)), ("inference_accelerator", .array([])),
            ("ipc_mode", .null), ("memory", .string(memory)), ("network_mode", .string("awsvpc")), ("pid_mode", .null),
            ("placement_constraints", .array([])), ("proxy_configuration", .array([])),
            ("requires_compatibilities", .strings(["FARGATE"])), ("revision", .int(revisionNumber)),
            ("runtime_platform", .array([.obj([("cpu_architecture", .string(arm ? "ARM64" : "X86_64")),
                                               ("operating_system_family", .string("LINUX"))])])),
            ("skip_destroy", .bool(false)), ("tags", tags.tags), ("tags_all", tags.all),
            ("task_role_arn", .string("arn:aws:iam::\(accountID):role/\(c.label)-task")),
            ("track_latest", .bool(false)), ("volume", .array(volumes)),
        ]
    }

    static func lambdaFunction(_ c: AttributeContext, _ rng: inout SplitMix64) -> [Attribute] {
        let name = "\(c.label)-fn"
        let arn = "arn:aws:lambda:\(c.region):\(accountID):function:\(name)"
        let runtime = rng.pick(["nodejs20.x", "python3.12", "java21", "provided.al2023"])
        let memory = rng.pick([128, 256, 512, 1024, 3008])
        let timeout = rng.int(in: 3...900)
        let unreserved = rng.chance(70)
        let reserved = rng.int(in: 1...100)
        let oldHash = rng.base64(43), newHash = rng.base64(43)
        let codeSize = rng.int(in: 1000...50_000_000)
        let variableCount = rng.int(in: 2...10)
        var variables: [Attribute] = []
        for index in 0..<variableCount {
            let (key, value) = environmentEntry(index, &rng)
            variables.append((key, .string(value)))
        }
        let subnets = (0..<3).map { _ in "subnet-" + rng.hex(17) }
        let securityGroup = "sg-" + rng.hex(17), vpc = "vpc-" + rng.hex(17)
        let month = rng.int(in: 1...9), day = rng.int(in: 10...28), hour = rng.int(in: 10...23)
        let description = rng.pick(descriptions)
        let tags = makeTags(c, &rng)
        let hash = c.changed ? newHash : oldHash
        return [
            ("architectures", .strings([rng.chance(50) ? "arm64" : "x86_64"])), ("arn", .string(arn)),
            ("code_sha256", .string(hash)), ("code_signing_config_arn", .string("")),
            ("dead_letter_config", .array([])), ("description", .string(description)),
            ("environment", .array([.obj([("variables", .obj(variables))])])),
            ("ephemeral_storage", .array([.obj([("size", .int(512))])])), ("file_system_config", .array([])),
            ("filename", .null), ("function_name", .string(name)), ("handler", .string("index.handler")),
            ("id", .string(name)), ("image_config", .array([])), ("image_uri", .string("")),
            ("invoke_arn", .string("arn:aws:apigateway:\(c.region):lambda:path/2015-03-31/functions/\(arn)/invocations")),
            ("kms_key_arn", .string("")), ("last_modified", .string("2024-0\(month)-\(day)T\(hour):12:33.000+0000")),
            ("layers", .array([])),
            ("logging_config", .array([.obj([("application_log_level", .string("")), ("log_format", .string("Text")),
                                             ("log_group", .string("/aws/lambda/\(name)")),
                                             ("system_log_level", .string(""))])])),
            ("memory_size", .int(memory)), ("package_type", .string("Zip")), ("publish", .bool(false)),
            ("qualified_arn", .string("\(arn):$LATEST")),
            ("qualified_invoke_arn", .string("arn:aws:apigateway:\(c.region):lambda:path/2015-03-31/functions/\(arn):$LATEST/invocations")),
            ("replace_security_groups_on_destroy", .null), ("replacement_security_group_ids", .null),
            ("reserved_concurrent_executions", .int(unreserved ? -1 : reserved)), // -1 = unreserved
            ("role", .string("arn:aws:iam::\(accountID):role/\(c.label)-lambda")), ("runtime", .string(runtime)),
            ("s3_bucket", .string("artifacts-\(accountID)-\(c.region)")),
            ("s3_key", .string("lambda/\(name)/\(hash.prefix(8)).zip")), ("s3_object_version", .null),
            ("signing_job_arn", .string("")), ("signing_profile_version_arn", .string("")),
            ("skip_destroy", .bool(false)), ("snap_start", .array([])), ("source_code_hash", .string(hash)),
            ("source_code_size", .int(codeSize)), ("tags", tags.tags), ("tags_all", tags.all),
            ("timeout", .int(timeout)), ("timeouts", .null),
            ("tracing_config", .array([.obj([("mode", .string("PassThrough"))])])), ("version", .string("$LATEST")),
            ("vpc_config", .array([.obj([("ipv6_allowed_for_dual_stack", .bool(false)),
                                         ("security_group_ids", .strings([securityGroup])),
                                         ("subnet_ids", .strings(subnets)), ("vpc_id", .string(vpc))])])),
        ]
    }

    static let engineVersions = ["14.9", "15.4", "15.5", "16.1", "16.2"]

    static func rdsCluster(_ c: AttributeContext, _ rng: inout SplitMix64) -> [Attribute] {
        let identifier = "\(c.label)-aurora"
        let versionIndex = rng.int(engineVersions.count - 1)
        let engineVersion = engineVersions[c.changed ? versionIndex + 1 : versionIndex]
        let password = rng.pick(["s3cr3t-\"quoted\"-pässwörd-", "p@ss<w>rd&", "back\\slash\\", "🔑-"]) + rng.hex(8)
        let memberCount = rng.int(in: 1...3)
        let resourceID = "cluster-" + rng.alphanumeric(26)
        let endpointToken = rng.hex(12)
        let kmsKey = kmsKeyARN(c, &rng)
        let backup = rng.int(in: 1...35)
        let minCapacity = rng.pick(["0.5", "1", "2.5"]), maxCapacity = rng.pick(["16", "64", "128", "1.28e2"])
        let securityGroups = (0..<rng.int(in: 1...2)).map { _ in "sg-" + rng.hex(17) }
        let tags = makeTags(c, &rng)
        return [
            ("allocated_storage", .int(0)), ("allow_major_version_upgrade", .null), ("apply_immediately", .null),
            ("arn", .string("arn:aws:rds:\(c.region):\(accountID):cluster:\(identifier)")),
            ("availability_zones", .strings(["\(c.region)a", "\(c.region)b", "\(c.region)c"])),
            ("backtrack_window", .int(0)), ("backup_retention_period", .int(backup)),
            ("cluster_identifier", .string(identifier)), ("cluster_identifier_prefix", .string("")),
            ("cluster_members", .strings((0..<memberCount).map { "\(identifier)-\($0)" })),
            ("cluster_resource_id", .string(resourceID)), ("copy_tags_to_snapshot", .bool(true)),
            ("database_name", .string("app")), ("db_cluster_instance_class", .string("")),
            ("db_cluster_parameter_group_name", .string("\(c.label)-params")),
            ("db_instance_parameter_group_name", .null), ("db_subnet_group_name", .string("\(c.label)-subnets")),
            ("delete_automated_backups", .bool(true)), ("deletion_protection", .bool(true)),
            ("enabled_cloudwatch_logs_exports", .strings(["postgresql"])),
            ("endpoint", .string("\(identifier).cluster-\(endpointToken).\(c.region).rds.amazonaws.com")),
            ("engine", .string("aurora-postgresql")), ("engine_mode", .string("provisioned")),
            ("engine_version", .string(engineVersion)), ("engine_version_actual", .string(engineVersion)),
            ("final_snapshot_identifier", .string("\(identifier)-final")), ("global_cluster_identifier", .string("")),
            ("hosted_zone_id", .string("Z1RLNUO7B9Q6NB")), ("iam_database_authentication_enabled", .bool(false)),
            ("iam_roles", .array([])), ("id", .string(identifier)), ("iops", .int(0)), ("kms_key_id", .string(kmsKey)),
            ("manage_master_user_password", .null), ("master_password", .string(password)),
            ("master_user_secret", .array([])), ("master_user_secret_kms_key_id", .null),
            ("master_username", .string("admin")), ("network_type", .string("IPV4")), ("port", .int(5432)),
            ("preferred_backup_window", .string("02:00-03:00")),
            ("preferred_maintenance_window", .string("sun:04:00-sun:05:00")),
            ("reader_endpoint", .string("\(identifier).cluster-ro-\(endpointToken).\(c.region).rds.amazonaws.com")),
            ("replication_source_identifier", .string("")), ("restore_to_point_in_time", .array([])),
            ("s3_import", .array([])), ("scaling_configuration", .array([])),
            ("serverlessv2_scaling_configuration", .array([.obj([("max_capacity", .number(maxCapacity)),
                                                                 ("min_capacity", .number(minCapacity))])])),
            ("skip_final_snapshot", .bool(false)), ("snapshot_identifier", .null), ("source_region", .null),
            ("storage_encrypted", .bool(true)), ("storage_type", .string("")), ("tags", tags.tags),
            ("tags_all", tags.all), ("timeouts", .null), ("vpc_security_group_ids", .strings(securityGroups)),
        ]
    }

    static func rdsClusterInstance(_ c: AttributeContext, _ rng: inout SplitMix64) -> [Attribute] {
        let identifier = "\(c.label)-instance"
        let zone = rng.pick(["a", "b", "c"])
        let resourceID = "db-" + rng.alphanumeric(26)
        let endpointToken = rng.hex(12)
        let versionIndex = rng.int(engineVersions.count - 1)
        let classIndex = rng.int(3)
        let classes = ["db.r6g.large", "db.r6g.xlarge", "db.r6g.2xlarge", "db.r6g.4xlarge"]
        let monitoring = rng.pick([0, 15, 60])
        let insights = rng.chance(60)
        let kmsKey = kmsKeyARN(c, &rng)
        let tier = rng.int(in: 0...15)
        let writer = rng.chance(40)
        let tags = makeTags(c, &rng)
        let version = engineVersions[versionIndex]
        return [
            ("apply_immediately", .null),
            ("arn", .string("arn:aws:rds:\(c.region):\(accountID):db:\(identifier)")),
            ("auto_minor_version_upgrade", .bool(true)), ("availability_zone", .string("\(c.region)\(zone)")),
            ("ca_cert_identifier", .string("rds-ca-rsa2048-g1")), ("cluster_identifier", .string("\(c.label)-aurora")),
            ("copy_tags_to_snapshot", .bool(false)), ("custom_iam_instance_profile", .string("")),
            ("db_parameter_group_name", .string("default.aurora-postgresql15")),
            ("db_subnet_group_name", .string("\(c.label)-subnets")), ("dbi_resource_id", .string(resourceID)),
            ("endpoint", .string("\(identifier).\(endpointToken).\(c.region).rds.amazonaws.com")),
            ("engine", .string("aurora-postgresql")), ("engine_version", .string(version)),
            ("engine_version_actual", .string(version)), ("id", .string(identifier)),
            ("identifier", .string(identifier)), ("identifier_prefix", .string("")),
            ("instance_class", .string(classes[c.changed ? classIndex + 1 : classIndex])),
            ("kms_key_id", .string(kmsKey)), ("monitoring_interval", .int(monitoring)),
            ("monitoring_role_arn", .string(monitoring == 0 ? "" : "arn:aws:iam::\(accountID):role/rds-monitoring")),
            ("network_type", .string("IPV4")), ("performance_insights_enabled", .bool(insights)),
            ("performance_insights_kms_key_id", .string(insights ? kmsKey : "")),
            ("performance_insights_retention_period", .int(insights ? 7 : 0)), ("port", .int(5432)),
            ("preferred_backup_window", .string("02:00-03:00")),
            ("preferred_maintenance_window", .string("sun:04:00-sun:05:00")), ("promotion_tier", .int(tier)),
            ("publicly_accessible", .bool(false)), ("storage_encrypted", .bool(true)), ("tags", tags.tags),
            ("tags_all", tags.all), ("timeouts", .null), ("writer", .bool(writer)),
        ]
    }

    static func rdsClusterParameterGroup(_ c: AttributeContext, _ rng: inout SplitMix64) -> [Attribute] {
        let name = "\(c.label)-params"
        let family = rng.pick(["aurora-postgresql14", "aurora-postgresql15", "aurora-postgresql16"])
        let slowQuery = rng.int(in: 100...5000), walSenders = rng.int(in: 10...40)
        let catalog: [(name: String, value: String, method: String)] = [
            ("log_min_duration_statement", "\(slowQuery)", "immediate"),
            // Off: a random group turning it on would mark its cluster as a migration source.
            ("rds.logical_replication", "0", "pending-reboot"),
            ("shared_preload_libraries", "pg_stat_statements,pglogical", "pending-reboot"),
            ("max_wal_senders", "\(walSenders)", "pending-reboot"),
            ("wal_sender_timeout", "0", "immediate"),
            ("timezone", "Europe/Berlin", "immediate"),
            ("search_path", "\"$user\", public", "immediate"),
            ("application_name", "migcheck <bench> & co", "immediate"),
            ("work_mem", "65536", "immediate"),
            ("random_page_cost", "1.1", "immediate"),
        ]
        let count = rng.int(in: 3...catalog.count)
        var parameters: [JSONValue] = []
        for (index, parameter) in catalog.prefix(count).enumerated() {
            let value = index == 0 && c.changed ? parameter.value + "0" : parameter.value
            parameters.append(.obj([("apply_method", .string(parameter.method)), ("name", .string(parameter.name)),
                                    ("value", .string(value))]))
        }
        let tags = makeTags(c, &rng)
        return [
            ("arn", .string("arn:aws:rds:\(c.region):\(accountID):cluster-pg:\(name)")),
            ("description", .string("Aurora parameters for \(c.label) – Grüße")), ("family", .string(family)),
            ("id", .string(name)), ("name", .string(name)), ("name_prefix", .string("")),
            ("parameter", .array(parameters)), ("tags", tags.tags), ("tags_all", tags.all),
        ]
    }

    static func dmsEndpoint(_ c: AttributeContext, _ rng: inout SplitMix64) -> [Attribute] {
        let isSource = rng.chance(50)
        let endpointID = "\(c.label)-\(isSource ? "source" : "target")"
        let engine = rng.pick(["aurora-postgresql", "postgres", "mysql", "aurora"])
        let arnToken = rng.alphanumeric(26)
        let password = rng.pick(["dms-\"pw\"-", "p&ss<>", "ü-secret-"]) + rng.hex(10)
        let kmsKey = kmsKeyARN(c, &rng)
        let heartbeat = rng.int(in: 1...10)
        let sslMode = rng.pick(["require", "verify-full", "none"])
        let tags = makeTags(c, &rng)
        return [
            ("certificate_arn", .string("")), ("database_name", .string("app")),
            ("elasticsearch_settings", .array([])),
            ("endpoint_arn", .string("arn:aws:dms:\(c.region):\(accountID):endpoint:\(arnToken)")),
            ("endpoint_id", .string(endpointID)), ("endpoint_type", .string(isSource ? "source" : "target")),
            ("engine_name", .string(engine)),
            ("extra_connection_attributes", .string("heartbeatEnable=true;heartbeatFrequency=\(heartbeat);")),
            ("id", .string(endpointID)), ("kafka_settings", .array([])), ("kinesis_settings", .array([])),
            ("kms_key_arn", .string(kmsKey)), ("mongodb_settings", .array([])), ("password", .string(password)),
            ("pause_replication_tasks", .null), ("port", .int(5432)),
            ("postgres_settings", .array([.obj([
                ("after_connect_script", .string("SET search_path TO \"app\", public;")),
                ("babelfish_database_name", .string("")), ("capture_ddls", .bool(true)),
                ("database_mode", .string("")), ("ddl_artifacts_schema", .string("public")),
                ("execute_timeout", .int(60)), ("fail_tasks_on_lob_truncation", .bool(false)),
                ("heartbeat_enable", .bool(true)), ("heartbeat_frequency", .int(c.changed ? heartbeat + 5 : heartbeat)),
                ("heartbeat_schema", .string("")), ("map_boolean_as_boolean", .bool(false)),
                ("map_jsonb_as_clob", .bool(false)), ("map_long_varchar_as", .string("wstring")),
                ("max_file_size", .int(32768)), ("plugin_name", .string("pglogical")),
                ("slot_name", .string("dms_slot_\(heartbeat)")),
            ])])),
            ("redis_settings", .array([])), ("redshift_settings", .array([])), ("s3_settings", .array([])),
            ("secrets_manager_access_role_arn", .string("")), ("secrets_manager_arn", .string("")),
            // Outside AWS on purpose: only the migration's two endpoints (MigrationScenario) may
            // point at a cluster of the plan, or migcheck could not tell source from target.
            ("server_name", .string("\(c.label).onprem-db-\(arnToken.prefix(4)).internal.example.com")),
            ("service_access_role", .string("")), ("ssl_mode", .string(sslMode)), ("tags", tags.tags),
            ("tags_all", tags.all), ("username", .string("dms_user")),
        ]
    }

    static func dmsReplicationTask(_ c: AttributeContext, _ rng: inout SplitMix64) -> [Attribute] {
        let taskID = "\(c.label)-replication"
        let migrationType = rng.pick(["full-load", "cdc", "full-load-and-cdc"])
        let ruleCount = rng.int(in: 1...8)
        var rules: [JSONValue] = []
        for index in 0..<ruleCount {
            let schema = rng.pick(["public", "sales", "legacy", "audit\"log", "日本"])
            let transform = rng.chance(30)
            if transform {
                rules.append(.obj([
                    ("rule-type", .string("transformation")), ("rule-id", .string("\(index + 1)")),
                    ("rule-name", .string("rename-\(index)")), ("rule-target", .string("schema")),
                    ("object-locator", .obj([("schema-name", .string(schema))])),
                    ("rule-action", .string("rename")), ("value", .string("app")),
                ]))
            } else {
                rules.append(.obj([
                    ("rule-type", .string("selection")), ("rule-id", .string("\(index + 1)")),
                    ("rule-name", .string("include-\(index)")),
                    ("object-locator", .obj([("schema-name", .string(schema)), ("table-name", .string("%"))])),
                    ("rule-action", .string("include")), ("filters", .array([])),
                ]))
            }
        }
        let subTasks = rng.int(in: 1...16)
        let commitRate = rng.pick([10000, 50000, 100000])
        let memoryLimit = rng.int(in: 256...2048)
        let settings = document(.obj([
            ("BeforeImageSettings", .null),
            ("ChangeProcessingDdlHandlingPolicy", .obj([("HandleSourceTableAltered", .bool(true)),
                                                        ("HandleSourceTableDropped", .bool(true)),
                                                        ("HandleSourceTableTruncated", .bool(true))])),
            ("ChangeProcessingTuning", .obj([
                ("BatchApplyMemoryLimit", .int(500)), ("BatchApplyPreserveTransaction", .bool(true)),
                ("BatchApplyTimeoutMax", .int(30)), ("BatchApplyTimeoutMin", .int(1)), ("BatchSplitSize", .int(0)),
                ("CommitTimeout", .int(1)), ("MemoryKeepTime", .int(60)), ("MemoryLimitTotal", .int(memoryLimit)),
                ("MinTransactionSize", .int(1000)), ("StatementCacheSize", .int(50)),
            ])),
            ("CharacterSetSettings", .null),
            ("ErrorBehavior", .obj([
                ("ApplyErrorDeletePolicy", .string("IGNORE_RECORD")), ("DataErrorEscalationCount", .int(0)),
                ("DataErrorPolicy", .string("LOG_ERROR")), ("RecoverableErrorCount", .int(-1)),
                ("RecoverableErrorInterval", .int(5)), ("RecoverableErrorThrottling", .bool(true)),
                ("RecoverableErrorThrottlingMax", .int(1800)), ("TableErrorPolicy", .string("SUSPEND_TABLE")),
            ])),
            ("FullLoadSettings", .obj([
                ("CommitRate", .int(commitRate)), ("CreatePkAfterFullLoad", .bool(false)),
                ("MaxFullLoadSubTasks", .int(c.changed ? subTasks + 8 : subTasks)),
                ("TargetTablePrepMode", .string("DO_NOTHING")), ("TransactionConsistencyTimeout", .int(600)),
            ])),
            ("Logging", .obj([
                ("EnableLogging", .bool(true)),
                ("LogComponents", .array(["SOURCE_UNLOAD", "TARGET_LOAD", "TRANSFORMATION", "SOURCE_CAPTURE"].map {
                    .obj([("Id", .string($0)), ("Severity", .string("LOGGER_SEVERITY_DEFAULT"))])
                })),
            ])),
            ("TargetMetadata", .obj([
                ("BatchApplyEnabled", .bool(false)), ("FullLobMode", .bool(false)),
                ("LimitedSizeLobMode", .bool(true)), ("LobChunkSize", .int(64)), ("LobMaxSize", .int(32)),
                ("ParallelLoadThreads", .int(0)), ("SupportLobs", .bool(true)), ("TargetSchema", .string("")),
            ])),
            ("ValidationSettings", .obj([
                ("EnableValidation", .bool(true)), ("FailureMaxCount", .int(10000)), ("PartitionSize", .int(10000)),
                ("ThreadCount", .int(5)), ("ValidationMode", .string("ROW_LEVEL")),
            ])),
        ]))
        let taskARN = "arn:aws:dms:\(c.region):\(accountID):task:" + rng.alphanumeric(26)
        let instanceARN = "arn:aws:dms:\(c.region):\(accountID):rep:" + rng.alphanumeric(26)
        let sourceARN = "arn:aws:dms:\(c.region):\(accountID):endpoint:" + rng.alphanumeric(26)
        let targetARN = "arn:aws:dms:\(c.region):\(accountID):endpoint:" + rng.alphanumeric(26)
        let tags = makeTags(c, &rng)
        return [
            ("cdc_start_position", .string("")), ("cdc_start_time", .null), ("id", .string(taskID)),
            ("migration_type", .string(migrationType)), ("replication_instance_arn", .string(instanceARN)),
            ("replication_task_arn", .string(taskARN)), ("replication_task_id", .string(taskID)),
            ("replication_task_settings", settings), ("resource_identifier", .null),
            ("source_endpoint_arn", .string(sourceARN)), ("start_replication_task", .bool(false)),
            ("status", .string("ready")), ("table_mappings", document(.obj([("rules", .array(rules))]))),
            ("tags", tags.tags), ("tags_all", tags.all), ("target_endpoint_arn", .string(targetARN)),
        ]
    }

    static func secretsRotation(_ c: AttributeContext, _ rng: inout SplitMix64) -> [Attribute] {
        let secretARN = "arn:aws:secretsmanager:\(c.region):\(accountID):secret:\(c.label)/db-\(rng.alphanumeric(6))"
        let days = rng.pick([7, 30, 90])
        return [
            ("id", .string(secretARN)), ("rotate_immediately", .null), ("rotation_enabled", .bool(true)),
            ("rotation_lambda_arn", .string("arn:aws:lambda:\(c.region):\(accountID):function:\(c.label)-rotator")),
            ("rotation_rules", .array([.obj([("automatically_after_days", .int(c.changed ? days + 30 : days)),
                                             ("duration", .string("")), ("schedule_expression", .string(""))])])),
            ("secret_id", .string(secretARN)),
        ]
    }

    /// Thresholds use exponent, negative and fractional spellings on purpose.
    static let thresholds = ["1.5e3", "-2.5E-2", "0.75", "80", "1e-7", "-40.125", "3.0E+2", "12.5"]

    static func cloudwatchAlarm(_ c: AttributeContext, _ rng: inout SplitMix64) -> [Attribute] {
        let metric = rng.pick(["CPUUtilization", "FreeableMemory", "ReplicaLag", "DatabaseConnections",
                               "ApproximateAgeOfOldestMessage", "Errors"])
        let name = "\(c.label)-\(metric)"
        let threshold = rng.pick(thresholds), changedThreshold = rng.pick(thresholds)
        let comparison = rng.pick(["GreaterThanOrEqualToThreshold", "LessThanThreshold", "GreaterThanThreshold"])
        let datapoints = rng.int(in: 1...5), periods = rng.int(in: 5...10)
        let period = rng.pick([60, 300, 3600])
        let topic = "arn:aws:sns:\(c.region):\(accountID):alerts-\(rng.hex(4))"
        let tags = makeTags(c, &rng)
        return [
            ("actions_enabled", .bool(true)), ("alarm_actions", .strings([topic])),
            ("alarm_description", .string("\(metric) breached for <5m> & \"burst\" – Grüße")),
            ("alarm_name", .string(name)),
            ("arn", .string("arn:aws:cloudwatch:\(c.region):\(accountID):alarm:\(name)")),
            ("comparison_operator", .string(comparison)), ("datapoints_to_alarm", .int(datapoints)),
            ("dimensions", .obj([("DBClusterIdentifier", .string("\(c.label)-aurora"))])),
            ("evaluate_low_sample_count_percentiles", .string("")), ("evaluation_periods", .int(periods)),
            ("extended_statistic", .string("")), ("id", .string(name)), ("insufficient_data_actions", .array([])),
            ("metric_name", .string(metric)), ("metric_query", .array([])), ("namespace", .string("AWS/RDS")),
            ("ok_actions", .array([])), ("period", .int(period)), ("statistic", .string("Average")),
            ("tags", tags.tags), ("tags_all", tags.all),
            ("threshold", .number(c.changed ? changedThreshold : threshold)),
            ("threshold_metric_id", .string("")), ("treat_missing_data", .string("missing")), ("unit", .string("")),
        ]
    }

    static func route53Record(_ c: AttributeContext, _ rng: inout SplitMix64) -> [Attribute] {
        let zone = "Z" + rng.alphanumeric(13)
        let name = "\(rng.pick(["api", "www", "db", "internal", "grpc", "status"]))-\(c.label).example.com"
        let type = rng.pick(["A", "CNAME", "TXT", "AAAA"])
        let octets = (0..<4).map { _ in rng.int(256) }
        let token = rng.hex(8)
        let ttl = rng.pick([60, 300, 3600])
        let records: [String]
        switch type {
        case "A": records = ["10.\(octets[0]).\(octets[1]).\(octets[2])", "10.\(octets[1]).\(octets[2]).\(octets[3])"]
        case "CNAME": records = ["internal-lb-\(token).\(c.region).elb.amazonaws.com"]
        case "TXT": records = ["v=spf1 include:_spf.example.com ~all", "\\\"quoted\\\" verification=\(token)"]
        default: records = ["2001:db8::\(token.prefix(4))"]
        }
        return [
            ("alias", .array([])), ("allow_overwrite", .null), ("cidr_routing_policy", .array([])),
            ("failover_routing_policy", .array([])), ("fqdn", .string(name)),
            ("geolocation_routing_policy", .array([])), ("geoproximity_routing_policy", .array([])),
            ("health_check_id", .string("")), ("id", .string("\(zone)_\(name)_\(type)")),
            ("latency_routing_policy", .array([])), ("multivalue_answer_routing_policy", .bool(false)),
            ("name", .string(name)), ("records", .strings(records)), ("set_identifier", .string("")),
            ("timeouts", .null), ("ttl", .int(c.changed ? ttl / 2 : ttl)), ("type", .string(type)),
            ("weighted_routing_policy", .array([])), ("zone_id", .string(zone)),
        ]
    }

    static func sqsQueue(_ c: AttributeContext, _ rng: inout SplitMix64) -> [Attribute] {
        let fifo = rng.chance(25)
        let name = "\(c.label)-queue\(fifo ? ".fifo" : "")"
        let url = "https://sqs.\(c.region).amazonaws.com/\(accountID)/\(name)"
        let retention = rng.pick([345600, 1209600, 86400])
        let receives = rng.int(in: 3...10)
        let visibility = rng.pick([30, 60, 300])
        let longPolling = rng.chance(50)
        let redrive = document(.obj([
            ("deadLetterTargetArn", .string("arn:aws:sqs:\(c.region):\(accountID):\(c.label)-dlq")),
            ("maxReceiveCount", .int(receives)),
        ]))
        let tags = makeTags(c, &rng)
        return [
            ("arn", .string("arn:aws:sqs:\(c.region):\(accountID):\(name)")),
            ("content_based_deduplication", .bool(false)), ("deduplication_scope", .string("")),
            ("delay_seconds", .int(0)), ("fifo_queue", .bool(fifo)), ("fifo_throughput_limit", .string("")),
            ("id", .string(url)), ("kms_data_key_reuse_period_seconds", .int(300)), ("kms_master_key_id", .null),
            ("max_message_size", .int(262144)), ("message_retention_seconds", .int(retention)), ("name", .string(name)),
            ("name_prefix", .string("")), ("policy", .string("")), ("redrive_allow_policy", .string("")),
            ("redrive_policy", redrive), ("receive_wait_time_seconds", .int(longPolling ? 20 : 0)),
            ("sqs_managed_sse_enabled", .bool(true)), ("tags", tags.tags), ("tags_all", tags.all),
            ("url", .string(url)), ("visibility_timeout_seconds", .int(c.changed ? visibility + 30 : visibility)),
        ]
    }

    static func dynamodbTable(_ c: AttributeContext, _ rng: inout SplitMix64) -> [Attribute] {
        let name = "\(c.label)-table"
        let hasRange = rng.chance(70)
        let indexCount = rng.int(in: 0...3)
        let recovery = rng.chance(50)
        let protected = rng.chance(30)
        var attributes: [JSONValue] = [.obj([("name", .string("pk")), ("type", .string("S"))])]
        if hasRange { attributes.append(.obj([("name", .string("sk")), ("type", .string("S"))])) }
        var indexes: [JSONValue] = []
        for index in 0..<indexCount {
            let numeric = rng.chance(30)
            attributes.append(.obj([("name", .string("gsi\(index)pk")), ("type", .string(numeric ? "N" : "S"))]))
            indexes.append(.obj([
                ("hash_key", .string("gsi\(index)pk")), ("name", .string("gsi-\(index)")),
                ("non_key_attributes", .array([])), ("on_demand_throughput", .array([])),
                ("projection_type", .string("ALL")), ("range_key", .string("")), ("read_capacity", .int(0)),
                ("write_capacity", .int(0)),
            ]))
        }
        let tags = makeTags(c, &rng)
        return [
            ("arn", .string("arn:aws:dynamodb:\(c.region):\(accountID):table/\(name)")),
            ("attribute", .array(attributes)), ("billing_mode", .string("PAY_PER_REQUEST")),
            ("deletion_protection_enabled", .bool(protected)), ("global_secondary_index", .array(indexes)),
            ("hash_key", .string("pk")), ("id", .string(name)), ("import_table", .array([])),
            ("local_secondary_index", .array([])), ("name", .string(name)), ("on_demand_throughput", .array([])),
            ("point_in_time_recovery", .array([.obj([("enabled", .bool(c.changed ? !recovery : recovery))])])),
            ("range_key", hasRange ? .string("sk") : .null), ("read_capacity", .int(0)), ("replica", .array([])),
            ("restore_date_time", .null), ("restore_source_name", .null), ("restore_source_table_arn", .null),
            ("restore_to_latest_time", .null), ("server_side_encryption", .array([])), ("stream_arn", .string("")),
            ("stream_enabled", .bool(false)), ("stream_label", .string("")), ("stream_view_type", .string("")),
            ("table_class", .string("STANDARD")), ("tags", tags.tags), ("tags_all", tags.all), ("timeouts", .null),
            ("ttl", .array([.obj([("attribute_name", .string("expires_at")), ("enabled", .bool(true))])])),
            ("write_capacity", .int(0)),
        ]
    }
}
