import MigCheckFoundation
import MigCheckReading

/// Builds the migration's picture from a plan or state. Nothing here depends on resource
/// names: clusters, instances, parameter groups and rotations are matched by
/// configuration reference first, then by value.
public enum PictureBuilder {
    /// `source` and `target` as given with `--source`/`--target`.
    public static func build(_ document: TerraformDocument, source: String? = nil, target: String? = nil) throws -> MigrationPicture {
        try build(document, naming: source.map { ClusterNaming(address: $0, origin: .flag) },
                  target.map { ClusterNaming(address: $0, origin: .flag) })
    }

    /// `namedPhase`: the phase named by `--phase` or the policy; at cleanup a named source may be
    /// absent (destroyed), and the rules that need it say so.
    public static func build(_ document: TerraformDocument, naming source: ClusterNaming?, _ target: ClusterNaming?,
                             namedPhase: Phase? = nil) throws -> MigrationPicture {
        let configuration = document.configuration
        var configByAddress: [String: ConfigResource] = [:]
        for resource in configuration.allResources { configByAddress[resource.qualifiedAddress] = resource }

        // The instances of one block (count, for_each) come one after another: their block's
        // address and configuration are worked out once.
        var lastBlock: (address: ResourceAddress, configurationAddress: String, config: ConfigResource?)?
        func block(of address: ResourceAddress) -> (configurationAddress: String, config: ConfigResource?) {
            if let lastBlock, lastBlock.address.isInSameBlock(as: address) { return (lastBlock.configurationAddress, lastBlock.config) }
            let configurationAddress = address.configurationAddress
            let config = configByAddress[configurationAddress]
            lastBlock = (address, configurationAddress, config)
            return (configurationAddress, config)
        }
        let resources: [ResourceView]
        if document.kind == .plan {
            let changes = document.resourceChanges
            var views: [ResourceView] = []
            views.reserveCapacity(changes.count)
            for index in changes.indices {
                let (configurationAddress, config) = block(of: changes[index].address)
                views.append(ResourceView.from(changes[index], file: document.file, configurationAddress: configurationAddress, config: config))
            }
            resources = views
        } else {
            resources = document.plannedResources.filter { $0.deposed == nil }.map { instance in
                let (configurationAddress, config) = block(of: instance.address)
                return ResourceView.from(instance, file: document.file, configurationAddress: configurationAddress, config: config)
            }
        }
        let managed = resources.filter(\.isManaged)
        var clusters = managed.filter { $0.type == "aws_rds_cluster" }.map { ClusterView(resource: $0) }
        let instances = managed.filter { $0.type == "aws_rds_cluster_instance" }
        let groups = managed.filter { $0.type == "aws_rds_cluster_parameter_group" }.map(ParameterGroupView.init)
        let rotations = managed.filter { $0.type == "aws_secretsmanager_secret_rotation" }

        let index = MatchingIndex(clusters: clusters, groups: groups)
        var unmatched: [ResourceView] = []
        for instance in instances {
            if let owner = clusterIndex(for: instance, index: index, configuration: configuration) {
                clusters[owner].instances.append(instance)
            } else {
                unmatched.append(instance)
            }
        }
        for position in clusters.indices {
            if let (group, how) = parameterGroup(for: clusters[position], groups: groups, index: index, configuration: configuration) {
                clusters[position].parameterGroup = group
                clusters[position].parameterGroupMatch = how
            }
        }
        // A secret referenced otherwise: which clusters' configuration refers to each resource (built on first need).
        var clustersBySecretReference: [String: [Int]]?
        for rotation in rotations {
            for owner in owners(of: rotation, index: index, configuration: configuration, clusters: clusters,
                                clustersBySecretReference: &clustersBySecretReference) {
                clusters[owner].rotations.append(rotation)
            }
        }

        let picture = MigrationPicture(
            document: document, resources: resources, clusters: clusters, source: nil, target: nil, roleReasons: [:],
            dmsReplicationInstances: managed.filter { $0.type == "aws_dms_replication_instance" },
            dmsEndpoints: managed.filter { $0.type == "aws_dms_endpoint" },
            dmsTasks: managed.filter { $0.type == "aws_dms_replication_task" },
            parameterGroups: groups, rotations: rotations, unmatchedInstances: unmatched)
        let roles = try RoleInference.assign(picture, source: source, target: target, namedPhase: namedPhase)
        var assigned = picture.assigning(
            source: roles.source.flatMap { index in clusters.indices.contains(index) ? clusters[index] : nil },
            target: roles.target.flatMap { index in clusters.indices.contains(index) ? clusters[index] : nil },
            roleReasons: roles.reasons, roleOrigins: roles.origins)
        if source != nil { assigned.declaredRoles.insert(.source) }
        if target != nil { assigned.declaredRoles.insert(.target) }
        return assigned
    }

    // MARK: - Matching

