import MigCheckFoundation

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
    private var scannedDirectories: [String: ScannedFiles] = [:]
    private var directoryOrder: [String] = []

    package struct Declaration {
        package enum Kind: Equatable {
            case resource(mode: ResourceMode, type: String, name: String)
            case module(name: String, source: String?)
            /// Any other top-level block (`locals`, `variable`, `terraform`…).
            case other(keyword: String)
        }

        package let kind: Kind
        package let file: String
        package let line: Int
        package let column: Int
        /// Whether the block is in the source directory itself (not in a module's directory).
        package var isInRoot = false
    }

    /// Files given in memory instead of read (a rule's example): name in the root → text.
    private var memoryFiles: [(name: String, text: String)]?

    public init(root: String, configuration: Configuration?) {
        self.root = TerraformSourceLocator.normalized(root)
        self.resolvedRoot = TerraformSourceLocator.realPath(self.root)
        self.configuration = configuration
    }

    /// A locator over `files`, all in `root`, read from memory (nothing on disk is read).
    package init(root: String, configuration: Configuration?, files: [(name: String, text: String)]) {
        self.init(root: root, configuration: configuration)
        memoryFiles = files
    }

    /// The declaration of `address`: its resource block, or the closest module call on the way.
    public mutating func location(of address: ResourceAddress) -> SourceLocation? {
        declarationChain(of: address)?.last.map(Self.location)
    }

    /// The blocks that declare `address`, outermost first: the module calls on its way (as far
    /// as they are found), then its resource block when found. Nil when a module on the way
    /// leads out of the source directory (the finding keeps its plan position).
    package mutating func declarationChain(of address: ResourceAddress) -> [Declaration]? {
        var directory = root
        var configPath: [String] = []
        var chain: [Declaration] = []
        for step in address.modulePath {
            guard let call = declarationsIn(directory).first(where: {
                if case .module(let name, _) = $0.kind { return name == step.name }
                return false
            }) else { return chain }
            chain.append(call)
            var source: String?
            if case .module(_, let declared) = call.kind { source = declared }
            if let fromPlan = configuration?.module(at: configPath)?.moduleCalls[step.name]?.source { source = fromPlan }
            configPath.append(step.name)
            guard let local = source, local.hasPrefix("./") || local.hasPrefix("../") else { return chain }
            directory = TerraformSourceLocator.join(directory, local)
            // A module outside the source directory: the plan's position, not a path out of it.
            guard !leavesRoot(directory) else { return nil }
        }
        if let match = declarationsIn(directory).first(where: {
            $0.kind == .resource(mode: address.mode, type: address.type, name: address.name)
        }) {
            chain.append(match)
        }
        return chain
    }

    package static func location(_ declaration: Declaration) -> SourceLocation {
        let position = SourcePosition(line: declaration.line, column: declaration.column)
        return SourceLocation(file: declaration.file, start: position, end: position)
    }

    mutating func declarationsIn(_ directory: String) -> [Declaration] {
        scanned(directory).declarations
    }

    /// Every `.tf` and `.tf.json` file of `directory` inside the root, read once.
    mutating func scanned(_ directory: String) -> ScannedFiles {
        if let cached = scannedDirectories[directory] { return cached }
        var found = ScannedFiles()
        if let memoryFiles {
            for file in memoryFiles where directory == root {
                let scan = TerraformSourceLocator.scanHCL(file.text, file: TerraformSourceLocator.join(root, file.name))
                found.declarations += scan.declarations.map { declaration in
                    var marked = declaration
                    marked.isInRoot = true
                    return marked
                }
                found.comments += scan.comments.map { comment in
                    var marked = comment
                    marked.target?.isInRoot = true
                    return marked
                }
            }
        } else if let resolvedDirectory = insideRoot(directory) {
            for name in TerraformSourceLocator.terraformFileNames(in: resolvedDirectory) {
                // Read through the resolved path (a symlink out of the root is skipped), report the given one.
                guard let resolvedFile = insideRoot(TerraformSourceLocator.join(resolvedDirectory, name)),
                      let storage = try? ByteStorage.read(path: resolvedFile) else { continue }
                let file = TerraformSourceLocator.join(directory, name)
                let scan = TerraformSourceLocator.scanFile(storage, file: file, json: name.hasSuffix(".json"))
                let inRoot = directory == root
                found.declarations += scan.declarations.map { declaration in
                    var marked = declaration
                    marked.isInRoot = inRoot
                    return marked
                }
                found.comments += scan.comments.map { comment in
                    var marked = comment
                    marked.target?.isInRoot = inRoot
                    return marked
                }
            }
        }
        scannedDirectories[directory] = found
        directoryOrder.append(directory)
        return found
    }

    /// The `migcheck:` comments of every directory the locator reads: the root, the local
    /// modules its `.tf` files call (followed transitively, inside the root), and every
    /// directory read so far to locate a finding (a module source taken from the plan).
    package mutating func migcheckComments() -> [SourceComment] {
        var queue = [root] + directoryOrder
        var seen = Set<String>()
        var comments: [SourceComment] = []
        var index = 0
        // A bound on pathological trees; real configurations have a handful of modules.
        while index < queue.count, index < 10_000 {
            let directory = queue[index]
            index += 1
            guard seen.insert(directory).inserted else { continue }
            let files = scanned(directory)
            comments += files.comments
            for declaration in files.declarations {
                guard case .module(_, let source?) = declaration.kind, source.hasPrefix("./") || source.hasPrefix("../") else { continue }
                let next = TerraformSourceLocator.join(directory, source)
                if !leavesRoot(next) { queue.append(next) }
            }
        }
        return comments
    }

    /// What the files of one directory declare, and their `migcheck:` comments.
    struct ScannedFiles {
        var declarations: [Declaration] = []
        var comments: [SourceComment] = []
    }

    /// A comment that starts with `migcheck:` (a would-be inline suppression), with the
    /// top-level block it stands on or above, if any.
    package struct SourceComment {
        /// The comment's text without its markers (`#`, `//`, `/*`, `*/`), trimmed.
        package let body: String
        package let isBlockComment: Bool
        package let file: String
        package let line: Int
        package let column: Int
        package var target: Declaration?
    }

    static func scanFile(_ storage: ByteStorage, file: String, json: Bool) -> (declarations: [Declaration], comments: [SourceComment]) {
        if json { return (scanJSON(storage, file: file), []) }
        return scanHCL(String(decoding: storage.bytes, as: UTF8.self), file: file)
    }

    /// Top-level block headers: `resource "TYPE" "NAME" {`, `data …`, `module "NAME" {` with
    /// its `source = "…"`, and any other top-level block (for inline suppressions to tell
    /// what they stand above). Found by tokens: strings, heredocs and comments hide nothing.
    package static func scan(_ text: String, file: String) -> [Declaration] {
        scanHCL(text, file: file).declarations
    }

    static func scanHCL(_ text: String, file: String) -> (declarations: [Declaration], comments: [SourceComment]) {
        let tokens = HCLLexer.tokens(text)
        var declarations: [Declaration] = []
        var headers: [Int: Int] = [:]
        var codeLines = Set<Int>()
        var commentLines = Set<Int>()
        var code: [HCLToken] = []
        code.reserveCapacity(tokens.count)
        for token in tokens where token.kind != .newline {
            let lines = token.line...max(token.line, token.endLine)
            if token.isComment {
                for line in lines { commentLines.insert(line) }
            } else {
                for line in lines { codeLines.insert(line) }
                code.append(token)
            }
        }
        var depth = 0
        var openModule: Int?
        var index = 0
        while index < code.count {
            let token = code[index]
            switch token.kind {
            case .openBrace:
                depth += 1
                index += 1
            case .closeBrace:
                depth = max(0, depth - 1)
                if depth == 0 { openModule = nil }
                index += 1
            case .identifier where depth == 0:
                var labels: [String] = []
                var next = index + 1
                while next < code.count, code[next].kind == .identifier || (code[next].kind == .string && !code[next].isTemplate) {
                    labels.append(code[next].text)
                    next += 1
                }
                guard next < code.count, code[next].kind == .openBrace else {
                    index = next
                    continue
                }
                let kind = declarationKind(token.text, labels)
                if case .module = kind { openModule = declarations.count }
                if headers[token.line] == nil { headers[token.line] = declarations.count }
                declarations.append(Declaration(kind: kind, file: file, line: token.line, column: token.column))
                depth += 1
                index = next + 1
            case .identifier where depth == 1 && token.text == "source":
                if let module = openModule, index + 2 < code.count, code[index + 1].kind == .equals,
                   code[index + 2].kind == .string, !code[index + 2].isTemplate,
                   case .module(let name, nil) = declarations[module].kind {
                    let call = declarations[module]
                    declarations[module] = Declaration(kind: .module(name: name, source: code[index + 2].text),
                                                       file: call.file, line: call.line, column: call.column)
                }
                index += 1
            default:
                index += 1
            }
        }

        var comments: [SourceComment] = []
        for token in tokens where token.isComment {
            guard let body = migcheckCommentBody(token) else { continue }
            var target: Int? = headers[token.line]
            if target == nil, !codeLines.contains(token.line) {
                // Alone on its line: the block it stands above, past any other comment lines.
                var line = token.endLine + 1
                while commentLines.contains(line), !codeLines.contains(line) { line += 1 }
                target = headers[line]
            }
            comments.append(SourceComment(body: body, isBlockComment: token.kind == .blockComment, file: file,
                                          line: token.line, column: token.column, target: target.map { declarations[$0] }))
        }
        return (declarations, comments)
    }

    /// What a top-level block header declares: `resource "TYPE" "NAME"`, `data …`, `module "NAME"`, or another block.
    static func declarationKind(_ keyword: String, _ labels: [String]) -> Declaration.Kind {
        switch (keyword, labels.count) {
        case ("resource", 2): return .resource(mode: .managed, type: labels[0], name: labels[1])
        case ("data", 2): return .resource(mode: .data, type: labels[0], name: labels[1])
        case ("module", 1): return .module(name: labels[0], source: nil)
        default: return .other(keyword: keyword)
        }
    }

    /// The text of a comment that starts with `migcheck:` (any case), markers removed; nil for any other comment.
    static func migcheckCommentBody(_ token: HCLToken) -> String? {
        var body = Substring(token.text)
        if body.hasPrefix("#") {
            body = body.dropFirst()
        } else if body.hasPrefix("//") || body.hasPrefix("/*") {
            body = body.dropFirst(2)
            if token.kind == .blockComment, body.hasSuffix("*/") { body = body.dropLast(2) }
        }
        let trimmed = String(body).trimmedSpaces
        guard trimmed.lowercased().hasPrefix("migcheck:") else { return nil }
        return trimmed
    }

    /// `resource "aws_rds_cluster" "core" {` → ["resource", "aws_rds_cluster", "core"].
    package static func labels(_ line: String) -> [String] {
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
            if name.hasSuffix(".tf") || name.hasSuffix(".tf.json") { files.append(name) }
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
    package static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Joins and normalises `a/./b/../c` without touching the file system.
    static func join(_ base: String, _ relative: String) -> String {
        normalized(base.isEmpty || base == "." ? relative : base + "/" + relative)
    }

    package static func normalized(_ path: String) -> String {
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
