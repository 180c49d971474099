/// The shape of a synthetic plan: a fixed module-call tree, a number of
/// resource blocks spread over it, and everything derived from those. All
/// per-instance data is recomputed from seeds, so a 1 GB plan needs only the
/// block table in memory.

/// How a module call or resource block expands into instances.
enum Expansion {
    case single
    case count(Int)
    case forEach([String])

    var keys: [InstanceKey] {
        switch self {
        case .single: return [.none]
        case .count(let count): return (0..<count).map { .int($0) }
        case .forEach(let keys): return keys.map { .string($0) }
        }
    }
}

enum InstanceKey {
    case none
    case int(Int)
    case string(String)

    /// The `[...]` suffix Terraform appends to instance addresses. String keys
    /// use HCL quoting, so `a"b` becomes `["a\"b"]` (escaped again inside JSON).
    var addressSuffix: String {
        switch self {
        case .none: return ""
        case .int(let value): return "[\(value)]"
        case .string(let key): return "[\(InstanceKey.hclQuoted(key))]"
        }
    }

    /// Mirrors Terraform's `toHCLQuotedString`.
    static func hclQuoted(_ text: String) -> String {
        var result = "\""
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "{" where previous == "$" || previous == "%":
                // `${` and `%{` would start a template sequence in HCL.
                result.unicodeScalars.append(previous ?? "$")
                result += "{"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
            previous = scalar
        }
        return result + "\""
    }
}

struct ModuleCall {
    let name: String
    let source: String
    let versionConstraint: String?
    /// Index into `PlanLayout.calls`; -1 for the root module.
    let parent: Int
    let expansion: Expansion
    /// Share of resource blocks placed in this call.
    let blockWeight: Int
    /// Data-layer modules get mostly RDS/DMS resources.
    let prefersDatabaseResources: Bool
}

struct ModuleInstance {
    let call: Int
    /// "" for the root module, else e.g. `module.data["primary"].module.rds`.
    let address: String
    let children: [Int]
}

struct ResourceBlock {
    let index: Int
    let call: Int
    let kind: ResourceKind
    let name: String
    let expansion: Expansion
    /// Set for the fixed migration resources (`MigrationScenario`); nil for the random blocks.
    let part: MigrationPart?
}

/// One planned action, as it appears in `change.actions`.
enum PlannedAction {
    case noOp, create, update, delete, deleteThenCreate, createThenDelete

    var actionsJSON: StaticString {
        switch self {
        case .noOp: return "[\"no-op\"]"
        case .create: return "[\"create\"]"
        case .update: return "[\"update\"]"
        case .delete: return "[\"delete\"]"
        case .deleteThenCreate: return "[\"delete\",\"create\"]"
        case .createThenDelete: return "[\"create\",\"delete\"]"
        }
    }

    var isReplace: Bool { self == .deleteThenCreate || self == .createThenDelete }
    /// Exists in prior state (has a `before`).
    var hasBefore: Bool { self != .create }
    /// Exists after apply (appears in planned_values, has an `after`).
    var hasAfter: Bool { self != .delete }
}

/// A single resource instance inside a single module instance.
struct ResourceInstance {
    let block: ResourceBlock
    let moduleInstance: Int
    let moduleAddress: String
    let key: InstanceKey
    let ordinal: Int
    let action: PlannedAction
    let actionReason: String?

    var address: String {
        let local = "\(block.kind.typeName).\(block.name)\(key.addressSuffix)"
        return moduleAddress.isEmpty ? local : "\(moduleAddress).\(local)"
    }

    var seed: UInt64 {
        SplitMix64.seed(block.index, moduleInstance, ordinal, 2)
    }
}

