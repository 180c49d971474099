/// Builds the migration's picture from a plan or state. Nothing here depends on resource
/// names: clusters, instances, parameter groups and rotations are matched by
/// configuration reference first, then by value.
public enum PictureBuilder {
    /// Resource types the picture reads values of; everything else stays unparsed bytes.
    static let modelledTypes: Set<String> = [
        "aws_rds_cluster", "aws_rds_cluster_instance", "aws_rds_cluster_parameter_group",
        "aws_secretsmanager_secret_rotation", "aws_secretsmanager_secret",
        "aws_dms_replication_instance", "aws_dms_endpoint", "aws_dms_replication_task",
        "aws_ecs_task_definition", "aws_ecs_service",
        "aws_iam_policy", "aws_iam_role_policy", "aws_iam_policy_document",
    ]

    public static func build(_ document: TerraformDocument, source: String? = nil, target: String? = nil) throws -> MigrationPicture {
        let configuration = document.configuration
        var configByAddress: [String: ConfigResource] = [:]
        for resource in configuration.allResources { configByAddress[resource.qualifiedAddress] = resource }

        let resources: [ResourceView]
        if document.kind == .plan {
            resources = document.resourceChanges.map {
                ResourceView.from($0, file: document.file, config: configByAddress[$0.address.configurationAddress])
            }
        } else {
            resources = document.plannedResources.filter { $0.deposed == nil }.map {
                ResourceView.from($0, file: document.file, config: configByAddress[$0.address.configurationAddress])
            }
        }
        let managed = resources.filter(\.isManaged)
        var clusters = managed.filter { $0.type == "aws_rds_cluster" }.map { ClusterView(resource: $0) }
        let instances = managed.filter { $0.type == "aws_rds_cluster_instance" }
        let groups = managed.filter { $0.type == "aws_rds_cluster_parameter_group" }.map(ParameterGroupView.init)
        let rotations = managed.filter { $0.type == "aws_secretsmanager_secret_rotation" }

        var unmatched: [ResourceView] = []
        for instance in instances {
            if let index = clusterIndex(for: instance, in: clusters, configuration: configuration) {
                clusters[index].instances.append(instance)
            } else {
                unmatched.append(instance)
            }
        }
        for index in clusters.indices {
            if let (group, how) = parameterGroup(for: clusters[index], in: groups, configuration: configuration) {
                clusters[index].parameterGroup = group
                clusters[index].parameterGroupMatch = how
            }
            clusters[index].rotations = rotations.filter {
                rotation($0, belongsTo: clusters[index], configuration: configuration, resources: managed)
            }
        }

        var picture = MigrationPicture(
            document: document, resources: resources, clusters: clusters, source: nil, target: nil, roleReasons: [:],
            dmsReplicationInstances: managed.filter { $0.type == "aws_dms_replication_instance" },
            dmsEndpoints: managed.filter { $0.type == "aws_dms_endpoint" },
            dmsTasks: managed.filter { $0.type == "aws_dms_replication_task" },
            parameterGroups: groups, rotations: rotations, unmatchedInstances: unmatched)
        let roles = try RoleInference.assign(picture, source: source, target: target)
        picture = MigrationPicture(
            document: document, resources: resources, clusters: clusters,
            source: roles.source.flatMap { index in clusters.indices.contains(index) ? clusters[index] : nil },
            target: roles.target.flatMap { index in clusters.indices.contains(index) ? clusters[index] : nil },
            roleReasons: roles.reasons,
            dmsReplicationInstances: picture.dmsReplicationInstances, dmsEndpoints: picture.dmsEndpoints,
            dmsTasks: picture.dmsTasks, parameterGroups: groups, rotations: rotations, unmatchedInstances: unmatched)
        return picture
    }

    // MARK: - Matching

    private static func clusterIndex(for instance: ResourceView, in clusters: [ClusterView], configuration: Configuration) -> Int? {
        if let config = instance.config {
            let referenced = configuration.resolvedResources(ofAttribute: "cluster_identifier", of: config)
            let candidates = clusters.indices.filter { referenced.contains(clusters[$0].resource.address.configurationAddress) }
            if candidates.count == 1 { return candidates[0] }
            // A cluster with count/for_each: several instances share the block; the value decides.
            if candidates.count > 1, let byValue = clusterIndexByValue(instance, clusters, among: candidates) { return byValue }
        }
        return clusterIndexByValue(instance, clusters, among: Array(clusters.indices))
    }

    private static func clusterIndexByValue(_ instance: ResourceView, _ clusters: [ClusterView], among candidates: [Int]) -> Int? {
        guard let identifier = instance.attribute("cluster_identifier")?.stringValue else { return nil }
        let matches = candidates.filter { index in
            let cluster = clusters[index].resource
            return [cluster.before?["cluster_identifier"], cluster.after?["cluster_identifier"], cluster.before?["id"], cluster.after?["id"]]
                .contains { $0?.stringValue == identifier }
        }
        return matches.count == 1 ? matches[0] : nil
    }

    private static func parameterGroup(for cluster: ClusterView, in groups: [ParameterGroupView],
                                       configuration: Configuration) -> (ParameterGroupView, String)? {
        if let config = cluster.resource.config {
            let referenced = configuration.resolvedResources(ofAttribute: "db_cluster_parameter_group_name", of: config)
            let candidates = groups.filter { referenced.contains($0.resource.address.configurationAddress) }
            if candidates.count == 1 {
                return (candidates[0], "db_cluster_parameter_group_name refers to \(candidates[0].resource.address.configurationAddress)")
            }
        }
        guard let name = cluster.resource.attribute("db_cluster_parameter_group_name")?.stringValue else { return nil }
        let candidates = groups.filter { group in
            [group.resource.current["name"], group.resource.current["id"]].contains { $0?.stringValue == name }
        }
        guard candidates.count == 1 else { return nil }
        return (candidates[0], "db_cluster_parameter_group_name is \(JSONQuoting.quoted(name))")
    }

    private static func rotation(_ rotation: ResourceView, belongsTo cluster: ClusterView, configuration: Configuration,
                                 resources: [ResourceView]) -> Bool {
        let clusterAddress = cluster.resource.address.configurationAddress
        if let config = rotation.config {
            let referenced = configuration.resolvedResources(ofAttribute: "secret_id", of: config)
            if referenced.contains(clusterAddress) { return true }
            // A secret referenced otherwise: the cluster's configuration refers to the same secret.
            if !referenced.isEmpty, let clusterConfig = cluster.resource.config {
                let clusterReferences = secretReferences(of: clusterConfig, configuration: configuration)
                if !referenced.isDisjoint(with: clusterReferences) { return true }
            }
            if !referenced.isEmpty { return false }
        }
        guard let secret = rotation.attribute("secret_id")?.stringValue else { return false }
        if cluster.masterSecretARN?.stringValue == secret { return true }
        return false
    }

    /// Resources a cluster's expressions refer to, one hop further for secret versions and data sources
    /// (`master_password = data.aws_secretsmanager_secret_version.x.secret_string` → the secret).
    private static func secretReferences(of config: ConfigResource, configuration: Configuration) -> Set<String> {
        var result = Set<String>()
        for expression in config.expressions.values {
            result.formUnion(configuration.resolvedResources(of: expression, in: config.modulePath))
        }
        for address in result {
            if let referenced = configuration.resource(qualifiedAddress: address) {
                for expression in referenced.expressions.values {
                    result.formUnion(configuration.resolvedResources(of: expression, in: referenced.modulePath))
                }
            }
        }
        return result
    }
}
