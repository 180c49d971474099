import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG012: from cutover on, nothing but the migration's own resources still points at the
/// source cluster, by configuration reference or by its endpoint, ARN or identifier in a value.
public struct ConsumersSwitchedRule: Rule {
    public init() {}

    /// Cluster identifiers shorter than this are too likely to occur by chance ("app", "main").
    static let minimumIdentifierLength = 8

    public static let description = RuleDescription(
        id: "MIG012",
        name: "consumers-switched",
        title: "From cutover on, nothing but the migration itself points at the source cluster",
        rationale: "A service still configured with the source's endpoint keeps writing to the old cluster after the "
            + "switchover: its writes never reach the target (DMS is stopped right after the switchover) and are lost when "
            + "the source is destroyed; in cleanup, anything still referring to the source breaks the moment it is gone.",
        runbookStep: "cutover: services point at the target; cleanup: destroy the source",
        phases: [.cutover, .cleanup],
        parameters: [
            // Addresses (or module prefixes) allowed to keep pointing at the source, e.g. a monitoring stack.
            "ignoreAddresses": .array([]),
        ],
        judgedAttributes: [
            "aws_ecs_task_definition.container_definitions",
            "aws_rds_cluster.endpoint",
            "aws_rds_cluster.reader_endpoint",
            "aws_ssm_parameter.value",
        ],
        triggeringExamples: [
            .plan("the application's DB_HOST stays on the source endpoint", .cutover,
                  MigrationExamples.healthy(.cutover).setting(MigrationExamples.appTask, "container_definitions",
                                                              to: containers(host: MigrationExamples.sourceHost))),
            .plan("a worker still reads the source's reader endpoint after cleanup", .cleanup,
                  MigrationExamples.healthy(.cleanup).adding(ExampleResource(
                    "aws_ecs_task_definition.worker", actions: ["no-op"],
                    before: ["family": "worker", "container_definitions": containers(host: readerHost)],
                    after: ["family": "worker", "container_definitions": containers(host: readerHost)]))),
            .plan("an SSM parameter refers to the source's endpoint in the configuration (value unknown)", .cutover,
                  MigrationExamples.healthy(.cutover).adding(ExampleResource(
                    "aws_ssm_parameter.db_host", actions: ["update"],
                    before: ["name": "/app/db_host", "type": "String", "value": .string(MigrationExamples.sourceHost)],
                    after: ["name": "/app/db_host", "type": "String"], unknown: ["value"],
                    references: ["value": ["\(MigrationExamples.source).endpoint", MigrationExamples.source]]))),
            .state("state after cutover with the application on the source", .cutover,
                   MigrationExamples.healthy(.cutover).setting(MigrationExamples.appTask, "container_definitions",
                                                               to: containers(host: MigrationExamples.sourceHost))),
        ],
        nonTriggeringExamples: [
            .plan("services switched to the target", .cutover, MigrationExamples.healthy(.cutover)),
            .plan("cleanup destroys the source and its references", .cleanup, MigrationExamples.healthy(.cleanup)),
            .plan("the source's own log group and subnet group (named after it) stay until cleanup", .cutover,
                  MigrationExamples.healthy(.cutover)
                    .adding(ExampleResource("aws_cloudwatch_log_group.legacy", actions: ["no-op"],
                                            before: ["name": "/aws/rds/cluster/app-legacy/postgresql", "retention_in_days": 30],
                                            after: ["name": "/aws/rds/cluster/app-legacy/postgresql", "retention_in_days": 30]))
                    .adding(ExampleResource("aws_db_subnet_group.legacy", actions: ["no-op"],
                                            before: ["name": "app-legacy", "id": "app-legacy"], after: ["name": "app-legacy", "id": "app-legacy"]))
                    .settingReferences(MigrationExamples.source, "db_subnet_group_name",
                                       to: ["aws_db_subnet_group.legacy.name", "aws_db_subnet_group.legacy"])),
            .state("state after cleanup (no source left to point at: the expected outcome, a pass)", .cleanup, MigrationExamples.healthy(.cleanup)),
        ])

