import MigCheckFoundation
import MigCheckReading

/// Which side of the migration a cluster is on.
public enum ClusterRole: String, Sendable {
    case source
    case target
}

/// A cluster parameter group and its `parameter` set.
public struct ParameterGroupView {
    public let resource: ResourceView

    /// A parameter's value and apply method, read from a parameter set value.
    public struct Parameter: Equatable {
        public let value: TerraformValue
        public let applyMethod: TerraformValue?
    }

    public func parameters(in value: TerraformValue?) -> [String: Parameter]? {
        guard let value else { return nil }
        // A known sensitive set is judged all the same: names are looked up, values stay sensitive.
        let hidden = value["parameter"]?.isKnownSensitive == true
        guard case .list(let items)? = value["parameter"]?.unmasked else {
            // Unknown as a whole: nothing can be read, which is not the same as "not set".
            if let parameters = value["parameter"], parameters.isUnknown || parameters.isSensitive { return nil }
            return [:]
        }
        var result: [String: Parameter] = [:]
        for item in items {
            guard let name = item["name"]?.unmaskedString else { continue }
            result[name] = Parameter(value: Self.keepingHidden(item["value"] ?? .null, hidden),
                                     applyMethod: item["apply_method"].map { Self.keepingHidden($0, hidden) })
        }
        return result
    }

    /// A part of a sensitive set, sensitive itself (an absent value stays null: it holds nothing to hide).
    private static func keepingHidden(_ value: TerraformValue, _ hidden: Bool) -> TerraformValue {
        hidden && value != .null && !value.isSensitive ? .sensitive(SensitiveValue(value)) : value
    }

    /// Parameters after this deploy (or the last known ones of a group being destroyed).
    public var parameters: [String: Parameter]? { parameters(in: resource.current) }
    public var parametersBefore: [String: Parameter]? { parameters(in: resource.before) }

    /// Whether the parameter set itself cannot be read (unknown until apply, or sensitive).
    public var parametersUnknown: Bool {
        guard let parameters = resource.current["parameter"] else { return false }
        return parameters.isUnknown || (parameters.isSensitive && !parameters.isKnownSensitive)
    }
}

/// One Aurora cluster with what hangs off it.
public struct ClusterView {
    public let resource: ResourceView
    /// Hostnames and identifiers by which other resources could point at this cluster:
    /// endpoint, reader endpoint, cluster identifier and ARN, before and after the change.
    public let identifyingStrings: [String]
    /// `cluster_identifier` and `id`, before and after the change: how instances name their cluster.
    package let identifiers: Set<String>

    package init(resource: ResourceView) {
        self.resource = resource
        // One pass over each side reads the identifying attributes and the `id` matching also uses.
        let identifying = ["endpoint", "reader_endpoint", "cluster_identifier", "arn"]
        let attributes = identifying + ["id", "master_user_secret"]
        let before = Dictionary(uniqueKeysWithValues: zip(attributes, resource.beforeAttributes(attributes)))
        let after = Dictionary(uniqueKeysWithValues: zip(attributes, resource.afterAttributes(attributes)))
        var strings: [String] = []
        for attribute in identifying {
            for value in [before[attribute] ?? nil, after[attribute] ?? nil] {
                // Sensitive ones too: they are matched, never printed.
                if let text = value?.unmaskedString, !text.isEmpty, !strings.contains(text) { strings.append(text) }
            }
        }
        identifyingStrings = strings
        var identifiers = Set<String>()
        for attribute in ["cluster_identifier", "id"] {
            for value in [before[attribute] ?? nil, after[attribute] ?? nil] {
                if let text = value?.unmaskedString { identifiers.insert(text) }
            }
        }
        self.identifiers = identifiers
        // `attribute("master_user_secret[0].secret_arn")`, from the pass above: the current side's
        // block, then the path inside it (unknown or sensitive along the way is the answer).
        let secretBlock = (resource.hasAfter ? after["master_user_secret"] : before["master_user_secret"]) ?? nil
        masterSecretARN = secretBlock?.value(at: "[0].secret_arn")
    }

    public internal(set) var instances: [ResourceView] = []
    public internal(set) var parameterGroup: ParameterGroupView?
    /// How the parameter group was matched (configuration reference or value), for `topology`.
    public internal(set) var parameterGroupMatch: String?
    public internal(set) var rotations: [ResourceView] = []

