// `--output` files: checked against every input before anything is written, then written
// atomically (a temporary file renamed over the target once complete).
// The fuzz target compiles this file into one module with the library (Tests/Fuzz/run.sh).
import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules
import MigCheckReports

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file as the kernel knows it: the same device and inode for every name it has (a
/// relative or absolute path, a symbolic link, a hard link).
struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64

    init(_ status: stat) {
        device = UInt64(truncatingIfNeeded: status.st_dev)
        inode = UInt64(truncatingIfNeeded: status.st_ino)
    }
}

/// What a name leads to.
struct FileFacts {
    enum Kind { case missing, regular, directory, characterDevice, other }

    let kind: Kind
    let identity: FileIdentity?
    let permissions: mode_t

    static let missing = FileFacts(kind: .missing, identity: nil, permissions: 0)

    init(kind: Kind, identity: FileIdentity?, permissions: mode_t) {
        self.kind = kind
        self.identity = identity
        self.permissions = permissions
    }

    init(_ status: stat) {
        switch status.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFCHR: kind = .characterDevice
        default: kind = .other
        }
        identity = FileIdentity(status)
        permissions = status.st_mode & 0o777
    }

    /// `path` with symbolic links followed.
    static func of(_ path: String) -> FileFacts {
        var status = stat()
        return stat(path, &status) == 0 ? FileFacts(status) : .missing
    }

    /// An open descriptor (standard input or output).
    static func of(descriptor: Int32) -> FileFacts {
        var status = stat()
        return fstat(descriptor, &status) == 0 ? FileFacts(status) : .missing
    }

    static func isSymbolicLink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK
    }
}

enum FilePaths {
    /// The directory part and the last component: `a/b.json` → (`a`, `b.json`), `b.json` → (`.`, `b.json`).
    static func split(_ path: String) -> (directory: String, name: String) {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return (".", String(trimmed)) }
        let directory = trimmed[..<slash]
        return (directory.isEmpty ? "/" : String(directory), String(trimmed[trimmed.index(after: slash)...]))
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The absolute path `path` leads to with symbolic links resolved, also for a file that
    /// does not exist yet (its directory resolved), so that two names of one future file compare equal.
    static func resolved(_ path: String) -> String {
        if let real = realPath(path) { return real }
        let (directory, name) = split(path)
        if let realDirectory = realPath(directory) { return realDirectory == "/" ? "/" + name : realDirectory + "/" + name }
        guard !path.hasPrefix("/"), let cwd = getcwd(nil, 0) else { return path }
        defer { free(cwd) }
        return normalized(String(cString: cwd) + "/" + path)
    }

    /// `/a/./b/../c` → `/a/c`, lexically, for an absolute path whose directories do not exist.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == "..", !parts.isEmpty { parts.removeLast() } else if part != ".." { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }
}

/// A file the run reads, by every means of telling it apart.
struct InputFile {
    /// How an error names it: `the input plan.json`, `the policy migcheck.json`, `standard input (the input -)`.
    let description: String
    let identity: FileIdentity?
    let resolvedPath: String?
}

/// An `--output`, checked: where it goes and how it is written.
struct ReportTarget {
    enum Method {
        /// A regular file or a new one: written to a temporary file renamed over it.
        case replace
        /// A character device, a FIFO or a socket (`/dev/null`, `/dev/stderr`): written as it is;
        /// there is nothing to replace, and renaming over a device node would destroy it.
        case inPlace
    }

    let destination: ReportDestination
    let method: Method
    /// What the path leads to now, symbolic links followed.
    let facts: FileFacts
    let resolvedPath: String
    /// Why it cannot be written (a directory, a link), found before anything is written.
    var refusal: String?

    /// `--output json=p.json`, made visible.
    var flag: String { "--output \(destination.format.rawValue)=\(TextEscaping.visible(destination.path))" }
}

/// A refusal before anything is written: one line for standard error.
struct RefusedOutput: Diagnostic {
    let line: String

    var diagnosticLine: String { line }
}

