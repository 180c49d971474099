import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG017: neither cluster's master secret rotates before the planned end of the migration,
/// and none was rotated since it started: DMS and the services log in with them throughout.
public struct SecretRotationClearRule: ReadinessRule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG017",
        name: "secret-rotation-clear",
        title: "No master secret rotates before the planned end of the migration, and none rotated during it",
        rationale: "The DMS endpoints log in to the source and the target with their master secrets, and the services read "
            + "the target's after the switch. A rotation during the migration changes the password under a running task, "
            + "which then fails to reconnect, so the runbook sets the target's rotation to 400 days and asks that the source's "
            + "next rotation be far enough away. Live, each secret's NextRotationDate must fall after the policy's planned end "
            + "(plannedEnd), or rotation be off; a LastRotatedDate after the migration's start (plannedStart, else the DMS "
            + "task's start, or its creation while it has not started; before the full-load deploy nothing has started) is a finding. Without a "
            + "planned end the next rotation cannot be judged: an unverified finding says what to set.",
        runbookStep: "prepare: secret rotation held back",
        phases: [.fullLoad, .cutover, .cleanup],
        parameters: ["plannedStart": .null, "plannedEnd": .null],
        triggeringExamples: [
            .evidence("the target secret rotates again before the planned end", .cutover,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cutover),
                                                  with: ReadinessExamples.secret(.target, next: "1795435200")),
                      policy: ReadinessExamples.plannedEndPolicy()),
            .evidence("the source secret was rotated after the DMS task started", .cutover,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cutover),
                                                  with: ReadinessExamples.secret(.source, last: "1795170000")),
                      policy: ReadinessExamples.plannedEndPolicy()),
        ],
        nonTriggeringExamples: [
            .evidence("both rotate next after the planned end, last rotated before the full-load deploy", .cutover,
                      ReadinessExamples.healthy(.cutover), policy: ReadinessExamples.plannedEndPolicy()),
            .evidence("the source's rotation is off", .fullLoad,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.fullLoad),
                                                  with: ReadinessExamples.secret(.source, enabled: false, next: nil)),
                      policy: ReadinessExamples.plannedEndPolicy()),
        ])

    public func evaluate(_ context: ReadinessContext) -> [Finding] {
        let live = context.live
        let end = context.instant("plannedEnd")
        let start = migrationStart(context)
        var findings: [Finding] = []
        var judged: [LiveSecret] = []
        for role in [ClusterRole.source, .target] {
            let endpointSecret = live.endpoints.first { $0.type == role.rawValue && $0.secretID != nil }?.secretID
            guard let arn = live.cluster(role)?.secretARN ?? endpointSecret else {
                // The runbook: "if a source DB secret exists"; the target's must exist.
                if role == .target {
                    findings.append(context.finding("no master secret of the target cluster found in the evidence (MasterUserSecret "
                        + "of describe-db-clusters, or the DMS target endpoint's SecretsManagerSecretId), so its rotation cannot be "
                        + "checked; collect the target cluster and the DMS endpoints", at: live.target?.location, kind: .open))
                }
                continue
            }
            guard let secret = live.secret(arn: arn) else {
                findings.append(context.collect(.secret, arguments: "--secret-id \(arn)",
                                                needed: "Whether the \(role.rawValue) secret rotates during the migration"))
                continue
            }
            judged.append(secret)
            let address = live.planAddress(of: role)
            findings += next(secret, role, end, context, address)
            if let start { findings += last(secret, role, start, context, address) }
        }
        let rotating = judged.filter { $0.rotationEnabled != false }
        if end == nil, let first = rotating.first {
            findings.append(context.finding("the planned end of the migration is not set, so whether "
                + rotating.map(\.name).joined(separator: " and ") + " rotate\(rotating.count == 1 ? "s" : "") before it cannot be "
                + "checked; set \"plannedEnd\" (ISO 8601, e.g. 2026-12-31T18:00:00Z) in the policy's rules.MIG017.parameters",
                at: first.location, kind: .open))
        }
        return findings
    }

    /// The policy's planned start, else the DMS task's start (its creation while it has not started):
    /// the endpoints log in with the secrets from the start on, and a deploy that makes the task may
    /// set the rotations in the same second. Before the full-load deploy nothing has started.
    func migrationStart(_ context: ReadinessContext) -> (instant: EvidenceInstant, what: String)? {
        if let planned = context.instant("plannedStart") { return (planned, "the policy's plannedStart") }
        if let task = context.live.task, let start = task.started ?? task.created {
            return (start, "when the DMS task \(task.identifier ?? task.arn) was \(task.started == nil ? "created" : "started")")
        }
        return context.phase == .fullLoad ? (context.live.now, "the full-load deploy, still to come") : nil
    }

    func next(_ secret: LiveSecret, _ role: ClusterRole, _ end: EvidenceInstant?, _ context: ReadinessContext,
              _ address: String?) -> [Finding] {
        guard secret.rotationEnabled != false, let end else { return [] }
        guard let next = secret.nextRotation else {
            let state = secret.rotationEnabled == true ? "on" : "of unknown state"
            return [context.finding("the \(role.rawValue) secret \(secret.name) has rotation \(state) and no NextRotationDate in the evidence, so whether it rotates before the planned end \(end) "
                + "cannot be checked; collect `aws secretsmanager describe-secret --secret-id \(secret.arn) --output json` again",
                at: secret.location, address: address, kind: .open, subject: secret.arn)]
        }
        guard next <= end else { return [] }
        return [context.finding("the \(role.rawValue) secret \(secret.name) rotates next at \(next), before the migration's planned "
            + "end \(end): DMS and the services would lose their login mid-migration; set its rotation schedule so the next "
            + "rotation falls after \(end) (the runbook's rate(400 days), rotate_immediately = false), or turn rotation off "
            + "until the migration ends", at: secret.location, address: address, subject: secret.arn)]
    }

    func last(_ secret: LiveSecret, _ role: ClusterRole, _ start: (instant: EvidenceInstant, what: String), _ context: ReadinessContext,
              _ address: String?) -> [Finding] {
        guard let last = secret.lastRotated, start.instant < last else { return [] }
        if context.live.now < last {
            return [context.finding("the \(role.rawValue) secret \(secret.name) was last rotated at \(last), after the time judged at "
                + "(\(context.live.now)): collected later than --now, or an edited file; collect again", at: secret.location,
                address: address, kind: .open, subject: secret.arn)]
        }
        return [context.finding("the \(role.rawValue) secret \(secret.name) was rotated at \(last), during the migration (it "
            + "started at \(start.instant), \(start.what)): the DMS endpoint logging in with it may have lost its connection; "
            + "test it (`aws dms test-connection`), resume the task if it stopped, and set the rotation so it does not recur "
            + "before the migration ends", at: secret.location, address: address, subject: secret.arn)]
    }
}