    public var addressText: String { resource.addressText }

    /// `master_user_secret[0].secret_arn` (may be unknown until apply), read once: matching
    /// and several rules ask for it.
    public let masterSecretARN: TerraformValue?

}

/// The migration's picture: the source and target clusters with their instances,
/// parameter groups and secret rotations, and the DMS resources, wherever they sit.
public struct MigrationPicture {
    public let document: TerraformDocument
    public let resources: [ResourceView]
    public let clusters: [ClusterView]
    public private(set) var source: ClusterView?
    public private(set) var target: ClusterView?
    /// Why each role was given to its cluster, for the report.
    public private(set) var roleReasons: [ClusterRole: String]
    /// Where each role came from: a flag, the policy's line, or inferred (for the reason above).
    public private(set) var roleOrigins: [ClusterRole: RoleOrigin] = [:]
    /// The roles the user named (--source/--target or the policy); a named cluster means a
    /// migration is meant, whatever the document holds.
    public internal(set) var declaredRoles: Set<ClusterRole> = []
    public let dmsReplicationInstances: [ResourceView]
    public let dmsEndpoints: [ResourceView]
    public let dmsTasks: [ResourceView]
    public let parameterGroups: [ParameterGroupView]
    public let rotations: [ResourceView]
    /// Cluster instances that no cluster could be matched to.
    public let unmatchedInstances: [ResourceView]
    /// Which cluster (by position) each identifying string or master secret ARN belongs to:
    /// endpoints are matched per endpoint, and a plan can hold hundreds of clusters.
    private let clustersByIdentifyingString: [String: Int]
    private let clustersBySecretARN: [String: Int]
    private let clustersByConfigAddress: [String: Int]

    package init(document: TerraformDocument, resources: [ResourceView], clusters: [ClusterView], source: ClusterView?,
         target: ClusterView?, roleReasons: [ClusterRole: String], dmsReplicationInstances: [ResourceView],
         dmsEndpoints: [ResourceView], dmsTasks: [ResourceView], parameterGroups: [ParameterGroupView],
         rotations: [ResourceView], unmatchedInstances: [ResourceView]) {
        self.document = document
        self.resources = resources
        self.clusters = clusters
        self.source = source
        self.target = target
        self.roleReasons = roleReasons
        self.dmsReplicationInstances = dmsReplicationInstances
        self.dmsEndpoints = dmsEndpoints
        self.dmsTasks = dmsTasks
        self.parameterGroups = parameterGroups
        self.rotations = rotations
        self.unmatchedInstances = unmatchedInstances
        var byString: [String: Int] = [:]
        var bySecret: [String: Int] = [:]
        var byConfig: [String: Int] = [:]
        // The first cluster that claims a string wins, as a linear search would have it.
        for (position, cluster) in clusters.enumerated() {
            for text in cluster.identifyingStrings where byString[text] == nil { byString[text] = position }
            if let secret = cluster.masterSecretARN?.unmaskedString, bySecret[secret] == nil { bySecret[secret] = position }
            if byConfig[cluster.resource.configurationAddress] == nil { byConfig[cluster.resource.configurationAddress] = position }
        }
        clustersByConfigAddress = byConfig
        clustersByIdentifyingString = byString
        clustersBySecretARN = bySecret
    }

    /// The same picture with the roles assigned; the lookup tables are kept, not rebuilt.
    func assigning(source: ClusterView?, target: ClusterView?, roleReasons: [ClusterRole: String],
                   roleOrigins: [ClusterRole: RoleOrigin] = [:]) -> MigrationPicture {
        var picture = self
        picture.source = source
        picture.target = target
        picture.roleReasons = roleReasons
        picture.roleOrigins = roleOrigins
        return picture
    }

    public var isPlan: Bool { document.kind == .plan }

    public func cluster(_ role: ClusterRole) -> ClusterView? { role == .source ? source : target }

    public func resources(ofType type: String) -> [ResourceView] { resources.filter { $0.type == type } }

    /// The clusters, in plan order, whose configuration addresses are among `addresses`.
    private func clusters(in addresses: Set<String>) -> [ClusterView] {
        Set(addresses.compactMap { clustersByConfigAddress[$0] }).filter(clusters.indices.contains).sorted().map { clusters[$0] }
    }

