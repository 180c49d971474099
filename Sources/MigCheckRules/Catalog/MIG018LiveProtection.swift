import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG018: what the plan rules hold the clusters to (MIG001, MIG004, MIG005, MIG007), checked on
/// the live clusters, which drift outside Terraform: deletion protection as the cleanup needs it,
/// engine versions (of the clusters and of each member), the target's promotion tiers and
/// instance counts (only members whose status lets them take over as writer count).
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
            + "reboot-and-failover is an outage. Instance by instance too (describe-db-instances): a member on another version "
            + "than its cluster is mid-upgrade, and a member that is stopped, failed, restarting or in a status migcheck does "
            + "not know cannot take over as writer, so it does not count.",
        runbookStep: "manual: unprotect the source; always: the target is kept; manual: target reboot",
        phases: [.fullLoad, .cutover, .cleanup],
        triggeringExamples: [
            .evidence("the source still protected before the cleanup deploy", .cleanup,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cleanup), with: ReadinessExamples.clusters())),
            .evidence("the target upgraded to another minor version outside Terraform", .cutover,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cutover),
                                                  with: ReadinessExamples.members(targetShape: .init(engineVersion: "16.6")))),
            .evidence("a target member on tier 0 and the target down to one instance", .fullLoad,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.fullLoad), with: ReadinessExamples.members(
                          target: [ReadinessExamples.Member(instance: "app-core-1", writer: true, status: "in-sync", tier: 0)]))),
            .evidence("a target reader upgraded ahead of its cluster and the source (an upgrade under way)", .cutover,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cutover), with: ReadinessExamples.members(
                          target: [ReadinessExamples.Member(instance: "app-core-1", writer: true, status: "in-sync"),
                                   ReadinessExamples.Member(instance: "app-core-2", writer: false, status: "in-sync",
                                                            engineVersion: "16.6")]))),
            .evidence("a target reader stopped: one instance left that can take over", .fullLoad,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.fullLoad), with: ReadinessExamples.members(
                          target: [ReadinessExamples.Member(instance: "app-core-1", writer: true, status: "in-sync"),
                                   ReadinessExamples.Member(instance: "app-core-2", writer: false, status: "in-sync",
                                                            instanceStatus: "stopped")]))),
            .evidence("a target reader in a status migcheck does not know: not counted", .cutover,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cutover), with: ReadinessExamples.members(
                          target: [ReadinessExamples.Member(instance: "app-core-1", writer: true, status: "in-sync"),
                                   ReadinessExamples.Member(instance: "app-core-2", writer: false, status: "in-sync",
                                                            instanceStatus: "hibernating")]))),
        ],
        nonTriggeringExamples: [
            .evidence("same version, tiers 1, two instances each, both protected", .cutover, ReadinessExamples.healthy(.cutover)),
            .evidence("the source unprotected and the target protected before cleanup", .cleanup, ReadinessExamples.healthy(.cleanup)),
            .evidence("target members backing up and configuring monitoring: both can take over", .cutover,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cutover), with: ReadinessExamples.members(
                          target: [ReadinessExamples.Member(instance: "app-core-1", writer: true, status: "in-sync",
                                                            instanceStatus: "backing-up"),
                                   ReadinessExamples.Member(instance: "app-core-2", writer: false, status: "in-sync",
                                                            instanceStatus: "configuring-enhanced-monitoring")]))),
            .evidence("at cleanup a source reader stopped mid-upgrade: the source only waits to be destroyed", .cleanup,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cleanup), with: ReadinessExamples.members(
                          source: [ReadinessExamples.Member(instance: "app-legacy-0", writer: true, status: "in-sync"),
                                   ReadinessExamples.Member(instance: "app-legacy-1", writer: false, status: "in-sync",
                                                            instanceStatus: "stopped", engineVersion: "16.6")],
                          sourceShape: .init(deletionProtection: false)))),
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
        // Instances are counted (and their status judged) for the target, and for the source while its reboot is due;
        // versions, instance by instance too, while DMS replicates.
        let versionsMatter = ClusterShape.enginesMustMatch(context.phase)
        let counted = [ClusterRole.source, .target].filter { $0 == .target || ClusterShape.sourceNeedsTwoInstances(context.phase) }
        let judged = [ClusterRole.source, .target].compactMap { role in
            (versionsMatter || counted.contains(role)) ? live.cluster(role).map { (role, $0) } : nil
        }
        findings += instanceEvidence(judged.map(\.1), context)
        for (role, cluster) in judged { findings += unlisted(cluster, role, context) }
        for case let (role, cluster?) in counted.map({ ($0, live.cluster($0)) }) {
            let members = states(cluster, role, context)
            findings += members.findings
            findings += count(cluster, role, counted: members.counted, context)
        }
        if versionsMatter {
            if let source = live.source, let target = live.target { findings += versions(source, target, context) }
            for (role, cluster) in judged { findings += memberVersions(cluster, role, source: live.source, context) }
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

    /// MIG005, live: the target keeps two members that can take over; the source too while its reboot is due.
    func count(_ cluster: LiveCluster, _ role: ClusterRole, counted: [LiveClusterMember], _ context: ReadinessContext) -> [Finding] {
        guard counted.count < ClusterShape.minimumInstances else { return [] }
        let listed = cluster.members.map(\.instance).joined(separator: ", ")
        var live = "has \(cluster.members.count) instance\(cluster.members.count == 1 ? "" : "s") live\(listed.isEmpty ? "" : " (\(listed))")"
        if counted.count != cluster.members.count {
            live += ", \(counted.count) of which can take over as writer"
                + (counted.isEmpty ? "" : " (\(counted.map(\.instance).joined(separator: ", ")))")
        }
        let message = "the \(role.rawValue) cluster \(cluster.identifier) \(live), fewer than "
            + "\(ClusterShape.minimumInstances): a reboot for a parameter change cannot fail over without downtime; add "
            + (role == .target ? "an instance with promotion tier \(ClusterShape.targetPromotionTier)" : "a reader before rebooting")
            + ", in Terraform"
        var finding = context.finding(message, at: cluster.location, address: context.live.planAddress(of: role),
                                      subject: cluster.identifier)
        if role == .source { finding.severity = min(finding.severity, .warning) }
        return [finding]
    }

    /// The members' status and versions are describe-db-instances' to say: without it, what to collect.
    func instanceEvidence(_ clusters: [LiveCluster], _ context: ReadinessContext) -> [Finding] {
        guard !clusters.isEmpty, !context.live.answered(.dbInstances) else { return [] }
        return [context.collect(.dbInstances, arguments: "--filters Name=db-cluster-id,Values="
            + clusters.map(\.identifier).joined(separator: ","), needed: "The members' status and engine versions")]
    }

    /// Members describe-db-instances does not list (when it answered): never a pass.
    func unlisted(_ cluster: LiveCluster, _ role: ClusterRole, _ context: ReadinessContext) -> [Finding] {
        guard context.live.answered(.dbInstances) else { return [] }
        return cluster.members.filter { context.live.instance($0.instance) == nil }.map { member in
            context.finding("\(member.instance) of the \(role.rawValue) cluster \(cluster.identifier) is not in describe-db-instances, so "
                + "its status and engine version cannot be checked and it is not counted as an instance that can take over; collect "
                + "it (`aws rds describe-db-instances --db-instance-identifier \(member.instance) --output json`)", at: member.location,
                address: context.live.planAddress(of: role), kind: .open, subject: member.instance)
        }
    }

    /// Each member's DBInstanceStatus: only those that can take over as writer count towards the
    /// cluster's instances (ClusterShape.memberState); without describe-db-instances, every member
    /// counts (its absence is its own finding).
    func states(_ cluster: LiveCluster, _ role: ClusterRole, _ context: ReadinessContext)
        -> (counted: [LiveClusterMember], findings: [Finding]) {
        guard context.live.answered(.dbInstances) else { return (cluster.members, []) }
        var counted: [LiveClusterMember] = [], findings: [Finding] = []
        for member in cluster.members {
            guard let instance = context.live.instance(member.instance) else { continue }  // unlisted() says so
            if let problem = stateProblem(member, instance, in: cluster, role, context) {
                findings.append(problem)
            } else {
                counted.append(member)
            }
        }
        return (counted, findings)
    }

    func stateProblem(_ member: LiveClusterMember, _ instance: LiveInstance, in cluster: LiveCluster, _ role: ClusterRole,
                      _ context: ReadinessContext) -> Finding? {
        let who = "\(member.instance) (\(member.isWriter ? "writer" : "reader")) of the \(role.rawValue) cluster \(cluster.identifier)"
        let notCounted = "it is not counted towards the cluster's instances"
        let message: String, kind: FindingKind
        if let status = instance.status {
            switch ClusterShape.memberState(status) {
            case .canTakeOver:
                return nil
            case .busy:
                (message, kind) = ("\(who) is \(status), live: it cannot take over as writer until it is available again, so \(notCounted); "
                    + "wait until it is available and collect describe-db-instances again", .fail)
            case .cannotTakeOver:
                (message, kind) = ("\(who) is \(status), live: it cannot take over as writer, so \(notCounted); bring it back to "
                    + "available (its events say why: `aws rds describe-events --source-type db-instance --source-identifier "
                    + "\(member.instance)`) or replace it, in Terraform", .fail)
            case .unknown:
                (message, kind) = ("\(who) has DBInstanceStatus \(JSONQuoting.quoted(status)), a status unknown to migcheck, so "
                    + "whether it can take over as writer cannot be told; \(notCounted)", .open)
            }
        } else {
            (message, kind) = ("\(who) has no DBInstanceStatus in describe-db-instances, so whether it can take over as writer "
                + "cannot be told; \(notCounted)", .open)
        }
        var finding = context.finding(message, at: instance.location, address: context.live.planAddress(of: role), kind: kind,
                                      subject: instance.identifier)
        if role == .source { finding.severity = min(finding.severity, .warning) }
        return finding
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

    /// MIG001, live, instance by instance (the comparison MIG001 and the clusters' use): a member on
    /// another version than its cluster (an upgrade under way or stopped halfway); a target member
    /// on another than the source's when its cluster's version is not in the evidence (else the
    /// clusters' comparison says it).
    func memberVersions(_ cluster: LiveCluster, _ role: ClusterRole, source: LiveCluster?, _ context: ReadinessContext) -> [Finding] {
        let address = context.live.planAddress(of: role)
        return cluster.members.compactMap { member in
            guard let instance = context.live.instance(member.instance) else { return nil }  // unlisted() says so
            let who = "\(member.instance) (\(member.isWriter ? "writer" : "reader")) of the \(role.rawValue) cluster \(cluster.identifier)"
            guard let version = instance.engineVersion else {
                return context.finding("\(who) has no EngineVersion in describe-db-instances, so its engine version cannot be "
                    + "compared", at: instance.location, address: address, kind: .open, subject: member.instance)
            }
            var differs: [String] = []
            if let clusterVersion = cluster.engineVersion, !ClusterShape.sameEngineVersion(clusterVersion, version) {
                differs.append("its cluster \(clusterVersion)")
            }
            if role == .target, let source, let sourceVersion = source.engineVersion,
               !ClusterShape.sameEngineVersion(sourceVersion, version), !differs.isEmpty || cluster.engineVersion == nil {
                differs.append("the source \(source.identifier) \(sourceVersion)")
            }
            guard !differs.isEmpty else { return nil }
            return context.finding("\(who) runs engine version \(version), \(differs.joined(separator: " and ")), live (an upgrade "
                + "under way or stopped halfway, outside Terraform): "
                + (role == .target ? "DMS replicates between mismatched versions and the instance may restart; " : "")
                + "wait until every instance runs its cluster's version (`aws rds describe-db-instances --db-instance-identifier "
                + "\(member.instance)`) and collect again", at: instance.location, address: address, subject: member.instance)
        }
    }
}