enum ReportFiles {
    /// Checks one `--output` on its own: what is there now decides how it is written.
    ///
    /// A symbolic link to a regular file is refused, neither written through nor replaced:
    /// a checkout (a pull request's) can hold a link named like the report, and writing
    /// through it would overwrite whatever file it names with the CI user's rights, while
    /// replacing it would silently turn someone's link into a file. Pass the link's target
    /// instead. A link to a device or FIFO (`/dev/stderr`) is written through: nothing there
    /// can be replaced.
    static func target(_ destination: ReportDestination) -> ReportTarget {
        let path = destination.path
        let facts = FileFacts.of(path)
        var target = ReportTarget(destination: destination, method: .replace, facts: facts, resolvedPath: FilePaths.resolved(path))
        switch facts.kind {
        case .characterDevice, .other:
            target = ReportTarget(destination: destination, method: .inPlace, facts: facts, resolvedPath: target.resolvedPath)
        case .missing where FileFacts.isSymbolicLink(path):
            target.refusal = "it is a symbolic link to nothing; migcheck does not write reports through links"
        case .regular where FileFacts.isSymbolicLink(path), .directory where FileFacts.isSymbolicLink(path):
            let linked = FilePaths.realPath(path).map { " (to \(TextEscaping.visible($0)))" } ?? ""
            target.refusal = "it is a symbolic link\(linked); migcheck replaces reports atomically and does not write "
                + "through links: name the file itself"
        case .directory:
            target.refusal = "it is a directory"
        case .regular, .missing:
            let directory = FilePaths.split(path).directory
            var status = stat()
            if stat(directory, &status) != 0 {
                target.refusal = "\(TextEscaping.visible(directory)): \(errorText(errno))"
            } else if status.st_mode & S_IFMT != S_IFDIR {
                target.refusal = "\(TextEscaping.visible(directory)): \(errorText(ENOTDIR))"
            }
        }
        return target
    }

    /// Whether `target` is the file `input` names.
    static func same(_ target: ReportTarget, _ input: InputFile) -> Bool {
        // Writing a report to /dev/null or a terminal twice harms nothing.
        guard target.facts.kind != .characterDevice else { return false }
        if let output = target.facts.identity, let read = input.identity, output == read { return true }
        if let read = input.resolvedPath, read == target.resolvedPath { return true }
        return false
    }

    static func same(_ first: ReportTarget, _ second: ReportTarget) -> Bool {
        guard first.facts.kind != .characterDevice else { return false }
        if let one = first.facts.identity, let other = second.facts.identity, one == other { return true }
        return first.resolvedPath == second.resolvedPath
    }

    /// Refuses, before anything is written, an output that is one of the inputs (a plan, the
    /// policy, standard input, a file under `--source-dir`), another output or standard
    /// output: it would destroy what the run reads, or two reports would overwrite each other.
    static func check(_ outputs: [ReportDestination], inputs: [InputFile], sourceDirectory: String?) throws -> [ReportTarget] {
        let targets = outputs.map(target)
        let standardOutput = FileFacts.of(descriptor: STDOUT_FILENO)
        let standardOutputIdentity = standardOutput.kind == .regular ? standardOutput.identity : nil
        for (index, target) in targets.enumerated() {
            for input in inputs where same(target, input) {
                throw RefusedOutput(line: "migcheck: error: \(target.flag) would overwrite \(input.description); "
                    + "write the report elsewhere")
            }
            for earlier in targets[..<index] where same(earlier, target) {
                throw RefusedOutput(line: "migcheck: error: \(earlier.flag) and \(target.flag) name the same file; give each report its own")
            }
            if let standardOutputIdentity, target.facts.kind != .characterDevice, target.facts.identity == standardOutputIdentity {
                throw RefusedOutput(line: "migcheck: error: standard output and \(target.flag) are the same file; give each report its own")
            }
        }
        if let standardOutputIdentity, let input = inputs.first(where: { $0.identity == standardOutputIdentity }) {
            throw RefusedOutput(line: "migcheck: error: standard output is \(input.description); redirect it elsewhere")
        }
        // Only a file that exists can be one of the sources: walk them only then.
        let existing = targets.filter { $0.facts.kind != .missing && $0.facts.kind != .characterDevice }.compactMap { target in
            target.facts.identity.map { (target, $0) }
        }
        var sources: [FileIdentity: String] = [:]
        if let sourceDirectory, !existing.isEmpty || standardOutputIdentity != nil {
            guard let found = sourceFiles(under: sourceDirectory) else {
                throw RefusedOutput(line: "migcheck: error: --source-dir '\(TextEscaping.visible(sourceDirectory))' holds more than "
                    + "\(sourceWalkLimit) entries, too many to make sure no report overwrites a source: pass the Terraform root")
            }
            sources = found
        }
        for (target, identity) in existing {
            if let source = sources[identity] {
                throw RefusedOutput(line: "migcheck: error: \(target.flag) would overwrite the Terraform source \(TextEscaping.visible(source)) "
                    + "(--source-dir); write the report elsewhere")
            }
        }
        if let standardOutputIdentity, let source = sources[standardOutputIdentity] {
            throw RefusedOutput(line: "migcheck: error: standard output is the Terraform source \(TextEscaping.visible(source)) "
                + "(--source-dir); redirect it elsewhere")
        }
        if let refused = targets.first(where: { $0.refusal != nil }), let reason = refused.refusal {
            throw RefusedOutput(line: "\(TextEscaping.visible(refused.destination.path)): error: cannot write the "
                + "\(refused.destination.format.rawValue) report: \(reason)")
        }
        return targets
    }

