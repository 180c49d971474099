// The command line: arguments, files, streams and exit codes. `Sources/migcheck/main.swift`
// only calls `run(arguments:environment:)`; tests call `run(arguments:environment:console:)`.
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

/// One run of migcheck as the process runs it: `arguments` without the program name,
/// `environment` the process's (NO_COLOR). Prepares the process's standard streams, writes the
/// reports to standard output and each error as one line on standard error.
public func run(arguments: [String], environment: [String: String]) -> ExitCode {
    prepareStandardStreams()
    return run(arguments: arguments, environment: environment, console: .standard)
}

/// The process's run: its own arguments (one that is not UTF-8 is exit 2, naming it) and environment.
public func runProcess() -> ExitCode {
    switch ProcessArguments.current() {
    case .success(let arguments):
        return run(arguments: arguments, environment: ProcessEnvironment.current())
    case .failure(let notUTF8):
        prepareStandardStreams()
        Console.standard.writeError(notUTF8.line + "\n")
        return .badInput
    }
}

/// One run, writing through `console` (a test's capture, or the process's streams).
public func run(arguments: [String], environment: [String: String], console: Console) -> ExitCode {
    var invocation = Invocation(console: console, environment: environment)
    return invocation.run(arguments)
}

/// The state of one run: where it writes, and what it has written.
struct Invocation {
    let console: Console
    let environment: [String: String]
    var standardOutput: StandardOutput

    init(console: Console, environment: [String: String]) {
        self.console = console
        self.environment = environment
        self.standardOutput = StandardOutput(console: console)
    }

    /// One error or note on standard error, always exactly one line (see `ErrorLine.oneLine`).
    func writeError(_ line: String) {
        console.writeError(ErrorLine.oneLine(line) + "\n")
    }

    /// The one place a diagnostic is printed: its line, or for an error that is no
    /// `Diagnostic` (none is expected), `SUBJECT: error: …` about what was being read.
    func report(_ error: Error, about subject: String = "migcheck") {
        if let diagnostic = error as? any Diagnostic {
            writeError(diagnostic.diagnosticLine)
        } else {
            writeError(GeneralDiagnostic(subject: subject, message: "\(error)").diagnosticLine)
        }
    }

    /// NO_COLOR set at all, even empty, turns colour off (as the issue asks; no-color.org counts
    /// only a non-empty value, but an empty one is as clear a request).
    var style: TextStyle {
        TextStyle(colour: environment["NO_COLOR"] == nil && console.isTerminal())
    }

    /// Closes standard output, checked; a failure to write it turns the run's status into 2.
    mutating func finish(_ status: ExitCode) -> ExitCode {
        standardOutput.close()
        guard let failure = standardOutput.failure else { return status }
        report(GeneralDiagnostic(message: failure))
        return .badInput
    }

    mutating func run(_ arguments: [String]) -> ExitCode {
        let options: Options
        do {
            switch try parseArguments(arguments) {
            case .show(let text):
                standardOutput.write(text)
                return finish(.clean)
            case .run(let parsed):
                options = parsed
            }
        } catch {
            report(error)
            return .badInput
        }
        switch options.command {
        case .rules, .explain, .defaultPolicy, .completions, .man:
            return runCatalog(options)
        case .check, .topology, .summary:
            return runDocuments(options)
        case .ready, .collect:
            return runReadiness(options)  // ReadinessCommand.swift
        }
    }
}
