import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

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
