// The command line: arguments, files, streams and exit codes; `Sources/migcheck/main.swift` only calls `run`.
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

/// The process's exit status: 0 clean, 1 findings at or above --fail-on, 2 bad input or usage.
public struct ExitCode: RawRepresentable, Equatable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let clean = ExitCode(rawValue: 0)
    public static let findings = ExitCode(rawValue: 1)
    public static let badInput = ExitCode(rawValue: 2)

    public var description: String { String(rawValue) }
}

let usage = """
USAGE: migcheck [check] [OPTIONS] FILE...
       migcheck topology [OPTIONS] FILE...
       migcheck summary [--input KIND] [--all] FILE...
       migcheck rules [--format markdown] [--markdown-dir DIR]
       migcheck explain RULE [--format markdown]
       migcheck default-policy

Checks a Terraform plan (or state) of an Aurora PostgreSQL to Aurora migration with AWS DMS
against the invariants of its runbook phase, before `terraform apply` runs it.

ARGUMENTS:
  FILE                    The JSON of `terraform show -json tfplan` (a plan), of `terraform show -json`
                          (a state), or a raw terraform.tfstate. `-` reads standard input.

SUBCOMMANDS:
  check                   (default) Run the rules of the phase and report the findings.
  topology                Print the migration's picture: source, target, instances, parameter groups,
                          secrets and DMS, and why each cluster got its role.
  summary                 Print what was read: document kind, versions, resource instances by action.
  rules                   List the rules (--format markdown: the index of the rule pages).
  explain RULE            Show one rule (e.g. MIG006) with its rationale, runbook step and an example
                          (--format markdown: its page, as in docs/rules/).
  default-policy          Print the built-in policy (the same as Policies/migcheck.json).

OPTIONS:
  --phase <phase>         prepare, full-load, cutover or cleanup. Default: the policy's, else inferred
                          from the plan (the report says why).
  --source <address>      The source cluster, e.g. aws_rds_cluster.legacy. Default: inferred.
  --target <address>      The target cluster. Default: inferred.
  --policy <file>         Policy file. Default: ./migcheck.json when present, else the built-in policy.
  --fail-on <level>       error (default), warning or never: the lowest severity that exits 1.
  --format <format>       What goes to standard output: text (default), json, sarif, junit, github, markdown.
  --output <format>=<path>
                          Also write a report to a file; repeat for several (e.g. --output sarif=migcheck.sarif).
  --sarif-category <id>   The SARIF runs' automationDetails.id, e.g. migcheck-production (one code scanning
                          category per environment). Default: migcheck/<phase>/<file>/.
  --source-dir <dir>      Point findings at the .tf file and line that declares each resource (local module
                          sources followed); paths are reported as DIR/…, so pass DIR relative to the repository root.
  --input <kind>          Require FILE to be a plan, state or tfstate (detected otherwise); another kind is an
                          error that says how to write the one required.
  --rules-url <url>       Base https URL of the rule pages that SARIF's helpUri and explain link to, for a fork.
                          Default: \(MigCheckVersion.rulesURL).
  --markdown-dir <dir>    (rules) Write the rule pages (README.md and one MIGnnn.md per rule) into DIR,
                          e.g. docs/rules.
  --all                   (summary) List every resource instance, not just the first \(ReadSummary.listLimit) per action.
  --version               Show the version.
  -h, --help              Show this help.

EXAMPLES:
  terraform plan -out tfplan && terraform show -json tfplan > plan.json
  migcheck plan.json
  migcheck --phase cutover --fail-on warning plan.json
  migcheck --format sarif --output junit=migcheck.xml --source-dir infra plan.json > migcheck.sarif
  migcheck --source aws_rds_cluster.legacy --target aws_rds_cluster.primary plan.json
  terraform show -json | migcheck --input state -
  migcheck topology plan.json
  migcheck explain MIG006

EXIT STATUS:
  0  clean (no finding at or above --fail-on)
  1  findings at or above --fail-on; unverified findings count as warnings unless the policy says otherwise
  2  bad input or usage: one line on standard error names the file, line:column and what was expected;
     also an --output that is an input or another output (refused before anything is written), and a
     failed write (a report file is replaced only once complete)

ENVIRONMENT:
  NO_COLOR                Set, to any value or none, to turn colour off (colour is used only on a terminal).
"""

enum Command: String {
    case check, topology, summary, rules, explain
    case defaultPolicy = "default-policy"
}

struct Options {
    var command = Command.check
    var files: [String] = []
    var input: DocumentKind?
    var phase: Phase?
    var source: String?
    var target: String?
    var policyPath: String?
    var failOn = FailThreshold.error
    var listAll = false
    var format = ReportFormat.text
    var outputs: [ReportDestination] = []
    var sourceDirectory: String?
    var sarifCategory: String?
    var rulesURL: String?
    var markdownDirectory: String?
}

