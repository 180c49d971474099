import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG008: the target cluster and its instances are never deleted or replaced, and the
/// source cluster is not deleted or replaced before cleanup.
public struct NoDataLossRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG008",
        name: "no-data-loss",
        title: "The target is never destroyed, and the source only in cleanup",
        rationale: "The target cluster holds the migrated data from the full load onwards and its two instances carry the "
            + "failover the runbook relies on; deleting or replacing any of them loses the data or takes the database "
            + "down. Until cleanup the source is the system of record (and DMS's source), so destroying it earlier loses "
            + "data written since the last snapshot. A plan that forgets a cluster (removes it from state without "
            + "destroying it) loses nothing at once, but Terraform stops managing it: a warning.",
        runbookStep: "always: the target is kept; cleanup: destroy the source",
        phases: [.prepare, .fullLoad, .cutover, .cleanup],
        judgedAttributes: [
            "aws_rds_cluster_instance.cluster_identifier",
            "aws_rds_cluster.cluster_identifier",
        ],
        triggeringExamples: [
            .plan("target replaced during the full load", .fullLoad,
                  MigrationExamples.healthy(.fullLoad).withActions(MigrationExamples.target, ["delete", "create"])),
            .plan("target deleted at cutover", .cutover,
                  MigrationExamples.healthy(.cutover).withActions(MigrationExamples.target, ["delete"])),
            .plan("target deleted in cleanup", .cleanup,
                  MigrationExamples.healthy(.cleanup).withActions(MigrationExamples.target, ["delete"])),
            .plan("a target instance replaced", .cutover,
                  MigrationExamples.healthy(.cutover).withActions(MigrationExamples.targetInstances[0], ["create", "delete"])),
            .plan("source deleted before cleanup", .prepare,
                  MigrationExamples.healthy(.prepare).withActions(MigrationExamples.source, ["delete"])),
            .plan("source replaced during the full load", .fullLoad,
                  MigrationExamples.healthy(.fullLoad).withActions(MigrationExamples.source, ["delete", "create"])),
            .plan("target forgotten: removed from state, not destroyed (warning)", .cutover,
                  MigrationExamples.healthy(.cutover).withActions(MigrationExamples.target, ["forget"])),
        ],
        nonTriggeringExamples: [
            .plan("target created, source updated", .prepare, MigrationExamples.healthy(.prepare)),
            .plan("nothing destroyed during the full load", .fullLoad, MigrationExamples.healthy(.fullLoad)),
            .plan("cutover updates the target's parameter group only", .cutover, MigrationExamples.healthy(.cutover)),
            .plan("cleanup destroys the source and its instances", .cleanup, MigrationExamples.healthy(.cleanup)),
            .state("state after cutover", .cutover, MigrationExamples.healthy(.cutover)),
        ])

    public func evaluate(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        let picture = context.picture
        // A state plans nothing: there is nothing to destroy.
        guard context.isPlan else { return [] }
        guard let target = picture.target else {
            return [context.missing(.target, needed: "whether the plan destroys the target")]
        }
        findings += judge(target.resource, as: "the target cluster", consequence: "destroying the migrated data", context)
        for instance in target.instances {
            // An instance replaced only because its cluster is (cluster_identifier is all that forces it, or nothing
            // is named) follows the cluster: reverting the cluster's change keeps it too.
            if target.resource.isDestroyed, instance.isDestroyed,
               instance.replacePaths.allSatisfy({ $0 == [.attribute("cluster_identifier")] }) {
                let verb = instance.action == .delete ? "deletes" : "replaces"
                var finding = context.finding("the plan \(verb) target instance \(instance.addressText) with its cluster \(target.addressText), "
                    + "losing one of the two failover instances; keep the cluster and the instance stays", about: instance)
                finding.causeAddress = target.addressText
                findings.append(finding)
                continue
            }
            findings += judge(instance, as: "target instance", consequence: "losing one of the two failover instances (both: the database)", context)
        }
        if context.phase != .cleanup {
            if let source = picture.source {
                findings += judge(source.resource, as: "the source cluster",
                                  consequence: "losing the system of record before \(context.phase == .cutover ? "the switchover is validated" : "the migration is complete")",
                                  isSource: true, context)
            } else {
                findings.append(context.missing(.source, needed: "whether the plan destroys the source before cleanup"))
            }
        }
        return findings
    }

    private func judge(_ resource: ResourceView, as role: String, consequence: String, isSource: Bool = false, _ context: RuleContext) -> [Finding] {
        switch resource.action {
        case .delete:
            return [context.finding("the plan deletes \(role) \(resource.addressText), \(consequence); \(ReplacementCause.revertClause(resource))", about: resource)]
        case .deleteThenCreate, .createThenDelete:
            let order = resource.action == .deleteThenCreate ? "delete, then create" : "create, then delete"
            return [context.finding("the plan replaces \(role) \(resource.addressText) (\(order)), \(consequence); \(ReplacementCause.revertClause(resource))", about: resource)]
        case .createThenForget:
            return [context.finding("the plan replaces \(role) \(resource.addressText) with a new, empty one and forgets the old one, \(consequence); \(ReplacementCause.revertClause(resource))", about: resource)]
        case .forget:
            return [context.finding("the plan forgets \(role) \(resource.addressText): it keeps running but Terraform stops managing it, so later deploys no longer enforce its settings\(isSource ? " and cleanup cannot destroy it" : ""); drop the removed block or import it back", about: resource, level: .advisory)]
        default:
            return []
        }
    }
}
