import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG010: a full-load-and-CDC DMS replication task runs from the source cluster to the
/// target, and lives until cleanup.
public struct DMSTaskRule: Rule {
    public init() {}

    static let migrationType = "full-load-and-cdc"

    public static let description = RuleDescription(
        id: "MIG010",
        name: "dms-task",
        title: "A full-load-and-CDC DMS task replicates from the source cluster to the target",
        rationale: "Only full-load-and-cdc keeps the target in step with the writes made during and after the full load "
            + "until the switchover; an endpoint aimed at the wrong cluster (a copy-paste slip seen in a real migration) "
            + "copies the target onto itself or the source onto the source, and a task destroyed or replaced before cleanup "
            + "stops replication or starts a new full load over a target that already holds the data.",
        runbookStep: "prepare: DMS task and endpoints; full-load: start the DMS task",
        phases: [.prepare, .fullLoad, .cutover],
        judgedAttributes: [
            "aws_dms_replication_task.migration_type",
            "aws_dms_replication_task.source_endpoint_arn",
            "aws_dms_replication_task.target_endpoint_arn",
            "aws_dms_endpoint.server_name",
            "aws_dms_endpoint.endpoint_type",
            "aws_dms_endpoint.endpoint_arn",
            "aws_rds_cluster.endpoint",
        ],
        triggeringExamples: [
            .plan("migration_type full-load stops after the copy", .fullLoad,
                  MigrationExamples.healthy(.fullLoad).setting(MigrationExamples.task, "migration_type", to: "full-load", beforeToo: true)),
            .plan("the source endpoint aimed at the target cluster (copy-paste slip)", .fullLoad,
                  MigrationExamples.healthy(.fullLoad)
                    .setting(MigrationExamples.sourceEndpoint, "server_name", to: .string(MigrationExamples.targetHost), beforeToo: true)
                    .settingReferences(MigrationExamples.sourceEndpoint, "server_name", to: ["var.target_host"])),
            .plan("the task destroyed before cleanup", .cutover,
                  MigrationExamples.healthy(.cutover).withActions(MigrationExamples.task, ["delete"])),
            .plan("the task replaced during the full load", .fullLoad,
                  MigrationExamples.healthy(.fullLoad).withActions(MigrationExamples.task, ["delete", "create"])),
            .plan("no replication task at all", .prepare, MigrationExamples.healthy(.prepare).removing(MigrationExamples.task)),
            .plan("terraform-aws-modules/dms layout: the target endpoint's server_name is the source's endpoint", .fullLoad,
                  moduleLayout(.fullLoad, targetServer: .string(MigrationExamples.sourceHost))),
            .plan("the target endpoint's server_name a conditional module input whose every branch is the source cluster", .prepare,
                  MigrationExamples.healthy(.prepare).settingModuleInput("dms", "target_host", to: conditional(
                    ["\(MigrationExamples.source).endpoint", MigrationExamples.source],
                    ["\(MigrationExamples.source).reader_endpoint", MigrationExamples.source]))),
            .state("state with the target endpoint on the source cluster", .fullLoad,
                   MigrationExamples.healthy(.fullLoad)
                    .setting(MigrationExamples.targetEndpoint, "server_name", to: .string(MigrationExamples.sourceHost), beforeToo: true)),
        ],
        nonTriggeringExamples: [
            .plan("task and endpoints created with the target (server_name known after apply, by reference)", .prepare,
                  MigrationExamples.healthy(.prepare)),
            .plan("full load running", .fullLoad, MigrationExamples.healthy(.fullLoad)),
            .plan("terraform-aws-modules/dms layout with both endpoints on the right clusters", .fullLoad,
                  moduleLayout(.fullLoad, targetServer: .string(MigrationExamples.targetHost))),
            .plan("terraform-aws-modules/dms layout while the target is created: open, not failed", .prepare,
                  moduleLayout(.prepare, targetServer: nil)),
            .plan("the target endpoint's server_name a conditional module input (var.cutover ? source : target), unknown until apply: "
                  + "open, not failed", .prepare,
                  MigrationExamples.healthy(.prepare).settingModuleInput("dms", "target_host", to: conditionalSourceOrTarget)),
            .plan("the same conditional once the value is known: the value decides", .fullLoad,
                  MigrationExamples.healthy(.fullLoad).settingModuleInput("dms", "target_host", to: conditionalSourceOrTarget)),
            .state("state after cutover", .cutover, MigrationExamples.healthy(.cutover)),
        ])

