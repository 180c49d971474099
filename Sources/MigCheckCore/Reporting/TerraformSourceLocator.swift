#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds where a resource (or the module call that holds it) is declared in the `.tf`
/// files, so that findings point at a line of the pull request's diff instead of the plan.
///
/// Module sources that are local paths are followed, taken from the plan's configuration
/// (`module_calls.NAME.source`) or from the `module` block itself; for a registry module
/// the finding points at the `module` block that calls it.
///
/// The locator stays inside `root`: a module source from the plan or a `.tf` file (`../../x`,
/// or a symlinked directory or file) that resolves outside it is neither followed nor read,
/// and the finding keeps its position in the plan.
public struct TerraformSourceLocator {
    private let root: String
    /// `root` with every symlink resolved; nil when it does not exist (nothing is read then).
    private let resolvedRoot: String?
    private let configuration: Configuration?
    private var declarations: [String: [Declaration]] = [:]

    struct Declaration {
        enum Kind: Equatable {
            case resource(mode: ResourceMode, type: String, name: String)
            case module(name: String, source: String?)
        }

        let kind: Kind
        let file: String
        let line: Int
        let column: Int
    }

    public init(root: String, configuration: Configuration?) {
        self.root = TerraformSourceLocator.normalized(root)
        self.resolvedRoot = TerraformSourceLocator.realPath(self.root)
        self.configuration = configuration
    }

    /// The declaration of `address`: its resource block, or the closest module call on the way.
    public mutating func location(of address: ResourceAddress) -> SourceLocation? {
        var directory = root
        var configPath: [String] = []
        var lastModuleCall: Declaration?
        for step in address.modulePath {
            guard let call = declarationsIn(directory).first(where: {
                if case .module(let name, _) = $0.kind { return name == step.name }
                return false
            }) else { return lastModuleCall.map(Self.location) }
            lastModuleCall = call
            var source: String?
            if case .module(_, let declared) = call.kind { source = declared }
            if let fromPlan = configuration?.module(at: configPath)?.moduleCalls[step.name]?.source { source = fromPlan }
            configPath.append(step.name)
            guard let local = source, local.hasPrefix("./") || local.hasPrefix("../") else { return Self.location(call) }
            directory = TerraformSourceLocator.join(directory, local)
            // A module outside the source directory: the plan's position, not a path out of it.
            guard !leavesRoot(directory) else { return nil }
        }
        let match = declarationsIn(directory).first {
            $0.kind == .resource(mode: address.mode, type: address.type, name: address.name)
        }
        return (match ?? lastModuleCall).map(Self.location)
    }

    private static func location(_ declaration: Declaration) -> SourceLocation {
        let position = SourcePosition(line: declaration.line, column: declaration.column)
        return SourceLocation(file: declaration.file, start: position, end: position)
    }

    private mutating func declarationsIn(_ directory: String) -> [Declaration] {
        if let cached = declarations[directory] { return cached }
        var found: [Declaration] = []
        guard let resolvedDirectory = insideRoot(directory) else { return found }
        for name in TerraformSourceLocator.terraformFileNames(in: resolvedDirectory) {
            // Read through the resolved path (a symlink out of the root is skipped), report the given one.
            guard let resolvedFile = insideRoot(TerraformSourceLocator.join(resolvedDirectory, name)),
                  let storage = try? ByteStorage.read(path: resolvedFile) else { continue }
            let file = TerraformSourceLocator.join(directory, name)
            let text = String(decoding: storage.bytes, as: UTF8.self)
            found += TerraformSourceLocator.scan(text, file: file)
        }
        declarations[directory] = found
        return found
    }

    /// Block headers at the start of a line: `resource "TYPE" "NAME" {`, `data …`, `module "NAME" {`,
    /// and a module's `source = "…"`. Heredocs and comments are skipped.
    static func scan(_ text: String, file: String) -> [Declaration] {
        var result: [Declaration] = []
        var heredocEnd: String?
        var blockComment = false
        var openModule: (name: String, line: Int, column: Int, depth: Int)?
        var depth = 0
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine)
            let trimmed = line.trimmedSpaces
            if let end = heredocEnd {
                if trimmed == end { heredocEnd = nil }
                continue
            }
            if blockComment {
                if trimmed.contains("*/") { blockComment = false }
                continue
            }
            if trimmed.hasPrefix("/*") {
                blockComment = !trimmed.contains("*/")
                continue
            }
            if trimmed.hasPrefix("#") || trimmed.hasPrefix("//") { continue }
            if let marker = trimmed.firstRange(of: "<<") {
                var tag = String(trimmed[marker.upperBound...])
                if tag.hasPrefix("-") { tag.removeFirst() }
                tag = String(tag.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                if !tag.isEmpty { heredocEnd = tag }
            }
            let column = line.count - line.drop { $0 == " " || $0 == "\t" }.count + 1
            let words = labels(trimmed)
            if depth == 0, words.count >= 3, words[0] == "resource" || words[0] == "data" {
                result.append(Declaration(kind: .resource(mode: words[0] == "data" ? .data : .managed, type: words[1], name: words[2]),
                                          file: file, line: index + 1, column: column))
            } else if depth == 0, words.count >= 2, words[0] == "module" {
                openModule = (words[1], index + 1, column, depth)
            } else if let module = openModule, depth == 1, trimmed.hasPrefix("source") {
                let value = trimmed.drop { $0 != "\"" }.dropFirst().prefix { $0 != "\"" }
                result.append(Declaration(kind: .module(name: module.name, source: String(value)), file: file, line: module.line, column: module.column))
                openModule = nil
            }
            for character in trimmed {
                if character == "{" { depth += 1 }
                if character == "}" { depth = max(0, depth - 1) }
            }
            if depth == 0, let module = openModule {
                result.append(Declaration(kind: .module(name: module.name, source: nil), file: file, line: module.line, column: module.column))
                openModule = nil
            }
        }
        return result
    }

    /// `resource "aws_rds_cluster" "core" {` → ["resource", "aws_rds_cluster", "core"].
    static func labels(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        for character in line {
            if character == "\"" {
                if quoted { words.append(current); current = "" }
                quoted.toggle()
                continue
            }
            if quoted { current.append(character); continue }
            if character == "{" || character == "=" { break }
            if character == " " || character == "\t" {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    static func terraformFileNames(in directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var files: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
                String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".tf") { files.append(name) }
        }
        return files.sorted()
    }

    /// `path` with its symlinks resolved when that lies in the resolved root (or is it); nil otherwise.
    private func insideRoot(_ path: String) -> String? {
        guard let base = resolvedRoot, let resolved = TerraformSourceLocator.realPath(path) else { return nil }
        return resolved == base || resolved.hasPrefix(base == "/" ? "/" : base + "/") ? resolved : nil
    }

    /// Whether `path` (joined onto the root) leads out of it: through a symlink where it
    /// exists, by `..` or an absolute path where it does not.
    private func leavesRoot(_ path: String) -> Bool {
        if TerraformSourceLocator.realPath(path) != nil { return insideRoot(path) == nil }
        if root == "." { return path.hasPrefix("/") || path == ".." || path.hasPrefix("../") }
        return path != root && !path.hasPrefix(root == "/" ? "/" : root + "/")
    }

    /// The canonical absolute path (`realpath`), nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Joins and normalises `a/./b/../c` without touching the file system.
    static func join(_ base: String, _ relative: String) -> String {
        normalized(base.isEmpty || base == "." ? relative : base + "/" + relative)
    }

    static func normalized(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}
