import MigCheckFoundation
import MigCheckReading

/// Works out which cluster is the source and which the target, and says why.
///
/// Evidence is weighed in tiers, strongest first: what the user named; where the DMS
/// endpoints point; which cluster has logical replication on (source) or replica
/// session_replication_role (target); what the plan creates or destroys. A tier is used
/// only when it is consistent (no cluster gets both roles, no role two clusters).
enum RoleInference {
    struct Assignment {
        var source: Int?
        var target: Int?
        var reasons: [ClusterRole: String] = [:]
        var origins: [ClusterRole: RoleOrigin] = [:]
    }

    private struct Vote {
        let cluster: Int
        let role: ClusterRole
        let reason: String
    }

    /// `namedPhase`: the phase named by `--phase` or the policy (nil when it is to be inferred).
    static func assign(_ picture: MigrationPicture, source: ClusterNaming?, target: ClusterNaming?,
                       namedPhase: Phase? = nil) throws -> Assignment {
        let clusters = picture.clusters
        var assignment = Assignment()
        // After the cleanup deploy the named source is gone by design: no cluster takes its role.
        var sourceGone = false

        // 1. What the user named.
        for (role, naming) in [(ClusterRole.source, source), (.target, target)] {
            guard let naming else { continue }
            guard let index = clusters.firstIndex(where: { named($0, naming.address) }) else {
                // Only a phase the user named allows it: an inferred cleanup is a guess, and a guess never passes.
                if role == .source, namedPhase == .cleanup {
                    sourceGone = true
                    continue
                }
                throw UnknownClusterError(role: role, address: naming.address, clusters: clusters.map(\.addressText),
                                          naming: naming, document: documentLabel(picture.document),
                                          suggestsCleanupPhase: namedPhase == nil && picture.document.kind != .plan)
            }
            if role == .target, let source, assignment.source == index {
                throw SameClusterForBothRolesError(cluster: clusters[index].addressText, source: source, target: naming)
            }
            switch naming.origin {
            case .flag: set(&assignment, role, index, "named with --\(role.rawValue)", origin: .flag("--\(role.rawValue)"))
            case .policy(let location):
                set(&assignment, role, index, "named by the policy's \"\(role.rawValue)\" (\(location.file):\(location.start))",
                    origin: .policy(location))
            }
        }
        if assignment.source != nil || sourceGone, assignment.target != nil { return assignment }

        let tiers: [[Vote]] = [
            dmsEndpointVotes(picture),
            parameterVotes(picture),
            lifecycleVotes(picture),
        ]
        for votes in tiers {
            apply(votes.filter { !sourceGone || $0.role != .source }, to: &assignment, clusterCount: clusters.count)
            if assignment.source != nil || sourceGone, assignment.target != nil { break }
        }

        // Two clusters and one role known: the other cluster has the other role.
        if clusters.count == 2, !sourceGone {
            if let known = assignment.source, assignment.target == nil {
                set(&assignment, .target, 1 - known, "the other cluster than the source")
            } else if let known = assignment.target, assignment.source == nil {
                set(&assignment, .source, 1 - known, "the other cluster than the target")
            }
        }
        if clusters.count == 1, assignment.source == nil, assignment.target == nil {
            set(&assignment, .target, 0, "the only cluster, with nothing marking it as the source")
        }
        if assignment.source == nil, assignment.target == nil, clusters.count >= 2 {
            throw ambiguity(among: Array(clusters.indices), clusters)
        }
        let unassigned = clusters.indices.filter { $0 != assignment.source && $0 != assignment.target }
        if clusters.count >= 3, assignment.source == nil || assignment.target == nil, unassigned.count >= 2 {
            throw ambiguity(among: unassigned, clusters)
        }
        return assignment
    }

    /// Points at the second candidate: with the first alone, the roles would not be ambiguous.
    private static func ambiguity(among indices: [Int], _ clusters: [ClusterView]) -> AmbiguousRolesError {
        let pointed = indices.count > 1 ? indices[1] : indices.first
        return AmbiguousRolesError(candidates: indices.map { clusters[$0].addressText },
                                   location: pointed.map { clusters[$0].resource.location })
    }