    static var readerHost: String { MigrationExamples.sourceHost.replacingFirst("cluster-", with: "cluster-ro-") }

    package static func containers(host: String) -> JSONLiteral {
        MigrationExamples.taskDefinition(family: "app", host: host)["container_definitions"] ?? .null
    }

    public func evaluate(_ context: RuleContext) -> [Finding] {
        let picture = context.picture
        guard let source = picture.source else {
            // After cleanup the source is gone by design: its absence beside the target is the expected outcome.
            if context.phase == .cleanup, picture.target != nil { return [] }
            return [context.missing(.source, needed: "whether anything still points at it")]
        }
        let markers = SourceMarkers(source, minimumIdentifierLength: Self.minimumIdentifierLength)
        let own = Self.ownResources(of: source, in: picture)
        let ignored = MigrationOnly.strings(context.parameters["ignoreAddresses"])
        let configuration = picture.document.configuration
        let referenceTargets = Set(([source.resource] + source.instances).map(\.configurationAddress))
        var referencesByBlock: [String: [(attribute: String, address: String)]] = [:]
        let targetName = picture.target.flatMap { $0.resource.attribute("endpoint")?.stringValue }.map { "the target's endpoint \(JSONQuoting.quoted($0, limit: 120))" }
            ?? picture.target.map { "the target \($0.addressText)" } ?? "the target"
        let when = context.phase == .cleanup ? "before the source is destroyed" : "so it follows the switchover"

        var findings: [Finding] = []
        for resource in picture.resources where resource.hasAfter {
            if own.contains(resource.addressText) || MigrationOnly.matches(resource, ignored) { continue }

            if let node = resource.afterNode, let hit = markers.firstHit(in: node) {
                let isPolicy = PolicyDocumentSource.documentAttributes[resource.type] != nil || resource.type == "aws_iam_role"
                // The match is quoted only when neither it nor the attribute it was found in is sensitive:
                // otherwise the resource and attribute are named, not the match.
                let hidden = hit.marker.hidden || resource.afterAttribute(hit.attribute)?.containsSensitive != false
                let shown = hidden ? "(sensitive, not shown)" : JSONQuoting.quoted(hit.marker.text, limit: 120)
                if hit.marker.label == SourceMarkers.secretLabel, isPolicy {
                    findings.append(context.finding("\(resource.addressText)'s \(hit.attribute) still grants the source cluster's master secret "
                        + "\(shown); drop it once nothing reads the source", about: resource, level: .advisory))
                } else {
                    findings.append(context.finding("\(resource.addressText)'s \(picture.isPlan ? "planned " : "")\(hit.attribute) still holds the source cluster's "
                        + "\(hit.marker.label) \(shown); point it at \(targetName) \(when)", about: resource))
                }
                continue
            }

            guard let config = resource.config else { continue }
            let key = config.qualifiedAddress
            if referencesByBlock[key] == nil {
                var found: [(attribute: String, address: String)] = []
                for attribute in config.expressions.keys.sorted() {
                    guard let expression = config.expressions[attribute] else { continue }
                    let resolved = configuration.resolvedResources(of: expression, in: config.modulePath)
                    if let address = resolved.intersection(referenceTargets).sorted().first { found.append((attribute, address)) }
                }
                referencesByBlock[key] = found
            }
            guard let reference = referencesByBlock[key]?.first else { continue }
            // A known value (sensitive ones included: their raw bytes were searched above) holds no marker.
            let value = resource.afterAttribute(reference.attribute)
            let known: Bool
            switch value {
            case .sensitive(let hidden)?: known = !hidden.isUnknown
            case let value?: known = !value.containsUnknown
            case nil: known = false
            }
            if known {
                findings.append(context.finding("\(resource.addressText)'s \(reference.attribute) still refers to \(reference.address) in the "
                    + "configuration although its planned value holds none of the source's endpoints; remove the reference \(when)",
                    about: resource, level: .advisory))
            } else {
                findings.append(context.finding("\(resource.addressText)'s \(reference.attribute) refers to \(reference.address) in the "
                    + "configuration (its value is known only after apply); point it at \(targetName) \(when)", about: resource))
            }
        }

        // Outputs feed other stacks (terraform_remote_state); an output on the source keeps them there.
        for output in picture.document.outputChanges where output.change.action != .delete {
            guard let node = output.change.after, !node.isNull, let marker = markers.firstMarker(in: node) else { continue }
            // Outputs can be marked sensitive in several places (output_changes, planned_values): the match is never quoted.
            findings.append(context.finding("output \(JSONQuoting.quoted(output.name)) still holds the source cluster's \(marker.label); "
                + "stacks reading it stay on the source", about: nil, level: .advisory))
        }
        return findings
    }

