// What a run needs of the process: the files it reads (for the output checks), a guard against
// a file truncated while mapped, the clock, and the environment.
import MigCheckFoundation
import MigCheckReading
import MigCheckRules

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The files a run reads, for the check that no `--output` replaces one of them.
func inputFiles(_ options: Options, policyPath: String?) -> [InputFile] {
    var inputs: [InputFile] = []
    for file in options.files {
        if file == "-" {
            let facts = FileFacts.of(descriptor: STDIN_FILENO)
            inputs.append(InputFile(description: "standard input (the input -)", identity: facts.identity, resolvedPath: nil))
        } else {
            inputs.append(InputFile(description: "the input \(TextEscaping.visible(file))", identity: FileFacts.of(file).identity,
                                    resolvedPath: FilePaths.resolved(file)))
        }
    }
    if let policyPath {
        inputs.append(InputFile(description: "the policy \(TextEscaping.visible(policyPath))", identity: FileFacts.of(policyPath).identity,
                                resolvedPath: FilePaths.resolved(policyPath)))
    }
    return inputs
}

func fileExists(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0
}

/// A mapped file that shrinks while it is read (another process truncates it) makes the
/// kernel send SIGBUS. The handler turns that into the usual one-line error and exit 2; it
/// only calls `write` and `_exit`, which are safe in a signal handler.
var truncationMessage: UnsafeMutablePointer<CChar>?
var truncationMessageLength = 0

func guardAgainstTruncation(of file: String) {
    let error = InputError(file: file, position: SourcePosition(line: 1, column: 1),
                           message: "the file changed while it was being read (truncated by another process?); "
                               + "write it completely, then run migcheck again")
    let text = ErrorLine.oneLine(error.diagnosticLine) + "\n"
    truncationMessage?.deallocate()
    let bytes = Array(text.utf8CString)
    let message = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
    message.initialize(from: bytes, count: bytes.count)
    truncationMessage = message
    truncationMessageLength = bytes.count - 1
    signal(SIGBUS) { _ in
        if let message = truncationMessage { _ = write(STDERR_FILENO, message, truncationMessageLength) }
        _exit(ExitCode.badInput.rawValue)
    }
}

/// What the run built stays here until exit: the process ends anyway, so freeing a large
/// plan's model object by object would only add time.
var keptUntilExit: [Evaluation] = []

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// The variables migcheck reads from the process's environment, for `run(arguments:environment:)`:
/// through getenv(3), which every C library has (`environ` is not declared on Darwin).
public enum ProcessEnvironment {
    /// Every variable that changes what a run does.
    public static let names = ["NO_COLOR"]

    public static func current() -> [String: String] {
        var result: [String: String] = [:]
        for name in names {
            if let value = getenv(name) { result[name] = String(cString: value) }
        }
        return result
    }
}

/// The process's arguments, byte for byte. `CommandLine.arguments` repairs bytes that are not
/// UTF-8 into U+FFFD, which names another file ("no such file" for one that exists): such an
/// argument is refused with its position and bytes instead.
public enum ProcessArguments {
    public struct NotUTF8: Error {
        public let position: Int
        public let bytes: [UInt8]

        /// The bytes as printable ASCII, everything else (and the backslash) as `\xNN`.
        public var line: String {
            let shown = bytes.map { byte in
                (0x20..<0x7F).contains(byte) && byte != UInt8(ascii: "\\") ? String(UnicodeScalar(byte))
                    : "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }.joined()
            return "migcheck: error: argument \(position) is not UTF-8 (\(shown)): migcheck takes file names and values "
                + "spelled in UTF-8; rename the file, or pass a link to it whose name is"
        }
    }

    /// The arguments after the program's name, or the first that is not UTF-8.
    public static func current() -> Result<[String], NotUTF8> {
        var arguments: [String] = []
        // dropFirst, not 1..<argc: a process may be started with no argv at all.
        for index in (0..<Int(CommandLine.argc)).dropFirst() {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self),
                                                  count: strlen(pointer)))
            let text = String(decoding: bytes, as: UTF8.self)
            guard text.utf8.elementsEqual(bytes) else { return .failure(NotUTF8(position: index, bytes: bytes)) }
            arguments.append(text)
        }
        return .success(arguments)
    }
}