    /// The references Terraform lists for `var.cutover ? A : B`: the condition's and both
    /// branches', with no `constant_value` and no sign of which branch is taken.
    static func conditional(_ whenTrue: [String], _ whenFalse: [String]) -> [String] {
        ["var.cutover"] + whenTrue + whenFalse
    }

    static var conditionalSourceOrTarget: [String] {
        conditional(["\(MigrationExamples.source).endpoint", MigrationExamples.source],
                    ["\(MigrationExamples.target).endpoint", MigrationExamples.target])
    }

    /// The healthy plan with DMS laid out as terraform-aws-modules/dms does it: endpoints
    /// `aws_dms_endpoint.this["key"]` with `server_name = each.value.server_name`, a task
    /// choosing them by key, so only values can tell where an endpoint points.
    static func moduleLayout(_ phase: Phase, targetServer: JSONLiteral?) -> ExamplePlan {
        let creating = phase == .prepare
        let actions = creating ? ["create"] : ["no-op"]
        let sourceARN = "arn:aws:dms:eu-west-2:123456789012:endpoint:MODSOURCE"
        let targetARN = "arn:aws:dms:eu-west-2:123456789012:endpoint:MODTARGET"
        var source = MigrationExamples.endpoint(id: "app-source", type: "source", host: MigrationExamples.sourceHost)
        var target = MigrationExamples.endpoint(id: "app-target", type: "target", host: MigrationExamples.targetHost)
        target["server_name"] = targetServer
        var task: JSONLiteral = ["replication_task_id": "app-migration", "migration_type": .string(migrationType)]
        if !creating {
            source["endpoint_arn"] = .string(sourceARN)
            target["endpoint_arn"] = .string(targetARN)
            task["source_endpoint_arn"] = .string(sourceARN)
            task["target_endpoint_arn"] = .string(targetARN)
        }
        let endpointReferences = ["server_name": ["each.value"], "endpoint_type": ["each.value.endpoint_type", "each.value"]]
        return MigrationExamples.healthy(phase)
            .removing(MigrationExamples.sourceEndpoint).removing(MigrationExamples.targetEndpoint).removing(MigrationExamples.task)
            .adding(ExampleResource(#"module.dms.aws_dms_endpoint.this["source"]"#, actions: actions,
                                    before: creating ? nil : source, after: source,
                                    unknown: creating ? ["endpoint_arn"] : [], sensitive: ["password"], references: endpointReferences))
            .adding(ExampleResource(#"module.dms.aws_dms_endpoint.this["target"]"#, actions: actions,
                                    before: creating ? nil : target, after: target,
                                    unknown: (creating ? ["endpoint_arn"] : []) + (targetServer == nil ? ["server_name"] : []),
                                    sensitive: ["password"], references: endpointReferences))
            .adding(ExampleResource(#"module.dms.aws_dms_replication_task.this["migration"]"#, actions: actions,
                                    before: creating ? nil : task, after: task,
                                    unknown: creating ? ["source_endpoint_arn", "target_endpoint_arn"] : [],
                                    references: ["source_endpoint_arn": ["aws_dms_endpoint.this", "each.value.source_endpoint_key", "each.value"],
                                                 "target_endpoint_arn": ["aws_dms_endpoint.this", "each.value.target_endpoint_key", "each.value"]]))
    }

    public func evaluate(_ context: RuleContext) -> [Finding] {
        let picture = context.picture
        let tasks = picture.dmsTasks
        guard !tasks.isEmpty else {
            return [context.finding("no aws_dms_replication_task in this \(picture.isPlan ? "plan" : "state"); deploy the DMS module's task "
                + "with migration_type \"\(Self.migrationType)\" from the source cluster's endpoint to the target's, and keep it until cleanup",
                about: nil)]
        }
        var findings: [Finding] = []
        let lookup = EndpointLookup(picture)
        // Other DMS tasks in the stack (a CDC stream to elsewhere) are not the migration's: judge the
        // tasks tied to the source or target cluster, or every task when none is.
        let tied = tasks.filter(lookup.isTiedToMigration)
        for task in tied.isEmpty ? tasks : tied {
            let othersRemain = tasks.contains { $0.addressText != task.addressText && $0.hasAfter }
            if let lifecycle = lifecycleFinding(task, othersRemain: othersRemain, context) {
                findings.append(lifecycle)
                if !task.hasAfter { continue }
            }
            findings += migrationTypeFindings(task, context)
            for role in [ClusterRole.source, .target] {
                findings += endpointFindings(task, role, lookup, context)
            }
        }
        return findings
    }

