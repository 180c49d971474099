import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG014: the cluster parameter group is applied on every member, live: the source's
/// (logical replication) before the DMS task starts and while it runs, the target's
/// (`session_replication_role = origin`) after the cutover deploy and its reboots.
public struct ParametersAppliedRule: ReadinessRule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG014",
        name: "parameters-applied",
        title: "Every member of the cluster runs its parameter group (in-sync), with the migration's value",
        rationale: "A parameter with apply method pending-reboot changes nothing until each instance reboots, and a plan cannot "
            + "see the reboots. Until every source member is in-sync, rds.logical_replication is not on and the DMS task cannot "
            + "replicate changes; until every target member is in-sync after the cutover deploy, session_replication_role may "
            + "still be replica, so triggers and foreign keys stay off while the application writes. Reboot the readers first, "
            + "then fail over to a rebooted reader and reboot the former writer, so the cluster keeps a writer throughout.",
        runbookStep: "manual: source failover and reboot; manual: target reboot",
        phases: [.fullLoad, .cutover, .cleanup],
        triggeringExamples: [
            .evidence("the source's reader still pending-reboot before the switchover", .cutover,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cutover),
                                                  with: ReadinessExamples.clusters(source: ReadinessExamples.sourceMembers("pending-reboot")))),
            .evidence("the target's parameter group still says replica before the cleanup", .cleanup,
                      ReadinessExamples.replacing(ReadinessExamples.healthy(.cleanup),
                                                  with: ReadinessExamples.parameters("session_replication_role", "replica", label: "target"))),
        ],
        nonTriggeringExamples: [
            .evidence("every source member in-sync, logical replication on", .cutover, ReadinessExamples.healthy(.cutover)),
            .evidence("every target member in-sync with origin after the cutover", .cleanup, ReadinessExamples.healthy(.cleanup)),
        ])

    /// The cluster each gate judges and the parameter it must run with.
    static func expectation(_ phase: Phase) -> (role: ClusterRole, parameter: String, value: String) {
        phase == .cleanup ? (.target, "session_replication_role", "origin") : (.source, "rds.logical_replication", "1")
    }

    public func evaluate(_ context: ReadinessContext) -> [Finding] {
        let live = context.live
        let (role, parameter, value) = Self.expectation(context.phase)
        guard live.answered(.dbClusters), !live.clusters.isEmpty else {
            return [context.collect(.dbClusters, arguments: "", needed: "Whether the \(role.rawValue) cluster's members run its parameter group")]
        }
        guard let cluster = live.cluster(role) else {
            return [context.finding("no \(role.rawValue) cluster found in the evidence (joined by the plan's or state's cluster "
                + "identifier, or by the DMS \(role.rawValue) endpoint's secret or server name), so its members' parameter group "
                + "status cannot be checked; pass the plan or state, or collect `aws dms describe-endpoints --output json`",
                at: nil, kind: .open)]
        }
        let address = live.planAddress(of: role)
        var findings = members(of: cluster, role: role, context: context, address: address)
        findings += parameterValue(of: cluster, parameter: parameter, value: value, context: context, address: address)
        return findings
    }

    func members(of cluster: LiveCluster, role: ClusterRole, context: ReadinessContext, address: String?) -> [Finding] {
        guard !cluster.members.isEmpty else {
            return [context.finding("the \(role.rawValue) cluster \(cluster.identifier) lists no members (DBClusterMembers), so "
                + "no instance can be seen applying its parameter group", at: cluster.location, address: address, kind: .open,
                subject: cluster.identifier)]
        }
        var findings: [Finding] = []
        let behind = cluster.members.filter { $0.parameterGroupStatus != "in-sync" }
        let readers = behind.filter { !$0.isWriter }.map(\.instance)
        let writers = behind.filter(\.isWriter).map(\.instance)
        var order: [String] = []
        if !readers.isEmpty { order.append("reboot the reader\(readers.count == 1 ? "" : "s") first (\(readers.joined(separator: ", ")))") }
        if !writers.isEmpty {
            order.append("then fail over to a rebooted reader and reboot the former writer (\(writers.joined(separator: ", ")))")
        }
        for member in behind {
            guard let status = member.parameterGroupStatus else {
                findings.append(context.finding("\(member.instance) of the \(role.rawValue) cluster \(cluster.identifier) has no "
                    + "DBClusterParameterGroupStatus in the evidence, so whether it runs the parameter group cannot be checked",
                    at: member.location, address: address, kind: .open, subject: member.instance))
                continue
            }
            findings.append(context.finding("\(member.instance) (\(member.isWriter ? "writer" : "reader")) of the \(role.rawValue) "
                + "cluster \(cluster.identifier) is \(status), not in-sync: it does not run the parameter group "
                + "\(cluster.parameterGroup ?? "(unnamed)") yet; " + order.joined(separator: ", "),
                at: member.location, address: address, subject: member.instance))
        }
        return findings
    }

    func parameterValue(of cluster: LiveCluster, parameter: String, value: String, context: ReadinessContext,
                        address: String?) -> [Finding] {
        let group = cluster.parameterGroup ?? "GROUP"
        let matching = context.live.parameters.filter { $0.name == parameter }
        guard !matching.isEmpty else {
            return [context.collect(.clusterParameters, arguments: "--db-cluster-parameter-group-name \(group) --source user",
                                    needed: "Whether \(group) sets \(parameter) = \(value)")]
        }
        return matching.filter { $0.value != value }.map { found in
            context.finding("\(parameter) is \(found.value.map { "\"\($0)\"" } ?? "not set") in the collected parameters of "
                + "\(cluster.identifier)'s group \(group), not \"\(value)\"; apply the deploy that sets it, then reboot",
                at: found.location, address: address, subject: "\(group) \(parameter)")
        }
    }
}
