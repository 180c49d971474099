import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// `migcheck collect`: the read-only AWS CLI calls whose answers `migcheck ready` reads for a
/// gate, with the identifiers the plan or state knows (a placeholder, and a comment saying so,
/// where it knows none), and the IAM policy they need.
struct CollectPlan {
    let phase: Phase
    let picture: MigrationPicture?

    /// Exactly the calls `collect` prints, no write or list-all permission.
    static let actions = ["rds:DescribeDBClusters", "rds:DescribeDBInstances", "rds:DescribeDBClusterParameters",
                          "rds:DescribeDBClusterSnapshots", "dms:DescribeReplicationTasks", "dms:DescribeTableStatistics",
                          "dms:DescribeEndpoints", "secretsmanager:DescribeSecret"]

    /// The characters a value may hold to be printed in the script, and its longest length.
    static let safeCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/!+=@")
    static let safeDescription = "letters, digits and - _ . : / ! + = @"
    static let maximumLength = 2048

    /// Why `value` is not printed, or nil when it is printed as it is.
    func unprintable(_ value: String?) -> String? {
        guard let value else { return "not known from \(picture == nil ? "a plan or state (none given)" : "the plan or state")" }
        if value.isEmpty { return "known but empty" }
        if value.count > Self.maximumLength { return "known but not printed: longer than \(Self.maximumLength) characters" }
        if !value.allSatisfy(Self.safeCharacters.contains) {
            return "known but not printed: characters outside the safe set (\(Self.safeDescription))"
        }
        return nil
    }

    /// As for a string; a value Terraform marks sensitive is never printed, whatever it holds.
    func unprintable(_ value: TerraformValue?) -> String? {
        if value?.isSensitive == true { return "sensitive in the plan or state, so not printed" }
        if value?.isUnknown == true { return "unknown until apply in the plan" }
        return unprintable(value?.stringValue)
    }

    /// A value for the shell: single-quoted when plain (no history expansion of the `!` in
    /// `rds!cluster-…` when pasted into an interactive bash), else a placeholder and a note saying
    /// why (the script must never run something the plan's strings spell).
    func shellValue(_ value: String?, placeholder: String, notes: inout [String]) -> String {
        shellValue(unprintable(value), value, placeholder: placeholder, notes: &notes)
    }

    func shellValue(_ value: TerraformValue?, placeholder: String, notes: inout [String]) -> String {
        shellValue(unprintable(value), value?.stringValue, placeholder: placeholder, notes: &notes)
    }

    private func shellValue(_ reason: String?, _ value: String?, placeholder: String, notes: inout [String]) -> String {
        guard let value, reason == nil else {
            notes.append("# \(placeholder): \(reason ?? "not known"); fill it in")
            return placeholder
        }
        return "'" + value + "'"
    }

    func cluster(_ role: ClusterRole) -> ClusterView? { picture?.cluster(role) }

    func identifier(_ role: ClusterRole) -> TerraformValue? {
        cluster(role)?.resource.attribute("cluster_identifier") ?? cluster(role)?.resource.attribute("id")
    }

