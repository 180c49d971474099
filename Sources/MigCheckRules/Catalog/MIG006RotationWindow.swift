import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG006: the master secrets the migration uses do not rotate while it runs: the target's
/// (and the source's, if it has a rotation) is at least 400 days apart and does not rotate
/// at apply; in cleanup a schedule still that long is a warning to restore the normal one.
public struct RotationWindowRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG006",
        name: "rotation-window",
        title: "The migration's master secrets do not rotate before cleanup",
        rationale: "DMS endpoints and the schema-preparation task hold the database passwords; a rotation during the full "
            + "load or replication changes the master password under them and the DMS task stops with authentication "
            + "errors. RDS rotates a managed master secret every 7 days unless a rotation says otherwise, so the runbook "
            + "sets the target's rotation (and the source's, if it has one) 400 days apart without rotating at apply, "
            + "and restores the normal schedule in cleanup. A malformed rate()/cron() expression, or both "
            + "automatically_after_days and schedule_expression, is refused by AWS and stops the apply halfway.",
        runbookStep: "prepare: secret rotation held back; cleanup: normal secret rotation",
        phases: [.prepare, .fullLoad, .cutover, .cleanup],
        parameters: ["minimumRotationDays": 400],
        judgedAttributes: [
            "aws_secretsmanager_secret_rotation.rotation_rules",
            "aws_secretsmanager_secret_rotation.rotate_immediately",
            "aws_secretsmanager_secret_rotation.secret_id",
            "aws_rds_cluster.master_user_secret[0].secret_arn",
            "aws_secretsmanager_secret_rotation.rotation_rules[0].schedule_expression",
            "aws_secretsmanager_secret_rotation.rotation_rules[0].automatically_after_days",
        ],
        triggeringExamples: [
            .plan("target rotation 30 days apart", .prepare,
                  MigrationExamples.healthy(.prepare).setting(MigrationExamples.targetRotation, "rotation_rules", to: schedule("rate(30 days)"))),
            .plan("target rotation on a cron schedule during the full load", .fullLoad,
                  MigrationExamples.healthy(.fullLoad).setting(MigrationExamples.targetRotation, "rotation_rules", to: schedule("cron(0 8 ? * WED *)"))),
            .plan("rotate_immediately = true", .prepare,
                  MigrationExamples.healthy(.prepare).setting(MigrationExamples.targetRotation, "rotate_immediately", to: true)),
            .plan("no rotation for the target's RDS-managed secret (RDS's 7-day default applies)", .cutover,
                  MigrationExamples.healthy(.cutover).removing(MigrationExamples.targetRotation)),
            .plan("malformed rate: plural value with a singular unit", .prepare,
                  MigrationExamples.healthy(.prepare).setting(MigrationExamples.targetRotation, "rotation_rules", to: schedule("rate(400 day)"))),
            .plan("automatically_after_days = 30", .fullLoad,
                  MigrationExamples.healthy(.fullLoad).setting(MigrationExamples.targetRotation, "rotation_rules", to: schedule("", days: 30))),
            .plan("source rotation 30 days apart", .prepare,
                  MigrationExamples.healthy(.prepare).adding(sourceRotation("rate(30 days)"))),
            .plan("cleanup leaves the 400-day rotation in place (warning)", .cleanup,
                  MigrationExamples.healthy(.cleanup).setting(MigrationExamples.targetRotation, "rotation_rules", to: schedule("rate(400 days)"))),
            .state("state during the full load with a 7-day rotation", .fullLoad,
                   MigrationExamples.healthy(.fullLoad).setting(MigrationExamples.targetRotation, "rotation_rules", to: schedule("rate(7 days)"))),
        ],
        nonTriggeringExamples: [
            .plan("400-day rotation created without rotating", .prepare, MigrationExamples.healthy(.prepare)),
            .plan("400-day rotation kept through the full load", .fullLoad, MigrationExamples.healthy(.fullLoad)),
            .plan("automatically_after_days = 400", .cutover,
                  MigrationExamples.healthy(.cutover).setting(MigrationExamples.targetRotation, "rotation_rules", to: schedule("", days: 400))),
            .plan("source rotation 400 days apart as well", .prepare,
                  MigrationExamples.healthy(.prepare).adding(sourceRotation("rate(400 days)"))),
            .plan("rotation rules unknown until apply (reported as open)", .prepare,
                  MigrationExamples.healthy(.prepare).markingUnknown(MigrationExamples.targetRotation, "rotation_rules")),
            .plan("cleanup restores a weekly cron schedule", .cleanup, MigrationExamples.healthy(.cleanup)),
            .plan("cleanup restores a daily rate", .cleanup,
                  MigrationExamples.healthy(.cleanup).setting(MigrationExamples.targetRotation, "rotation_rules", to: schedule("rate(1 day)"))),
            .state("state during the full load", .fullLoad, MigrationExamples.healthy(.fullLoad)),
        ])

    /// A `rotation_rules` block as the AWS provider writes it.
    package static func schedule(_ expression: String, days: Int = 0) -> JSONLiteral {
        [["automatically_after_days": .number(String(days)), "duration": "", "schedule_expression": .string(expression)]]
    }

    static func sourceRotation(_ expression: String) -> ExampleResource {
        let source = MigrationExamples.source
        let value = MigrationExamples.rotation(secret: MigrationExamples.sourceSecret, schedule: expression)
        return ExampleResource("aws_secretsmanager_secret_rotation.legacy", actions: ["create"], before: nil, after: value,
                               references: ["secret_id": ["\(source).master_user_secret[0].secret_arn", "\(source).master_user_secret[0]",
                                                          "\(source).master_user_secret", source]])
    }

    public func evaluate(_ context: RuleContext) -> [Finding] {
        let picture = context.picture
        let minimumDays = context.integer("minimumRotationDays", default: 400)
        guard let target = picture.target else {
            return [context.missing(.target, needed: "the target secret's rotation window")]
        }
        // A destroyed target is MIG008's business; a destroyed source has nothing left to rotate.
        var sides: [(role: ClusterRole, cluster: ClusterView)] = []
        if target.resource.hasAfter { sides.append((.target, target)) }
        if context.phase != .cleanup, let source = picture.source, source.resource.hasAfter { sides.append((.source, source)) }

        var findings: [Finding] = []
        let matched = Set(picture.clusters.flatMap { $0.rotations.map(\.addressText) })
        let unmatched = picture.rotations.filter { !matched.contains($0.addressText) && $0.hasAfter }
        var reportedUnmatched = false
        for (role, cluster) in sides {
            let live = cluster.rotations.filter { $0.hasAfter }
            for rotation in live {
                findings += judge(rotation, role: role, minimumDays: minimumDays, context)
            }
            guard live.isEmpty, context.phase != .cleanup else { continue }
            // With no rotation of its own, a rotation the picture could not place may be this cluster's.
            if !unmatched.isEmpty {
                if !reportedUnmatched {
                    reportedUnmatched = true
                    findings += unmatched.map { rotation in
                        context.unverified("\(rotation.addressText) rotates a secret that matches no cluster (secret_id is \(Self.describe(rotation.attribute("secret_id")))), so whether it is the \(role.rawValue)'s master secret, rotating at least \(minimumDays) days apart, cannot be checked", about: rotation)
                    }
                }
                continue
            }
            findings += missingRotation(cluster, role: role, minimumDays: minimumDays, context)
        }
        return findings
    }

    /// A cluster no rotation belongs to: an RDS-managed master secret then rotates on RDS's 7-day default.
    private func missingRotation(_ cluster: ClusterView, role: ClusterRole, minimumDays: Int, _ context: RuleContext) -> [Finding] {
        let removed = cluster.rotations.first.map { " (the plan destroys \($0.addressText))" } ?? ""
        // A sensitive flag is judged as a plain one.
        switch cluster.resource.attribute("manage_master_user_password")?.unmasked {
        case .bool(true)?:
            if role == .target {
                return [context.finding("the target's RDS-managed master secret has no aws_secretsmanager_secret_rotation\(removed), so RDS's default 7-day rotation changes its password mid-migration; add one with schedule_expression = \"rate(\(minimumDays) days)\" and rotate_immediately = false", about: cluster.resource)]
            }
            return [context.unverified("the source's RDS-managed master secret has no rotation in this \(context.isPlan ? "plan" : "state")\(removed), so RDS's 7-day default may rotate it mid-migration; check its next rotation is \(minimumDays)+ days away or add one with schedule_expression = \"rate(\(minimumDays) days)\"", about: cluster.resource)]
        case let opaque? where opaque.isUnknown || opaque.isSensitive:
            return [context.unverified("manage_master_user_password of \(cluster.addressText) is \(Self.opacity(opaque)), so whether RDS rotates its master secret during the migration cannot be checked", about: cluster.resource)]
        default:
            // No RDS-managed secret and no rotation: nothing rotates the password.
            return []
        }
    }

    private func judge(_ rotation: ResourceView, role: ClusterRole, minimumDays: Int, _ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        let name = rotation.addressText
        let migrating = context.phase != .cleanup
        let suggestion = migrating ? "schedule_expression = \"rate(\(minimumDays) days)\"" : "the normal schedule, e.g. schedule_expression = \"cron(0 8 ? * WED *)\""

        if migrating {
            // Sensitive values are judged as plain ones, and named only as sensitive.
            let rotateImmediately = rotation.attribute("rotate_immediately")
            switch rotateImmediately?.unmasked {
            case .bool(false)?:
                break
            case .bool(true)?:
                let shown = rotateImmediately?.isSensitive == true ? " (sensitive) is true" : " = true"
                findings.append(context.finding("rotate_immediately\(shown) on \(name) rotates the \(role.rawValue)'s master secret as soon as the rotation is applied, in the middle of the migration; set rotate_immediately = false", about: rotation))
            case let opaque? where opaque.isUnknown || opaque.isSensitive:
                findings.append(context.unverified("rotate_immediately of \(name) is \(Self.opacity(opaque)), so whether it rotates the \(role.rawValue)'s master secret at apply cannot be checked", about: rotation))
            default:
                findings.append(context.finding("rotate_immediately is not set on \(name) and the AWS provider defaults it to true, which rotates the \(role.rawValue)'s master secret at apply, in the middle of the migration; set rotate_immediately = false", about: rotation))
            }
        }

        let rulesValue = rotation.attribute("rotation_rules")
        let hidden = rulesValue?.containsSensitive == true
        let rules = rulesValue?.fullyUnmasked
        if let opaque = [rules, rules?[0]].compactMap({ $0 }).first(where: { $0.isUnknown || $0.isSensitive }) {
            findings.append(context.unverified("rotation_rules of \(name) is \(Self.opacity(opaque)), so its rotation window cannot be checked", about: rotation))
            return findings
        }
        guard let block = rules?[0], case .object = block else {
            findings.append(context.finding("\(name) has no\(hidden ? " readable" : "") rotation_rules block (\(hidden ? "sensitive" : "none")), so AWS has no schedule for it and the apply stops at this resource; add rotation_rules with \(suggestion)", about: rotation))
            return findings
        }

        let daysValue = block["automatically_after_days"]
        let expressionValue = block["schedule_expression"]
        for (attribute, value) in [("automatically_after_days", daysValue), ("schedule_expression", expressionValue)] {
            if let opaque = value, opaque.isUnknown || opaque.isSensitive {
                findings.append(context.unverified("rotation_rules.\(attribute) of \(name) is \(Self.opacity(opaque)), so its rotation window cannot be checked", about: rotation))
                return findings
            }
        }

        var days: Int?
        switch daysValue {
        case nil, .null?:
            days = nil
        case .number(let text)?:
            guard let whole = daysValue?.intValue else {
                findings.append(context.finding("rotation_rules.automatically_after_days = \(hidden ? "(sensitive)" : text) of \(name) is not a whole number of days, so AWS refuses it and the apply stops at this resource; use \(suggestion)", about: rotation))
                return findings
            }
            days = whole == 0 ? nil : whole
        default:
            findings.append(context.finding("rotation_rules.automatically_after_days of \(name) is not a number, so AWS refuses it and the apply stops at this resource; use \(suggestion)", about: rotation))
            return findings
        }
        var expression: String?
        switch expressionValue {
        case nil, .null?:
            expression = nil
        case .string(let text)?:
            expression = text.isEmpty ? nil : text
        default:
            findings.append(context.finding("rotation_rules.schedule_expression of \(name) is not a string, so AWS refuses it and the apply stops at this resource; use \(suggestion)", about: rotation))
            return findings
        }

        let intervalHours: Int?
        let what: String
        switch (days, expression) {
        case (let days?, let expression?):
            let shown = hidden ? " and schedule_expression (sensitive)" : " = \(days) and schedule_expression \(JSONQuoting.quoted(expression))"
            findings.append(context.finding("\(name) sets both rotation_rules.automatically_after_days\(shown); AWS refuses the pair (\"You cannot specify both rotation frequency and schedule expression together\") and the apply stops at this resource; keep only \(suggestion)", about: rotation))
            return findings
        case (nil, nil):
            findings.append(context.finding("\(name) sets neither rotation_rules.automatically_after_days nor schedule_expression, so AWS has no schedule for it and the apply stops at this resource; set \(suggestion)", about: rotation))
            return findings
        case (let days?, nil):
            guard (1...1000).contains(days) else {
                findings.append(context.finding("rotation_rules.automatically_after_days = \(hidden ? "(sensitive)" : String(days)) of \(name) is outside AWS's 1-1000, so AWS refuses it and the apply stops at this resource; use \(suggestion)", about: rotation))
                return findings
            }
            intervalHours = days * 24
            what = hidden ? "the sensitive rotation_rules.automatically_after_days" : "rotation_rules.automatically_after_days = \(days)"
        case (nil, let expression?):
            switch ScheduleExpression.parse(expression) {
            case .failure(let error):
                // The parser's reason quotes parts of the expression: left out when it is sensitive.
                let shown = hidden ? "(sensitive) of \(name) is malformed" : "\(JSONQuoting.quoted(expression)) of \(name) is malformed: \(error)"
                findings.append(context.finding("rotation_rules.schedule_expression \(shown); AWS refuses it and the apply stops at this resource; write e.g. \(migrating ? "\"rate(\(minimumDays) days)\"" : "\"cron(0 8 ? * WED *)\"")", about: rotation))
                return findings
            case .success(let parsed):
                intervalHours = parsed.intervalHours
                what = hidden ? "the sensitive rotation_rules.schedule_expression" : "rotation_rules.schedule_expression \(JSONQuoting.quoted(expression))"
            }
        }

        let minimumHours = minimumDays * 24
        if migrating {
            if let hours = intervalHours {
                if hours < minimumHours {
                    let every = hidden ? "less than the \(minimumDays) days apart" : "every \(Self.span(hours)), less than the \(minimumDays) days"
                    findings.append(context.finding("\(what) of \(name) rotates the \(role.rawValue)'s master secret \(every) the migration needs, so its password can change under DMS; set \(suggestion)", about: rotation))
                }
            } else {
                findings.append(context.finding("\(what) of \(name) is a cron schedule, which fires at least yearly, so the \(role.rawValue)'s master secret can rotate mid-migration; set \(suggestion) until cleanup", about: rotation))
            }
        } else if let hours = intervalHours, hours >= minimumHours {
            let every = hidden ? "at least \(minimumDays) days apart" : "only every \(Self.span(hours))"
            findings.append(context.finding("\(what) of \(name) still rotates the target's master secret \(every) after the migration; restore \(suggestion) in the cleanup deploy", about: rotation, level: .advisory))
        }
        return findings
    }

    package static func span(_ hours: Int) -> String {
        if hours % 24 == 0 { return hours == 24 ? "1 day" : "\(hours / 24) days" }
        return hours == 1 ? "1 hour" : "\(hours) hours"
    }

    /// Why a value cannot be judged: unknown until apply, or sensitive (judging it would reveal it).
    static func opacity(_ value: TerraformValue) -> String {
        if value.isUnknown { return "unknown until apply" }
        if case .sensitive(let hidden) = value, hidden.isUnknown { return "unknown until apply" }
        return "sensitive (judging it would reveal part of it)"
    }

    package static func describe(_ value: TerraformValue?) -> String {
        switch value {
        case .none, .null?: return "not set"
        case .unknown?: return "unknown until apply"
        case .sensitive?: return "sensitive"
        case .string(let text)?: return JSONQuoting.quoted(text)
        default: return "not a string"
        }
    }
}
