import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// Which attribute of a cluster a configuration expression reads, followed through module inputs
/// and outputs and through the data sources it refers to (`data.aws_iam_policy_document.x.json`,
/// a secret data source whose `arn` is the cluster's secret). Terraform lists a reference with its
/// shorter prefixes (`…master_user_secret[0].secret_arn`, `…master_user_secret`, `aws_rds_cluster.x`):
/// only the longest says what is read.
final class ClusterAttributeReads {
    enum Kind: Hashable {
        /// `master_user_secret` (whole, one element, or its `secret_arn`).
        case secret
        /// Another attribute, e.g. `arn`.
        case attribute(String)
        /// Read whole or through a whole module: which attribute is not in the plan.
        case unresolved(String)
    }

    struct Read: Hashable {
        /// The cluster's qualified configuration address.
        let cluster: String
        let kind: Kind
    }

    let configuration: Configuration
    /// Qualified configuration addresses of the clusters worth following.
    let clusters: Set<String>
    /// Each reference (by module path) resolved once: shared outputs and inputs cost nothing more, and a
    /// cycle (only hand-made input has one) ends where it started, with nothing read.
    private var resolved: [String: [Read]] = [:]

    init(configuration: Configuration, clusters: Set<String>) {
        self.configuration = configuration
        self.clusters = clusters
    }

    /// The clusters every expression of the block reads, and how.
    func reads(of block: ConfigResource) -> [Read] {
        block.expressions.keys.sorted().flatMap { key in block.expressions[key].map { reads(of: $0, in: block.modulePath) } ?? [] }
    }

    private func reads(of expression: Expression, in path: [String]) -> [Read] {
        var result: [Read] = []
        for reference in Self.longest(expression.references) {
            let key = path.joined(separator: ".") + "|" + reference
            if let known = resolved[key] {
                result += known
                continue
            }
            resolved[key] = []
            let reads = reads(ofReference: reference, in: path)
            resolved[key] = reads
            result += reads
        }
        for block in expression.blocks {
            for key in block.keys.sorted() { result += block[key].map { reads(of: $0, in: path) } ?? [] }
        }
        // Each read once: outputs and inputs shared along many paths would otherwise multiply them.
        var seen = Set<Read>()
        return result.filter { seen.insert($0).inserted }
    }

    private func reads(ofReference reference: String, in path: [String]) -> [Read] {
        let parts = Configuration.splitReference(reference)
        guard parts.count >= 2 else { return [] }
        let prefix = path.map { "module.\($0)." }.joined()
        switch parts[0] {
        case "var":
            guard let callName = path.last, let caller = configuration.module(at: Array(path.dropLast())),
                  let argument = caller.moduleCalls[callName]?.expressions[parts[1]] else { return [] }
            return reads(of: argument, in: Array(path.dropLast()))
        case "module":
            let inner = path + [parts[1]]
            guard let callee = configuration.module(at: inner) else { return [] }
            if parts.count >= 3 {
                guard let output = callee.outputs[parts[2]] else { return [] }
                return reads(of: output, in: inner)
            }
            return wholeModuleReads(callee, named: prefix + reference, in: inner)
        case "data":
            guard parts.count >= 3 else { return [] }
            let address = prefix + "data.\(parts[1]).\(parts[2])"
            // What the data source is follows from what it refers to.
            guard let data = configuration.resource(qualifiedAddress: address) else { return [] }
            return reads(of: data)
        case "local", "each", "count", "path", "terraform", "self":
            // Locals are not exported in the plan's configuration; the others are not resources.
            return []
        default:
            let address = prefix + "\(parts[0]).\(parts[1])"
            guard clusters.contains(address) else { return [] }
            return [Read(cluster: address, kind: Self.kind(Array(parts.dropFirst(2)), of: address))]
        }
    }

    /// `module.m` with no output named (a splat `module.m[*].o`, or the module as an object): the
    /// outputs that reach a cluster decide only when they all read the same kind of thing.
    private func wholeModuleReads(_ callee: ConfigModule, named name: String, in path: [String]) -> [Read] {
        var byOutput: [(name: String, reads: [Read])] = []
        for output in callee.outputs.keys.sorted() {
            guard let expression = callee.outputs[output] else { continue }
            let reads = reads(of: expression, in: path)
            if !reads.isEmpty { byOutput.append((output, reads)) }
        }
        let all = byOutput.flatMap(\.reads)
        guard let first = all.first else { return [] }
        let oneCluster = all.allSatisfy { $0.cluster == first.cluster }
        if oneCluster, all.allSatisfy({ $0.kind == .secret }) { return [first] }
        if oneCluster, !all.contains(where: { if case .attribute = $0.kind { return false } else { return true } }) { return all }
        // The outputs that read a secret first: the message shows one of each kind.
        let shown = byOutput.filter { $0.reads.contains { $0.kind == .secret } } + byOutput.filter { !$0.reads.contains { $0.kind == .secret } }
        let names = shown.prefix(2).map(\.name).joined(separator: ", ") + (byOutput.count > 2 ? " and \(byOutput.count - 2) more" : "")
        let why = "\(name), a splat (outputs \(names))"
        return Set(all.map(\.cluster)).sorted().map { Read(cluster: $0, kind: .unresolved(why)) }
    }

    private static func kind(_ steps: [String], of address: String) -> Kind {
        guard let first = steps.first else {
            return .unresolved("\(address), a splat (no attribute named)")
        }
        if first == "master_user_secret", steps.count == 1 || steps[1] == "secret_arn" { return .secret }
        return .attribute(steps.joined(separator: "."))
    }

    /// The references no other one extends (`a.b` is dropped beside `a.b.c` or `a.b[0]`), each once,
    /// in one pass over their bytes.
    static func longest(_ references: [String]) -> [String] {
        var extended = Set<Substring>()
        for reference in references {
            var index = reference.utf8.startIndex
            while index < reference.utf8.endIndex {
                let byte = reference.utf8[index]
                if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "[") { extended.insert(reference[..<index]) }
                index = reference.utf8.index(after: index)
            }
        }
        var seen = Set<String>()
        return references.filter { !extended.contains(Substring($0)) && seen.insert($0).inserted }
    }
}