struct PlanLayout {
    static let calls: [ModuleCall] = [
        ModuleCall(name: "", source: "", versionConstraint: nil, parent: -1, expansion: .single,
                   blockWeight: 30, prefersDatabaseResources: false),
        ModuleCall(name: "network", source: "./modules/network", versionConstraint: nil, parent: 0,
                   expansion: .single, blockWeight: 8, prefersDatabaseResources: false),
        ModuleCall(name: "subnets", source: "./modules/network/subnets", versionConstraint: nil, parent: 1,
                   expansion: .forEach(["a", "b", "c"]), blockWeight: 3, prefersDatabaseResources: false),
        ModuleCall(name: "data", source: "./modules/data", versionConstraint: nil, parent: 0,
                   expansion: .forEach(["primary", "replica \"eu\""]), blockWeight: 10,
                   prefersDatabaseResources: true),
        ModuleCall(name: "rds", source: "./modules/aurora", versionConstraint: nil, parent: 3,
                   expansion: .single, blockWeight: 8, prefersDatabaseResources: true),
        ModuleCall(name: "params", source: "./modules/aurora/params", versionConstraint: nil, parent: 4,
                   expansion: .single, blockWeight: 4, prefersDatabaseResources: true),
        ModuleCall(name: "dms", source: "./modules/dms", versionConstraint: nil, parent: 3,
                   expansion: .count(2), blockWeight: 5, prefersDatabaseResources: true),
        ModuleCall(name: "platform", source: "git::https://github.com/acme/platform.git//modules/platform?ref=v2.3.1",
                   versionConstraint: nil, parent: 0, expansion: .single, blockWeight: 6,
                   prefersDatabaseResources: false),
        ModuleCall(name: "cluster", source: "./cluster", versionConstraint: nil, parent: 7,
                   expansion: .forEach(["blue", "green"]), blockWeight: 5, prefersDatabaseResources: false),
        ModuleCall(name: "service", source: "./service", versionConstraint: nil, parent: 8,
                   expansion: .forEach(["api", "web.frontend", "worker\\batch"]), blockWeight: 4,
                   prefersDatabaseResources: false),
        ModuleCall(name: "task", source: "./task", versionConstraint: nil, parent: 9,
                   expansion: .single, blockWeight: 2, prefersDatabaseResources: false),
        ModuleCall(name: "sidecar", source: "./sidecar", versionConstraint: nil, parent: 10,
                   expansion: .count(1), blockWeight: 1, prefersDatabaseResources: false),
        ModuleCall(name: "leaf", source: "./leaf", versionConstraint: nil, parent: 11,
                   expansion: .single, blockWeight: 1, prefersDatabaseResources: false),
        ModuleCall(name: "security", source: "terraform-aws-modules/security-group/aws", versionConstraint: "~> 5.1",
                   parent: 0, expansion: .single, blockWeight: 6, prefersDatabaseResources: false),
        ModuleCall(name: "iam", source: "./modules/iam", versionConstraint: nil, parent: 13,
                   expansion: .single, blockWeight: 6, prefersDatabaseResources: false),
        // The migration-only DMS module (MigrationScenario). Last, so the other module
        // instances keep their indices (and seeds); weight 0: no random blocks.
        ModuleCall(name: MigrationScenario.moduleName, source: "./modules/db_migration", versionConstraint: nil,
                   parent: 0, expansion: .single, blockWeight: 0, prefersDatabaseResources: true),
    ]

    /// for_each keys for resources; chosen to stress address parsing and
    /// escaping: quotes, backslashes, dots, brackets, tabs, non-ASCII.
    static let forEachKeyPool: [String] = [
        "a\"b", "alpha", "api.example.com", "back\\slash", "blue/green", "Grüße", "tab\there",
        "with space", "x[0].y", "日本", "🚀 rocket", "quote \"and\" backslash \\", "zeta",
    ]

    let blocks: [ResourceBlock]
    let moduleInstances: [ModuleInstance]
    /// Block indices per module call, sorted by (type, name) like Terraform lists them.
    let blocksByCall: [[Int]]
    /// Module instance indices per module call.
    let instancesByCall: [[Int]]