    /// The migration's own resources, allowed to point at the source: DMS and its module, the
    /// source itself with its instances, parameter group and secret rotation, what the source
    /// depends on (subnet group, security groups, keys: often named after it), its log groups
    /// and its snapshots.
    static func ownResources(of source: ClusterView, in picture: MigrationPicture) -> Set<String> {
        var own = Set<String>()
        let dmsModules = MigrationOnly.dmsModules(picture)
        for resource in picture.resources where MigrationOnly.isDMS(resource) || MigrationOnly.isInDMSModule(resource, dmsModules) {
            own.insert(resource.addressText)
        }
        let parts = [source.resource] + source.instances
        parts.forEach { own.insert($0.addressText) }
        if let group = source.parameterGroup { own.insert(group.resource.addressText) }
        source.rotations.forEach { own.insert($0.addressText) }

        // What the source and its instances refer to, by configuration or by value.
        let configuration = picture.document.configuration
        var dependencies = Set<String>()
        var dependencyValues = Set<String>()
        let dependencyAttributes = ["db_subnet_group_name", "db_cluster_parameter_group_name", "db_instance_parameter_group_name",
                                    "db_parameter_group_name", "vpc_security_group_ids", "kms_key_id", "performance_insights_kms_key_id",
                                    "monitoring_role_arn", "iam_roles", "master_user_secret_kms_key_id"]
        for part in parts {
            if let config = part.config { dependencies.formUnion(ConfigurationReferences.resources(of: config, in: configuration)) }
            for attribute in dependencyAttributes {
                switch part.current[attribute]?.fullyUnmasked {
                case .string(let text)? where !text.isEmpty: dependencyValues.insert(text)
                case .list(let items)?: items.compactMap(\.stringValue).filter { !$0.isEmpty }.forEach { dependencyValues.insert($0) }
                default: break
                }
            }
        }
        let clusterAddresses = Set(picture.clusters.map(\.addressText))
        let identifier = source.resource.attribute("cluster_identifier")?.unmaskedString
        // Only the kinds of resource those attributes name are read (values are parsed lazily).
        let dependencyTypes: Set<String> = ["aws_db_subnet_group", "aws_rds_cluster_parameter_group", "aws_db_parameter_group",
                                            "aws_security_group", "aws_kms_key", "aws_kms_alias", "aws_iam_role"]
        for resource in picture.resources where !clusterAddresses.contains(resource.addressText) {
            if dependencies.contains(resource.configurationAddress)
                || (dependencyTypes.contains(resource.type)
                    && ["id", "name", "arn"].contains(where: { resource.current[$0]?.unmaskedString.map(dependencyValues.contains) == true })) {
                own.insert(resource.addressText)
            }
            if let identifier, !identifier.isEmpty {
                if resource.type == "aws_cloudwatch_log_group",
                   resource.attribute("name")?.stringValue?.hasPrefix("/aws/rds/cluster/\(identifier)/") == true {
                    own.insert(resource.addressText)
                }
                if resource.type == "aws_db_cluster_snapshot", resource.attribute("db_cluster_identifier")?.stringValue == identifier {
                    own.insert(resource.addressText)
                }
            }
        }
        return own
    }
}
