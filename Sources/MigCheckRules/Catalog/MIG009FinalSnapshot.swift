import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG009: a cluster the plan destroys has, in its prior state, what lets the destroy
/// succeed and keep a final snapshot: `skip_final_snapshot` = false with a
/// `final_snapshot_identifier`.
public struct FinalSnapshotRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG009",
        name: "final-snapshot",
        title: "A destroyed cluster's state lets the destroy succeed and keep a final snapshot",
        rationale: "Terraform destroys a cluster with the skip_final_snapshot and final_snapshot_identifier of its prior "
            + "state, not of the new configuration. With skip_final_snapshot = false and no final_snapshot_identifier the "
            + "delete is refused and the apply stops halfway, with the migration's other resources already destroyed (a "
            + "real migration hit exactly this in production); the values must be set in a deploy before the one that "
            + "destroys the cluster. With skip_final_snapshot = true the delete succeeds but takes no snapshot, leaving "
            + "only the runbook's manual one: a warning. The rule runs in every phase and judges only clusters being "
            + "destroyed, plus, in cleanup, a source that survives the deploy (so the one that destroys it will work).",
        runbookStep: "manual: unprotect the source; cleanup: destroy the source",
        phases: [.prepare, .fullLoad, .cutover, .cleanup],
        judgedAttributes: [
            "aws_rds_cluster.skip_final_snapshot",
            "aws_rds_cluster.final_snapshot_identifier",
        ],
        triggeringExamples: [
            .plan("cleanup destroys the source, whose state has no final_snapshot_identifier", .cleanup,
                  MigrationExamples.healthy(.cleanup).settingBefore(MigrationExamples.source, "final_snapshot_identifier", to: .null)),
            .plan("cleanup destroys the source with skip_final_snapshot = true (warning)", .cleanup,
                  MigrationExamples.healthy(.cleanup).settingBefore(MigrationExamples.source, "skip_final_snapshot", to: true)),
            .plan("target replaced; its state has no final_snapshot_identifier", .fullLoad,
                  MigrationExamples.healthy(.fullLoad).withActions(MigrationExamples.target, ["delete", "create"])
                      .settingBefore(MigrationExamples.target, "final_snapshot_identifier", to: .null)),
            .plan("identifier set only in the same plan that replaces the cluster", .prepare,
                  MigrationExamples.healthy(.prepare).withActions(MigrationExamples.source, ["delete", "create"])
                      .settingBefore(MigrationExamples.source, "final_snapshot_identifier", to: .null)),
            .plan("first cleanup deploy keeps the source without a final_snapshot_identifier (warning)", .cleanup,
                  MigrationExamples.healthy(.cleanup).withActions(MigrationExamples.source, ["update"])
                      .setting(MigrationExamples.source, "final_snapshot_identifier", to: .null)),
            .state("cleanup state: source still there without a final_snapshot_identifier (warning)", .cleanup,
                   MigrationExamples.healthy(.cutover).setting(MigrationExamples.source, "final_snapshot_identifier", to: .null)),
        ],
        nonTriggeringExamples: [
            .plan("cleanup destroys the source with a final snapshot identifier", .cleanup, MigrationExamples.healthy(.cleanup)),
            .plan("first cleanup deploy sets the identifier before the destroy", .cleanup,
                  MigrationExamples.healthy(.cleanup).withActions(MigrationExamples.source, ["update"])
                      .settingBefore(MigrationExamples.source, "final_snapshot_identifier", to: .null)),
            .plan("no cluster destroyed before cleanup, whatever the snapshot settings", .fullLoad,
                  MigrationExamples.healthy(.fullLoad).setting(MigrationExamples.source, "final_snapshot_identifier", to: .null, beforeToo: true)),
            .plan("target created in prepare", .prepare, MigrationExamples.healthy(.prepare)),
            .state("state after cutover", .cutover, MigrationExamples.healthy(.cutover)),
        ])

    public func evaluate(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        let picture = context.picture
        for cluster in picture.clusters where cluster.resource.isDestroyed {
            findings += judgeDestroy(cluster, context)
        }
        // Cleanup readiness: a source this cleanup deploy keeps is destroyed by a later one, with these values.
        if context.phase == .cleanup, let source = picture.source, let after = source.resource.after {
            findings += judgeReadiness(source, after, context)
        }
        return findings
    }

    private func judgeDestroy(_ cluster: ClusterView, _ context: RuleContext) -> [Finding] {
        let resource = cluster.resource
        let verb = resource.action == .delete ? "destroys" : "replaces"
        // The target is kept: the fix is to stop its destroy, never to prepare it for one.
        let isTarget = context.picture.target?.addressText == cluster.addressText
        let fix = isTarget ? "keep the target: \(ReplacementCause.revertClause(resource))"
            : "set final_snapshot_identifier in an earlier deploy"
        guard let before = resource.before else {
            return [context.unverified("the plan \(verb) \(cluster.addressText) but carries no prior state for it, so whether the delete succeeds and keeps a final snapshot cannot be checked", about: resource)]
        }
        let settings = Settings(before)
        switch settings.verdict {
        case .unreadable(let attribute):
            return [context.unverified("\(attribute) in the prior state of \(cluster.addressText) cannot be read, so whether the plan's delete succeeds and keeps a final snapshot cannot be checked", about: resource)]
        case .snapshotTaken:
            return []
        case .skipped:
            return [context.finding("the plan \(verb) \(cluster.addressText) whose state has skip_final_snapshot = true, so AWS takes no final snapshot (only the runbook's manual one); \(isTarget ? fix : "set skip_final_snapshot = false and final_snapshot_identifier in an earlier deploy")", about: resource, level: .advisory)]
        case .refused:
            let sameApply = resource.afterAttribute("final_snapshot_identifier")?.unmaskedString.map { !$0.isEmpty } == true
                || resource.afterAttribute("skip_final_snapshot")?.unmasked == .bool(true)
            let note = sameApply && !isTarget ? " (the state's values count)" : ""
            return [context.finding("the plan \(verb) \(cluster.addressText), whose state has skip_final_snapshot = \(settings.skipText) and no final_snapshot_identifier, so AWS refuses the delete mid-apply\(note); \(fix)", about: resource)]
        }
    }

    private func judgeReadiness(_ source: ClusterView, _ after: TerraformValue, _ context: RuleContext) -> [Finding] {
        let resource = source.resource
        let settings = Settings(after)
        switch settings.verdict {
        case .unreadable(let attribute):
            return [context.unverified("\(attribute) of the source \(source.addressText) is unknown until apply, so whether the deploy that destroys it succeeds and keeps a final snapshot cannot be checked", about: resource)]
        case .snapshotTaken:
            return []
        case .skipped:
            return [context.finding("the source \(source.addressText) is kept with skip_final_snapshot = true, so the deploy that destroys it takes no final snapshot; set skip_final_snapshot = false and a final_snapshot_identifier in this deploy", about: resource, level: .advisory)]
        case .refused:
            return [context.finding("the source \(source.addressText) is kept with skip_final_snapshot = \(settings.skipText) and no final_snapshot_identifier, so the deploy that destroys it will be refused halfway; set final_snapshot_identifier in this deploy", about: resource, level: .advisory)]
        }
    }

    /// The two attributes AWS's delete depends on, read from one value of the cluster.
    struct Settings {
        enum Verdict: Equatable {
            case snapshotTaken
            case skipped
            case refused
            case unreadable(String)
        }

        let skip: TerraformValue?
        let identifier: TerraformValue?

        /// Whether either is sensitive: judged all the same, but a message then shows neither.
        let hidden: Bool

        init(_ value: TerraformValue) {
            let skip = value["skip_final_snapshot"]
            let identifier = value["final_snapshot_identifier"]
            hidden = skip?.isSensitive == true || identifier?.isSensitive == true
            self.skip = skip?.unmasked
            self.identifier = identifier?.unmasked
        }

        /// The value as the message shows it: unset means the provider's default, false.
        var skipText: String { hidden ? "(sensitive)" : skip == .bool(false) ? "false" : "unset (false)" }

        var verdict: Verdict {
            switch skip {
            case .bool(true)?:
                return .skipped
            case .bool(false)?, .null?, nil:
                switch identifier {
                case .string(let text)?:
                    return text.isEmpty ? .refused : .snapshotTaken
                case .null?, nil:
                    return .refused
                default:
                    return .unreadable("final_snapshot_identifier")
                }
            default:
                return .unreadable("skip_final_snapshot")
            }
        }
    }
}
