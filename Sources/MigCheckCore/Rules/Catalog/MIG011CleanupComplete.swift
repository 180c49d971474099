/// MIG011: after cleanup nothing migration-only remains: DMS resources, the source's
/// logical-replication parameter group, the schema-prep ECS service, and the source cluster.
public struct CleanupCompleteRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG011",
        name: "cleanup-complete",
        title: "Cleanup leaves no migration-only resource behind",
        rationale: "A DMS replication instance bills by the hour and a running task keeps a logical replication slot on "
            + "the source, which retains WAL until the disk fills; the schema-prep service is a shell with the target's "
            + "master credentials; a kept source cluster, its logical-replication parameter group and secret rotation "
            + "keep costing money and leave a second copy of the data that nobody maintains.",
        runbookStep: "cleanup: destroy the migration-only resources",
        phases: [.cleanup],
        defaultSeverity: .warning,
        parameters: [
            // Addresses (or module prefixes such as "module.prepare_new_db_service") that are migration-only.
            "migrationOnlyAddresses": .array([]),
            // Container environment entries NAME=value that mark the schema-prep service (the runbook's `type none`).
            "schemaPrepMarkers": .array(["SERVER_TYPE=none"]),
        ],
        judgedAttributes: [
            "aws_ecs_task_definition.container_definitions",
            "aws_rds_cluster_parameter_group.parameter",
        ],
        triggeringExamples: [
            .plan("the DMS replication instance is kept", .cleanup,
                  MigrationExamples.healthy(.cleanup).withActions(MigrationExamples.replicationInstance, ["no-op"])),
            .plan("the source's logical-replication parameter group is kept", .cleanup,
                  MigrationExamples.healthy(.cleanup).withActions(MigrationExamples.sourceGroup, ["no-op"])),
            .plan("the source cluster is kept", .cleanup,
                  MigrationExamples.healthy(.cleanup).withActions(MigrationExamples.source, ["no-op"])),
            .plan("the schema-prep task definition (SERVER_TYPE=none) is kept", .cleanup,
                  MigrationExamples.healthy(.cleanup).withActions(MigrationExamples.schemaPrep, ["no-op"])
                    .setting(MigrationExamples.schemaPrep, "container_definitions", to: schemaPrepContainers, beforeToo: true)),
            .plan("the DMS task is forgotten (removed with destroy = false) instead of destroyed", .cleanup,
                  MigrationExamples.healthy(.cleanup).withActions(MigrationExamples.task, ["forget"])),
            .state("state after cleanup still holding the DMS replication instance", .cleanup,
                   MigrationExamples.healthy(.cleanup).withActions(MigrationExamples.replicationInstance, ["no-op"])),
        ],
        nonTriggeringExamples: [
            .plan("cleanup destroys every migration-only resource", .cleanup, MigrationExamples.healthy(.cleanup)),
            .plan("an application task definition on the target stays", .cleanup,
                  MigrationExamples.healthy(.cleanup).setting(MigrationExamples.appTask, "network_mode", to: "awsvpc", beforeToo: true)),
            .state("state after cleanup", .cleanup, MigrationExamples.healthy(.cleanup)),
        ])

    /// The healthy schema-prep containers with the runbook's `type none` marker added.
    static var schemaPrepContainers: JSONLiteral {
        let containers: JSONLiteral = [[
            "name": "app-prepare-new-db", "image": "123456789012.dkr.ecr.eu-west-2.amazonaws.com/app:v42", "essential": true,
            "environment": [["name": "DB_HOST", "value": .string(MigrationExamples.targetHost)], ["name": "SERVER_TYPE", "value": "none"]],
        ]]
        return .string(containers.serialized)
    }

    public func evaluate(_ context: RuleContext) -> [Finding] {
        let picture = context.picture
        var findings: [Finding] = []
        var reported = Set<String>()
        let remedy = context.isPlan ? "remove it from the configuration so this deploy destroys it" : "remove it from the configuration and apply"
        func report(_ resource: ResourceView, _ what: String, first: String = "") {
            guard reported.insert(resource.addressText).inserted else { return }
            if resource.action == .forget {
                findings.append(context.finding("the plan forgets \(what) \(resource.addressText) (removed with destroy = false): it leaves "
                    + "Terraform but keeps existing in AWS; destroy it instead", about: resource))
            } else {
                findings.append(context.finding("\(what) \(resource.addressText) remains after cleanup; \(first)\(remedy)", about: resource))
            }
        }
        let leftover: (ResourceView) -> Bool = { $0.hasAfter || $0.action == .forget }

        // The DMS module: every aws_dms_* resource and whatever else its module holds.
        let dmsModules = MigrationOnly.dmsModules(picture)
        for resource in picture.resources where resource.isManaged && leftover(resource) {
            if MigrationOnly.isDMS(resource) {
                report(resource, resource.type == "aws_dms_replication_task" ? "DMS replication task" : "DMS resource")
            } else if MigrationOnly.isInDMSModule(resource, dmsModules) {
                report(resource, "resource of the DMS module")
            }
        }
        // Roles only DMS can assume (dms-vpc-role, dms-cloudwatch-logs-role, secret access).
        for role in picture.resources where role.type == "aws_iam_role" && role.isManaged && leftover(role) {
            if let node = role.afterNode, !node.rawBytesContain(Array("dms.".utf8)) { continue }
            if let trust = role.attribute("assume_role_policy")?.unmaskedString, let document = IAMPolicyDocument(json: trust),
               document.trusts(servicePrefix: "dms") {
                report(role, "IAM role for DMS", first: "unless other DMS tasks in the account use it, ")
            }
        }

        // The source cluster, its instances, parameter group and secret rotation.
        let remainingClusters = picture.clusters.filter { $0.resource.hasAfter }
        if let source = picture.source {
            if leftover(source.resource) {
                let protected = source.resource.attribute("deletion_protection")?.unmasked.boolValue == true
                report(source.resource, "the source cluster", first: protected ? "turn off its deletion_protection (cleanup step 1), then " : "")
            }
            for instance in source.instances where leftover(instance) && !leftover(source.resource) {
                report(instance, "instance of the destroyed source cluster")
            }
            if let group = source.parameterGroup, leftover(group.resource),
               !remainingClusters.contains(where: { $0.addressText != source.addressText && $0.parameterGroup?.resource.addressText == group.resource.addressText }) {
                let logical = group.parameters?["rds.logical_replication"]?.value.unmasked.scalarText == "1"
                report(group.resource, logical ? "the source's logical-replication parameter group" : "the source's parameter group")
            }
            for rotation in source.rotations where leftover(rotation) {
                report(rotation, "the rotation of the source's master secret")
            }
        }
        // Logical-replication groups no remaining cluster uses (the source may be gone already).
        for group in picture.parameterGroups where leftover(group.resource) && group.parameters?["rds.logical_replication"]?.value.unmasked.scalarText == "1" {
            let inUse = remainingClusters.contains { cluster in
                cluster.addressText != picture.source?.addressText && cluster.parameterGroup?.resource.addressText == group.resource.addressText
            }
            if !inUse { report(group.resource, "logical-replication parameter group") }
        }

        // The schema-prep service, and whatever exists only for it.
        let markers = MigrationOnly.strings(context.parameters["schemaPrepMarkers"])
        for resource in MigrationOnly.schemaPrepResources(picture, markers: markers) where leftover(resource) {
            report(resource, resource.type == "aws_ecs_task_definition" ? "the schema-prep task definition" : "part of the schema-prep service")
        }

        // Whatever the policy names as migration-only.
        let named = MigrationOnly.strings(context.parameters["migrationOnlyAddresses"])
        for resource in picture.resources where leftover(resource) && MigrationOnly.matches(resource, named) {
            report(resource, "resource named in migrationOnlyAddresses")
        }
        return findings
    }
}