struct UsageError: Error {
    let message: String
}

/// What the arguments ask for: a run, or a text to show (help, version).
enum ParsedArguments {
    case run(Options)
    case show(String)
}

/// The flags that take one value: a second one is a usage error, not a silent override
/// (`--fail-on warning … --fail-on never` appended by a wrapper script).
let singleValueFlags: Set<String> = ["--input", "--phase", "--source", "--target", "--policy", "--fail-on", "--format",
                                     "--sarif-category", "--source-dir", "--rules-url", "--markdown-dir"]

func parseArguments(_ arguments: [String]) throws -> ParsedArguments {
    var options = Options()
    var index = 0
    var onlyFiles = false
    var flagsSeen = Set<String>()
    if arguments.first == "help" { return .show(usage + "\n") }
    if let first = arguments.first, let command = Command(rawValue: first) {
        options.command = command
        index = 1
    }
    func value(for flag: String, _ argument: String) throws -> String {
        if singleValueFlags.contains(flag), !flagsSeen.insert(flag).inserted {
            throw UsageError(message: "\(flag) given twice; it takes one value")
        }
        if let equals = argument.firstIndex(of: "=") { return String(argument[argument.index(after: equals)...]) }
        index += 1
        guard index < arguments.count else { throw UsageError(message: "\(flag) needs a value") }
        return arguments[index]
    }
    while index < arguments.count {
        let argument = arguments[index]
        let flag = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
        if onlyFiles || argument == "-" || !argument.hasPrefix("-") {
            options.files.append(argument)
        } else if argument == "--" {
            onlyFiles = true
        } else if argument == "-h" || argument == "--help" {
            return .show(usage + "\n")
        } else if argument == "--version" {
            return .show("migcheck \(MigCheckVersion.current)\n")
        } else if argument == "--all" {
            options.listAll = true
        } else if flag == "--input" {
            let text = try value(for: flag, argument)
            guard let kind = DocumentKind(rawValue: text) else {
                throw UsageError(message: "--input: expected plan, state or tfstate, found '\(ErrorLine.visible(text))'")
            }
            options.input = kind
        } else if flag == "--phase" {
            let text = try value(for: flag, argument)
            guard let phase = Phase(rawValue: text) else {
                throw UsageError(message: "--phase: expected prepare, full-load, cutover or cleanup, found '\(ErrorLine.visible(text))'")
            }
            options.phase = phase
        } else if flag == "--source" {
            options.source = try value(for: flag, argument)
        } else if flag == "--target" {
            options.target = try value(for: flag, argument)
        } else if flag == "--policy" {
            options.policyPath = try value(for: flag, argument)
        } else if flag == "--fail-on" {
            let text = try value(for: flag, argument)
            guard let level = FailThreshold(rawValue: text) else {
                throw UsageError(message: "--fail-on: expected error, warning or never, found '\(ErrorLine.visible(text))'")
            }
            options.failOn = level
        } else if flag == "--format" {
            let text = try value(for: flag, argument)
            guard let format = ReportFormat(rawValue: text) else {
                throw UsageError(message: "--format: expected one of \(ReportFormat.names), found '\(ErrorLine.visible(text))'")
            }
            options.format = format
        } else if flag == "--output" {
            let parsed = ReportDestination.parse(try value(for: flag, argument))
            guard let destination = parsed.destination else { throw UsageError(message: parsed.error ?? "--output: expected FORMAT=PATH") }
            options.outputs.append(destination)
        } else if flag == "--sarif-category" {
            let text = try value(for: flag, argument)
            guard !text.isEmpty, !text.contains(where: { $0.isWhitespace }) else {
                throw UsageError(message: "--sarif-category: expected an identifier such as migcheck-production, found '\(ErrorLine.visible(text))'")
            }
            options.sarifCategory = text
        } else if flag == "--rules-url" {
            let parsed = RuleDocs.parseBaseURL(try value(for: flag, argument))
            guard let url = parsed.url else { throw UsageError(message: parsed.error ?? "--rules-url: expected an https URL") }
            options.rulesURL = url
        } else if flag == "--markdown-dir" {
            options.markdownDirectory = try value(for: flag, argument)
        } else if flag == "--source-dir" {
            options.sourceDirectory = try value(for: flag, argument)
        } else {
            throw UsageError(message: "unknown option '\(ErrorLine.visible(argument))' (see migcheck --help)")
        }
        index += 1
    }
    if options.command == .rules || options.command == .explain, options.format != .text, options.format != .markdown {
        throw UsageError(message: "\(options.command.rawValue) prints text or markdown, not \(options.format.rawValue)")
    }
    if options.markdownDirectory != nil, options.command != .rules {
        throw UsageError(message: "--markdown-dir goes with the rules command: migcheck rules --markdown-dir docs/rules")
    }
    switch options.command {
    case .rules, .defaultPolicy:
        guard options.files.isEmpty else { throw UsageError(message: "\(options.command.rawValue) takes no FILE") }
    case .explain:
        guard options.files.count == 1 else { throw UsageError(message: "explain needs one rule ID, e.g. migcheck explain MIG006") }
    default:
        guard !options.files.isEmpty else { throw UsageError(message: "missing FILE (see migcheck --help)") }
        // A second `-` would find standard input already read to its end.
        guard options.files.filter({ $0 == "-" }).count <= 1 else {
            throw UsageError(message: "standard input ('-') can be read only once")
        }
        if let directory = options.sourceDirectory {
            let facts = FileFacts.of(directory)
            guard facts.kind == .directory else {
                let reason = facts.kind == .missing ? "no such directory" : "not a directory"
                throw UsageError(message: "--source-dir '\(ErrorLine.visible(directory))': \(reason)")
            }
        }
    }
    return .run(options)
}