    /// Every `.tf` and `.tf.json` file under `directory` at any depth, by identity (symbolic
    /// links to files followed, links to directories not: no cycles), plus those of the local
    /// module directories the source locator follows outside it: a superset of what
    /// `--source-dir` reads. Other files there (last run's report) are no input, and hidden
    /// directories (`.git`, `.terraform`) are skipped unless a module source names them.
    /// nil past `sourceWalkLimit` entries (`--source-dir /` would walk every file system).
    static func sourceFiles(under directory: String) -> [FileIdentity: String]? {
        var found: [FileIdentity: String] = [:]
        func note(_ path: String) {
            let facts = FileFacts.of(path)
            if facts.kind == .regular, let identity = facts.identity, found[identity] == nil { found[identity] = path }
        }
        var pending = [directory]
        var visited = 0
        while let current = pending.popLast() {
            for name in entries(of: current) {
                visited += 1
                if visited > sourceWalkLimit { return nil }
                let path = current == "/" ? "/" + name : current + "/" + name
                var status = stat()
                guard lstat(path, &status) == 0 else { continue }
                if status.st_mode & S_IFMT == S_IFDIR {
                    if !name.hasPrefix(".") { pending.append(path) }
                } else if isTerraformSource(name) {
                    note(path)
                }
            }
        }
        for module in TerraformSourceLocator.localModuleDirectories(from: directory).dropFirst() {
            for name in entries(of: module) where isTerraformSource(name) {
                note(module + "/" + name)
            }
        }
        return found
    }

    static let sourceWalkLimit = 200_000

    static func isTerraformSource(_ name: String) -> Bool {
        name.hasSuffix(".tf") || name.hasSuffix(".tf.json")
    }

    /// The names in a directory, without `.` and `..`; none when it cannot be read.
    static func entries(of directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
                String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Writes a report; nil on success, else the reason. `.replace` writes a temporary file
    /// beside the target (`.NAME.migcheck-PID-N.tmp`, created exclusively), syncs and closes
    /// it, and only then renames it over the target: a failed run leaves the previous report
    /// as it was, never a cut one, and removes its temporary file.
    static func write(_ text: String, to target: ReportTarget, sequence: inout Int) -> String? {
        let bytes = Array(text.utf8)
        let path = target.destination.path
        switch target.method {
        case .inPlace:
            let descriptor = open(path, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return errorText(errno) }
            if let failure = writeAll(bytes, to: descriptor) {
                _ = closeDescriptor(descriptor)
                return errorText(failure)
            }
            if closeDescriptor(descriptor) != 0, errno != EINTR { return errorText(errno) }
            return nil
        case .replace:
            let (directory, name) = FilePaths.split(path)
            var descriptor: Int32 = -1
            var temporary = ""
            // Bounded retries: a name left by another run with the same PID is skipped.
            for _ in 0..<100 {
                sequence += 1
                temporary = (directory == "/" ? "/" : directory + "/") + ".\(shortened(name)).migcheck-\(getpid())-\(sequence).tmp"
                // 0666 less the umask: the mode any new file gets.
                descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
                if descriptor >= 0 || errno != EEXIST { break }
            }
            guard descriptor >= 0 else { return errorText(errno) }
            func abandon(_ code: Int32) -> String {
                _ = closeDescriptor(descriptor)
                unlink(temporary)
                return errorText(code)
            }
            // Replacing a report keeps its permissions, as overwriting it in place would.
            if target.facts.kind == .regular, fchmod(descriptor, target.facts.permissions) != 0 { return abandon(errno) }
            if let failure = writeAll(bytes, to: descriptor) { return abandon(failure) }
            if fsync(descriptor) != 0 { return abandon(errno) }
            if closeDescriptor(descriptor) != 0, errno != EINTR {
                let failure = errno
                unlink(temporary)
                return errorText(failure)
            }
            if rename(temporary, path) != 0 {
                let failure = errno
                unlink(temporary)
                return errorText(failure)
            }
            return nil
        }
    }

    /// A file name cut to 200 UTF-8 bytes on a character boundary, so that the temporary
    /// name stays under the usual 255-byte limit.
    static func shortened(_ name: String) -> String {
        guard name.utf8.count > 200 else { return name }
        var out = ""
        var used = 0
        for scalar in name.unicodeScalars {
            let width = String(scalar).utf8.count
            if used + width > 200 { break }
            out.unicodeScalars.append(scalar)
            used += width
        }
        return out
    }
}