/// What exists only for the migration, recognised without resource names.
enum MigrationOnly {
    static func isDMS(_ resource: ResourceView) -> Bool { resource.type.hasPrefix("aws_dms_") }

    /// Module instances (never the root) that hold DMS resources and no Aurora cluster or
    /// instance: the DMS module, whose every resource is migration-only.
    static func dmsModules(_ picture: MigrationPicture) -> Set<[ModuleStep]> {
        var withDMS = Set<[ModuleStep]>()
        var withClusters = Set<[ModuleStep]>()
        for resource in picture.resources where !resource.address.modulePath.isEmpty {
            if isDMS(resource) { withDMS.insert(resource.address.modulePath) }
            if resource.type == "aws_rds_cluster" || resource.type == "aws_rds_cluster_instance" {
                withClusters.insert(resource.address.modulePath)
            }
        }
        return withDMS.subtracting(withClusters)
    }

    static func isInDMSModule(_ resource: ResourceView, _ modules: Set<[ModuleStep]>) -> Bool {
        !resource.address.modulePath.isEmpty && modules.contains(resource.address.modulePath)
    }

    /// A policy parameter holding a list of strings.
    static func strings(_ literal: JSONLiteral?) -> [String] {
        guard case .array(let items)? = literal else { return [] }
        return items.compactMap { item in
            if case .string(let text) = item { return text }
            return nil
        }
    }

