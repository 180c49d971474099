import MigCheckFoundation

/// One expression of the plan's `configuration`: a constant, references, or nested blocks.
public struct Expression {
    public var constantValue: JSONNode?
    /// References as Terraform lists them, e.g. `aws_rds_cluster.core.id`, `aws_rds_cluster.core`.
    public var references: [String]
    /// Nested blocks (`rotation_rules { ... }`), each a map of attribute to expression.
    public var blocks: [[String: Expression]]

    package static func parse(_ node: JSONNode) -> Expression {
        var expression = Expression(constantValue: nil, references: [], blocks: [])
        switch node.kind {
        case .array:
            expression.blocks = node.elements.filter { $0.kind == .object }.map(Expression.parseMap)
        case .object:
            var isLeaf = false
            node.forEachMember { key, value in
                if key.equals("constant_value") {
                    expression.constantValue = value
                    isLeaf = true
                } else if key.equals("references") {
                    expression.references = value.elements.compactMap(\.string)
                    isLeaf = true
                }
                return true
            }
            // An empty object is an expression Terraform could not export; anything else is one block.
            if !isLeaf, node.count > 0 { expression.blocks = [Expression.parseMap(node)] }
        default:
            break
        }
        return expression
    }

    static func parseMap(_ node: JSONNode) -> [String: Expression] {
        var map: [String: Expression] = [:]
        node.forEachMember { key, value in
            map[key.string] = Expression.parse(value)
            return true
        }
        return map
    }

    /// References of this expression and of every nested block.
    public var allReferences: [String] {
        references + blocks.flatMap { $0.values.flatMap(\.allReferences) }
    }

    /// Each reference of this expression and its nested blocks, and whether it names a whole
    /// module (`module.db` or `module.db[0]`) with nothing more specific beside it: for a splat
    /// (`module.db[*].secret_arn`) or a module used as an object Terraform lists only `module.db`,
    /// so which of its outputs is used is not in the plan.
    func forEachReference(_ body: (_ reference: String, _ wholeModule: Bool) -> Void) {
        // Modules named with an output step (`module.db[0].secret_arn`, listed with `module.db[0]`):
        // found in one pass, so a long list costs no more than reading it.
        var modulesWithSteps = Set<String>()
        var bareModules: [String: String] = [:]
        for reference in references where reference.hasPrefix("module.") {
            let parts = Configuration.splitReference(reference)
            if parts.count >= 3 { modulesWithSteps.insert(parts[1]) } else if parts.count == 2 { bareModules[reference] = parts[1] }
        }
        for reference in references {
            body(reference, bareModules[reference].map { !modulesWithSteps.contains($0) } ?? false)
        }
        for block in blocks {
            for expression in block.values { expression.forEachReference(body) }
        }
    }
}

/// A resource block in the configuration (one per resource, not per instance).
///
/// A class whose expressions are parsed on first use: a plan's configuration lists every
/// resource block, and the picture reads the expressions of few of them (often one attribute).
public final class ConfigResource {
    /// Address inside its module, e.g. `aws_rds_cluster.core`.
    public let address: String
    public let mode: ResourceMode
    public let type: String
    public let name: String
    /// Module call names from the root, e.g. `["dms"]`.
    public let modulePath: [String]
    /// `module.dms.aws_dms_endpoint.source`: comparable with `ResourceAddress.configurationAddress`.
    public let qualifiedAddress: String
    private let expressionsNode: JSONNode?
    private let countNode: JSONNode?
    private let forEachNode: JSONNode?

    public private(set) lazy var expressions: [String: Expression] = expressionsNode.map(Expression.parseMap) ?? [:]
    /// Parsed on each use, not kept: nothing reads them often.
    public var countExpression: Expression? { countNode.map(Expression.parse) }
    public var forEachExpression: Expression? { forEachNode.map(Expression.parse) }

    package init(address: String, mode: ResourceMode, type: String, name: String, modulePath: [String],
         expressionsNode: JSONNode?, countNode: JSONNode?, forEachNode: JSONNode?) {
        self.address = address
        self.mode = mode
        self.type = type
        self.name = name
        self.modulePath = modulePath
        // A root module block shares its address's storage.
        self.qualifiedAddress = modulePath.isEmpty ? address : modulePath.map { "module.\($0)." }.joined() + address
        self.expressionsNode = expressionsNode
        self.countNode = countNode
        self.forEachNode = forEachNode
    }

    /// `expressions[attribute]`, parsing only that attribute's expression while the rest are not needed.
    public func expression(_ attribute: String) -> Expression? {
        guard let node = expressionsNode, node.kind == .object else { return nil }
        var found: JSONNode?
        let wanted = Array(attribute.utf8)
        let wantedIsASCII = wanted.allSatisfy { $0 < 0x80 }
        node.forEachMember { key, value in
            // The map keys by String equality (the last equal key wins); bytes decide when both sides are plain ASCII.
            if key.equals(wanted) || ((!wantedIsASCII || !key.isPlainASCII) && key.string == attribute) { found = value }
            return true
        }
        return found.map(Expression.parse)
    }
}

