import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG016: before each gate a manual snapshot of the source is available, taken after the
/// deploy before it and within the policy's maximum age: the way back if the next step loses data.
public struct SnapshotTakenRule: ReadinessRule {
    public init() {}

    static let defaultMaximumAgeHours = 24

    public static let description = RuleDescription(
        id: "MIG016",
        name: "snapshot-taken",
        title: "A manual snapshot of the source is available, taken after the previous deploy and recently enough",
        rationale: "The runbook snapshots the source before the migration starts (pre-migration step 2) and again before the "
            + "switchover (step 6), and the cleanup deploy destroys the source. Each snapshot is the only way back if the next "
            + "step goes wrong, so it must be manual (automated snapshots are deleted with the cluster and by their retention), "
            + "available (a creating snapshot cannot be restored), newer than the deploy before the gate and within the "
            + "policy's maximum age (maximumSnapshotAgeHours, 24 by default). When the deploy happened is read from the "
            + "evidence: the target cluster's ClusterCreateTime (made by the prepare deploy) before the full-load deploy, the "
            + "DMS task's FullLoadFinishDate before the cutover deploy (step 6 snapshots after the full load and its "
            + "validation; while the full load has not finished, the task's ReplicationTaskCreationDate), and the task's "
            + "StopDate (it stops after the cutover deploy and the switch, so the snapshot holds the source's last writes) "
            + "before the cleanup deploy. When the evidence lacks that time, only the age is judged, and a note says so.",
        runbookStep: "manual: snapshot of the source; manual: snapshot before the switchover; cleanup: destroy the source",
        phases: [.fullLoad, .cutover, .cleanup],
        parameters: ["maximumSnapshotAgeHours": .number(String(defaultMaximumAgeHours))],
        triggeringExamples: [
            .evidence("only the snapshot from before the migration, older than the full-load deploy", .cutover,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cutover), with: ReadinessExamples.snapshot(before: .fullLoad))),
            .evidence("only an automated snapshot and one still creating", .cleanup,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cleanup), with: ReadinessExamples.snapshots([
                          ("rds:app-legacy-2026-11-20-11-50", "automated", "available", "2026-11-20T11:50:00.000000Z"),
                          ("app-legacy-before-cleanup", "manual", "creating", "2026-11-20T11:55:00.000000Z"),
                      ]))),
            .evidence("a snapshot taken after the full-load deploy but before the full load finished (step 6 comes after it)", .cutover,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cutover), with: ReadinessExamples.snapshots([
                          ("app-legacy-during-load", "manual", "available", "2026-11-20T09:30:00.000000Z"),
                      ]))),
            .evidence("no snapshot at all", .fullLoad,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.fullLoad), with: ReadinessExamples.snapshots([]))),
        ],
        nonTriggeringExamples: [
            .evidence("a manual snapshot taken after the prepare deploy", .fullLoad, ReadinessExamples.healthy(.fullLoad)),
            .evidence("a manual snapshot taken after the full load, before the switchover", .cutover, ReadinessExamples.healthy(.cutover)),
            .evidence("a manual snapshot taken after the DMS task stopped", .cleanup, ReadinessExamples.healthy(.cleanup)),
        ])

    /// When the deploy before the gate happened, by the evidence, and what says so.
    static func previousDeploy(_ live: LivePicture, _ phase: Phase) -> (instant: EvidenceInstant, what: String)? {
        switch phase {
        case .prepare:
            return nil
        case .fullLoad:
            return live.target?.created.map { ($0, "the target cluster's ClusterCreateTime, when the prepare deploy made it") }
        case .cutover:
            // Runbook step 6: after the full load (steps 1-5), not merely after the deploy that made the task.
            if let finished = live.task?.fullLoadFinished { return (finished, "the DMS task's FullLoadFinishDate, when the full load ended") }
            return live.task?.created.map { ($0, "the DMS task's ReplicationTaskCreationDate, when the full-load deploy made it") }
        case .cleanup:
            return live.task?.stopped.map { ($0, "the DMS task's StopDate, after the cutover deploy and the switch") }
        }
    }

    public func evaluate(_ context: ReadinessContext) -> [Finding] {
        let live = context.live
        guard let source = live.source else {
            return [context.finding("no source cluster found in the evidence (joined by the plan's or state's cluster identifier, "
                + "the DMS source endpoint, or describe-db-clusters.source.json), so its snapshots cannot be checked; pass the plan "
                + "or state, or collect `aws rds describe-db-clusters --db-cluster-identifier SOURCE_CLUSTER_ID --output json`",
                at: nil, kind: .open)]
        }
        guard live.answered(.clusterSnapshots) else {
            return [context.collect(.clusterSnapshots, arguments: "--db-cluster-identifier \(source.identifier) --snapshot-type manual",
                                    needed: "Whether a manual snapshot of \(source.identifier) is available")]
        }
        let maximumHours = context.integer("maximumSnapshotAgeHours", default: Self.defaultMaximumAgeHours)
        let deploy = Self.previousDeploy(live, context.phase)
        let address = live.planAddress(of: .source)
        let own = live.snapshots.filter { $0.cluster == source.identifier }
        var rejected: [String] = []
        var findings: [Finding] = []
        for snapshot in own {
            guard let problem = problem(snapshot, deploy: deploy?.instant, maximumHours: maximumHours, now: live.now) else {
                if deploy == nil { findings.append(assumption(snapshot, maximumHours, context, address)) }
                return findings
            }
            if problem.hasPrefix("created after") {
                findings.append(context.finding("snapshot \(snapshot.identifier) was \(problem): collected later than --now, or an "
                    + "edited file; collect again", at: snapshot.location, address: address, kind: .open, subject: snapshot.identifier))
            }
            rejected.append("\(snapshot.identifier) (\(problem))")
        }
        let name = "\(source.identifier)-before-\(context.phase.rawValue)-\(Self.stamp(live.now))"
        let found = rejected.isEmpty ? "the evidence lists none" : "found only " + rejected.joined(separator: "; ")
        let after = deploy.map { " taken after \($0.instant) (\($0.what))," } ?? ""
        findings.append(context.finding("no manual snapshot of the source cluster \(source.identifier) in available state,\(after) "
            + "within \(maximumHours) hours of \(live.now): \(found); take one before the \(context.phase) deploy with "
            + "`aws rds create-db-cluster-snapshot --db-cluster-identifier \(source.identifier) --db-cluster-snapshot-identifier "
            + "\(name)` and wait for it (`aws rds wait db-cluster-snapshot-available --db-cluster-snapshot-identifier \(name)`)",
            at: own.last?.location ?? source.location, address: address, subject: source.identifier))
        return findings
    }

    /// Why a snapshot is not the gate's; nil when it is.
    func problem(_ snapshot: LiveSnapshot, deploy: EvidenceInstant?, maximumHours: Int, now: EvidenceInstant) -> String? {
        guard snapshot.type == "manual" else { return snapshot.type.map { "\($0), not manual" } ?? "of unknown SnapshotType" }
        guard snapshot.status == "available" else { return snapshot.status.map { "\($0), not available" } ?? "of unknown Status" }
        guard let created = snapshot.created else { return "no SnapshotCreateTime" }
        if now < created { return "created after the time judged at, \(created)" }
        if let deploy, created < deploy { return "taken at \(created), before the previous deploy" }
        let (limit, overflow) = Int64(maximumHours).multipliedReportingOverflow(by: 3600)
        if !overflow, created.seconds(until: now) > limit { return "taken at \(created), older than \(maximumHours) hours" }
        return nil
    }

    /// A note when the evidence does not say when the previous deploy was: only the age was judged.
    func assumption(_ snapshot: LiveSnapshot, _ hours: Int, _ context: ReadinessContext, _ address: String?) -> Finding {
        var note = context.finding("snapshot \(snapshot.identifier) is manual, available and within \(hours) hours; the evidence "
            + "does not say when the deploy before the \(context.phase) gate was (collect the DMS task, or the target cluster "
            + "before the full-load deploy), so it is assumed to be newer than that deploy", at: snapshot.location, address: address,
            kind: .open, subject: snapshot.identifier)
        note.severity = .note
        return note
    }

    /// `202611201200`: the judged instant in a snapshot identifier (letters, digits and hyphens only).
    static func stamp(_ instant: EvidenceInstant) -> String {
        String(instant.description.filter(\.isNumber).prefix(12))
    }
}