    /// The cluster an endpoint's `server_name` points at, by configuration reference or value.
    public func clusterAddressed(byEndpoint endpoint: ResourceView) -> (cluster: ClusterView?, how: String, unknown: Bool) {
        let match = endpointMatch(endpoint)
        return (match.cluster, match.how, match.unknown)
    }

    /// As `clusterAddressed`, with the clusters an expression refers to when it refers to several
    /// (`var.cutover ? module.source.endpoint : module.target.endpoint`: the plan lists every
    /// branch's references, not which branch is taken) and the value does not decide.
    public func endpointMatch(_ endpoint: ResourceView) -> (cluster: ClusterView?, how: String, unknown: Bool, alternatives: [ClusterView]) {
        // A server_name that is null links nothing, whatever its expression (a module's `each.value`
        // map) refers to: the attribute that holds the link is named instead.
        let serverNameIsNull = endpoint.attribute("server_name") == .null
        var throughNullServerName: ClusterView?
        var alternatives: [ClusterView] = []
        var ambiguousAttribute = "server_name"
        if let config = endpoint.config {
            let referenced = clusters(in: document.configuration.resolvedResources(ofAttribute: "server_name", of: config))
            if referenced.count == 1, let match = referenced.first {
                if !serverNameIsNull { return (match, "its server_name refers to \(match.resource.configurationAddress)", false, []) }
                throughNullServerName = match
            } else if referenced.count > 1, !serverNameIsNull {
                alternatives = referenced
            }
            // Endpoints that log in through Secrets Manager name the cluster's managed secret instead.
            let secrets = clusters(in: document.configuration.resolvedResources(ofAttribute: "secrets_manager_arn", of: config))
            if secrets.count == 1, let match = secrets.first {
                return (match, "its secrets_manager_arn refers to \(match.resource.configurationAddress)", false, [])
            }
            if secrets.count > 1, alternatives.isEmpty {
                alternatives = secrets
                ambiguousAttribute = "secrets_manager_arn"
            }
        }
        if let secret = endpoint.attribute("secrets_manager_arn")?.unmaskedString,
           let position = clustersBySecretARN[secret], clusters.indices.contains(position) {
            let match = clusters[position]
            return (match, "its secrets_manager_arn is \(match.addressText)'s master secret", false, [])
        }
        if let match = throughNullServerName {
            return (match, "its configuration refers to \(match.resource.configurationAddress) (server_name is null)", false, [])
        }
        let serverName = endpoint.attribute("server_name")
        // A sensitive server_name is matched all the same, and named only as sensitive.
        if let host = serverName?.unmaskedString {
            if let position = clustersByIdentifyingString[host], clusters.indices.contains(position) {
                let match = clusters[position]
                return (match, "its server_name is \(match.addressText)'s endpoint", false, [])
            }
            let shown = serverName?.isSensitive == true ? "(sensitive)" : JSONQuoting.quoted(host)
            return (nil, "its server_name \(shown) is no cluster's endpoint in this \(isPlan ? "plan" : "state")", false, [])
        }
        if !alternatives.isEmpty {
            let names = alternatives.prefix(3).map(\.resource.configurationAddress).joined(separator: ", ")
                + (alternatives.count > 3 ? " and \(alternatives.count - 3) more" : "")
            return (nil, "its \(ambiguousAttribute) refers to several clusters (\(names)), as a conditional does", true, alternatives)
        }
        if serverName == .unknown || serverName?.isSensitive == true {
            return (nil, "its server_name is unknown until apply and has no configuration reference to a cluster", true, [])
        }
        return (nil, "it has no server_name", false, [])
    }

    /// `endpoint_type` of a DMS endpoint, from the value or the configuration constant.
    public func endpointType(_ endpoint: ResourceView) -> String? {
        // Sensitive or not: callers compare it, and name it only when `endpoint_type` is not sensitive.
        if let type = endpoint.attribute("endpoint_type")?.unmaskedString { return type }
        return endpoint.config?.expression("endpoint_type")?.constantValue?.string
    }
}

/// Where the source or the target cluster was named: a flag, or the policy file.
public struct ClusterNaming: Equatable, Sendable {
    public enum Origin: Equatable, Sendable {
        /// `--source` or `--target`.
        case flag
        /// The policy's `"source"` or `"target"`, at this place in the policy file.
        case policy(SourceLocation)
    }

