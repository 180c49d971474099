import MigCheckFoundation

/// The AWS CLI calls migcheck reads as evidence, each detected by the shape of its output.
public enum EvidenceKind: String, CaseIterable, Sendable {
    case dbClusters = "describe-db-clusters"
    case dbInstances = "describe-db-instances"
    case clusterParameters = "describe-db-cluster-parameters"
    case clusterSnapshots = "describe-db-cluster-snapshots"
    case replicationTasks = "describe-replication-tasks"
    case tableStatistics = "describe-table-statistics"
    case endpoints = "describe-endpoints"
    case secret = "describe-secret"

    public var service: String {
        switch self {
        case .dbClusters, .dbInstances, .clusterParameters, .clusterSnapshots: return "rds"
        case .replicationTasks, .tableStatistics, .endpoints: return "dms"
        case .secret: return "secretsmanager"
        }
    }

    /// The API operation, as awscli names it in an error (`when calling the X operation`).
    public var operation: String {
        switch self {
        case .dbClusters: return "DescribeDBClusters"
        case .dbInstances: return "DescribeDBInstances"
        case .clusterParameters: return "DescribeDBClusterParameters"
        case .clusterSnapshots: return "DescribeDBClusterSnapshots"
        case .replicationTasks: return "DescribeReplicationTasks"
        case .tableStatistics: return "DescribeTableStatistics"
        case .endpoints: return "DescribeEndpoints"
        case .secret: return "DescribeSecret"
        }
    }

    /// The top-level key that names the output (describe-secret answers one object: nil).
    public var topLevelKey: String? {
        switch self {
        case .dbClusters: return "DBClusters"
        case .dbInstances: return "DBInstances"
        case .clusterParameters: return "Parameters"
        case .clusterSnapshots: return "DBClusterSnapshots"
        case .replicationTasks: return "ReplicationTasks"
        case .tableStatistics: return "TableStatistics"
        case .endpoints: return "Endpoints"
        case .secret: return nil
        }
    }

    /// `aws rds describe-db-clusters`: how reports name what to collect.
    public var command: String { "aws \(service) \(rawValue)" }
}

/// A member of a cluster as describe-db-clusters lists it.
public struct LiveClusterMember: Sendable {
    public let instance: String
    public let isWriter: Bool
    /// `in-sync`, `pending-reboot`, `applying`; nil when the CLI output leaves it out.
    public let parameterGroupStatus: String?
    public let promotionTier: Int?
    public let location: SourceLocation
}

public struct LiveCluster: Sendable {
    public let identifier: String
    public let status: String?
    public let engine: String?
    public let engineVersion: String?
    /// ClusterCreateTime: when the deploy that made the cluster created it.
    public let created: EvidenceInstant?
    public let parameterGroup: String?
    public let deletionProtection: Bool?
    public let endpoint: String?
    public let readerEndpoint: String?
    public let secretARN: String?
    public let members: [LiveClusterMember]
    public let location: SourceLocation
}

public struct LiveInstance: Sendable {
    public let identifier: String
    public let cluster: String?
    /// DBInstanceStatus: `available`, `rebooting`, `stopped`, …
    public let status: String?
    /// The version this instance runs; it differs from its cluster's while an upgrade is under way.
    public let engineVersion: String?
    public let promotionTier: Int?
    public let address: String?
    public let location: SourceLocation
}

public struct LiveParameter: Sendable {
    public let name: String
    public let value: String?
    public let applyMethod: String?
    public let location: SourceLocation
}

public struct LiveSnapshot: Sendable {
    public let identifier: String
    public let cluster: String?
    public let status: String?
    public let type: String?
    public let created: EvidenceInstant?
    public let location: SourceLocation
}

public struct LiveTask: Sendable {
    public let arn: String
    public let identifier: String?
    public let status: String?
    public let migrationType: String?
    public let stopReason: String?
    public let lastFailureMessage: String?
    public let sourceEndpointARN: String?
    public let targetEndpointARN: String?
    public let fullLoadProgressPercent: Int?
    public let tablesErrored: Int?
    public let fullLoadFinished: EvidenceInstant?
    /// ReplicationTaskCreationDate: when the deploy that made the task created it.
    public let created: EvidenceInstant?
    public let started: EvidenceInstant?
    public let stopped: EvidenceInstant?
    public let location: SourceLocation
}

public struct LiveTable: Sendable {
    public let schema: String
    public let name: String
    public let state: String?
    public let validationState: String?
    public let location: SourceLocation

    public var qualifiedName: String { "\(schema).\(name)" }
}

public struct LiveEndpoint: Sendable {
    public let arn: String
    public let identifier: String?
    /// `source` or `target` (the CLI prints them lower case; `SOURCE` is accepted too).
    public let type: String?
    public let serverName: String?
    /// The secret DMS logs in with (`PostgreSQLSettings.SecretsManagerSecretId`). Passwords are
    /// never read: the reader skips every field botocore marks sensitive.
    public let secretID: String?
    public let location: SourceLocation
}

public struct LiveSecret: Sendable {
    public let arn: String
    public let name: String
    public let rotationEnabled: Bool?
    public let nextRotation: EvidenceInstant?
    public let lastRotated: EvidenceInstant?
    public let location: SourceLocation
}

/// A call that did not answer: an error response (`{"Error": {...}}`) or the CLI's error text
/// (`An error occurred (Code) when calling the Operation operation: ...`). Not bad input: a
/// finding later says what to collect.
public struct EvidenceFailure: Sendable {
    public let code: String?
    public let message: String
    public let location: SourceLocation
}

/// One evidence file, read.
public struct EvidenceDocument: Sendable {
    public enum Content: Sendable {
        case clusters([LiveCluster])
        case instances([LiveInstance])
        case parameters([LiveParameter])
        case snapshots([LiveSnapshot])
        case tasks([LiveTask])
        case tables(task: String?, [LiveTable])
        case endpoints([LiveEndpoint])
        case secret(LiveSecret)
        case failed(EvidenceFailure)
    }

    public let file: String
    /// What was called; nil for a failure that does not name its operation.
    public let kind: EvidenceKind?
    public let content: Content

    /// True when the call answered nothing to judge: a failure or an empty list.
    public var isEmpty: Bool {
        switch content {
        case .clusters(let items): return items.isEmpty
        case .instances(let items): return items.isEmpty
        case .parameters(let items): return items.isEmpty
        case .snapshots(let items): return items.isEmpty
        case .tasks(let items): return items.isEmpty
        case .tables(_, let items): return items.isEmpty
        case .endpoints(let items): return items.isEmpty
        case .secret: return false
        case .failed: return true
        }
    }
}
