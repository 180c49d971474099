import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// The plan's DMS endpoints, indexed once, and where each points, worked out once: plans can
/// hold hundreds of tasks and endpoints, and a task whose endpoint is chosen by
/// `endpoint_type` may have many candidates.
final class EndpointLookup {
    struct Resolution {
        /// Indices into `endpoints`.
        var indices: [Int] = []
        /// Matched by reference or value, not by endpoint_type alone.
        var exact = false
        /// Why no endpoint could be found.
        var problem: String?
    }

    let picture: MigrationPicture
    let endpoints: [ResourceView]
    let types: [String?]
    private let knownARNs: [[String]]
    private var byConfigAddress: [String: [Int]] = [:]
    private var byARN: [String: [Int]] = [:]
    private var byType: [String: [Int]] = [:]
    private var clusters: [Int: ClusterMatch] = [:]
    private var verdicts: [ClusterRole: [Int: Finding?]] = [:]
    private var reported: [ClusterRole: Set<Int>] = [:]
    /// Each task's endpoints per role, asked for when picking the migration's tasks and again when judging them.
    /// The entry holds the task, so its identity cannot be reused meanwhile.
    private var resolutions: [ClusterRole: [ObjectIdentifier: (task: ResourceView, resolution: Resolution)]] = [:]
    private var secretVersionsCache: [(secretIDs: Set<String>, referenced: Set<String>, address: String)]?
    private var recordsCache: [String: [ResourceView]]?

    init(_ picture: MigrationPicture) {
        self.picture = picture
        endpoints = picture.dmsEndpoints
        types = endpoints.map(picture.endpointType)
        // Read straight from the JSON: building whole endpoint values would cost more than the rest of the rule.
        knownARNs = endpoints.map { endpoint in
            [endpoint.afterAttribute("endpoint_arn"), endpoint.beforeAttribute("endpoint_arn")].compactMap { $0?.unmaskedString }
        }
        for (index, endpoint) in endpoints.enumerated() {
            byConfigAddress[endpoint.configurationAddress, default: []].append(index)
            for arn in Set(knownARNs[index]) { byARN[arn, default: []].append(index) }
            if let type = types[index] { byType[type, default: []].append(index) }
        }
    }

    /// The endpoints a task's `<role>_endpoint_arn` names: by configuration reference, then by
    /// value (`endpoint_arn`), then, among the remaining candidates, by `endpoint_type`.
    func endpoints(of task: ResourceView, _ role: ClusterRole) -> Resolution {
        if let known = resolutions[role]?[ObjectIdentifier(task)] { return known.resolution }
        let resolution = resolveEndpoints(of: task, role)
        resolutions[role, default: [:]][ObjectIdentifier(task)] = (task, resolution)
        return resolution
    }

    private func resolveEndpoints(of task: ResourceView, _ role: ClusterRole) -> Resolution {
        let attribute = "\(role.rawValue)_endpoint_arn"
        let kind = picture.isPlan ? "plan" : "state"
        var pool: [Int]?
        if let config = task.config {
            let addresses = picture.document.configuration.resolvedResources(ofAttribute: attribute, of: config)
            let byReference = addresses.flatMap { byConfigAddress[$0] ?? [] }.sorted()
            if !byReference.isEmpty {
                // A module with for_each: prefer the task's own module instance.
                let sameInstance = byReference.filter { endpoints[$0].address.modulePath == task.address.modulePath }
                let chosen = sameInstance.isEmpty ? byReference : sameInstance
                if chosen.count == 1 { return Resolution(indices: chosen, exact: true) }
                pool = chosen
            }
        }
        let poolSet = pool.map(Set.init)
        var typed = pool.map { $0.filter { types[$0] == role.rawValue } } ?? byType[role.rawValue] ?? []
        let arnValue = task.attribute(attribute)
        if let arn = arnValue?.unmaskedString {
            let byValue = (byARN[arn] ?? []).filter { poolSet?.contains($0) ?? true }
            if byValue.count == 1 { return Resolution(indices: byValue, exact: true) }
            // Endpoints whose ARN is known and different are not this one.
            let before = typed.count
            typed = typed.filter { knownARNs[$0].isEmpty || knownARNs[$0].contains(arn) }
            if before > 0, typed.isEmpty {
                let shown = arnValue?.isSensitive == true ? "(sensitive)" : JSONQuoting.quoted(arn, limit: 120)
                return Resolution(problem: "its value \(shown) is no aws_dms_endpoint in this \(kind)")
            }
        }
        if typed.isEmpty {
            let scope = pool == nil ? "is in this \(kind)" : "is among those it refers to"
            return Resolution(problem: "no aws_dms_endpoint with endpoint_type \(JSONQuoting.quoted(role.rawValue)) \(scope)")
        }
        return Resolution(indices: typed, exact: false)
    }

    /// Whether one of the task's endpoints, found by reference or value (or as the only candidate
    /// of its type), reaches the source or the target cluster.
    func isTiedToMigration(_ task: ResourceView) -> Bool {
        let migration = Set([picture.source?.addressText, picture.target?.addressText].compactMap { $0 })
        return [ClusterRole.source, .target].contains { role in
            let resolution = endpoints(of: task, role)
            guard resolution.problem == nil, resolution.indices.count == 1, let index = resolution.indices.first,
                  let cluster = cluster(at: index).cluster else { return false }
            return migration.contains(cluster.addressText)
        }
    }