private extension JSONKey {
    /// No escapes and no byte outside ASCII: such a key equals an ASCII String exactly when their bytes do.
    var isPlainASCII: Bool {
        guard !escaped else { return false }
        let bytes = document.bytes
        for offset in contentStart..<end where bytes[offset] >= 0x80 { return false }
        return true
    }
}

/// A `module` block: its inputs and the module it instantiates.
public struct ModuleCall {
    public let name: String
    public let source: String?
    public let expressions: [String: Expression]
    public let module: ConfigModule
}

public struct ConfigModule {
    public let path: [String]
    public let resources: [ConfigResource]
    public let moduleCalls: [String: ModuleCall]
    public let outputs: [String: Expression]

    package static func parse(_ node: JSONNode?, path: [String]) -> ConfigModule {
        var resources: [ConfigResource] = []
        var calls: [String: ModuleCall] = [:]
        var outputs: [String: Expression] = [:]
        node?["resources"]?.forEachElement { resource in
            // One pass over the block's members: thousands of blocks, seven fields each.
            var address, mode, type, name, expressions, count, forEach: JSONNode?
            resource.forEachMember { key, value in
                if key.equals("address") { address = value }
                else if key.equals("mode") { mode = value }
                else if key.equals("type") { type = value }
                else if key.equals("name") { name = value }
                else if key.equals("expressions") { expressions = value }
                else if key.equals("count_expression") { count = value }
                else if key.equals("for_each_expression") { forEach = value }
                return true
            }
            resources.append(ConfigResource(
                address: address?.string ?? "",
                mode: mode?.string == "data" ? .data : .managed,
                type: type?.string ?? "",
                name: name?.string ?? "",
                modulePath: path,
                expressionsNode: expressions,
                countNode: count,
                forEachNode: forEach))
            return true
        }
        node?["module_calls"]?.forEachMember { key, call in
            let name = key.string
            calls[name] = ModuleCall(
                name: name,
                source: call["source"]?.string,
                expressions: call["expressions"].map(Expression.parseMap) ?? [:],
                module: ConfigModule.parse(call["module"], path: path + [name]))
            return true
        }
        node?["outputs"]?.forEachMember { key, output in
            if let expression = output["expression"] { outputs[key.string] = Expression.parse(expression) }
            return true
        }
        return ConfigModule(path: path, resources: resources, moduleCalls: calls, outputs: outputs)
    }
}

/// The plan's `configuration` tree, with reference resolution across module boundaries.
public struct Configuration {
    public let rootModule: ConfigModule
    /// Every resource block in every module, depth first, and the same by qualified address.
    public let allResources: [ConfigResource]
    private let resourcesByAddress: [String: ConfigResource]
    /// Resolutions already worked out: the instances of one block (count, for_each) ask the same questions.
    private let resolutions = ResolutionCache()

    private final class ResolutionCache {
        /// Keyed by the block's identity; the entry holds the block, so the identity cannot be reused meanwhile.
        var byResource: [ObjectIdentifier: (resource: ConfigResource, byAttribute: [String: Set<String>])] = [:]
    }

    public init(_ node: JSONNode?) {
        rootModule = ConfigModule.parse(node?["root_module"], path: [])
        var all: [ConfigResource] = []
        func visit(_ module: ConfigModule) {
            all += module.resources
            for name in module.moduleCalls.keys.sorted() {
                if let call = module.moduleCalls[name] { visit(call.module) }
            }
        }
        visit(rootModule)
        allResources = all
        var byAddress: [String: ConfigResource] = [:]
        for resource in all where byAddress[resource.qualifiedAddress] == nil { byAddress[resource.qualifiedAddress] = resource }
        resourcesByAddress = byAddress
    }

    public func module(at path: [String]) -> ConfigModule? {
        var module = rootModule
        for name in path {
            guard let call = module.moduleCalls[name] else { return nil }
            module = call.module
        }
        return module
    }

    public func resource(qualifiedAddress: String) -> ConfigResource? {
        resourcesByAddress[qualifiedAddress]
    }

