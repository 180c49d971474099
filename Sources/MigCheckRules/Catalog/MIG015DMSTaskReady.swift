import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG015: the live DMS task is ready for the gate: before the cutover deploy it replicates
/// changes after a finished full load with no table in error; before the cleanup deploy it was
/// stopped, not failed.
public struct DMSTaskReadyRule: ReadinessRule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG015",
        name: "dms-task-ready",
        title: "The DMS task has finished its full load and replicates changes before cutover, and is stopped (never failed) before cleanup",
        rationale: "The cutover deploy points the application at the target. If the full load has not finished, a table errored "
            + "or was suspended, or the task is not running full-load-and-cdc, the target is missing rows or stops receiving "
            + "the writes made during the switchover, and a plan cannot show it. Before the cleanup deploy destroys DMS and the "
            + "source, the task must have been stopped after the switchover: a failed task may have lost changes on the way.",
        runbookStep: "manual: wait for replication; manual: switch the services and stop DMS",
        phases: [.cutover, .cleanup],
        triggeringExamples: [
            .evidence("a table in error before the switchover", .cutover,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cutover),
                                                  with: ReadinessExamples.tables([("users", "Table completed"), ("orders", "Table error")]))),
            .evidence("the full load has not finished", .cutover,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cutover), with: ReadinessExamples.task(progress: 87, finished: nil))),
            .evidence("the task failed before the cleanup", .cleanup,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cleanup),
                                                  with: ReadinessExamples.task(status: "failed", stopReason: "Stop Reason FATAL_ERROR"))),
        ],
        nonTriggeringExamples: [
            .evidence("running full-load-and-cdc, full load done, every table completed", .cutover, ReadinessExamples.healthy(.cutover)),
            .evidence("stopped after the switchover", .cleanup, ReadinessExamples.healthy(.cleanup)),
        ])

    static let taskFilter = "--filters Name=replication-task-arn,Values=TASK_ARN --without-settings"

    public func evaluate(_ context: ReadinessContext) -> [Finding] {
        let live = context.live
        guard live.answered(.replicationTasks), !live.tasks.isEmpty else {
            return [context.collect(.replicationTasks, arguments: Self.taskFilter, needed: "Whether the DMS task is ready")]
        }
        guard let task = live.task else {
            return [context.finding("\(live.tasks.count) replication tasks in the evidence and none joined to the migration (by "
                + "the plan's replication_task_arn or the source endpoint), so the task cannot be judged; pass the plan or state, "
                + "or collect only the migration's task (\(Self.taskFilter))", at: live.tasks.first?.location, kind: .open)]
        }
        let address = live.plan?.dmsTasks.first?.addressText
        return context.phase == .cleanup ? stopped(task, context, address) : replicating(task, context, address)
    }

    func name(_ task: LiveTask) -> String { task.identifier ?? task.arn }

    func why(_ task: LiveTask) -> String {
        [task.stopReason, task.lastFailureMessage].compactMap { $0 }.map { "(\($0))" }.joined(separator: " ")
    }

    func replicating(_ task: LiveTask, _ context: ReadinessContext, _ address: String?) -> [Finding] {
        var findings: [Finding] = []
        func fail(_ message: String) {
            findings.append(context.finding("DMS task \(name(task)) " + message, at: task.location, address: address, subject: task.arn))
        }
        if task.status != "running" {
            fail("is \(task.status ?? "of unknown status")\(why(task).isEmpty ? "" : " " + why(task)), not running: start or resume "
                + "it and wait until it replicates changes before the cutover deploy")
        }
        if task.migrationType != "full-load-and-cdc" {
            fail("migrates \(task.migrationType ?? "(unknown type)"), not full-load-and-cdc: the writes made during the switchover would not reach the target")
        }
        if let progress = task.fullLoadProgressPercent, progress != 100 {
            fail("has loaded \(progress) % of the full load; wait until it reaches 100 %")
        }
        if let finished = task.fullLoadFinished {
            if context.live.now < finished {
                findings.append(context.finding("DMS task \(name(task)) finished its full load at \(finished), after the time judged at "
                    + "(\(context.live.now)): collected later than --now, or an edited file; collect again", at: task.location,
                    address: address, kind: .open, subject: task.arn))
            }
        } else {
            fail("has no FullLoadFinishDate: the full load has not finished; wait for it before the cutover deploy")
        }
        if let errored = task.tablesErrored, errored > 0 {
            fail("has \(errored) table\(errored == 1 ? "" : "s") in error (TablesErrored); reload them before the cutover deploy")
        }
        findings += tables(task, context, address)
        return findings
    }

    /// Table states that stop the cutover: in error or suspended, or validation failed.
    func tables(_ task: LiveTask, _ context: ReadinessContext, _ address: String?) -> [Finding] {
        let live = context.live
        guard live.answered(.tableStatistics), !live.tables.isEmpty else {
            return [context.collect(.tableStatistics, arguments: "--replication-task-arn \(task.arn)",
                                    needed: "Whether any table of DMS task \(name(task)) is in error or suspended")]
        }
        var findings: [Finding] = []
        for table in live.tables {
            let state = (table.state ?? "").lowercased()
            let validation = (table.validationState ?? "").lowercased()
            if state.contains("error") || state.contains("suspend") {
                findings.append(context.finding("table \(table.qualifiedName) of DMS task \(name(task)) is \"\(table.state ?? "")\"; "
                    + "reload it (aws dms reload-tables) and wait until it completes before the cutover deploy",
                    at: table.location, address: address, subject: "\(task.arn) \(table.qualifiedName)"))
            } else if validation.contains("fail") || validation.contains("mismatch") || validation.contains("error") {
                findings.append(context.finding("validation of table \(table.qualifiedName) of DMS task \(name(task)) is "
                    + "\"\(table.validationState ?? "")\"; compare source and target before the cutover deploy",
                    at: table.location, address: address, subject: "\(task.arn) \(table.qualifiedName)"))
            }
        }
        return findings
    }

    func stopped(_ task: LiveTask, _ context: ReadinessContext, _ address: String?) -> [Finding] {
        switch task.status {
        case "stopped"?:
            return []
        case "failed"?:
            return [context.finding("DMS task \(name(task)) failed \(why(task)): changes after the failure may not have reached "
                + "the target; check the target's data before the cleanup deploy destroys the source", at: task.location, address: address,
                subject: task.arn)]
        default:
            return [context.finding("DMS task \(name(task)) is \(task.status ?? "of unknown status"), not stopped: stop it after the "
                + "switchover (aws dms stop-replication-task) before the cleanup deploy", at: task.location, address: address,
                subject: task.arn)]
        }
    }
}