    init(blockCount: Int) {
        var instances: [ModuleInstance] = []
        var instancesByCall = [[Int]](repeating: [], count: PlanLayout.calls.count)
        _ = PlanLayout.expand(call: 0, parentAddress: "", key: .none, into: &instances, byCall: &instancesByCall)
        moduleInstances = instances
        self.instancesByCall = instancesByCall

        let totalWeight = PlanLayout.calls.reduce(0) { $0 + $1.blockWeight }
        var blocks: [ResourceBlock] = []
        blocks.reserveCapacity(blockCount)
        var byCall = [[Int]](repeating: [], count: PlanLayout.calls.count)
        for index in 0..<blockCount {
            var rng = SplitMix64(seed: SplitMix64.seed(index, 1))
            var roll = rng.int(totalWeight)
            var call = 0
            for (candidate, moduleCall) in PlanLayout.calls.enumerated() {
                if roll < moduleCall.blockWeight { call = candidate; break }
                roll -= moduleCall.blockWeight
            }
            let kind = ResourceKind.pick(databaseHeavy: PlanLayout.calls[call].prefersDatabaseResources, &rng)
            // Fixed-width index: keeps every block the same expected size, so
            // the calibrated block count scales linearly to the byte target.
            let name = "\(rng.pick(PlanLayout.blockNameWords))_\(PlanLayout.zeroPadded(index, width: 6))"
            let expansion: Expansion
            switch rng.int(10) {
            case 0, 1: expansion = .count(rng.int(in: 1...4))
            case 2, 3:
                let start = rng.int(PlanLayout.forEachKeyPool.count)
                let count = rng.int(in: 1...4)
                let keys = (0..<count).map {
                    PlanLayout.forEachKeyPool[(start + $0) % PlanLayout.forEachKeyPool.count]
                }
                // Terraform lists for_each instances in key order.
                expansion = .forEach(keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            default: expansion = .single
            }
            blocks.append(ResourceBlock(index: index, call: call, kind: kind, name: name, expansion: expansion,
                                        part: nil))
            byCall[call].append(index)
        }
        // The one coherent migration, after the random blocks so their seeds stay as they were.
        for part in MigrationPart.allCases {
            let index = blocks.count
            blocks.append(ResourceBlock(index: index, call: part.call, kind: part.kind, name: part.name,
                                        expansion: part.expansion, part: part))
            byCall[part.call].append(index)
        }
        for call in byCall.indices {
            byCall[call].sort { lhs, rhs in
                let left = blocks[lhs], right = blocks[rhs]
                if left.kind.typeName != right.kind.typeName { return left.kind.typeName < right.kind.typeName }
                return left.name < right.name
            }
        }
        self.blocks = blocks
        blocksByCall = byCall
    }

    private static func expand(call: Int, parentAddress: String, key: InstanceKey,
                               into instances: inout [ModuleInstance], byCall: inout [[Int]]) -> Int {
        let moduleCall = calls[call]
        let address: String
        if call == 0 {
            address = ""
        } else {
            let own = "module.\(moduleCall.name)\(key.addressSuffix)"
            address = parentAddress.isEmpty ? own : "\(parentAddress).\(own)"
        }
        let slot = instances.count
        instances.append(ModuleInstance(call: call, address: address, children: []))
        byCall[call].append(slot)
        var children: [Int] = []
        for (childCall, child) in calls.enumerated() where child.parent == call {
            for childKey in child.expansion.keys {
                children.append(expand(call: childCall, parentAddress: address, key: childKey,
                                       into: &instances, byCall: &byCall))
            }
        }
        instances[slot] = ModuleInstance(call: call, address: address, children: children)
        return slot
    }

    /// Resource instances of one module instance, in output order.
    func resourceInstances(in moduleInstance: Int) -> [ResourceInstance] {
        let module = moduleInstances[moduleInstance]
        var result: [ResourceInstance] = []
        for blockIndex in blocksByCall[module.call] {
            let block = blocks[blockIndex]
            for (ordinal, key) in block.expansion.keys.enumerated() {
                let action: PlannedAction, reason: String?
                if let part = block.part {
                    (action, reason) = (part.action, nil)
                } else {
                    (action, reason) = PlanLayout.plannedAction(block: block, moduleInstance: moduleInstance,
                                                                ordinal: ordinal, key: key)
                }
                result.append(ResourceInstance(block: block, moduleInstance: moduleInstance,
                                               moduleAddress: module.address, key: key, ordinal: ordinal,
                                               action: action, actionReason: reason))
            }
        }
        return result
    }

    /// Action mix roughly like a busy real plan: mostly no-op, some updates,
    /// creates, a few deletes and replacements.
    private static func plannedAction(block: ResourceBlock, moduleInstance: Int, ordinal: Int,
                                      key: InstanceKey) -> (PlannedAction, String?) {
        var rng = SplitMix64(seed: SplitMix64.seed(block.index, moduleInstance, ordinal, 1))
        let roll = rng.int(100)
        let reasonRoll = rng.int(10)
        var action: PlannedAction
        switch roll {
        case 0..<45: action = .noOp
        case 45..<65: action = .update
        case 65..<83: action = .create
        case 83..<88: action = .delete
        case 88..<95: action = .deleteThenCreate
        default: action = .createThenDelete
        }
        if action == .update && !block.kind.supportsInPlaceUpdate {
            action = .deleteThenCreate
        }
        switch action {
        case .deleteThenCreate, .createThenDelete:
            switch reasonRoll {
            case 0: return (action, "replace_because_tainted")
            case 1: return (action, "replace_by_request")
            default: return (action, "replace_because_cannot_update")
            }
        case .delete:
            switch key {
            case .int: return (action, "delete_because_count_index")
            case .string: return (action, "delete_because_each_key")
            case .none: return (action, nil)
            }
        default:
            return (action, nil)
        }
    }

    static func zeroPadded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    static let blockNameWords = [
        "orders", "billing", "payments", "inventory", "search", "auth", "ledger", "notifications",
        "reporting", "catalog", "core", "analytics", "events", "users", "sessions", "audit",
    ]
}
