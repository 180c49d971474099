import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG005: the target keeps at least two instances, and the source has two while its
/// logical-replication parameter still has to be applied by a reboot.
public struct InstanceCountRule: Rule {
    public init() {}

    static let minimumInstances = ClusterShape.minimumInstances

    public static let description = RuleDescription(
        id: "MIG005",
        name: "instance-count",
        title: "The target keeps two instances; the source has two until its reboot is done",
        rationale: "Parameter changes that need a reboot are applied without downtime by rebooting the reader, failing "
            + "over and rebooting the former writer. That takes two instances: the target needs them at cutover "
            + "(session_replication_role back to origin) and for the rest of its life, the source while "
            + "rds.logical_replication still has to take effect. With one instance the reboot is an outage of the "
            + "application (target) or of the application and DMS (source). Instances that no cluster can be matched "
            + "to are reported, since they might be the missing ones.",
        runbookStep: "prepare: target cluster; manual: source failover and reboot; manual: target reboot",
        phases: Set(Phase.allCases),
        judgedAttributes: [
            "aws_rds_cluster_instance.cluster_identifier",
            "aws_rds_cluster.cluster_identifier",
        ],
        triggeringExamples: [
            .plan("target with one instance", .prepare,
                  MigrationExamples.healthy(.prepare).removing(MigrationExamples.targetInstances[1])),
            .plan("cleanup destroys a target instance", .cleanup,
                  MigrationExamples.healthy(.cleanup).withActions(MigrationExamples.targetInstances[1], ["delete"])),
            .plan("source with one instance before its reboot (a warning)", .prepare,
                  MigrationExamples.healthy(.prepare).removing(MigrationExamples.sourceInstances[1])),
            .state("state after cutover with one target instance", .cutover,
                   MigrationExamples.healthy(.cutover).removing(MigrationExamples.targetInstances[0])),
        ],
        nonTriggeringExamples: [
            .plan("two instances on each side", .prepare, MigrationExamples.healthy(.prepare)),
            .plan("two instances on each side during the full load", .fullLoad, MigrationExamples.healthy(.fullLoad)),
            .plan("at cutover the source no longer needs two instances", .cutover,
                  MigrationExamples.healthy(.cutover).withActions(MigrationExamples.sourceInstances[1], ["delete"])),
            .plan("cleanup destroys the source instances", .cleanup, MigrationExamples.healthy(.cleanup)),
            .plan("an extra instance of unknown cluster (an open finding, not a failure)", .prepare,
                  MigrationExamples.healthy(.prepare).adding(ExampleResource(
                      "aws_rds_cluster_instance.extra", actions: ["create"], before: nil,
                      after: ["engine": "aurora-postgresql", "identifier": "app-extra", "instance_class": "db.r6g.large", "promotion_tier": 1],
                      unknown: ["cluster_identifier"]))),
            .state("state during the full load", .fullLoad, MigrationExamples.healthy(.fullLoad)),
        ])

    public func evaluate(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        let unattributed = context.picture.unmatchedInstances.filter { $0.hasAfter && !Self.namesACluster($0) }
        for instance in unattributed {
            findings.append(context.unverified("cluster_identifier of \(instance.addressText) is "
                + "\(instance.attribute("cluster_identifier") == .unknown ? "unknown until apply" : "not readable") and refers to "
                + "no cluster in this \(context.isPlan ? "plan" : "state"), so it cannot be counted for the source or the target",
                about: instance))
        }

        if let target = context.picture.target {
            findings += countFindings(target, role: .target, unattributed: unattributed.count, context)
        } else {
            findings.append(context.missing(.target, needed: "the target's instance count"))
        }

        // The source must survive a reboot (logical replication) only before and during the full load.
        if ClusterShape.sourceNeedsTwoInstances(context.phase) {
            if let source = context.picture.source {
                findings += countFindings(source, role: .source, unattributed: unattributed.count, context)
            } else {
                findings.append(context.missing(.source, needed: "the source's instance count"))
            }
        }
        return findings
    }

    private func countFindings(_ cluster: ClusterView, role: ClusterRole, unattributed: Int, _ context: RuleContext) -> [Finding] {
        let remaining = cluster.instances.filter { $0.hasAfter }
        guard remaining.count < Self.minimumInstances else { return [] }
        let listed = remaining.isEmpty ? "" : " (\(remaining.map(\.addressText).joined(separator: ", ")))"
        let kept = "\(cluster.addressText) keeps \(remaining.count) instance\(remaining.count == 1 ? "" : "s")\(listed) after this "
            + "\(context.isPlan ? "deploy" : "state")"
        if remaining.count + unattributed >= Self.minimumInstances {
            return [context.unverified("\(kept), and instances whose cluster is unknown until apply might make up the "
                + "\(Self.minimumInstances), so the \(role.rawValue)'s instance count cannot be checked", about: cluster.resource)]
        }
        switch role {
        case .target:
            return [context.finding("\(kept); the target needs \(Self.minimumInstances) so its parameter changes can be "
                + "applied by rebooting the reader and failing over without downtime: add an aws_rds_cluster_instance with "
                + "promotion_tier = 1", about: cluster.resource)]
        case .source:
            return [context.finding("\(kept); rds.logical_replication takes effect only after a reboot, which with fewer "
                + "than \(Self.minimumInstances) instances cannot be done by failover without downtime: add a reader "
                + "instance before rebooting", about: cluster.resource, level: .advisory)]
        }
    }

    /// Whether an instance names a cluster by a readable identifier (then it belongs to a
    /// cluster outside this document, not to the source or the target).
    static func namesACluster(_ instance: ResourceView) -> Bool {
        guard let identifier = instance.attribute("cluster_identifier")?.unmaskedString else { return false }
        return !identifier.isEmpty
    }
}
