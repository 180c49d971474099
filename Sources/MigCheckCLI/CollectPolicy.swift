import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// The IAM policy `collect` prints: each action on the ARNs its call reads where the action takes
/// resource-level permissions and the plan or state knows them; the rest on "*", one statement.
///
/// Which action takes which resource type is the "Resource types" column of the Actions table of
/// the Service Authorization Reference: "Actions, resources, and condition keys for Amazon RDS"
/// (list_amazonrds.html), "… for AWS Database Migration Service" (list_awsdatabasemigrationservice.html)
/// and "… for AWS Secrets Manager" (list_awssecretsmanager.html), read from the copies in
/// salesforce/policy_sentry 66e53f2 (policy_sentry/shared/data/docs/). An empty column means the
/// action takes "*" only. Not verified against IAM (no AWS account here): a call the policy denies
/// leaves its AccessDenied in the evidence file, which `ready` reports as evidence to collect again.
extension CollectPlan {
    /// An ARN a call reads, what it is (for the note when it is not printed), and the value whose
    /// sensitivity it shares (a cluster's ARN spells its identifier).
    struct PolicyResource {
        let what: String
        let arn: TerraformValue?
        var spelledFrom: TerraformValue? = nil
    }

    /// An action and the ARNs its call reads; nil resources: the reference gives it no resource type.
    struct Grant {
        let action: String
        let resources: [PolicyResource]?
    }

    /// Every gate's calls, whatever `--phase`: one read-only role serves the full-load, cutover and
    /// cleanup gates (the source's parameter group before cleanup, the target's at cleanup).
    func grants() -> [Grant] {
        let clusters = [ClusterRole.source, .target].map { role in
            PolicyResource(what: "the \(role.rawValue) cluster's arn", arn: cluster(role)?.resource.attribute("arn"), spelledFrom: identifier(role))
        }
        let groups = [ClusterRole.source, .target].map { role in
            let group = cluster(role)?.parameterGroup?.resource
            return PolicyResource(what: "the \(role.rawValue) cluster parameter group's arn", arn: group?.attribute("arn"),
                                  spelledFrom: group?.attribute("name"))
        }
        return [
            // RDS, DescribeDBClusters: `cluster` (optional); the call names each cluster.
            Grant(action: "rds:DescribeDBClusters", resources: clusters),
            // RDS, DescribeDBInstances: `db` (optional); the call filters by cluster and names no instance, so "*".
            Grant(action: "rds:DescribeDBInstances", resources: nil),
            // RDS, DescribeDBClusterParameters: `cluster-pg*` (required).
            Grant(action: "rds:DescribeDBClusterParameters", resources: groups),
            // RDS, DescribeDBClusterSnapshots: `cluster` and `cluster-snapshot` (both optional); the call names the
            // source cluster (the snapshots' names are not known before they are taken).
            Grant(action: "rds:DescribeDBClusterSnapshots", resources: [clusters[0]]),
            // DMS, DescribeReplicationTasks: no resource type, so "*" (the call filters by task ARN).
            Grant(action: "dms:DescribeReplicationTasks", resources: nil),
            // DMS, DescribeTableStatistics: `ReplicationTask*` (required).
            Grant(action: "dms:DescribeTableStatistics", resources: [
                PolicyResource(what: "the DMS task's replication_task_arn", arn: picture?.dmsTasks.first?.attribute("replication_task_arn")),
            ]),
            // DMS, DescribeEndpoints: no resource type, so "*" (the call filters by endpoint ARN).
            Grant(action: "dms:DescribeEndpoints", resources: nil),
            // Secrets Manager, DescribeSecret: `Secret*` (required).
            Grant(action: "secretsmanager:DescribeSecret", resources: [ClusterRole.source, .target].map { role in
                PolicyResource(what: "the \(role.rawValue) cluster's master secret ARN", arn: cluster(role)?.masterSecretARN)
            }),
        ]
    }

    /// Why an ARN is not put in the policy, or nil when it is.
    func unusable(_ resource: PolicyResource) -> String? {
        if resource.spelledFrom?.isSensitive == true { return "spells a value sensitive in the plan or state, so not printed" }
        if let reason = unprintable(resource.arn) { return reason }
        return resource.arn?.stringValue?.hasPrefix("arn:") == true ? nil : "known but not an ARN"
    }

    /// The policy, with a note for each action left on "*" because an ARN it needs is not known.
    func iamPolicy(notes: inout [String]) -> JSONLiteral {
        var statements: [JSONLiteral] = []
        var everywhere: [String] = []
        for grant in grants() {
            guard let resources = grant.resources else {
                everywhere.append(grant.action)
                continue
            }
            let reasons = resources.compactMap { resource in unusable(resource).map { "\(resource.what): \($0)" } }
            guard reasons.isEmpty else {
                notes.append("# IAM policy: \(grant.action) on \"*\" (\(reasons.joined(separator: "; "))); narrow it by hand")
                everywhere.append(grant.action)
                continue
            }
            var arns: [String] = []
            for arn in resources.compactMap(\.arn?.stringValue) where !arns.contains(arn) { arns.append(arn) }
            statements.append(.object([
                ("Sid", .string("Migcheck" + (grant.action.split(separator: ":").last.map(String.init) ?? ""))), ("Effect", "Allow"),
                ("Action", .array([.string(grant.action)])), ("Resource", .array(arns.map { .string($0) })),
            ]))
        }
        statements.append(.object([
            ("Sid", "MigcheckAllResources"), ("Effect", "Allow"),
            ("Action", .array(everywhere.map { .string($0) })), ("Resource", "*"),
        ]))
        return .object([("Version", "2012-10-17"), ("Statement", .array(statements))])
    }
}
