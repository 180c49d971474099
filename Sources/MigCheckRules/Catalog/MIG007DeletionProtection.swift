import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG007: no plan destroys a cluster whose prior state still has deletion protection on
/// (AWS refuses, and the apply stops halfway), and the target keeps deletion protection.
public struct DeletionProtectionRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG007",
        name: "deletion-protection",
        title: "Protected clusters are unprotected before they are destroyed, and the target stays protected",
        rationale: "AWS refuses to delete a cluster with deletion protection on; Terraform deletes with the prior state, so "
            + "a plan that removes a still-protected cluster (or replaces it) stops halfway through the apply with the "
            + "other changes already made. Deletion protection must therefore be turned off in a deploy before the one "
            + "that destroys the cluster. The target holds the only copy of the migrated data and is kept after the "
            + "migration, so it keeps deletion protection on.",
        runbookStep: "manual: unprotect the source; always: the target is kept",
        phases: [.prepare, .fullLoad, .cutover, .cleanup],
        judgedAttributes: [
            "aws_rds_cluster.deletion_protection",
        ],
        triggeringExamples: [
            .plan("cleanup destroys the source while its prior state is still protected", .cleanup,
                  MigrationExamples.healthy(.cleanup).settingBefore(MigrationExamples.source, "deletion_protection", to: true)),
            .plan("target created without deletion protection", .prepare,
                  MigrationExamples.healthy(.prepare).setting(MigrationExamples.target, "deletion_protection", to: false)),
            .plan("cutover turns the target's deletion protection off", .cutover,
                  MigrationExamples.healthy(.cutover).withActions(MigrationExamples.target, ["update"])
                      .setting(MigrationExamples.target, "deletion_protection", to: false)),
            .plan("protected target replaced", .fullLoad,
                  MigrationExamples.healthy(.fullLoad).withActions(MigrationExamples.target, ["delete", "create"])),
            .plan("cleanup keeps the source with deletion protection on (warning)", .cleanup,
                  MigrationExamples.healthy(.cleanup).withActions(MigrationExamples.source, ["update"])
                      .setting(MigrationExamples.source, "deletion_protection", to: true)),
            .state("state with an unprotected target", .cutover,
                   MigrationExamples.healthy(.cutover).setting(MigrationExamples.target, "deletion_protection", to: false, beforeToo: true)),
        ],
        nonTriggeringExamples: [
            .plan("target created with deletion protection", .prepare, MigrationExamples.healthy(.prepare)),
            .plan("source kept protected during the full load", .fullLoad, MigrationExamples.healthy(.fullLoad)),
            .plan("cleanup destroys the source after an earlier deploy turned protection off", .cleanup, MigrationExamples.healthy(.cleanup)),
            .plan("first cleanup deploy turns the source's protection off", .cleanup,
                  MigrationExamples.healthy(.cleanup).withActions(MigrationExamples.source, ["update"])
                      .settingBefore(MigrationExamples.source, "deletion_protection", to: true)),
            .plan("target's deletion protection unknown until apply (reported as open)", .prepare,
                  MigrationExamples.healthy(.prepare).markingUnknown(MigrationExamples.target, "deletion_protection")),
            .state("state after cutover", .cutover, MigrationExamples.healthy(.cutover)),
        ])

    public func evaluate(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        let picture = context.picture

        // Any cluster the plan destroys: AWS acts on the prior state, not on the new configuration.
        for cluster in picture.clusters where cluster.resource.isDestroyed {
            let resource = cluster.resource
            // A sensitive flag is judged as a plain one (true and false say nothing more than the finding does).
            switch resource.beforeAttribute("deletion_protection")?.unmasked {
            case .bool(true)?:
                let verb = resource.action == .delete ? "deletes" : "replaces"
                let role = picture.target?.addressText == cluster.addressText ? ClusterRole.target
                    : picture.source?.addressText == cluster.addressText ? ClusterRole.source : nil
                let fix: String
                switch role {
                case .target?:
                    // The target holds the migrated data: stop the destroy, never unprotect it.
                    fix = "keep it protected and \(ReplacementCause.revertClause(resource))"
                case .source? where context.phase == .cleanup:
                    fix = "first deploy deletion_protection = false and final_snapshot_identifier, then destroy it"
                case .source?:
                    fix = "keep the source until cleanup: \(ReplacementCause.revertClause(resource))"
                case nil:
                    fix = "to remove it, unprotect it in an earlier deploy, else \(ReplacementCause.revertClause(resource))"
                }
                let named = role.map { "the \($0.rawValue) " } ?? ""
                findings.append(context.finding("the plan \(verb) \(named)\(cluster.addressText) with deletion_protection = true in its prior state, so AWS refuses the delete mid-apply; \(fix)", about: resource))
            case .unknown?, .sensitive?:
                findings.append(context.unverified("deletion_protection in the prior state of \(cluster.addressText) cannot be read, so whether AWS lets the plan destroy it cannot be checked", about: resource))
            default:
                break
            }
        }

        guard let target = picture.target else {
            findings.append(context.missing(.target, needed: "the target's deletion_protection"))
            return findings
        }
        // A destroyed (or forgotten) target is MIG008's business; the part above covers its protection.
        if let after = target.resource.after {
            let when = context.isPlan ? " after this deploy" : ""
            switch after["deletion_protection"]?.unmasked {
            case .bool(true)?:
                break
            case .unknown?, .sensitive?:
                findings.append(context.unverified("deletion_protection of the target \(target.addressText) is unknown until apply, so whether it stays protected cannot be checked", about: target.resource))
            case .bool(false)?:
                findings.append(context.finding("the target \(target.addressText) has deletion_protection = false\(when), so a mistaken destroy can delete the migrated data; set deletion_protection = true", about: target.resource))
            default:
                findings.append(context.finding("the target \(target.addressText) does not set deletion_protection, which AWS defaults to false, so a mistaken destroy can delete the migrated data; set deletion_protection = true", about: target.resource))
            }
        }

        // Cleanup readiness: a source that survives this cleanup deploy still protected blocks the deploy that destroys it.
        if context.phase == .cleanup, let source = picture.source, let after = source.resource.after,
           after["deletion_protection"]?.unmasked == .bool(true) {
            findings.append(context.finding("the source \(source.addressText) is kept with deletion_protection = true, so the cleanup deploy that destroys it will be refused halfway; set deletion_protection = false in this deploy", about: source.resource, level: .advisory))
        }
        return findings
    }
}
