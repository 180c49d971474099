import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG002: the target's cluster parameter group sets `session_replication_role` = `replica`
/// while DMS loads it (prepare, full load) and `origin` (or its default) from cutover on.
public struct TargetReplicationRoleRule: Rule {
    public init() {}

    /// The values PostgreSQL (and so AWS) accepts for `session_replication_role`.
    static let acceptedValues = ["origin", "replica", "local"]

    public static let description = RuleDescription(
        id: "MIG002",
        name: "target-replication-role",
        title: "The target's session_replication_role is replica until cutover and origin from then on",
        rationale: "With session_replication_role = replica the target fires no ordinary triggers, foreign-key checks "
            + "included, so DMS can load tables in any order; left at origin (the default, also what the default "
            + "parameter group has) or set to local, the full load fails or stalls on foreign keys. From cutover on "
            + "the application writes to the target, and replica would let those writes skip foreign keys and "
            + "triggers silently. PostgreSQL knows only origin, replica and local; AWS rejects any other value and "
            + "the apply stops halfway.",
        runbookStep: "prepare: target parameter group; cutover: back to origin",
        phases: Set(Phase.allCases),
        judgedAttributes: [
            "aws_rds_cluster_parameter_group.parameter",
            "aws_rds_cluster.db_cluster_parameter_group_name",
            "aws_rds_cluster_parameter_group.parameter[0].value",
        ],
        triggeringExamples: [
            .plan("target parameter group sets origin for the full load", .prepare,
                  MigrationExamples.healthy(.prepare).setting(MigrationExamples.targetGroup, "parameter", to: [
                      ["apply_method": "immediate", "name": "session_replication_role", "value": "origin"],
                  ])),
            .plan("target parameter group does not set session_replication_role during the full load", .fullLoad,
                  MigrationExamples.healthy(.fullLoad).setting(MigrationExamples.targetGroup, "parameter", to: [], beforeToo: true)),
            .plan("target on the default parameter group while DMS loads it", .prepare,
                  MigrationExamples.healthy(.prepare)
                      .removing(MigrationExamples.targetGroup)
                      .setting(MigrationExamples.target, "db_cluster_parameter_group_name", to: "default.aurora-postgresql16")
                      .settingReferences(MigrationExamples.target, "db_cluster_parameter_group_name", to: nil)),
            .plan("cutover keeps replica", .cutover,
                  MigrationExamples.healthy(.cutover).setting(MigrationExamples.targetGroup, "parameter", to: [
                      ["apply_method": "immediate", "name": "session_replication_role", "value": "replica"],
                  ])),
            .plan("local is not origin after cutover", .cleanup,
                  MigrationExamples.healthy(.cleanup).setting(MigrationExamples.targetGroup, "parameter", to: [
                      ["apply_method": "immediate", "name": "session_replication_role", "value": "local"],
                  ], beforeToo: true)),
            .plan("a value PostgreSQL does not know", .fullLoad,
                  MigrationExamples.healthy(.fullLoad).setting(MigrationExamples.targetGroup, "parameter", to: [
                      ["apply_method": "immediate", "name": "session_replication_role", "value": "disabled"],
                  ])),
            .state("state after cutover still on replica", .cutover,
                   MigrationExamples.healthy(.cutover).setting(MigrationExamples.targetGroup, "parameter", to: [
                       ["apply_method": "immediate", "name": "session_replication_role", "value": "replica"],
                   ])),
        ],
        nonTriggeringExamples: [
            .plan("replica for the full load", .prepare, MigrationExamples.healthy(.prepare)),
            .plan("replica while DMS runs", .fullLoad, MigrationExamples.healthy(.fullLoad)),
            .plan("cutover moves replica to origin", .cutover, MigrationExamples.healthy(.cutover)),
            .plan("origin after cleanup", .cleanup, MigrationExamples.healthy(.cleanup)),
            .plan("cutover drops the parameter: the default is origin", .cutover,
                  MigrationExamples.healthy(.cutover).setting(MigrationExamples.targetGroup, "parameter", to: [])),
            .plan("after cleanup the target moves to the default parameter group", .cleanup,
                  MigrationExamples.healthy(.cleanup)
                      .withActions(MigrationExamples.target, ["update"])
                      .setting(MigrationExamples.target, "db_cluster_parameter_group_name", to: "default.aurora-postgresql16")
                      .settingReferences(MigrationExamples.target, "db_cluster_parameter_group_name", to: nil)
                      .withActions(MigrationExamples.targetGroup, ["delete"])),
            .plan("parameter set unknown until apply (an open finding, not a failure)", .prepare,
                  MigrationExamples.healthy(.prepare).markingUnknown(MigrationExamples.targetGroup, "parameter")),
            .state("state during the full load", .fullLoad, MigrationExamples.healthy(.fullLoad)),
        ])

    public func evaluate(_ context: RuleContext) -> [Finding] {
        guard let target = context.picture.target else {
            return [context.missing(.target, needed: "session_replication_role")]
        }
        let needsReplica = context.phase == .prepare || context.phase == .fullLoad

        switch ParameterReading.read("session_replication_role", of: target, context) {
        case .unverified(let finding):
            return [finding]

        case .unset(let how, let resource):
            guard needsReplica else { return [] }
            return [context.finding("session_replication_role is origin because \(how), so foreign keys and triggers fire "
                + "during the load; set it to \"replica\" in a custom parameter group of "
                + "\(target.addressText)", about: resource)]

        case .set(let parameter, let group):
            let value = parameter.value
            let resource = group.resource
            let shown: String
            let text: String?
            if value.isUnknown || value.isHiddenUnknown {
                return [context.unverified("session_replication_role in \(resource.addressText) is unknown until apply, "
                    + "so it cannot be checked for the \(context.phase) phase", about: resource)]
            }
            switch value {
            case .null:
                // A parameter entry without a value leaves the setting at its default.
                shown = "not set (origin)"
                text = "origin"
            case .sensitive(let hidden):
                shown = "a sensitive value"
                text = Self.acceptedValues.first { hidden.matches(.string($0)) }
            default:
                text = value.scalarText?.lowercased()
                shown = value.scalarText.map { JSONQuoting.quoted($0) } ?? "not a string"
            }
            guard let text, Self.acceptedValues.contains(text) else {
                return [context.finding("session_replication_role in \(resource.addressText) is \(shown), which is none of "
                    + "origin, replica, local, so AWS rejects the parameter group; set \"replica\" until cutover and "
                    + "\"origin\" from then on", about: resource)]
            }
            if needsReplica, text != "replica" {
                return [context.finding("session_replication_role in \(resource.addressText) is \(shown), so foreign keys and "
                    + "triggers fire while DMS loads the target in the \(context.phase) phase; set it to \"replica\"", about: resource)]
            }
            if !needsReplica, text != "origin" {
                let effect = text == "replica"
                    ? "so the application's writes to the target skip foreign keys and triggers"
                    : "not the origin the runbook restores at cutover"
                return [context.finding("session_replication_role in \(resource.addressText) is \(shown) in the \(context.phase) "
                    + "phase, \(effect); set it to \"origin\" or remove the parameter", about: resource)]
            }
            return []
        }
    }
}