/// NO_COLOR set at all, even empty, turns colour off (as the issue asks; no-color.org counts
/// only a non-empty value, but an empty one is as clear a request).
func useColour(_ environment: [String: String]) -> Bool {
    if environment["NO_COLOR"] != nil { return false }
    return isatty(STDOUT_FILENO) == 1
}

/// The files a run reads, for the check that no `--output` replaces one of them.
func inputFiles(_ options: Options, policyPath: String?) -> [InputFile] {
    var inputs: [InputFile] = []
    for file in options.files {
        if file == "-" {
            let facts = FileFacts.of(descriptor: STDIN_FILENO)
            inputs.append(InputFile(description: "standard input (the input -)", identity: facts.identity, resolvedPath: nil))
        } else {
            inputs.append(InputFile(description: "the input \(ErrorLine.visible(file))", identity: FileFacts.of(file).identity,
                                    resolvedPath: FilePaths.resolved(file)))
        }
    }
    if let policyPath {
        inputs.append(InputFile(description: "the policy \(ErrorLine.visible(policyPath))", identity: FileFacts.of(policyPath).identity,
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
    let text = ErrorLine.oneLine(error.description) + "\n"
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

/// Closes standard output, checked; a failure to write it turns the run's status into 2.
func finish(_ standardOutput: inout StandardOutput, _ status: ExitCode) -> ExitCode {
    standardOutput.close()
    guard let failure = standardOutput.failure else { return status }
    writeError("migcheck: error: \(failure)")
    return ExitCode.badInput
}

/// One run of migcheck: `arguments` without the program name; `environment` as the process's
/// (NO_COLOR). Writes the reports to standard output and each error as one line on standard error.
public func run(arguments: [String], environment: [String: String]) -> ExitCode {
    prepareStandardStreams()
    var standardOutput = StandardOutput()
    let options: Options
    do {
        switch try parseArguments(arguments) {
        case .show(let text):
            standardOutput.write(text)
            return finish(&standardOutput, ExitCode.clean)
        case .run(let parsed):
            options = parsed
        }
    } catch let error as UsageError {
        writeError("migcheck: error: \(error.message)")
        return ExitCode.badInput
    } catch {
        writeError("migcheck: error: \(error)")
        return ExitCode.badInput
    }
    let style = TextStyle(colour: useColour(environment))

    switch options.command {
    case .rules:
        if let directory = options.markdownDirectory {
            if mkdir(directory, 0o755) != 0, errno != EEXIST {
                writeError("\(ErrorLine.visible(directory)): error: cannot create the directory: \(errorText(errno))")
                return ExitCode.badInput
            }
            var temporaryFileNumber = 0
            for page in RuleDocs.pages() {
                let target = ReportFiles.target(ReportDestination(format: .markdown, path: directory + "/" + page.name))
                let problem = target.refusal ?? ReportFiles.write(page.text, to: target, sequence: &temporaryFileNumber)
                if let problem {
                    writeError("\(ErrorLine.visible(directory + "/" + page.name)): error: cannot write the rule page: \(problem)")
                    return ExitCode.badInput
                }
            }
            return finish(&standardOutput, ExitCode.clean)
        }
        standardOutput.write(options.format == .markdown ? RuleDocs.index() : RuleCatalogReport.list(style: style) + "\n")
        return finish(&standardOutput, ExitCode.clean)
    case .explain:
        let id = options.files.first ?? ""
        guard let rule = RuleRegistry.description(id: id) else {
            writeError("migcheck: error: no rule '\(ErrorLine.visible(id))' (see migcheck rules)")
            return ExitCode.badInput
        }
        if options.format == .markdown {
            standardOutput.write(RuleDocs.page(rule))
        } else {
            standardOutput.write(RuleCatalogReport.explain(rule, style: style, rulesURL: options.rulesURL ?? MigCheckVersion.rulesURL) + "\n")
        }
        return finish(&standardOutput, ExitCode.clean)
    case .defaultPolicy:
        standardOutput.write(Policy.builtInDefault.fileText)
        return finish(&standardOutput, ExitCode.clean)
    default:
        break
    }

    var policy = Policy.builtInDefault
    var policyProvenance = PolicyProvenance.builtIn
    let policyPath = options.policyPath ?? (fileExists(PolicyReader.defaultFileName) ? PolicyReader.defaultFileName : nil)
    let targets: [ReportTarget]
    do {
        // Before anything is read or written: a refused output leaves every file as it was.
        targets = try ReportFiles.check(options.command == .check ? options.outputs : [],
                                        inputs: inputFiles(options, policyPath: policyPath),
                                        sourceDirectory: options.command == .check ? options.sourceDirectory : nil)
    } catch let refusal as RefusedOutput {
        writeError(refusal.line)
        return ExitCode.badInput
    } catch {
        writeError("migcheck: error: \(error)")
        return ExitCode.badInput
    }
    if let policyPath {
        do {
            (policy, policyProvenance) = try PolicyReader.readRecording(path: policyPath,
                                                                        origin: options.policyPath == nil ? .workingDirectory : .flag)
        } catch let error as InputError {
            writeError(error.description)
            return ExitCode.badInput
        } catch {
            writeError("\(policyPath): error: \(error)")
            return ExitCode.badInput
        }
    }

    var reports: [String] = []
    var evaluations: [Evaluation] = []
    var durations: [Double] = []
    var status = ExitCode.clean
    for file in options.files {
        do {
            let started = monotonicSeconds()
            guardAgainstTruncation(of: file)
            let documents = try TerraformReader.read(path: file, expecting: options.input)
            var noted = Set<String>()
            for document in documents {
                for note in document.notes where noted.insert(note).inserted {
                    writeError("migcheck: note: \(note)")
                }
                if options.command == .summary {
                    reports.append(ReadSummary.render(document, style: style, listAll: options.listAll))
                    continue
                }
                let picture = try PictureBuilder.build(document, source: options.source, target: options.target, policy: policy)
                if options.command == .topology {
                    reports.append(TopologyReport.render(picture, style: style))
                    continue
                }
                var evaluation = Evaluator.evaluate(picture, phase: options.phase, policy: policy)
                if let directory = options.sourceDirectory {
                    let locator = TerraformSourceLocator(root: directory, configuration: picture.document.configuration)
                    evaluation = evaluation.locatingSources(with: locator, named: directory)
                    for note in evaluation.notes where noted.insert(note).inserted {
                        writeError("migcheck: note: \(ErrorLine.visible(note))")
                    }
                }
                evaluations.append(evaluation)
                durations.append(monotonicSeconds() - started)
            }
        } catch let error as InputError {
            writeError(error.description)
            status = ExitCode.badInput
        } catch let error as any RoleAssignmentError {
            writeError(error.description)
            status = ExitCode.badInput
        } catch {
            writeError("\(file): error: \(error)")
            status = ExitCode.badInput
        }
    }
    if !reports.isEmpty { standardOutput.write(reports.joined(separator: "\n\n") + "\n") }
    guard options.command == .check, !evaluations.isEmpty else { return finish(&standardOutput, status) }

    var input = ReportInput(evaluations: evaluations, failOn: options.failOn, unverifiedSeverity: policy.unverifiedSeverity,
                            durations: durations)
    input.sarifCategory = options.sarifCategory
    input.rulesURL = options.rulesURL
    input.policy = policyProvenance
    standardOutput.write(Reports.render(options.format, input, style: options.format == .text ? style : TextStyle(colour: false)))
    var temporaryFileNumber = 0
    for target in targets {
        let text = Reports.render(target.destination.format, input)
        if let problem = ReportFiles.write(text, to: target, sequence: &temporaryFileNumber) {
            writeError("\(ErrorLine.visible(target.destination.path)): error: cannot write the \(target.destination.format.rawValue) report: \(problem)")
            status = ExitCode.badInput
        }
    }
    if status == ExitCode.clean, input.fails { status = ExitCode.findings }
    keptUntilExit = evaluations
    return finish(&standardOutput, status)
}