    private static func named(_ cluster: ClusterView, _ address: String) -> Bool {
        cluster.addressText == address || cluster.resource.configurationAddress == address
            || cluster.resource.address.description == address
    }

    private static func set(_ assignment: inout Assignment, _ role: ClusterRole, _ index: Int, _ reason: String,
                            origin: RoleOrigin = .inferred) {
        switch role {
        case .source: assignment.source = index
        case .target: assignment.target = index
        }
        assignment.reasons[role] = reason
        assignment.origins[role] = origin
    }

    private static func apply(_ votes: [Vote], to assignment: inout Assignment, clusterCount: Int) {
        var byRole: [ClusterRole: Set<Int>] = [:]
        var reasons: [ClusterRole: String] = [:]
        for vote in votes {
            byRole[vote.role, default: []].insert(vote.cluster)
            reasons[vote.role] = reasons[vote.role] ?? vote.reason
        }
        let sources = byRole[.source] ?? []
        let targets = byRole[.target] ?? []
        // Inconsistent evidence decides nothing at this tier (a later rule reports the slip).
        guard sources.isDisjoint(with: targets) else { return }
        if assignment.source == nil, sources.count == 1, let index = sources.first, index != assignment.target {
            set(&assignment, .source, index, reasons[.source] ?? "")
        }
        if assignment.target == nil, targets.count == 1, let index = targets.first, index != assignment.source {
            set(&assignment, .target, index, reasons[.target] ?? "")
        }
    }

    private static func dmsEndpointVotes(_ picture: MigrationPicture) -> [Vote] {
        // The first cluster with each address, as a search from the front finds it.
        var clusterIndexByAddress: [String: Int] = [:]
        for (index, cluster) in picture.clusters.enumerated() where clusterIndexByAddress[cluster.addressText] == nil {
            clusterIndexByAddress[cluster.addressText] = index
        }
        return picture.dmsEndpoints.compactMap { endpoint in
            guard let type = picture.endpointType(endpoint), let role = ClusterRole(rawValue: type) else { return nil }
            let match = picture.clusterAddressed(byEndpoint: endpoint)
            guard let cluster = match.cluster, let index = clusterIndexByAddress[cluster.addressText] else { return nil }
            return Vote(cluster: index, role: role, reason: "DMS \(type) endpoint \(endpoint.addressText) points at it (\(match.how))")
        }
    }

    private static func parameterVotes(_ picture: MigrationPicture) -> [Vote] {
        var votes: [Vote] = []
        for (index, cluster) in picture.clusters.enumerated() {
            guard let group = cluster.parameterGroup, let parameters = group.parameters else { continue }
            if parameters["rds.logical_replication"]?.value.scalarText == "1" {
                votes.append(Vote(cluster: index, role: .source,
                                  reason: "its parameter group \(group.resource.addressText) turns on rds.logical_replication"))
            }
            if parameters["session_replication_role"]?.value.scalarText == "replica" {
                votes.append(Vote(cluster: index, role: .target,
                                  reason: "its parameter group \(group.resource.addressText) sets session_replication_role = replica"))
            }
        }
        return votes
    }

    private static func lifecycleVotes(_ picture: MigrationPicture) -> [Vote] {
        let clusters = picture.clusters
        var votes: [Vote] = []
        let kept = clusters.filter { !$0.resource.isDestroyed }
        for (index, cluster) in clusters.enumerated() {
            if cluster.resource.action == .delete, !kept.isEmpty {
                votes.append(Vote(cluster: index, role: .source, reason: "the plan destroys it while another cluster stays"))
            }
            if cluster.resource.action == .create, clusters.contains(where: { $0.resource.action != .create }) {
                votes.append(Vote(cluster: index, role: .target, reason: "the plan creates it beside an existing cluster"))
            }
        }
        return votes
    }
}