    /// The resource blocks an expression finally refers to, following module inputs
    /// (`var.x` → the caller's argument) and outputs (`module.m.o` → the output's expression).
    /// Results are qualified addresses such as `aws_rds_cluster.core` or `module.db.aws_rds_cluster.this`.
    /// A whole module (`module.db[*].o` is listed as `module.db`) refers to what every output of
    /// it refers to, unless `expandingWholeModules` is false.
    public func resolvedResources(of expression: Expression, in modulePath: [String], expandingWholeModules: Bool = true) -> Set<String> {
        var result = Set<String>()
        var visited = Set<String>()
        expression.forEachReference { reference, wholeModule in
            resolve(reference, wholeModule: wholeModule && expandingWholeModules, in: modulePath, into: &result, visited: &visited,
                    expanding: expandingWholeModules, depth: 0)
        }
        return result
    }

    /// Resolution of one attribute of a resource block.
    public func resolvedResources(ofAttribute attribute: String, of resource: ConfigResource) -> Set<String> {
        let key = ObjectIdentifier(resource)
        if let known = resolutions.byResource[key]?.byAttribute[attribute] { return known }
        let resolved = resource.expression(attribute).map { resolvedResources(of: $0, in: resource.modulePath) } ?? []
        resolutions.byResource[key, default: (resource, [:])].byAttribute[attribute] = resolved
        return resolved
    }

    private func resolve(_ reference: String, wholeModule: Bool, in path: [String], into result: inout Set<String>,
                         visited: inout Set<String>, expanding: Bool, depth: Int) {
        // Module graphs are acyclic, but a defensive bound keeps odd input from looping.
        guard depth < 64, visited.insert(path.joined(separator: ".") + "|" + reference + (wholeModule ? "|*" : "")).inserted else { return }
        let parts = Configuration.splitReference(reference)
        guard let head = parts.first else { return }
        var prefix: String { path.map { "module.\($0)." }.joined() }
        func follow(_ expression: Expression, in innerPath: [String]) {
            expression.forEachReference { inner, innerWhole in
                resolve(inner, wholeModule: innerWhole && expanding, in: innerPath, into: &result, visited: &visited,
                        expanding: expanding, depth: depth + 1)
            }
        }
        switch head {
        case "var":
            guard parts.count >= 2, let callName = path.last,
                  let caller = module(at: Array(path.dropLast())),
                  let argument = caller.moduleCalls[callName]?.expressions[parts[1]] else { return }
            follow(argument, in: Array(path.dropLast()))
        case "module":
            guard parts.count >= 2, let callee = module(at: path + [parts[1]]) else { return }
            if parts.count >= 3, let output = callee.outputs[parts[2]] {
                follow(output, in: path + [parts[1]])
            } else if parts.count == 2, wholeModule {
                for name in callee.outputs.keys.sorted() {
                    if let output = callee.outputs[name] { follow(output, in: path + [parts[1]]) }
                }
            }
        case "data":
            guard parts.count >= 3 else { return }
            result.insert(prefix + "data.\(parts[1]).\(parts[2])")
        case "local", "each", "count", "path", "terraform", "self":
            // Locals are not exported in the plan's configuration; the others are not resources.
            return
        default:
            guard parts.count >= 2 else { return }
            result.insert(prefix + "\(parts[0]).\(parts[1])")
        }
    }

    /// Splits `aws_rds_cluster.core.master_user_secret[0].secret_arn` into its dotted names,
    /// dropping index brackets.
    package static func splitReference(_ reference: String) -> [String] {
        // References are ASCII in practice: split their bytes, which read the same as their characters.
        if reference.utf8.allSatisfy({ $0 < 0x80 }) { return splitASCIIReference(reference) }
        var parts: [String] = []
        var current = ""
        var bracketDepth = 0
        var inQuotes = false
        for character in reference {
            if inQuotes {
                if character == "\"" { inQuotes = false }
                continue
            }
            switch character {
            case "[": bracketDepth += 1
            case "]": bracketDepth = max(0, bracketDepth - 1)
            case "\"" where bracketDepth > 0: inQuotes = true
            case "." where bracketDepth == 0:
                parts.append(current)
                current = ""
            default:
                if bracketDepth == 0 { current.append(character) }
            }
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    /// `splitReference` over ASCII bytes (where each character is one byte; a CR LF pair is one
    /// character but neither byte is special, so it lands in the same part either way).
    private static func splitASCIIReference(_ reference: String) -> [String] {
        var parts: [String] = []
        var current: [UInt8] = []
        var bracketDepth = 0
        var inQuotes = false
        for byte in reference.utf8 {
            if inQuotes {
                if byte == UInt8(ascii: "\"") { inQuotes = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "["): bracketDepth += 1
            case UInt8(ascii: "]"): bracketDepth = max(0, bracketDepth - 1)
            case UInt8(ascii: "\"") where bracketDepth > 0: inQuotes = true
            case UInt8(ascii: ".") where bracketDepth == 0:
                parts.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            default:
                if bracketDepth == 0 { current.append(byte) }
            }
        }
        if !current.isEmpty { parts.append(String(decoding: current, as: UTF8.self)) }
        return parts
    }
}