    private func lifecycleFinding(_ task: ResourceView, othersRemain: Bool, _ context: RuleContext) -> Finding? {
        switch task.action {
        case .delete:
            // In prepare, a task moved to a new address (no `moved` block) has not started yet.
            guard context.phase != .prepare || !othersRemain else { return nil }
            return context.finding("the plan destroys DMS task \(task.addressText) in the \(context.phase) phase: replication to the target "
                + "stops and cannot resume where it left off; keep the task until the cleanup deploy", about: task)
        case .deleteThenCreate, .createThenDelete:
            // Before the full load starts, a new task is harmless.
            guard context.phase != .prepare else { return nil }
            let order = task.action == .deleteThenCreate ? "delete, then create" : "create, then delete"
            return context.finding("the plan replaces DMS task \(task.addressText) (\(order)) in the \(context.phase) phase: the new task "
                + "starts over with a full load onto a target that already holds the data; change it in place or leave it until cleanup", about: task)
        default:
            return nil
        }
    }

    private func migrationTypeFindings(_ task: ResourceView, _ context: RuleContext) -> [Finding] {
        let value = task.attribute("migration_type")
        // A sensitive type is judged as a plain one; the message then names both consequences, not the type.
        switch value?.unmasked {
        case .string(let type)? where type == Self.migrationType:
            return []
        case .string? where value?.isSensitive == true:
            return [context.finding("migration_type of \(task.addressText) is a sensitive value other than \(JSONQuoting.quoted(Self.migrationType)): "
                + "the task either copies the tables once and stops or replicates only changes from its start, so the target misses data; "
                + "set \(JSONQuoting.quoted(Self.migrationType))", about: task)]
        case .string(let type)?:
            let consequence = type == "cdc"
                ? "only replicates changes from its start, so the existing rows never reach the target"
                : "copies the tables once and stops, so writes made during and after the load never reach the target"
            return [context.finding("migration_type of \(task.addressText) is \(JSONQuoting.quoted(type)), which \(consequence); "
                + "set \(JSONQuoting.quoted(Self.migrationType))", about: task)]
        case .unknown?, .sensitive?:
            return [context.unverified("migration_type of \(task.addressText) is unknown until apply, so it cannot be checked to be "
                + "\(JSONQuoting.quoted(Self.migrationType))", about: task)]
        default:
            return [context.finding("\(task.addressText) has no migration_type; set \(JSONQuoting.quoted(Self.migrationType))", about: task)]
        }
    }

    // MARK: - Endpoints

    private func endpointFindings(_ task: ResourceView, _ role: ClusterRole, _ lookup: EndpointLookup, _ context: RuleContext) -> [Finding] {
        let picture = context.picture
        let attribute = "\(role.rawValue)_endpoint_arn"
        let resolution = lookup.endpoints(of: task, role)
        if let problem = resolution.problem {
            return [context.unverified("\(attribute) of \(task.addressText): \(problem), so where it replicates \(role == .source ? "from" : "to") cannot be checked", about: task)]
        }
        if resolution.exact, let index = resolution.indices.first, let type = lookup.types[index], type != role.rawValue {
            let shown = lookup.endpoints[index].attribute("endpoint_type")?.isSensitive == true ? "sensitive and not \(JSONQuoting.quoted(role.rawValue))" : JSONQuoting.quoted(type)
            return [context.finding("\(attribute) of \(task.addressText) is \(lookup.endpoints[index].addressText), whose endpoint_type is "
                + "\(shown); use a \(role.rawValue) endpoint", about: task)]
        }
        guard let expected = picture.cluster(role) else {
            return [context.missing(role, needed: "where \(task.addressText)'s \(role.rawValue) endpoint points")]
        }
        let verdicts = resolution.indices.map { index in
            (index: index, finding: lookup.verdict(index, role) { clusterFinding(index, role: role, expected: expected, lookup, context) })
        }
        if verdicts.count > 1 {
            let wrong = verdicts.filter { $0.finding?.kind == .fail }
            if !wrong.isEmpty, wrong.count < verdicts.count {
                return [context.unverified("cannot tell which of \(Self.list(verdicts.map { lookup.endpoints[$0.index].addressText })) is "
                    + "\(task.addressText)'s \(role.rawValue) endpoint, and \(Self.list(wrong.map { lookup.endpoints[$0.index].addressText })) "
                    + "does not point at \(expected.addressText)", about: task)]
            }
        }
        // An endpoint shared by several tasks is reported once.
        return verdicts.compactMap { verdict in lookup.firstReport(verdict.index, role) ? verdict.finding : nil }
    }

