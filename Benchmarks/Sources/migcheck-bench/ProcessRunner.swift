#if canImport(Glibc)
import Glibc
#endif

/// How a measured child process ended.
enum Outcome: Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)
    case spawnFailed(Int32)

    var description: String {
        switch self {
        case .exited(let status): return "exit status \(status)"
        case .signaled(let signal) where signal == SIGKILL:
            return "killed by signal \(signal) (out of memory? see --skip-baseline-above)"
        case .signaled(let signal): return "killed by signal \(signal)"
        case .spawnFailed(let error): return "could not start (\(String(cString: strerror(error))))"
        }
    }
}

struct Measurement {
    let wallSeconds: Double
    /// Peak resident set size of the child, in bytes (`ru_maxrss` is KiB on Linux).
    let peakRSSBytes: Int
    let outcome: Outcome
}

/// Runs programs with posix_spawn + wait4: no helper threads or pipes like
/// Foundation's Process, and wait4 hands back the child's own rusage.
enum ProcessRunner {
    /// `environment` adds `NAME=value` entries to this process's environment for the child.
    static func run(_ executable: String, _ arguments: [String], silenceOutput: Bool = true,
                    environment: [String] = []) -> Measurement {
        // glibc's posix_spawn uses vfork, and Linux folds the *parent's* RSS
        // high-water mark into the child's ru_maxrss at exec. Resetting our own
        // mark first makes the floor our current RSS, not our historic peak.
        resetOwnPeakRSS()

        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        if silenceOutput {
            posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&fileActions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&fileActions, 2, "/dev/null", O_WRONLY, 0)
        }

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var inherited: [UnsafeMutablePointer<CChar>?] = []
        var entry = environ
        while let variable = entry.pointee {
            inherited.append(variable)
            entry += 1
        }
        let added: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) }
        defer { added.forEach { free($0) } }
        let envp = added + inherited + [nil]

        var pid = pid_t()
        let start = Clock.now()
        let spawnError = posix_spawn(&pid, executable, &fileActions, nil, argv, envp)
        guard spawnError == 0 else {
            return Measurement(wallSeconds: 0, peakRSSBytes: 0, outcome: .spawnFailed(spawnError))
        }

        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 {
            guard errno == EINTR else {
                return Measurement(wallSeconds: Clock.now() - start, peakRSSBytes: 0, outcome: .spawnFailed(errno))
            }
        }
        let wall = Clock.now() - start

        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift cannot import.
        let signal = status & 0x7F
        let outcome: Outcome = signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
        return Measurement(wallSeconds: wall, peakRSSBytes: Int(usage.ru_maxrss) * 1024, outcome: outcome)
    }

    /// The smallest ru_maxrss any child can report from this process right
    /// now (see `run`), measured with a program that itself uses ~1 MB.
    static func rssFloorBytes() -> Int? {
        for candidate in ["/bin/true", "/usr/bin/true"] where access(candidate, X_OK) == 0 {
            let measurement = run(candidate, [])
            if measurement.outcome == .exited(0) { return measurement.peakRSSBytes }
        }
        return nil
    }

    /// Best effort: writing "5" to clear_refs resets VmHWM (Linux >= 4.0).
    private static func resetOwnPeakRSS() {
        let descriptor = open("/proc/self/clear_refs", O_WRONLY)
        guard descriptor >= 0 else { return }
        _ = write(descriptor, "5", 1)
        close(descriptor)
    }

    /// Absolute path of the running executable (CommandLine.arguments[0] may
    /// be relative or a bare name found via PATH).
    static func currentExecutablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if length > 0 {
            return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        guard let first = CommandLine.arguments.first, first.contains("/") else { return nil }
        return first
    }

    /// Reads a file once so timed runs hit the page cache, not the disk.
    static func warmPageCache(_ path: String) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while buffer.withUnsafeMutableBytes({ read(descriptor, $0.baseAddress, $0.count) }) > 0 {}
    }
}
