import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG018: what the plan rules hold the clusters to (MIG001, MIG004, MIG005, MIG007), checked on
/// the live clusters, which drift outside Terraform: deletion protection as the cleanup needs it,
/// engine versions, the target's promotion tiers and instance counts.
public struct LiveProtectionRule: ReadinessRule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG018",
        name: "live-protection-and-drift",
        title: "Live, the source is unprotected and the target protected before cleanup; versions, tiers and instances have not drifted",
        rationale: "Deletion protection is turned off by hand before the cleanup deploy (post-migration step 1): if the source is "
            + "still protected, AWS refuses to delete it and the apply stops halfway; the target holds the only copy of the data "
            + "and must stay protected. Engine versions (a minor upgrade in the maintenance window), promotion tiers and instances "
            + "change outside Terraform, so a plan can be right while the live clusters are not: the source and the target must "
            + "run the same version while DMS replicates (MIG001), every target member must be on promotion tier 1 (MIG004) and "
            + "the target must keep two instances, the source too until its reboot is done (MIG005), or the runbook's "
            + "reboot-and-failover is an outage.",
        runbookStep: "manual: unprotect the source; always: the target is kept; manual: target reboot",
        phases: [.fullLoad, .cutover, .cleanup],
        triggeringExamples: [
            .evidence("the source still protected before the cleanup deploy", .cleanup,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cleanup), with: ReadinessExamples.clusters())),
            .evidence("the target upgraded to another minor version outside Terraform", .cutover,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cutover),
                                                  with: ReadinessExamples.clusters(targetShape: .init(engineVersion: "16.6")))),
            .evidence("a target member on tier 0 and the target down to one instance", .fullLoad,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.fullLoad), with: ReadinessExamples.clusters(
                          target: [ReadinessExamples.Member(instance: "app-core-1", writer: true, status: "in-sync", tier: 0)]))),
        ],
        nonTriggeringExamples: [
            .evidence("same version, tiers 1, two instances each, both protected", .cutover, ReadinessExamples.healthy(.cutover)),
            .evidence("the source unprotected and the target protected before cleanup", .cleanup, ReadinessExamples.healthy(.cleanup)),
        ])

    public func evaluate(_ context: ReadinessContext) -> [Finding] {
        let live = context.live
        guard live.answered(.dbClusters), !live.clusters.isEmpty else {
            return [context.collect(.dbClusters, arguments: "", needed: "Deletion protection, engine versions, tiers and instances")]
        }
        var findings: [Finding] = []
        for role in [ClusterRole.source, .target] where live.cluster(role) == nil {
            findings.append(context.finding("no \(role.rawValue) cluster found in the evidence (joined by the plan's or state's "
                + "cluster identifier, the DMS \(role.rawValue) endpoint, or describe-db-clusters.\(role.rawValue).json), so its "
                + "deletion protection, version and instances cannot be checked", at: nil, kind: .open))
        }
        // The source's protection matters only when it is about to be destroyed (as MIG007 judges the plan).
        if let source = live.source, context.phase == .cleanup { findings += protection(source, .source, context) }
        if let target = live.target {
            findings += protection(target, .target, context)
            findings += tiers(target, context)
        }
        for case let (role, cluster?) in [(ClusterRole.source, live.source), (.target, live.target)]
            where role == .target || ClusterShape.sourceNeedsTwoInstances(context.phase) {
            findings += count(cluster, role, context)
        }
        if ClusterShape.enginesMustMatch(context.phase), let source = live.source, let target = live.target {
            findings += versions(source, target, context)
        }
        return findings
    }

    /// Before cleanup the source unprotected (else the destroy stops halfway); the target always protected.
    func protection(_ cluster: LiveCluster, _ role: ClusterRole, _ context: ReadinessContext) -> [Finding] {
        let wanted = role == .target
        let address = context.live.planAddress(of: role)
        guard let actual = cluster.deletionProtection else {
            return [context.finding("the \(role.rawValue) cluster \(cluster.identifier) has no DeletionProtection in the evidence, so "
                + "its deletion protection cannot be checked; collect describe-db-clusters again", at: cluster.location,
                address: address, kind: .open, subject: cluster.identifier)]
        }
        guard actual != wanted else { return [] }
        if role == .source {
            return [context.finding("the source cluster \(cluster.identifier) still has deletion protection on: AWS refuses to delete "
                + "it and the cleanup deploy stops halfway; turn it off first (`aws rds modify-db-cluster --db-cluster-identifier "
                + "\(cluster.identifier) --no-deletion-protection --apply-immediately`)", at: cluster.location, address: address,
                subject: cluster.identifier)]
        }
        return [context.finding("the target cluster \(cluster.identifier) has deletion protection off, live: it holds the only "
            + "copy of the migrated data; turn it on (`aws rds modify-db-cluster --db-cluster-identifier \(cluster.identifier) --deletion-protection "
            + "--apply-immediately`) and set deletion_protection = true in Terraform", at: cluster.location, address: address,
            subject: cluster.identifier)]
    }

    /// MIG004, live: every target member on the tier Aurora promotes predictably.
    func tiers(_ target: LiveCluster, _ context: ReadinessContext) -> [Finding] {
        let address = context.live.planAddress(of: .target)
        return target.members.compactMap { member in
            guard let tier = member.promotionTier ?? context.live.instance(member.instance)?.promotionTier else {
                return context.finding("\(member.instance) of the target cluster \(target.identifier) has no PromotionTier in the "
                    + "evidence, so its tier cannot be checked", at: member.location, address: address, kind: .open,
                    subject: member.instance)
            }
            return ClusterShape.promotionTierProblem(tier).map { problem in
                context.finding("\(member.instance) (\(member.isWriter ? "writer" : "reader")) of the target cluster "
                    + "\(target.identifier) is on promotion tier \(tier), live; " + problem + " (`aws rds modify-db-instance "
                    + "--db-instance-identifier \(member.instance) --promotion-tier \(ClusterShape.targetPromotionTier)`), and in "
                    + "Terraform", at: member.location, address: address, subject: member.instance)
            }
        }
    }

    /// MIG005, live: the target keeps two members; the source too while its reboot is due.
    func count(_ cluster: LiveCluster, _ role: ClusterRole, _ context: ReadinessContext) -> [Finding] {
        guard cluster.members.count < ClusterShape.minimumInstances else { return [] }
        let listed = cluster.members.map(\.instance).joined(separator: ", ")
        let message = "the \(role.rawValue) cluster \(cluster.identifier) has \(cluster.members.count) instance"
            + "\(cluster.members.count == 1 ? "" : "s") live\(listed.isEmpty ? "" : " (\(listed))"), fewer than "
            + "\(ClusterShape.minimumInstances): a reboot for a parameter change cannot fail over without downtime; add "
            + (role == .target ? "an instance with promotion tier \(ClusterShape.targetPromotionTier)" : "a reader before rebooting")
            + ", in Terraform"
        var finding = context.finding(message, at: cluster.location, address: context.live.planAddress(of: role),
                                      subject: cluster.identifier)
        if role == .source { finding.severity = min(finding.severity, .warning) }
        return [finding]
    }

    /// MIG001, live: DMS replicates between the same engine version.
    func versions(_ source: LiveCluster, _ target: LiveCluster, _ context: ReadinessContext) -> [Finding] {
        guard let sourceVersion = source.engineVersion, let targetVersion = target.engineVersion else {
            let missing = source.engineVersion == nil ? source : target
            return [context.finding("\(missing.identifier) has no EngineVersion in the evidence, so the engine versions cannot be "
                + "compared", at: missing.location, kind: .open, subject: missing.identifier)]
        }
        var findings: [Finding] = []
        if let sourceEngine = source.engine, let targetEngine = target.engine, sourceEngine != targetEngine {
            findings.append(context.finding("the target cluster \(target.identifier) runs \(targetEngine), the source "
                + "\(source.identifier) \(sourceEngine), live: DMS replicates between mismatched engines", at: target.location,
                address: context.live.planAddress(of: .target), subject: target.identifier))
        }
        if !ClusterShape.sameEngineVersion(sourceVersion, targetVersion) {
            findings.append(context.finding("the target cluster \(target.identifier) runs engine version \(targetVersion), the "
                + "source \(source.identifier) \(sourceVersion), live (changed outside Terraform, e.g. a minor upgrade in a "
                + "maintenance window): DMS replicates between mismatched versions; bring them to the same version and set "
                + "engine_version to it in Terraform", at: target.location, address: context.live.planAddress(of: .target),
                subject: target.identifier))
        }
        return findings
    }
}
