import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG003: the source cluster's parameter group turns on `rds.logical_replication` (a static
/// parameter, so with `apply_method = pending-reboot`) for as long as DMS reads from it.
public struct SourceLogicalReplicationRule: Rule {
    public init() {}

    static let parameterName = "rds.logical_replication"

    public static let description = RuleDescription(
        id: "MIG003",
        name: "source-logical-replication",
        title: "The source cluster has rds.logical_replication = 1 (pending-reboot) while DMS reads from it",
        rationale: "DMS captures the source's ongoing changes (CDC) through logical replication slots, which exist only "
            + "with rds.logical_replication = 1; without it the task cannot start or stops after the full load and the "
            + "target misses every write made during the migration. Default parameter groups leave it at 0. The "
            + "parameter is static: AWS rejects apply_method = immediate (the provider's default) and the value takes "
            + "effect only after the source's instances are rebooted, which the runbook does by failover.",
        runbookStep: "prepare: source logical replication; manual: source failover and reboot",
        phases: [.prepare, .fullLoad, .cutover],
        judgedAttributes: [
            "aws_rds_cluster_parameter_group.parameter",
            "aws_rds_cluster.db_cluster_parameter_group_name",
        ],
        triggeringExamples: [
            .plan("source parameter group sets rds.logical_replication = 0", .prepare,
                  MigrationExamples.healthy(.prepare).setting(MigrationExamples.sourceGroup, "parameter", to: [
                      ["apply_method": "pending-reboot", "name": "rds.logical_replication", "value": "0"],
                  ])),
            .plan("apply_method immediate, which AWS rejects for a static parameter", .prepare,
                  MigrationExamples.healthy(.prepare).setting(MigrationExamples.sourceGroup, "parameter", to: [
                      ["apply_method": "immediate", "name": "rds.logical_replication", "value": "1"],
                  ])),
            .plan("source on the default parameter group while DMS reads from it", .fullLoad,
                  MigrationExamples.healthy(.fullLoad)
                      .removing(MigrationExamples.sourceGroup)
                      .setting(MigrationExamples.source, "db_cluster_parameter_group_name", to: "default.aurora-postgresql16", beforeToo: true)
                      .settingReferences(MigrationExamples.source, "db_cluster_parameter_group_name", to: nil)),
            .state("state at cutover: the source group lost the parameter", .cutover,
                   MigrationExamples.healthy(.cutover).setting(MigrationExamples.sourceGroup, "parameter", to: [
                       ["apply_method": "pending-reboot", "name": "max_wal_senders", "value": "20"],
                   ])),
        ],
        nonTriggeringExamples: [
            .plan("prepare attaches the logical-replication group (a reboot note, not a failure)", .prepare,
                  MigrationExamples.healthy(.prepare)),
            .plan("logical replication stays on during the full load", .fullLoad, MigrationExamples.healthy(.fullLoad)),
            .plan("logical replication stays on until DMS stops", .cutover, MigrationExamples.healthy(.cutover)),
            .plan("parameter set unknown until apply (an open finding, not a failure)", .prepare,
                  MigrationExamples.healthy(.prepare).markingUnknown(MigrationExamples.sourceGroup, "parameter")),
            .state("state during the full load", .fullLoad, MigrationExamples.healthy(.fullLoad)),
        ])

