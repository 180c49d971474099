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
    static func sameEngineVersion(_ source: String, _ target: String) -> Bool { source == target }
}
