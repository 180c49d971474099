import MigCheckFoundation

/// The three documents Terraform (and OpenTofu) write that migcheck reads.
public enum DocumentKind: String, CaseIterable, Sendable {
    /// `terraform show -json tfplan`
    case plan
    /// `terraform show -json` without a plan file
    case state
    /// the raw `terraform.tfstate` file (version 4)
    case tfstate

    public var displayName: String {
        switch self {
        case .plan: return "plan (terraform show -json tfplan)"
        case .state: return "state (terraform show -json)"
        case .tfstate: return "raw state (terraform.tfstate, version 4)"
        }
    }
}

/// `format_version` as MAJOR.MINOR.
public struct FormatVersion: Comparable, Sendable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let text: String

    /// The newest plan format this build has been checked against.
    public static let newestKnown = FormatVersion(major: 1, minor: 2, text: "1.2")

    package init(major: Int, minor: Int, text: String) {
        self.major = major
        self.minor = minor
        self.text = text
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        // Digits only: Int("+1") and Int("-0") would let "+1.2" and "-0.5" through.
        // No leading zeros: "01.2" and "1.02" are not versions Terraform writes.
        guard parts.count == 2, parts.allSatisfy({ $0.utf8.allSatisfy { $0 &- UInt8(ascii: "0") < 10 } }),
              parts.allSatisfy({ $0 == "0" || $0.first != "0" }),
              let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        self.init(major: major, minor: minor, text: text)
    }

    public static func < (lhs: FormatVersion, rhs: FormatVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    public static func == (lhs: FormatVersion, rhs: FormatVersion) -> Bool {
        lhs.major == rhs.major && lhs.minor == rhs.minor
    }

    public var description: String { text }
}

/// Which program most likely wrote the document. OpenTofu writes the same formats
/// and its own version into `terraform_version`; its provider registry gives it away.
public enum Producer: String, Sendable {
    case terraform = "Terraform"
    case openTofu = "OpenTofu"
}

/// `output_changes` entry.
public struct OutputChange {
    public let name: String
    public let change: Change
}

/// Resource instances built on first use. A plan's `planned_values` and `prior_state` are
/// type-checked while it is read, but most checks never look at them.
final class InstanceList {
    private let lock = Lock()
    private var built: [ResourceInstance]?
    private let build: () -> [ResourceInstance]
    /// Builds only the data sources of one type (nil: filter the whole list).
    private let buildDataSources: ((String) -> [ResourceInstance])?

    init(_ instances: [ResourceInstance]) {
        built = instances
        build = { [] }
        buildDataSources = nil
    }

    init(deferred build: @escaping () -> [ResourceInstance],
         dataSources buildDataSources: @escaping (String) -> [ResourceInstance]) {
        self.build = build
        self.buildDataSources = buildDataSources
    }

    /// The data-source instances of one type, without building the others when none are built yet.
    func dataSources(ofType type: String) -> [ResourceInstance] {
        let (all, some) = lock.withLock { (built, buildDataSources) }
        if all == nil, let some { return some(type) }
        return instances.filter { $0.address.mode == .data && $0.address.type == type }
    }

    var instances: [ResourceInstance] {
        lock.withLock {
            if let built { return built }
            let made = build()
            built = made
            return made
        }
    }
}

/// One Terraform plan or state, read and typed.
public final class TerraformDocument {
    public let file: String
    public let kind: DocumentKind
    public let json: JSONDocument
    public let formatVersion: FormatVersion?
    public let terraformVersion: String?
    public let producer: Producer
    /// For a plan: `resource_changes`. Empty for states.
    public let resourceChanges: [ResourceChange]
    public let resourceDrift: [ResourceChange]
    public let outputChanges: [OutputChange]
    /// For a plan: `planned_values`; for a state: its `values` or raw `resources`.
    public var plannedResources: [ResourceInstance] { planned.instances }
    /// For a plan: `prior_state`; for a state: the same as `plannedResources`.
    public var priorResources: [ResourceInstance] { prior.instances }

    /// The data sources of one type in `priorResources` (in a plan, those read during
    /// planning); in a plan, only those are built.
    public func priorDataSources(ofType type: String) -> [ResourceInstance] {
        prior.dataSources(ofType: type)
    }
    let planned: InstanceList
    let prior: InstanceList
    public let configurationNode: JSONNode?
    /// Things the reader noticed that the user should hear once (newer format, UTF-16…).
    public let notes: [String]
    /// Position in a multi-document stream (terragrunt `run-all show -json`), 1-based, or nil.
    public let documentNumber: Int?

    private var cachedConfiguration: Configuration?

    package convenience init(file: String, kind: DocumentKind, json: JSONDocument, formatVersion: FormatVersion?, terraformVersion: String?,
         producer: Producer, resourceChanges: [ResourceChange], resourceDrift: [ResourceChange],
         outputChanges: [OutputChange], plannedResources: [ResourceInstance], priorResources: [ResourceInstance],
         configurationNode: JSONNode?, notes: [String], documentNumber: Int?) {
        let instances = InstanceList(plannedResources)
        self.init(file: file, kind: kind, json: json, formatVersion: formatVersion, terraformVersion: terraformVersion,
                  producer: producer, resourceChanges: resourceChanges, resourceDrift: resourceDrift, outputChanges: outputChanges,
                  planned: instances, prior: kind == .plan ? InstanceList(priorResources) : instances,
                  configurationNode: configurationNode, configuration: nil, notes: notes, documentNumber: documentNumber)
    }

    init(file: String, kind: DocumentKind, json: JSONDocument, formatVersion: FormatVersion?, terraformVersion: String?,
         producer: Producer, resourceChanges: [ResourceChange], resourceDrift: [ResourceChange],
         outputChanges: [OutputChange], planned: InstanceList, prior: InstanceList,
         configurationNode: JSONNode?, configuration: Configuration?, notes: [String], documentNumber: Int?) {
        self.file = file
        self.kind = kind
        self.json = json
        self.formatVersion = formatVersion
        self.terraformVersion = terraformVersion
        self.producer = producer
        self.resourceChanges = resourceChanges
        self.resourceDrift = resourceDrift
        self.outputChanges = outputChanges
        self.planned = planned
        self.prior = prior
        self.configurationNode = configurationNode
        cachedConfiguration = configuration
        self.notes = notes
        self.documentNumber = documentNumber
    }

    /// The configuration tree, parsed on first use (a state has an empty one).
    public var configuration: Configuration {
        if let cachedConfiguration { return cachedConfiguration }
        let parsed = Configuration(configurationNode)
        cachedConfiguration = parsed
        return parsed
    }

    /// The resource instances the document describes: a plan's changes, a state's instances.
    public var instanceAddresses: [String] {
        kind == .plan ? resourceChanges.map(\.addressText) : plannedResources.map(\.addressText)
    }

    /// Counts of resource changes per action, in a stable order.
    public var actionCounts: [(action: ChangeAction, count: Int)] {
        var counts: [ChangeAction: Int] = [:]
        for change in resourceChanges { counts[change.action, default: 0] += 1 }
        let order: [ChangeAction] = [.create, .update, .deleteThenCreate, .createThenDelete, .createThenForget, .delete, .read, .noOp, .forget]
        var result = order.compactMap { action in counts[action].map { (action, $0) } }
        for (action, count) in counts where !order.contains(action) {
            result.append((action, count))
        }
        return result
    }

    /// Where a byte offset of this document lies in the file.
    public func position(of node: JSONNode) -> SourcePosition { json.position(of: node.offset) }
}