    public func evaluate(_ context: RuleContext) -> [Finding] {
        guard let source = context.picture.source else {
            return [context.missing(.source, needed: Self.parameterName)]
        }
        var findings: [Finding] = []
        var turnedOn = false

        switch ParameterReading.read(Self.parameterName, of: source, context) {
        case .unverified(let finding):
            findings.append(finding)

        case .unset(let how, let resource):
            findings.append(context.finding("\(Self.parameterName) is 0 because \(how), so DMS cannot capture the source's "
                + "changes; attach a custom cluster parameter group with \(Self.parameterName) = 1 and apply_method "
                + "\"pending-reboot\" to \(source.addressText)", about: resource))

        case .set(let parameter, let group):
            let resource = group.resource
            if parameter.value.isUnknown || parameter.value.isHiddenUnknown {
                findings.append(context.unverified("\(Self.parameterName) in \(resource.addressText) is unknown until apply, "
                    + "so it cannot be checked", about: resource))
            } else if case .sensitive(let hidden) = parameter.value {
                if hidden.matches(.string("1")) || hidden.matches(.number("1")) {
                    turnedOn = true
                } else {
                    findings.append(context.finding("\(Self.parameterName) in \(resource.addressText) is a sensitive value "
                        + "other than 1, so DMS cannot capture the source's changes; set it to 1", about: resource))
                }
            } else if parameter.value.scalarText == "1" {
                turnedOn = true
            } else {
                let shown = parameter.value.scalarText.map { JSONQuoting.quoted($0) } ?? "not set"
                findings.append(context.finding("\(Self.parameterName) in \(resource.addressText) is \(shown), so DMS cannot "
                    + "capture the source's changes; set it to 1", about: resource))
            }
            findings += applyMethodFindings(parameter.applyMethod, group, context)
        }

        if turnedOn, let change = Self.rebootCause(source) {
            // Informational (severity note): the plan is right, but the runbook's failover must follow.
            findings.append(context.finding("\(change), and \(Self.parameterName) is static, so it takes effect only after a reboot; "
                + "reboot \(source.addressText)'s reader, then fail over (Pre-Migration step 3) before DMS reads from it",
                about: source.resource, level: .note))
        }
        return findings
    }

    private func applyMethodFindings(_ method: TerraformValue?, _ group: ParameterGroupView, _ context: RuleContext) -> [Finding] {
        let resource = group.resource
        switch method {
        case .none, .null?:
            return [context.finding("apply_method of \(Self.parameterName) in \(resource.addressText) is not set, so it "
                + "defaults to \"immediate\", which AWS rejects for this static parameter; set apply_method = \"pending-reboot\"",
                about: resource)]
        case .unknown?:
            return [context.unverified("apply_method of \(Self.parameterName) in \(resource.addressText) is unknown until apply, "
                + "so it cannot be checked", about: resource)]
        case .sensitive(let hidden)? where hidden.isUnknown:
            return [context.unverified("apply_method of \(Self.parameterName) in \(resource.addressText) is unknown until apply, "
                + "so it cannot be checked", about: resource)]
        case let value?:
            // A sensitive method is judged as a plain one, and shown only as sensitive.
            guard let text = value.unmasked.scalarText, text == "pending-reboot" else {
                let shown = value.isSensitive ? "a sensitive value" : value.scalarText.map { JSONQuoting.quoted($0) } ?? "not a string"
                return [context.finding("apply_method of \(Self.parameterName) in \(resource.addressText) is \(shown); AWS "
                    + "accepts only \"pending-reboot\" for this static parameter, so set apply_method = \"pending-reboot\"",
                    about: resource)]
            }
            return []
        }
    }

    /// What in this plan needs a reboot of the source before logical replication works:
    /// a new parameter group on the existing cluster, or a changed parameter in its group.
    static func rebootCause(_ source: ClusterView) -> String? {
        let cluster = source.resource
        // A cluster created (or replaced) by this plan starts with its parameters; a destroyed one needs nothing.
        guard cluster.action == .update || cluster.action == .noOp else { return nil }
        let nameAttribute = "db_cluster_parameter_group_name"
        let before = cluster.beforeAttribute(nameAttribute)
        let after = cluster.afterAttribute(nameAttribute)
        if cluster.action == .update, before?.unmasked != after?.unmasked {
            let from = before?.isSensitive == true ? "a group with a sensitive name" : before?.scalarText.map { JSONQuoting.quoted($0) } ?? "its previous group"
            let to = after?.isKnownSensitive == true ? "a group with a sensitive name"
                : after?.scalarText.map { JSONQuoting.quoted($0) } ?? "a group known after apply"
            return "the plan moves \(cluster.addressText) from parameter group \(from) to \(to)"
        }
        guard let group = source.parameterGroup, group.resource.action != .noOp else { return nil }
        let old = group.parametersBefore?[parameterName]?.value
        let new = group.parameters?[parameterName]?.value
        if old?.unmasked.scalarText != new?.unmasked.scalarText {
            return "the plan changes \(parameterName) in \(group.resource.addressText)"
        }
        return nil
    }
}