    public var address: String
    public var origin: Origin

    public init(address: String, origin: Origin) {
        self.address = address
        self.origin = origin
    }

    /// How a message names it: `--source`, or `the policy's "source"`.
    package func name(_ role: ClusterRole) -> String {
        switch origin {
        case .flag: return "--\(role.rawValue)"
        case .policy: return "the policy's \"\(role.rawValue)\""
        }
    }

    /// The one line to print for `message` about this naming: at the policy's line and column,
    /// or as a usage error naming the flag.
    func errorLine(_ role: ClusterRole, _ message: String) -> String {
        switch origin {
        case .flag:
            return "migcheck: error: --\(role.rawValue) " + TextEscaping.visible(message)
        case .policy(let location):
            return InputError(file: location.file, position: location.start, message: "\"\(role.rawValue)\": " + message).description
        }
    }
}

/// Telling the source from the target failed. The description is the complete line to print,
/// `FILE:LINE:COLUMN: error: …` (the plan's resource, or the policy's entry) or, for a flag,
/// `migcheck: error: --source …`.
public protocol RoleAssignmentError: Diagnostic, CustomStringConvertible {}

extension RoleAssignmentError {
    public var diagnosticLine: String { description }
}

extension ClusterNaming {
    /// Where an error about this naming points: the policy's entry, or nothing for a flag.
    var diagnosticLocation: DiagnosticLocation? {
        guard case .policy(let location) = origin else { return nil }
        return DiagnosticLocation(file: location.file, position: location.start)
    }
}

/// `plan.json`, or `plan.json (document 2)` for the second document of a stream.
package func documentLabel(_ document: TerraformDocument) -> String {
    document.documentNumber.map { "\(document.file) (document \($0))" } ?? document.file
}

/// Two or more clusters could be either side and nothing tells them apart.
public struct AmbiguousRolesError: RoleAssignmentError {
    public let candidates: [String]
    /// The second candidate's resource in the plan: the one that makes the roles ambiguous.
    public let location: SourceLocation?

    public var description: String {
        let shown = TextEscaping.visible(candidates.prefix(10).joined(separator: ", "))
        let more = candidates.count > 10 ? " and \(candidates.count - 10) more" : ""
        let here = candidates.count > 1 ? " (here \(candidates[1]), which could be either side like \(candidates[0]))" : ""
        let message = "cannot tell the source cluster from the target among \(candidates.count) clusters: \(shown)\(more)\(here); "
            + "name them with --source ADDRESS --target ADDRESS (or \"source\"/\"target\" in the policy file)"
        return InputError(file: location?.file ?? "migcheck", position: location?.start, message: message).description
    }

    public var diagnosticLocation: DiagnosticLocation? { location.map { DiagnosticLocation(file: $0.file, position: $0.start) } }
}

/// An address given with --source/--target or in the policy that names no cluster.
public struct UnknownClusterError: RoleAssignmentError {
    public let role: ClusterRole
    public let address: String
    public let clusters: [String]
    public let naming: ClusterNaming
    /// The document searched, as reports label it.
    public let document: String
    /// A state judged without a named phase: a source destroyed by the cleanup deploy is the likely cause.
    public var suggestsCleanupPhase = false

    /// One line: the address comes from a flag or the policy, so it is shown escaped.
    public var description: String {
        let shown = clusters.prefix(10).joined(separator: ", ") + (clusters.count > 10 ? " and \(clusters.count - 10) more" : "")
        let hint = role == .source && suggestsCleanupPhase
            ? "; if the cleanup deploy destroyed it, name the phase: --phase cleanup or the policy's \"phase\"" : ""
        return naming.errorLine(role, "\(address) names no aws_rds_cluster in \(document)"
            + (clusters.isEmpty ? " (it has none)" : "; clusters are: \(shown)") + hint)
    }

    public var diagnosticLocation: DiagnosticLocation? { naming.diagnosticLocation }
}

/// The source and the target name one cluster.
public struct SameClusterForBothRolesError: RoleAssignmentError {
    public let cluster: String
    public let source: ClusterNaming
    public let target: ClusterNaming

    public var description: String {
        target.errorLine(.target, "\(target.address) names the cluster that \(source.name(.source)) names; "
            + "the source and the target are two different clusters")
    }

    public var diagnosticLocation: DiagnosticLocation? { target.diagnosticLocation }
}