    /// Lookups built once, so matching stays linear however many clusters a plan holds.
    struct MatchingIndex {
        var clustersByConfigAddress: [String: [Int]] = [:]
        var clustersByIdentifier: [String: [Int]] = [:]
        var clustersBySecretARN: [String: [Int]] = [:]
        var groupsByConfigAddress: [String: [Int]] = [:]
        var groupsByName: [String: [Int]] = [:]

        init(clusters: [ClusterView], groups: [ParameterGroupView]) {
            for (position, cluster) in clusters.enumerated() {
                clustersByConfigAddress[cluster.resource.configurationAddress, default: []].append(position)
                for identifier in cluster.identifiers { clustersByIdentifier[identifier, default: []].append(position) }
                if let secret = cluster.masterSecretARN?.unmaskedString { clustersBySecretARN[secret, default: []].append(position) }
            }
            for (position, group) in groups.enumerated() {
                groupsByConfigAddress[group.resource.configurationAddress, default: []].append(position)
                var names = Set<String>()
                let attributes = ["name", "id"]
                let values = group.resource.hasAfter ? group.resource.afterAttributes(attributes) : group.resource.beforeAttributes(attributes)
                for value in values {
                    if let text = value?.unmaskedString { names.insert(text) }
                }
                for name in names { groupsByName[name, default: []].append(position) }
            }
        }

        static func lookup(_ keys: Set<String>, in table: [String: [Int]]) -> [Int] {
            Array(Set(keys.flatMap { table[$0] ?? [] })).sorted()
        }
    }

    private static func clusterIndex(for instance: ResourceView, index: MatchingIndex, configuration: Configuration) -> Int? {
        let byValue = instance.attribute("cluster_identifier")?.unmaskedString.map { index.clustersByIdentifier[$0] ?? [] }
        if let config = instance.config {
            let referenced = configuration.resolvedResources(ofAttribute: "cluster_identifier", of: config)
            let candidates = MatchingIndex.lookup(referenced, in: index.clustersByConfigAddress)
            if candidates.count == 1 { return candidates[0] }
            // A cluster with count/for_each: several instances share the block; the value decides.
            if candidates.count > 1, let values = byValue {
                let both = candidates.filter(values.contains)
                if both.count == 1 { return both[0] }
            }
        }
        guard let values = byValue, values.count == 1 else { return nil }
        return values[0]
    }

    private static func parameterGroup(for cluster: ClusterView, groups: [ParameterGroupView], index: MatchingIndex,
                                       configuration: Configuration) -> (ParameterGroupView, String)? {
        if let config = cluster.resource.config {
            let referenced = configuration.resolvedResources(ofAttribute: "db_cluster_parameter_group_name", of: config)
            let candidates = MatchingIndex.lookup(referenced, in: index.groupsByConfigAddress)
            if candidates.count == 1 {
                let group = groups[candidates[0]]
                return (group, "db_cluster_parameter_group_name refers to \(group.resource.configurationAddress)")
            }
        }
        let nameValue = cluster.resource.attribute("db_cluster_parameter_group_name")
        guard let name = nameValue?.unmaskedString,
              let candidates = index.groupsByName[name], candidates.count == 1 else { return nil }
        let group = groups[candidates[0]]
        if nameValue?.isSensitive == true {
            return (group, "db_cluster_parameter_group_name (sensitive) is the name of \(group.resource.addressText)")
        }
        return (group, "db_cluster_parameter_group_name is \(JSONQuoting.quoted(name))")
    }

    /// The clusters whose secret a rotation rotates: by configuration reference to the cluster
    /// (`master_user_secret[0].secret_arn`), to a secret the cluster's configuration also refers to,
    /// or by the secret ARN's value.
    private static func owners(of rotation: ResourceView, index: MatchingIndex, configuration: Configuration, clusters: [ClusterView],
                               clustersBySecretReference: inout [String: [Int]]?) -> [Int] {
        if let config = rotation.config {
            let referenced = configuration.resolvedResources(ofAttribute: "secret_id", of: config)
            if !referenced.isEmpty {
                let direct = MatchingIndex.lookup(referenced, in: index.clustersByConfigAddress)
                if !direct.isEmpty { return direct }
                if clustersBySecretReference == nil {
                    var table: [String: [Int]] = [:]
                    // The instances of one block (count, for_each) share its references: resolve each block once.
                    var referencesByBlock: [ObjectIdentifier: Set<String>] = [:]
                    for (position, cluster) in clusters.enumerated() {
                        guard let clusterConfig = cluster.resource.config else { continue }
                        let block = ObjectIdentifier(clusterConfig)
                        let references = referencesByBlock[block] ?? secretReferences(of: clusterConfig, configuration: configuration)
                        referencesByBlock[block] = references
                        for address in references {
                            table[address, default: []].append(position)
                        }
                    }
                    clustersBySecretReference = table
                }
                return MatchingIndex.lookup(referenced, in: clustersBySecretReference ?? [:])
            }
        }
        guard let secret = rotation.attribute("secret_id")?.unmaskedString else { return [] }
        return index.clustersBySecretARN[secret] ?? []
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
