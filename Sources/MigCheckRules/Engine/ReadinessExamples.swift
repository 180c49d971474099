import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// The evidence of a healthy live migration at each readiness gate, in the shapes the AWS CLI
/// prints (Fixtures/evidence holds the recorded originals, validated against botocore): the
/// readiness rules' examples start from it and change one thing. The clusters are the reference
/// plans' (`app-legacy` the source, `app-core` the target), found from the DMS endpoints'
/// secrets, so the examples need no plan.
public enum ReadinessExamples {
    public typealias Files = [(name: String, text: String)]

    public struct Member {
        public var instance: String
        public var writer: Bool
        /// DBClusterParameterGroupStatus in describe-db-clusters.
        public var status: String
        public var tier: Int = 1
        /// DBInstanceStatus in describe-db-instances.
        public var instanceStatus = "available"
        /// EngineVersion in describe-db-instances; nil: its cluster's.
        public var engineVersion: String? = nil
    }

    /// What describe-db-clusters says of a cluster beyond its members (MIG018 judges it live).
    public struct Shape {
        public var engineVersion = "16.4"
        public var deletionProtection = true
        public var created = "2026-11-20T09:06:00.000000Z"
        public init(engineVersion: String = "16.4", deletionProtection: Bool = true) {
            self.engineVersion = engineVersion
            self.deletionProtection = deletionProtection
        }
    }

    public static func sourceMembers(_ reader: String = "in-sync", writer: String = "in-sync") -> [Member] {
        [Member(instance: "app-legacy-0", writer: true, status: writer), Member(instance: "app-legacy-1", writer: false, status: reader)]
    }

    public static func targetMembers(_ reader: String = "in-sync", writer: String = "in-sync") -> [Member] {
        [Member(instance: "app-core-1", writer: true, status: writer), Member(instance: "app-core-2", writer: false, status: reader)]
    }

    static func cluster(_ id: String, group: String, secret: String, members: [Member], shape: Shape) -> String {
        let listed = members.map { member in
            #"{"DBInstanceIdentifier": "\#(member.instance)", "IsClusterWriter": \#(member.writer), "#
                + #""DBClusterParameterGroupStatus": "\#(member.status)", "PromotionTier": \#(member.tier)}"#
        }
        return #"{"DBClusterIdentifier": "\#(id)", "DBClusterParameterGroup": "\#(group)", "Status": "available", "#
            + #""Engine": "aurora-postgresql", "EngineVersion": "\#(shape.engineVersion)", "#
            + #""DeletionProtection": \#(shape.deletionProtection), "ClusterCreateTime": "\#(shape.created)", "#
            + #""Endpoint": "\#(id).cluster-c1a2b3c4d5e6.eu-west-2.rds.amazonaws.com", "#
            + #""MasterUserSecret": {"SecretArn": "\#(secret)", "SecretStatus": "active"}, "#
            + #""DBClusterMembers": [\#(listed.joined(separator: ", "))]}"#
    }

    public static func clusters(source: [Member] = sourceMembers(), target: [Member] = targetMembers(),
                                sourceShape: Shape = Shape(), targetShape: Shape = Shape()) -> (name: String, text: String) {
        ("describe-db-clusters.json", #"{"DBClusters": ["#
            + cluster("app-legacy", group: "app-legacy-logical-replication", secret: MigrationExamples.sourceSecret, members: source,
                      shape: sourceShape) + ", "
            + cluster("app-core", group: "app-core-disable-constraints", secret: MigrationExamples.targetSecret, members: target,
                      shape: targetShape) + "]}")
    }

