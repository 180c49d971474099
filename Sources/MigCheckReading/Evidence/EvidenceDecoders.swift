import MigCheckFoundation

/// Each call's output as typed evidence: only the members the readiness rules judge, each with
/// its file and position.
enum EvidenceDecoders {
    static func clusters(_ items: [EvidenceObject]) throws -> [LiveCluster] {
        try items.map { item in
            let members = try item.objects("DBClusterMembers").map { member in
                LiveClusterMember(instance: try member.required("DBInstanceIdentifier", command: .dbClusters),
                                  isWriter: try member.bool("IsClusterWriter") ?? false,
                                  parameterGroupStatus: try member.string("DBClusterParameterGroupStatus"),
                                  promotionTier: try member.int("PromotionTier"), location: member.location)
            }
            return LiveCluster(identifier: try item.required("DBClusterIdentifier", command: .dbClusters),
                               status: try item.string("Status"), engine: try item.string("Engine"),
                               engineVersion: try item.string("EngineVersion"), created: try item.instant("ClusterCreateTime"),
                               parameterGroup: try item.string("DBClusterParameterGroup"),
                               deletionProtection: try item.bool("DeletionProtection"),
                               endpoint: try item.string("Endpoint"), readerEndpoint: try item.string("ReaderEndpoint"),
                               secretARN: try item.object("MasterUserSecret")?.string("SecretArn"),
                               members: members, location: item.location)
        }
    }

    static func instances(_ items: [EvidenceObject]) throws -> [LiveInstance] {
        try items.map { item in
            LiveInstance(identifier: try item.required("DBInstanceIdentifier", command: .dbInstances),
                         cluster: try item.string("DBClusterIdentifier"), status: try item.string("DBInstanceStatus"),
                         engineVersion: try item.string("EngineVersion"), promotionTier: try item.int("PromotionTier"), address: try item.object("Endpoint")?.string("Address"),
                         location: item.location)
        }
    }

    static func parameters(_ items: [EvidenceObject]) throws -> [LiveParameter] {
        try items.map { item in
            LiveParameter(name: try item.required("ParameterName", command: .clusterParameters),
                          value: try item.string("ParameterValue"), applyMethod: try item.string("ApplyMethod"),
                          location: item.location)
        }
    }

    static func snapshots(_ items: [EvidenceObject]) throws -> [LiveSnapshot] {
        try items.map { item in
            LiveSnapshot(identifier: try item.required("DBClusterSnapshotIdentifier", command: .clusterSnapshots),
                         cluster: try item.string("DBClusterIdentifier"), status: try item.string("Status"),
                         type: try item.string("SnapshotType"), created: try item.instant("SnapshotCreateTime"),
                         location: item.location)
        }
    }

    static func tasks(_ items: [EvidenceObject]) throws -> [LiveTask] {
        try items.map { item in
            let stats = try item.object("ReplicationTaskStats")
            return LiveTask(arn: try item.required("ReplicationTaskArn", command: .replicationTasks),
                            identifier: try item.string("ReplicationTaskIdentifier"), status: try item.string("Status"),
                            migrationType: try item.string("MigrationType"), stopReason: try item.string("StopReason"),
                            lastFailureMessage: try item.string("LastFailureMessage"),
                            sourceEndpointARN: try item.string("SourceEndpointArn"),
                            targetEndpointARN: try item.string("TargetEndpointArn"),
                            fullLoadProgressPercent: try stats?.int("FullLoadProgressPercent"),
                            tablesErrored: try stats?.int("TablesErrored"),
                            fullLoadFinished: try stats?.instant("FullLoadFinishDate"),
                            created: try item.instant("ReplicationTaskCreationDate"),
                            started: try item.instant("ReplicationTaskStartDate"), stopped: try stats?.instant("StopDate"),
                            location: item.location)
        }
    }

    static func tables(_ items: [EvidenceObject]) throws -> [LiveTable] {
        try items.map { item in
            LiveTable(schema: try item.required("SchemaName", command: .tableStatistics),
                      name: try item.required("TableName", command: .tableStatistics),
                      state: try item.string("TableState"), validationState: try item.string("ValidationState"),
                      location: item.location)
        }
    }

    static func endpoints(_ items: [EvidenceObject]) throws -> [LiveEndpoint] {
        try items.map { item in
            // The secret DMS logs in with, from the settings of the endpoint's engine.
            var secret: String?
            for key in ["PostgreSQLSettings", "MySQLSettings"] where secret == nil {
                secret = try item.object(key)?.string("SecretsManagerSecretId")
            }
            return LiveEndpoint(arn: try item.required("EndpointArn", command: .endpoints),
                                identifier: try item.string("EndpointIdentifier"),
                                type: try item.string("EndpointType").map { $0.lowercased() },
                                serverName: try item.string("ServerName"), secretID: secret, location: item.location)
        }
    }

    static func secret(_ item: EvidenceObject) throws -> LiveSecret {
        LiveSecret(arn: try item.required("ARN", command: .secret), name: try item.required("Name", command: .secret),
                   rotationEnabled: try item.bool("RotationEnabled"), nextRotation: try item.instant("NextRotationDate"),
                   lastRotated: try item.instant("LastRotatedDate"), location: item.location)
    }
}
