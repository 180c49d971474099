import MigCheckFoundation
import MigCheckReading
import MigCheckRules
import MigCheckReports

struct Options {
    var command = Command.check
    var files: [String] = []
    var input: DocumentKind?
    var phase: Phase?
    var source: String?
    var target: String?
    var policyPath: String?
    /// nil: the command's default (`check`: error; `ready`: warning, since an unverified gate is not ready).
    var failOn: FailThreshold?
    var listAll = false
    var format = ReportFormat.text
    var outputs: [ReportDestination] = []
    var sourceDirectory: String?
    var sarifCategory: String?
    var rulesURL: String?
    var markdownDirectory: String?
    /// `ready`: evidence files and directories (`--evidence`, or files given as operands).
    var evidence: [String] = []
    /// `ready --now`: the instant judged at (default: the clock).
    var now: EvidenceInstant?
    /// `collect --evidence-dir`: where the printed commands write their answers.
    var evidenceDirectory: String?
    /// `collect --iam-policy`: print only the IAM policy.
    var iamPolicy = false
}

/// Arguments that do not make a run: `migcheck: error: MESSAGE`, exit 2.
struct UsageError: Diagnostic, Equatable {
    let message: String

    var diagnosticLine: String { "migcheck: error: \(message)" }
}

/// What the arguments ask for: a run, or a text to show (help, version).
enum ParsedArguments {
    case run(Options)
    case show(String)
}

func parseArguments(_ arguments: [String]) throws -> ParsedArguments {
    var parser = ArgumentParser(arguments: arguments)
    return try parser.parse()
}

/// One pass over the arguments, left to right.
struct ArgumentParser {
    let arguments: [String]
    var options = Options()
    var index = 0
    var onlyFiles = false
    var flagsSeen = Set<String>()

    init(arguments: [String]) {
        self.arguments = arguments
    }

    mutating func parse() throws -> ParsedArguments {
        if arguments.first == "help" { return .show(usage + "\n") }
        var subcommand = CommandLineTable.subcommands.first
        if let first = arguments.first, let named = CommandLineTable.subcommand(named: first) {
            subcommand = named
            options.command = named.command
            index = 1
        }
        let accepted = subcommand.map(CommandLineTable.options(of:)) ?? CommandLineTable.options
        while index < arguments.count {
            let argument = arguments[index]
            if onlyFiles || argument == "-" || !argument.hasPrefix("-") {
                options.files.append(argument)
            } else if argument == "--" {
                onlyFiles = true
            } else {
                let flag = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
                // An option without a value is spelled exactly (`--all=yes` is no `--all`).
                guard let option = accepted.first(where: { $0.names.contains(flag) }),
                      option.value != .none || argument == flag else {
                    throw UsageError(message: "unknown option '\(TextEscaping.visible(argument))' (see migcheck --help)")
                }
                switch option.action {
                case .showHelp: return .show(usage + "\n")
                case .showVersion: return .show("migcheck \(MigCheckVersion.described(commit: buildCommit))\n")
                case .set(let set): set(&options)
                case .read(let read): try read(&options, try value(of: option, flag, argument))
                }
            }
            index += 1
        }
        try validate(subcommand?.operands ?? .files)
        return .run(options)
    }

    /// The value of `flag`: after `=` in the same argument, else the next argument; one of the
    /// choices for a flag that has them (`--phase cutover`), named in the error otherwise.
    mutating func value(of option: OptionEntry, _ flag: String, _ argument: String) throws -> String {
        if !option.repeatable, !flagsSeen.insert(option.long).inserted {
            throw UsageError(message: "\(flag) given twice; it takes one value")
        }
        let text: String
        if let equals = argument.firstIndex(of: "=") {
            text = String(argument[argument.index(after: equals)...])
        } else {
            index += 1
            guard index < arguments.count else { throw UsageError(message: "\(flag) needs a value") }
            text = arguments[index]
        }
        if case .choice(let words) = option.value, !words.contains(text) {
            let expected = CommandLineTable.alternatives(words)
            throw UsageError(message: "\(flag): expected \(expected), found '\(TextEscaping.visible(text))'")
        }
        return text
    }

    /// What `ready` and `collect` need besides their operands: a gate, and for `collect` a script on standard output.
    func validateReadiness() throws {
        let name = options.command.rawValue
        guard options.command == .ready || options.command == .collect else { return }
        guard let phase = options.phase else {
            throw UsageError(message: "\(name): --phase is required (full-load, cutover or cleanup)")
        }
        if options.command == .ready, phase == .prepare {
            // Nothing live to judge before the first deploy: a run would pass without a rule.
            throw UsageError(message: "ready: no readiness rule judges the gate before prepare; use --phase full-load, cutover or cleanup")
        }
        if options.command == .collect {
            guard options.format == .text, options.outputs.isEmpty else {
                throw UsageError(message: "collect prints a shell script; --format and --output go with ready")
            }
        }
    }

    /// What the flags and files must agree on, once all are read.
    func validate(_ operands: Operands) throws {
        if options.command == .rules || options.command == .explain, options.format != .text, options.format != .markdown {
            throw UsageError(message: "\(options.command.rawValue) prints text or markdown, not \(options.format.rawValue)")
        }
        try validateReadiness()
        if options.markdownDirectory != nil, options.command != .rules {
            throw UsageError(message: "--markdown-dir goes with the rules command: migcheck rules --markdown-dir docs/rules")
        }
        let name = options.command.rawValue
        switch operands {
        case .optionalFiles(let most):
            guard options.files.count <= most else {
                throw UsageError(message: "\(name) takes at most \(most) FILE, found \(options.files.count) (see migcheck \(name) --help)")
            }
            guard options.files.filter({ $0 == "-" }).count <= 1 else {
                throw UsageError(message: "standard input ('-') can be read only once")
            }
        case .none:
            guard options.files.isEmpty else { throw UsageError(message: "\(name) takes no FILE") }
        case .ruleID:
            guard options.files.count == 1 else { throw UsageError(message: "\(name) needs one rule ID, e.g. migcheck \(name) MIG006") }
        case .choice(let words):
            guard options.files.count == 1, let word = options.files.first, words.contains(word) else {
                let found = options.files.map { "'" + TextEscaping.visible($0) + "'" }.joined(separator: " ")
                throw UsageError(message: "\(name) needs one of \(CommandLineTable.alternatives(words)), e.g. migcheck \(name) \(words.first ?? ""); found \(found.isEmpty ? "none" : found)")
            }
        case .files:
            guard !options.files.isEmpty else { throw UsageError(message: "missing FILE (see migcheck --help)") }
            // A second `-` would find standard input already read to its end.
            guard options.files.filter({ $0 == "-" }).count <= 1 else {
                throw UsageError(message: "standard input ('-') can be read only once")
            }
            if let directory = options.sourceDirectory {
                let facts = FileFacts.of(directory)
                guard facts.kind == .directory else {
                    let reason = facts.kind == .missing ? "no such directory" : "not a directory"
                    throw UsageError(message: "--source-dir '\(TextEscaping.visible(directory))': \(reason)")
                }
            }
        }
    }
}
