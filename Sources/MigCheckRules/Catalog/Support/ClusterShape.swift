import MigCheckFoundation

/// What the clusters must look like, whether judged in a plan (MIG001, MIG004, MIG005) or live
/// from AWS CLI evidence (MIG018): one judgement, two readers.
enum ClusterShape {
    /// MIG004: every target instance on this tier, so Aurora can promote either one on failover.
    static let targetPromotionTier = 1
    /// MIG005: instances a cluster needs to apply a reboot-only parameter by failover, without downtime.
    static let minimumInstances = 2

    /// MIG004's verdict on one target instance's tier; nil when it holds.
    static func promotionTierProblem(_ tier: Int) -> String? {
        tier == targetPromotionTier ? nil
            : "set promotion_tier = \(targetPromotionTier) so either target instance can take over on failover"
    }

    /// MIG005: whether the source must still survive a reboot (logical replication) in this phase.
    static func sourceNeedsTwoInstances(_ phase: Phase) -> Bool { phase == .prepare || phase == .fullLoad }

    /// MIG001: the phases in which source and target must run the same engine and version
    /// (DMS replicates between them); after the cutover the source only waits to be destroyed.
    static func enginesMustMatch(_ phase: Phase) -> Bool { phase != .cleanup }

    /// MIG001's comparison of two engine versions: exact (a minor version changes the catalog too).
    /// The same comparison judges a live instance against its cluster and the target's against the source.
    static func sameEngineVersion(_ source: String, _ target: String) -> Bool { source == target }

    /// Whether a cluster member, by its DBInstanceStatus, can take over as writer on failover.
    enum MemberState: Equatable {
        /// Up and serving: counted towards the cluster's instances.
        case canTakeOver
        /// A transient state: the instance is restarting, changing or being created and cannot
        /// take over until it is `available` again. Not counted; wait and collect again.
        case busy
        /// Stopped, going away or broken until someone acts. Not counted.
        case cannotTakeOver
        /// A status migcheck does not know: never counted, never a pass.
        case unknown
    }

    /// The DB instance statuses of the Aurora User Guide ("Viewing DB instance status",
    /// AuroraUserGuide/accessing-monitoring.html), sorted by whether the member can take over as
    /// writer now. Counted: the instance is up; the documentation says it stays available while
    /// it is backed up (Aurora's backups are continuous), while monitoring, IAM authentication or
    /// log exports are configured, while its storage is optimised or initialised, and while its
    /// master credentials are reset.
    static let membersThatCanTakeOver: Set<String> = [
        "available", "backing-up", "configuring-enhanced-monitoring", "configuring-iam-database-auth",
        "configuring-log-exports", "storage-optimization", "storage-initialization", "resetting-master-credentials",
    ]
    /// Busy: down or about to restart for a while (a reboot, a modification such as a class change,
    /// maintenance, an upgrade, a start, creation, a rename that changes its endpoint, a move or a
    /// storage upgrade; backtracking rewinds the whole cluster, Aurora MySQL only).
    static let busyMembers: Set<String> = [
        "creating", "modifying", "rebooting", "maintenance", "upgrading", "starting", "renaming",
        "storage-config-upgrade", "converting-to-vpc", "moving-to-vpc", "backtracking",
    ]
    /// Cannot take over until someone acts: stopped or stopping, deleted or about to be, failed
    /// (RDS cannot recover it), its KMS key inaccessible, its storage full, no capacity for it, a
    /// failed restore or upgrade (the guide spells it `upgrade_failed`; `upgrade-failed` is
    /// accepted too). Every `incompatible-` status (create, network, option group, parameters,
    /// restore; AWS adds variants of that family) is one too.
    static let membersThatCannotTakeOver: Set<String> = [
        "stopped", "stopping", "deleting", "delete-precheck", "failed", "inaccessible-encryption-credentials",
        "inaccessible-encryption-credentials-recoverable", "storage-full", "insufficient-capacity", "restore-error",
        "upgrade_failed", "upgrade-failed",
    ]

    static func memberState(_ status: String) -> MemberState {
        if membersThatCanTakeOver.contains(status) { return .canTakeOver }
        if busyMembers.contains(status) { return .busy }
        if membersThatCannotTakeOver.contains(status) || status.hasPrefix("incompatible-") { return .cannotTakeOver }
        return .unknown
    }
}