    /// describe-db-instances of both clusters' members (the same members as `clusters` by default).
    public static func instances(source: [Member] = sourceMembers(), target: [Member] = targetMembers(),
                                 sourceShape: Shape = Shape(), targetShape: Shape = Shape()) -> (name: String, text: String) {
        func listed(_ members: [Member], _ cluster: String, _ shape: Shape) -> [String] {
            members.map { member in
                #"{"DBInstanceIdentifier": "\#(member.instance)", "DBClusterIdentifier": "\#(cluster)", "#
                    + #""Engine": "aurora-postgresql", "EngineVersion": "\#(member.engineVersion ?? shape.engineVersion)", "#
                    + #""DBInstanceStatus": "\#(member.instanceStatus)", "PromotionTier": \#(member.tier)}"#
            }
        }
        let all = listed(source, "app-legacy", sourceShape) + listed(target, "app-core", targetShape)
        return ("describe-db-instances.json", #"{"DBInstances": [\#(all.joined(separator: ", "))]}"#)
    }

    /// describe-db-clusters and describe-db-instances that agree on the members and versions.
    public static func members(source: [Member] = sourceMembers(), target: [Member] = targetMembers(),
                               sourceShape: Shape = Shape(), targetShape: Shape = Shape()) -> Files {
        [clusters(source: source, target: target, sourceShape: sourceShape, targetShape: targetShape),
         instances(source: source, target: target, sourceShape: sourceShape, targetShape: targetShape)]
    }

    /// describe-db-cluster-snapshots of the source: (identifier, type, status, SnapshotCreateTime).
    public static func snapshots(_ listed: [(id: String, type: String, status: String, created: String)]) -> (name: String, text: String) {
        let entries = listed.map { snapshot in
            #"{"DBClusterSnapshotIdentifier": "\#(snapshot.id)", "DBClusterIdentifier": "app-legacy", "#
                + #""SnapshotCreateTime": "\#(snapshot.created)", "Status": "\#(snapshot.status)", "SnapshotType": "\#(snapshot.type)"}"#
        }
        return ("describe-db-cluster-snapshots.json", #"{"DBClusterSnapshots": [\#(entries.joined(separator: ", "))]}"#)
    }

    /// The manual snapshot the runbook takes before each gate, after the deploy before it.
    public static func snapshot(before phase: Phase) -> (name: String, text: String) {
        switch phase {
        case .prepare, .fullLoad: return snapshots([("app-legacy-before-migration", "manual", "available", "2026-11-20T09:12:00.000000Z")])
        case .cutover: return snapshots([("app-legacy-before-cutover", "manual", "available", "2026-11-20T11:00:00.000000Z")])
        case .cleanup: return snapshots([("app-legacy-before-cleanup", "manual", "available", "2026-11-20T11:45:00.000000Z")])
        }
    }

    /// describe-secret of a cluster's master secret (epoch seconds, as awscli v1 prints them);
    /// by default rotated at 09:10, next in 400 days (the runbook's rate(400 days)).
    public static func secret(_ role: ClusterRole, enabled: Bool = true, last: String? = "1795165800",
                              next: String? = "1829725800") -> (name: String, text: String) {
        let arn = role == .source ? MigrationExamples.sourceSecret : MigrationExamples.targetSecret
        var fields = #""ARN": "\#(arn)", "Name": "app-\#(role.rawValue)-master", "RotationEnabled": \#(enabled)"#
        if let last { fields += #", "LastRotatedDate": \#(last)"# }
        if let next { fields += #", "NextRotationDate": \#(next)"# }
        return ("describe-secret.\(role.rawValue).json", "{" + fields + "}")
    }

    /// A policy planning the migration's end (MIG017) at `end` (ISO 8601).
    public static func plannedEndPolicy(_ end: String = "2026-12-04T18:00:00Z") -> String {
        #"{"policyVersion": 1, "rules": {"MIG017": {"parameters": {"plannedEnd": "\#(end)"}}}}"#
    }

    public static func parameters(_ name: String, _ value: String, label: String) -> (name: String, text: String) {
        ("describe-db-cluster-parameters.\(label).json",
         #"{"Parameters": [{"ParameterName": "\#(name)", "ParameterValue": "\#(value)", "ApplyMethod": "pending-reboot"}]}"#)
    }

    static let taskARN = "arn:aws:dms:eu-west-2:123456789012:task:app-migration"

    public static var endpoints: (name: String, text: String) {
        func endpoint(_ type: String, _ secret: String) -> String {
            #"{"EndpointIdentifier": "app-\#(type)", "EndpointType": "\#(type)", "EngineName": "aurora-postgresql", "#
                + #""EndpointArn": "arn:aws:dms:eu-west-2:123456789012:endpoint:APP\#(type.uppercased())", "#
                + #""PostgreSQLSettings": {"SecretsManagerSecretId": "\#(secret)"}}"#
        }
        return ("describe-endpoints.json", #"{"Endpoints": ["# + endpoint("source", MigrationExamples.sourceSecret) + ", "
            + endpoint("target", MigrationExamples.targetSecret) + "]}")
    }

    /// describe-replication-tasks; `finished` is FullLoadFinishDate in epoch seconds (awscli v1's form).
    public static func task(status: String = "running", type: String = "full-load-and-cdc", progress: Int = 100,
                            finished: String? = "1795167540.25", errored: Int = 0, stopReason: String? = nil) -> (name: String, text: String) {
        var stats = #""FullLoadProgressPercent": \#(progress), "TablesLoaded": 2, "TablesErrored": \#(errored), "#
            + #""FullLoadStartDate": 1795166040.25"#
        if let finished { stats += #", "FullLoadFinishDate": \#(finished)"# }
        if status == "stopped" { stats += #", "StopDate": 1795174200"# }
        let reason = stopReason.map { #", "StopReason": "\#($0)""# } ?? ""
        return ("describe-replication-tasks.json", #"{"ReplicationTasks": [{"ReplicationTaskIdentifier": "app-migration", "#
            + #""ReplicationTaskArn": "\#(taskARN)", "MigrationType": "\#(type)", "Status": "\#(status)"\#(reason), "#
            + #""ReplicationTaskCreationDate": 1795165980.25, "ReplicationTaskStartDate": 1795166040.25, "#
            + #""SourceEndpointArn": "arn:aws:dms:eu-west-2:123456789012:endpoint:APPSOURCE", "#
            + #""ReplicationTaskStats": {\#(stats)}}]}"#)
    }

    public static func tables(_ states: [(table: String, state: String)] = [("users", "Table completed"), ("orders", "Table completed")])
        -> (name: String, text: String) {
        let listed = states.map { #"{"SchemaName": "public", "TableName": "\#($0.table)", "TableState": "\#($0.state)", "ValidationState": "Not enabled"}"# }
        return ("describe-table-statistics.json",
                #"{"ReplicationTaskArn": "\#(taskARN)", "TableStatistics": [\#(listed.joined(separator: ", "))]}"#)
    }

    /// The healthy evidence for the gate before deploying `phase` (full-load, cutover, cleanup).
    public static func healthy(_ phase: Phase) -> Files {
        let common = [snapshot(before: phase), secret(.source), secret(.target)]
        switch phase {
        case .prepare, .fullLoad:
            return members() + [parameters("rds.logical_replication", "1", label: "source"), endpoints] + common
        case .cutover:
            return members() + [parameters("rds.logical_replication", "1", label: "source"), endpoints, task(), tables()] + common
        case .cleanup:
            return members(sourceShape: Shape(deletionProtection: false))
                + [parameters("session_replication_role", "origin", label: "target"), endpoints,
                   task(status: "stopped", stopReason: "Stop Reason NORMAL")] + common
        }
    }

    /// `files` with the file of the same name replaced (or added).
    public static func replacing(_ files: Files, with file: (name: String, text: String)) -> Files {
        files.filter { $0.name != file.name } + [file]
    }

    /// `files` with each of `replacements` put in (see `replacing(_:with:)`).
    public static func replacing(_ files: Files, with replacements: Files) -> Files {
        replacements.reduce(files) { replacing($0, with: $1) }
    }

    public static func removing(_ files: Files, _ name: String) -> Files { files.filter { $0.name != name } }
}
