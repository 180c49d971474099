// Standard output and standard error, written with checked write(2) calls: stdio's buffer
// would be flushed by `exit`, which drops its errors (a full disk, a closed pipe) and so
// turns a cut report into exit 0.
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

/// Writes every byte of `bytes` to `descriptor`; nil on success, else the errno of the
/// failure. write(2) may write part of the buffer (a pipe, a signal) or be interrupted
/// before writing anything (EINTR): both go on where they stopped.
func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
    var offset = 0
    while offset < bytes.count {
        var failure: Int32 = 0
        let written = bytes.withUnsafeBytes { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            let result = write(descriptor, base + offset, buffer.count - offset)
            if result < 0 { failure = errno }
            return result
        }
        if written < 0 {
            if failure == EINTR { continue }
            return failure
        }
        // write(2) returns 0 only for a count of 0; anything else would loop for ever.
        guard written > 0 else { return EIO }
        offset += written
    }
    return nil
}

/// close(2), by a name that a type's own `close` does not hide.
func closeDescriptor(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}

func errorText(_ code: Int32) -> String {
    String(cString: strerror(code))
}

/// Where a run writes: the process's standard output and error (`Console.standard`), or a
/// test's capture. Standard output may fail (a full disk, a closed pipe); standard error has
/// nowhere to report a failure, so the exit code alone says it.
public struct Console {
    /// Writes to standard output: nil, or the errno of the failure.
    public var writeOutput: (String) -> Int32?
    /// Closes standard output when the run is done: nil, or the errno of a failure that lost output.
    public var closeOutput: () -> Int32?
    /// Writes one line, its line break included, to standard error.
    public var writeError: (String) -> Void
    /// Whether standard output is a terminal (colour is used only there).
    public var isTerminal: () -> Bool

    public init(writeOutput: @escaping (String) -> Int32?, closeOutput: @escaping () -> Int32? = { nil },
                writeError: @escaping (String) -> Void, isTerminal: @escaping () -> Bool = { false }) {
        self.writeOutput = writeOutput
        self.closeOutput = closeOutput
        self.writeError = writeError
        self.isTerminal = isTerminal
    }

    /// The process's descriptors 1 and 2, written with checked write(2) calls.
    public static var standard: Console {
        Console(writeOutput: { writeAll(Array($0.utf8), to: STDOUT_FILENO) },
                closeOutput: {
                    // Some file systems (NFS) report a failed write only on close. Linux releases
                    // the descriptor even when close is interrupted: EINTR is no failure.
                    if closeDescriptor(STDOUT_FILENO) != 0, errno != EINTR, errno != EBADF { return errno }
                    return nil
                },
                writeError: { _ = writeAll(Array($0.utf8), to: STDERR_FILENO) },
                isTerminal: { isatty(STDOUT_FILENO) == 1 })
    }
}

/// Standard output. The first failure is kept (and nothing more is written) so the run
/// reports it once, as one line, and exits 2.
struct StandardOutput {
    let console: Console
    private(set) var failure: String?

    init(console: Console) {
        self.console = console
    }

    mutating func write(_ text: String) {
        guard failure == nil else { return }
        if let code = console.writeOutput(text) {
            failure = "cannot write standard output: \(errorText(code))"
        }
    }

    /// Closes standard output and checks it. Nothing is written to it afterwards.
    mutating func close() {
        guard failure == nil else { return }
        if let code = console.closeOutput() {
            failure = "cannot write standard output: \(errorText(code))"
        }
    }
}

/// Signals and descriptors the checked writes depend on: SIGPIPE ignored, so that a reader
/// that went away is EPIPE, reported, instead of a silent death; descriptors 0, 1 and 2
/// open, because a closed one would be reused by the next open and the report would go
/// into a plan or a report file. A closed standard output becomes /dev/null opened
/// read-only, so that writing the report fails (EBADF) and is reported.
func prepareStandardStreams() {
    signal(SIGPIPE, SIG_IGN)
    for (descriptor, flags) in [(STDIN_FILENO, O_RDONLY), (STDOUT_FILENO, O_RDONLY), (STDERR_FILENO, O_WRONLY)]
    where fcntl(descriptor, F_GETFD) == -1 {
        let opened = open("/dev/null", flags)
        if opened >= 0, opened != descriptor {
            dup2(opened, descriptor)
            _ = closeDescriptor(opened)
        }
    }
}
