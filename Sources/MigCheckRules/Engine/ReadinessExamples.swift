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
        public var status: String
    }

    public static func sourceMembers(_ reader: String = "in-sync", writer: String = "in-sync") -> [Member] {
        [Member(instance: "app-legacy-0", writer: true, status: writer), Member(instance: "app-legacy-1", writer: false, status: reader)]
    }

    public static func targetMembers(_ reader: String = "in-sync", writer: String = "in-sync") -> [Member] {
        [Member(instance: "app-core-1", writer: true, status: writer), Member(instance: "app-core-2", writer: false, status: reader)]
    }

    static func cluster(_ id: String, group: String, secret: String, members: [Member]) -> String {
        let listed = members.map { member in
            #"{"DBInstanceIdentifier": "\#(member.instance)", "IsClusterWriter": \#(member.writer), "#
                + #""DBClusterParameterGroupStatus": "\#(member.status)", "PromotionTier": 1}"#
        }
        return #"{"DBClusterIdentifier": "\#(id)", "DBClusterParameterGroup": "\#(group)", "Status": "available", "#
            + #""EngineVersion": "16.4", "DeletionProtection": true, "#
            + #""Endpoint": "\#(id).cluster-c1a2b3c4d5e6.eu-west-2.rds.amazonaws.com", "#
            + #""MasterUserSecret": {"SecretArn": "\#(secret)", "SecretStatus": "active"}, "#
            + #""DBClusterMembers": [\#(listed.joined(separator: ", "))]}"#
    }

    public static func clusters(source: [Member] = sourceMembers(), target: [Member] = targetMembers()) -> (name: String, text: String) {
        ("describe-db-clusters.json", #"{"DBClusters": ["#
            + cluster("app-legacy", group: "app-legacy-logical-replication", secret: MigrationExamples.sourceSecret, members: source) + ", "
            + cluster("app-core", group: "app-core-disable-constraints", secret: MigrationExamples.targetSecret, members: target) + "]}")
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
        let reason = stopReason.map { #", "StopReason": "\#($0)""# } ?? ""
        return ("describe-replication-tasks.json", #"{"ReplicationTasks": [{"ReplicationTaskIdentifier": "app-migration", "#
            + #""ReplicationTaskArn": "\#(taskARN)", "MigrationType": "\#(type)", "Status": "\#(status)"\#(reason), "#
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
        switch phase {
        case .prepare, .fullLoad:
            return [clusters(), parameters("rds.logical_replication", "1", label: "source"), endpoints]
        case .cutover:
            return [clusters(), parameters("rds.logical_replication", "1", label: "source"), endpoints, task(), tables()]
        case .cleanup:
            return [clusters(), parameters("session_replication_role", "origin", label: "target"), endpoints,
                    task(status: "stopped", stopReason: "Stop Reason NORMAL")]
        }
    }

    /// `files` with the file of the same name replaced (or added).
    public static func replacing(_ files: Files, with file: (name: String, text: String)) -> Files {
        files.filter { $0.name != file.name } + [file]
    }

    public static func removing(_ files: Files, _ name: String) -> Files { files.filter { $0.name != name } }
}