    /// An address equal to an entry, or inside it (`module.x` covers `module.x.aws_y.z` and `module.x["k"]…`).
    static func matches(_ resource: ResourceView, _ entries: [String]) -> Bool {
        let address = resource.addressText
        return entries.contains { entry in
            !entry.isEmpty && (address == entry || resource.configurationAddress == entry
                || address.hasPrefix(entry + ".") || address.hasPrefix(entry + "["))
        }
    }

    /// The schema-prep service: ECS task definitions whose containers carry a marker
    /// (`NAME=value` environment entries, by default the runbook's `SERVER_TYPE=none`) or
    /// only idle (`sleep infinity`, `tail -f /dev/null`) so that someone can shell in; the ECS
    /// services running them; the rest of a module instance built around one of them; and
    /// security group rules that refer to any of these.
    static func schemaPrepResources(_ picture: MigrationPicture, markers: [String]) -> [ResourceView] {
        // A byte search first: only candidates have their container definitions parsed.
        let needles = (markers.compactMap { $0.split(separator: "=").first.map(String.init) } + ["sleep", "tail"]).map { Array($0.utf8) }
        let definitions = picture.resources.filter { definition in
            guard definition.type == "aws_ecs_task_definition", definition.isManaged else { return false }
            if let node = definition.afterNode, !needles.contains(where: { node.rawBytesContain($0) }) { return false }
            return isSchemaPrep(definition, markers: markers)
        }
        guard !definitions.isEmpty else { return [] }
        var result = definitions
        var addresses = Set(definitions.map(\.addressText))
        let configuration = picture.document.configuration
        func add(_ resource: ResourceView) {
            if addresses.insert(resource.addressText).inserted { result.append(resource) }
        }

        let families = Set(definitions.compactMap { $0.attribute("family")?.unmaskedString })
        let definitionConfigs = Set(definitions.map(\.configurationAddress))
        for service in picture.resources where service.type == "aws_ecs_service" && service.isManaged {
            var runs = false
            if let config = service.config {
                runs = !configuration.resolvedResources(ofAttribute: "task_definition", of: config).isDisjoint(with: definitionConfigs)
            }
            if !runs, let value = service.attribute("task_definition")?.unmaskedString {
                runs = families.contains(family(ofTaskDefinition: value))
            }
            if runs { add(service) }
        }

        // A module instance whose only task definition is the schema-prep one is the schema-prep service.
        let modules = Set(definitions.map(\.address.modulePath).filter { !$0.isEmpty })
        for module in modules {
            let members = picture.resources.filter { $0.address.modulePath == module && $0.isManaged }
            let otherDefinitions = members.filter { $0.type == "aws_ecs_task_definition" && !addresses.contains($0.addressText) }
            let holdsDatabase = members.contains { $0.type.hasPrefix("aws_rds_") || isDMS($0) }
            guard otherDefinitions.isEmpty, !holdsDatabase else { continue }
            members.forEach(add)
        }

        let prepConfigs = Set(result.map(\.configurationAddress))
        let ruleTypes: Set<String> = ["aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"]
        for rule in picture.resources where ruleTypes.contains(rule.type) && rule.isManaged {
            guard let config = rule.config else { continue }
            if !ConfigurationReferences.resources(of: config, in: configuration).isDisjoint(with: prepConfigs) { add(rule) }
        }
        return result
    }

    static func isSchemaPrep(_ definition: ResourceView, markers: [String]) -> Bool {
        // Sensitive definitions are read all the same: only the verdict comes out of them.
        guard let text = definition.attribute("container_definitions")?.unmaskedString,
              let parsed = try? JSONDocument(text: text), case .list(let containers) = TerraformValue.from(parsed.root) else { return false }
        for container in containers {
            if case .list(let environment)? = container["environment"] {
                for entry in environment {
                    guard let name = entry["name"]?.stringValue else { continue }
                    let value = entry["value"]?.scalarText ?? ""
                    if markers.contains("\(name)=\(value)") { return true }
                }
            }
            for key in ["command", "entryPoint"] {
                guard case .list(let parts)? = container[key] else { continue }
                let line = parts.compactMap(\.stringValue).joined(separator: " ")
                if line.contains("sleep infinity") || line.contains("tail -f /dev/null") { return true }
            }
        }
        return false
    }

    /// `arn:aws:ecs:…:task-definition/app-prep:3`, `app-prep:3` or `app-prep` → `app-prep`.
    static func family(ofTaskDefinition value: String) -> String {
        var text = Substring(value)
        if let slash = text.lastIndex(of: "/") { text = text[text.index(after: slash)...] }
        if let colon = text.lastIndex(of: ":"), text[text.index(after: colon)...].allSatisfy(\.isNumber) { text = text[..<colon] }
        return String(text)
    }
}