    /// Where the endpoint points, judged against the cluster of its role.
    private func clusterFinding(_ index: Int, role: ClusterRole, expected: ClusterView, _ lookup: EndpointLookup,
                                _ context: RuleContext) -> Finding? {
        let picture = context.picture
        let endpoint = lookup.endpoints[index]
        let match = lookup.cluster(at: index)
        guard let cluster = match.cluster else {
            if !match.alternatives.isEmpty {
                return alternativesFinding(endpoint, match.alternatives, how: match.how, role: role, expected: expected, context)
            }
            if match.unknown {
                return context.unverified("server_name of DMS \(role.rawValue) endpoint \(endpoint.addressText) is unknown until apply and "
                    + "no configuration reference ties it to a cluster, so it cannot be checked to reach \(expected.addressText)", about: endpoint)
            }
            return context.unverified("DMS \(role.rawValue) endpoint \(endpoint.addressText) cannot be tied to a cluster (\(match.how)); "
                + "check that it reaches \(expected.addressText)", about: endpoint)
        }
        if cluster.addressText != expected.addressText {
            let other = picture.source?.addressText == cluster.addressText ? "the source cluster "
                : picture.target?.addressText == cluster.addressText ? "the target cluster " : ""
            return context.finding("DMS \(role.rawValue) endpoint \(endpoint.addressText) points at \(other)\(cluster.addressText) (\(match.how)), "
                + "not at the \(role.rawValue) cluster \(expected.addressText); point its server_name at \(expected.addressText).endpoint",
                about: endpoint)
        }
        let serverName = endpoint.attribute("server_name")
        let readerEndpoint = expected.resource.attribute("reader_endpoint")
        if let host = serverName?.unmaskedString, let reader = readerEndpoint?.unmaskedString, host == reader {
            let why = role == .source ? "logical replication needs the writer" : "the full load writes to it"
            let shown = serverName?.isSensitive == true || readerEndpoint?.isSensitive == true ? "" : " \(JSONQuoting.quoted(host, limit: 120))"
            return context.finding("DMS \(role.rawValue) endpoint \(endpoint.addressText) uses the reader endpoint\(shown) "
                + "of \(expected.addressText), but \(why); use its cluster (writer) endpoint", about: endpoint)
        }
        return nil
    }

    /// An endpoint whose expression refers to several clusters (a conditional, decided at apply):
    /// wrong only when no branch is the expected cluster, else open.
    private func alternativesFinding(_ endpoint: ResourceView, _ alternatives: [ClusterView], how: String, role: ClusterRole,
                                     expected: ClusterView, _ context: RuleContext) -> Finding {
        if alternatives.contains(where: { $0.addressText == expected.addressText }) {
            return context.unverified("DMS \(role.rawValue) endpoint \(endpoint.addressText) may reach \(expected.addressText) or another "
                + "cluster, decided only at apply (\(how)); check again on the state after apply", about: endpoint)
        }
        return context.finding("DMS \(role.rawValue) endpoint \(endpoint.addressText) reaches the \(role.rawValue) cluster \(expected.addressText) "
            + "in no branch (\(how)); point it at \(expected.addressText).endpoint", about: endpoint)
    }

    package static func list(_ names: [String]) -> String {
        names.prefix(3).joined(separator: ", ") + (names.count > 3 ? " and \(names.count - 3) more" : "")
    }
}