    func script(_ directory: String) -> String {
        var notes: [String] = []
        let out = shellValue(directory, placeholder: "EVIDENCE_DIR", notes: &notes)
        let source = shellValue(identifier(.source), placeholder: "SOURCE_CLUSTER_ID", notes: &notes)
        let target = shellValue(identifier(.target), placeholder: "TARGET_CLUSTER_ID", notes: &notes)
        let role: ClusterRole = phase == .cleanup ? .target : .source
        let group = shellValue(cluster(role)?.parameterGroup?.resource.attribute("name"),
                               placeholder: "\(role.rawValue.uppercased())_PARAMETER_GROUP", notes: &notes)
        // Only the cutover and cleanup gates ask DMS: before them the task needs no note.
        let task = phase == .cutover || phase == .cleanup
            ? shellValue(picture?.dmsTasks.first?.attribute("replication_task_arn"), placeholder: "TASK_ARN", notes: &notes) : ""
        var calls = [
            "aws rds describe-db-clusters --db-cluster-identifier \(source) --output json > \(out)/describe-db-clusters.source.json",
            "aws rds describe-db-clusters --db-cluster-identifier \(target) --output json > \(out)/describe-db-clusters.target.json",
            "aws rds describe-db-instances --filters Name=db-cluster-id,Values=\(source),\(target) --output json > \(out)/describe-db-instances.json",
            "aws rds describe-db-cluster-parameters --db-cluster-parameter-group-name \(group) --source user --output json "
                + "> \(out)/describe-db-cluster-parameters.\(role.rawValue).json",
            "aws rds describe-db-cluster-snapshots --db-cluster-identifier \(source) --snapshot-type manual --output json "
                + "> \(out)/describe-db-cluster-snapshots.json",
        ]
        for secretRole in [ClusterRole.source, .target] {
            let secret = shellValue(cluster(secretRole)?.masterSecretARN,
                                    placeholder: "\(secretRole.rawValue.uppercased())_SECRET_ARN", notes: &notes)
            calls.append("aws secretsmanager describe-secret --secret-id \(secret) --output json > \(out)/describe-secret.\(secretRole.rawValue).json")
        }
        if phase == .cutover || phase == .cleanup {
            calls += [
                "aws dms describe-replication-tasks --filters Name=replication-task-arn,Values=\(task) --without-settings --output json "
                    + "> \(out)/describe-replication-tasks.json",
                "aws dms describe-endpoints --filters Name=endpoint-arn,Values=\(endpointValues(notes: &notes)) --output json "
                    + "> \(out)/describe-endpoints.json",
            ]
        }
        if phase == .cutover {
            calls.append("aws dms describe-table-statistics --replication-task-arn \(task) --output json > \(out)/describe-table-statistics.json")
        }
        let policy = iamPolicy(notes: &notes)
        var lines = ["# migcheck collect --phase \(phase): read-only AWS CLI calls; then: migcheck ready --phase \(phase) --evidence \(out)",
                     "# A call that fails leaves its error text in the file (2>&1): ready reports it as evidence to collect again."]
        if let picture, MigrationPresence.absence(in: picture) != nil {
            lines.append("# The \(picture.isPlan ? "plan" : "state") holds no Aurora PostgreSQL migration: was it the right one? Every identifier below is a placeholder.")
        }
        lines += Array(Set(notes)).sorted()
        lines.append("mkdir -p \(out)")
        lines += calls.map { $0 + " 2>&1" }
        lines.append("# The IAM policy these calls and every other gate's need, for one read-only role "
            + "(migcheck collect --iam-policy prints it alone):")
        lines += policy.pretty.split(separator: "\n").map { "#   " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension CollectPlan {
    /// The ARNs of the migration's DMS endpoints (`endpoint_arn` of each `aws_dms_endpoint`), for
    /// `describe-endpoints --filters Name=endpoint-arn,Values=…` (the filter names the DMS API
    /// documents: endpoint-arn | endpoint-type | endpoint-id | engine-name): the account's other
    /// endpoints stay out of the evidence. A placeholder per endpoint the plan does not name.
    func endpointValues(notes: inout [String]) -> String {
        let endpoints = picture?.dmsEndpoints ?? []
        guard !endpoints.isEmpty else {
            return ["SOURCE", "TARGET"].map { shellValue(nil as String?, placeholder: "\($0)_ENDPOINT_ARN", notes: &notes) }
                .joined(separator: ",")
        }
        var seen: [String: Int] = [:]
        return endpoints.map { endpoint in
            let type = picture?.endpointType(endpoint).flatMap { ["source", "target"].contains($0) ? $0.uppercased() + "_" : nil } ?? ""
            let count = (seen[type] ?? 0) + 1
            seen[type] = count
            let placeholder = "\(type)ENDPOINT_ARN" + (count > 1 ? "_\(count)" : "")
            return shellValue(endpoint.attribute("endpoint_arn"), placeholder: placeholder, notes: &notes)
        }.joined(separator: ",")
    }
}