    func verdict(_ index: Int, _ role: ClusterRole, _ judge: () -> Finding?) -> Finding? {
        if let known = verdicts[role]?[index] { return known }
        let result = judge()
        verdicts[role, default: [:]][index] = .some(result)
        return result
    }

    /// True the first time an endpoint's verdict is reported for a role.
    func firstReport(_ index: Int, _ role: ClusterRole) -> Bool {
        reported[role, default: []].insert(index).inserted
    }

    /// Where an endpoint points; `alternatives`: the clusters its expression refers to when it
    /// refers to several and nothing decides which (a conditional), else empty.
    typealias ClusterMatch = (cluster: ClusterView?, how: String, unknown: Bool, alternatives: [ClusterView])

    /// The cluster an endpoint reaches: by `server_name` (reference or value), else through the
    /// Secrets Manager secret it reads its connection from, else through a DNS record.
    func cluster(at index: Int) -> ClusterMatch {
        if let known = clusters[index] { return known }
        let match = resolveCluster(endpoints[index])
        clusters[index] = match
        return match
    }

    private func resolveCluster(_ endpoint: ResourceView) -> ClusterMatch {
        var match = picture.endpointMatch(endpoint)
        if match.cluster == nil, let behind = clusterBehindSecret(endpoint) { match = (behind.cluster, behind.how, false, []) }
        if match.cluster == nil, let host = endpoint.attribute("server_name")?.unmaskedString, let alias = clusterBehindAlias(host) {
            match = (alias.cluster, alias.how, false, [])
        }
        return match
    }

    /// An endpoint that reads its connection from Secrets Manager (`secrets_manager_arn`, as the
    /// runbook's DMS module does): the cluster its secret's version refers to in the configuration.
    func clusterBehindSecret(_ endpoint: ResourceView) -> (cluster: ClusterView, how: String)? {
        guard let config = endpoint.config else { return nil }
        let configuration = picture.document.configuration
        let secrets = configuration.resolvedResources(ofAttribute: "secrets_manager_arn", of: config)
        guard !secrets.isEmpty else { return nil }
        // Several clusters (a conditional) tie it to none of them.
        let direct = picture.clusters.filter { secrets.contains($0.resource.configurationAddress) }
        if let first = direct.first {
            return direct.allSatisfy({ $0.addressText == first.addressText })
                ? (first, "its secrets_manager_arn refers to \(first.resource.configurationAddress)") : nil
        }
        var found: [(ClusterView, String)] = []
        for version in secretVersions where !version.secretIDs.isDisjoint(with: secrets) {
            for cluster in picture.clusters where version.referenced.contains(cluster.resource.configurationAddress) {
                if !found.contains(where: { $0.0.addressText == cluster.addressText }) {
                    found.append((cluster, "its secrets_manager_arn names a secret whose version \(version.address) refers to "
                        + cluster.resource.configurationAddress))
                }
            }
        }
        return found.count == 1 ? found[0] : nil
    }

    private var secretVersions: [(secretIDs: Set<String>, referenced: Set<String>, address: String)] {
        if let cached = secretVersionsCache { return cached }
        let configuration = picture.document.configuration
        let versions = configuration.allResources.filter { $0.type == "aws_secretsmanager_secret_version" && $0.mode == .managed }.map { version in
            (secretIDs: configuration.resolvedResources(ofAttribute: "secret_id", of: version),
             referenced: ConfigurationReferences.resources(of: version, in: configuration), address: version.qualifiedAddress)
        }
        secretVersionsCache = versions
        return versions
    }

    /// A DNS name in front of a cluster: an aws_route53_record named `host` whose records (or
    /// alias) hold a cluster's endpoint.
    func clusterBehindAlias(_ host: String) -> (cluster: ClusterView, how: String)? {
        for record in records[Self.normalized(host)] ?? [] {
            var targets: [String] = []
            if case .list(let values)? = record.attribute("records") { targets += values.compactMap(\.stringValue) }
            if case .list(let aliases)? = record.attribute("alias") { targets += aliases.compactMap { $0["name"]?.stringValue } }
            let targetSet = Set(targets.map(Self.normalized))
            let matches = picture.clusters.filter { cluster in cluster.identifyingStrings.contains { targetSet.contains(Self.normalized($0)) } }
            if matches.count == 1 {
                return (matches[0], "its server_name is DNS record \(record.addressText), which points at \(matches[0].addressText)")
            }
        }
        return nil
    }

    private var records: [String: [ResourceView]] {
        if let cached = recordsCache { return cached }
        var byName: [String: [ResourceView]] = [:]
        for record in picture.resources where record.type == "aws_route53_record" && record.hasAfter {
            // One pass over each record's value for both names.
            let names = Set(record.afterAttributes(["fqdn", "name"]).compactMap { $0?.stringValue }.map(Self.normalized))
            for name in names { byName[name, default: []].append(record) }
        }
        recordsCache = byName
        return byName
    }

    static func normalized(_ name: String) -> String {
        var text = name.lowercased()
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
