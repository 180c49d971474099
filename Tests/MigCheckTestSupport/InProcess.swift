import Foundation
import MigCheckCLI

/// The command line in this process: `run(arguments:environment:console:)` with standard
/// output and error captured, for arguments, exit codes and the diagnostic lines. Field
/// names as `MigCheckBinary.Result`, so a test reads the same either way.
enum InProcess {
    struct Result {
        let exitCode: ExitCode
        let stdout: String
        let stderr: String

        var status: Int32 { exitCode.rawValue }
        /// Standard error's lines, each ended by its line break (an unterminated last line is dropped).
        var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast() }
    }

    private final class Capture {
        var output = ""
        var error = ""
    }

    /// Runs the command line once. `terminal` is what standard output claims to be;
    /// `outputFailure` is the errno every write to standard output fails with.
    static func run(_ arguments: [String], environment: [String: String] = [:], terminal: Bool = false,
                    outputFailure: Int32? = nil) -> Result {
        let capture = Capture()
        let console = Console(writeOutput: { text in
                                  if let outputFailure { return outputFailure }
                                  capture.output += text
                                  return nil
                              },
                              writeError: { capture.error += $0 },
                              isTerminal: { terminal })
        let status = MigCheckCLI.run(arguments: arguments, environment: environment, console: console)
        return Result(exitCode: status, stdout: capture.output, stderr: capture.error)
    }

    /// Several runs, one after the other (the in-process counterpart of `MigCheckBinary.runAll`).
    static func runAll(_ invocations: [[String]]) -> [Result] {
        invocations.map { run($0) }
    }
}
