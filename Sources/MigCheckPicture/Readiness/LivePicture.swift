import MigCheckFoundation
import MigCheckReading

/// The live migration as the readiness rules see it: the evidence the AWS CLI collected,
/// joined to the plan's or state's picture (when one is given) by identifiers – cluster
/// identifier, endpoint address, task ARN, secret ARN – with how each join was made.
public struct LivePicture {
    public let documents: [EvidenceDocument]
    /// The plan or state the evidence was joined to; nil when judged from evidence alone.
    public let plan: MigrationPicture?
    /// The instant the run judges at (`--now`, default the clock).
    public let now: EvidenceInstant

    public let clusters: [LiveCluster]
    public let instances: [LiveInstance]
    public let parameters: [LiveParameter]
    public let snapshots: [LiveSnapshot]
    public let tasks: [LiveTask]
    public let tables: [LiveTable]
    public let endpoints: [LiveEndpoint]
    public let secrets: [LiveSecret]

    public internal(set) var source: LiveCluster?
    public internal(set) var target: LiveCluster?
    /// How each role was found (`cluster identifier of aws_rds_cluster.legacy in the plan`).
    public internal(set) var joins: [ClusterRole: String] = [:]
    public internal(set) var task: LiveTask?
    public internal(set) var taskJoin: String?

    public init(documents: [EvidenceDocument], plan: MigrationPicture? = nil, now: EvidenceInstant) {
        self.documents = documents
        self.plan = plan
        self.now = now
        var clusters: [LiveCluster] = [], instances: [LiveInstance] = [], parameters: [LiveParameter] = []
        var snapshots: [LiveSnapshot] = [], tasks: [LiveTask] = [], tables: [LiveTable] = []
        var endpoints: [LiveEndpoint] = [], secrets: [LiveSecret] = []
        for document in documents {
            switch document.content {
            case .clusters(let items): clusters += items
            case .instances(let items): instances += items
            case .parameters(let items): parameters += items
            case .snapshots(let items): snapshots += items
            case .tasks(let items): tasks += items
            case .tables(_, let items): tables += items
            case .endpoints(let items): endpoints += items
            case .secret(let item): secrets.append(item)
            case .failed: break
            }
        }
        self.clusters = clusters
        self.instances = instances
        self.parameters = parameters
        self.snapshots = snapshots
        self.tasks = tasks
        self.tables = tables
        self.endpoints = endpoints
        self.secrets = secrets
        LiveJoin.join(&self)
    }

    public func cluster(_ role: ClusterRole) -> LiveCluster? { role == .source ? source : target }

    /// Whether some file answered `kind` (an empty list counts: the call answered).
    public func answered(_ kind: EvidenceKind) -> Bool {
        documents.contains { document in
            guard document.kind == kind else { return false }
            if case .failed = document.content { return false }
            return true
        }
    }

    /// The failed calls of `kind` (error responses, the CLI's error text).
    public func failures(_ kind: EvidenceKind) -> [EvidenceFailure] {
        documents.compactMap { document in
            guard document.kind == kind, case .failed(let failure) = document.content else { return nil }
            return failure
        }
    }

    /// Failed calls whose operation the error does not name: any kind may be among them.
    public var unattributedFailures: [EvidenceFailure] {
        documents.compactMap { document in
            guard document.kind == nil, case .failed(let failure) = document.content else { return nil }
            return failure
        }
    }

    public func instance(_ identifier: String) -> LiveInstance? { instances.first { $0.identifier == identifier } }

    public func secret(arn: String?) -> LiveSecret? {
        guard let arn else { return nil }
        return secrets.first { $0.arn == arn || $0.name == arn }
    }

    /// The plan's or state's resource for a live cluster, when one is joined: findings name its address.
    public func planAddress(of role: ClusterRole) -> String? { plan?.cluster(role)?.addressText }
}

/// How evidence and picture meet.
enum LiveJoin {
    static func join(_ live: inout LivePicture) {
        for role in [ClusterRole.source, .target] {
            if let (cluster, how) = byPlan(role, live) ?? byEndpoints(role, live) ?? byFileLabel(role, live) {
                if role == .source { live.source = cluster } else { live.target = cluster }
                live.joins[role] = how
            }
        }
        if let (task, how) = taskJoin(live) {
            live.task = task
            live.taskJoin = how
        }
    }

    /// The plan's cluster: its `cluster_identifier`/`id`, or an endpoint it knows.
    static func byPlan(_ role: ClusterRole, _ live: LivePicture) -> (LiveCluster, String)? {
        guard let view = live.plan?.cluster(role) else { return nil }
        if let cluster = live.clusters.first(where: { view.identifiers.contains($0.identifier) }) {
            return (cluster, "cluster identifier of \(view.addressText) in the \(live.plan?.isPlan == true ? "plan" : "state")")
        }
        if let cluster = live.clusters.first(where: { live in
            [live.endpoint, live.readerEndpoint].contains { $0.map(view.identifyingStrings.contains) ?? false }
        }) {
            return (cluster, "endpoint address of \(view.addressText)")
        }
        return nil
    }

    /// Evidence alone: the DMS endpoint of that type, by the secret it logs in with or its server name.
    static func byEndpoints(_ role: ClusterRole, _ live: LivePicture) -> (LiveCluster, String)? {
        for endpoint in live.endpoints where endpoint.type == role.rawValue {
            let name = endpoint.identifier ?? endpoint.arn
            if let secret = endpoint.secretID, let cluster = live.clusters.first(where: { $0.secretARN == secret }) {
                return (cluster, "the master secret DMS endpoint \(name) logs in with")
            }
            if let server = endpoint.serverName, let cluster = live.clusters.first(where: { $0.endpoint == server }) {
                return (cluster, "the server name of DMS endpoint \(name)")
            }
        }
        return nil
    }

    /// The file `migcheck collect` wrote for the role (`describe-db-clusters.source.json`), when it
    /// holds one cluster: before the full-load deploy there are no DMS endpoints to join by.
    static func byFileLabel(_ role: ClusterRole, _ live: LivePicture) -> (LiveCluster, String)? {
        let name = "\(EvidenceKind.dbClusters.rawValue).\(role.rawValue).json"
        for document in live.documents where document.file == name || document.file.hasSuffix("/" + name) {
            if case .clusters(let clusters) = document.content, clusters.count == 1, let cluster = clusters.first {
                return (cluster, "the file \(name), as migcheck collect names it")
            }
        }
        return nil
    }

    static func taskJoin(_ live: LivePicture) -> (LiveTask, String)? {
        let planned = live.plan?.dmsTasks.compactMap { $0.attribute("replication_task_arn")?.unmaskedString } ?? []
        if let task = live.tasks.first(where: { planned.contains($0.arn) }) {
            return (task, "replication_task_arn in the \(live.plan?.isPlan == true ? "plan" : "state")")
        }
        if live.tasks.count == 1, let only = live.tasks.first { return (only, "the only replication task in the evidence") }
        guard let source = live.source else { return nil }
        let sourceEndpoints = Set(live.endpoints.filter { endpoint in
            endpoint.type == "source" && (endpoint.secretID == source.secretARN || endpoint.serverName == source.endpoint)
        }.map(\.arn))
        if let task = live.tasks.first(where: { $0.sourceEndpointARN.map(sourceEndpoints.contains) ?? false }) {
            return (task, "its source endpoint, the source cluster's")
        }
        return nil
    }
}
