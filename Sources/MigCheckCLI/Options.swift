import MigCheckFoundation
import MigCheckReading
import MigCheckRules
import MigCheckReports

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

/// The flags that take one value: a second one is a usage error, not a silent override
/// (`--fail-on warning … --fail-on never` appended by a wrapper script).
let singleValueFlags: Set<String> = ["--input", "--phase", "--source", "--target", "--policy", "--fail-on", "--format",
                                     "--sarif-category", "--source-dir", "--rules-url", "--markdown-dir"]

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
        if let first = arguments.first, let command = Command(rawValue: first) {
            options.command = command
            index = 1
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
                return .show("migcheck \(MigCheckVersion.described(commit: buildCommit))\n")
            } else if argument == "--all" {
                options.listAll = true
            } else {
                try apply(flag, argument)
            }
            index += 1
        }
        try validate()
        return .run(options)
    }

    /// The value of `flag`: after `=` in the same argument, else the next argument.
    mutating func value(for flag: String, _ argument: String) throws -> String {
        if singleValueFlags.contains(flag), !flagsSeen.insert(flag).inserted {
            throw UsageError(message: "\(flag) given twice; it takes one value")
        }
        if let equals = argument.firstIndex(of: "=") { return String(argument[argument.index(after: equals)...]) }
        index += 1
        guard index < arguments.count else { throw UsageError(message: "\(flag) needs a value") }
        return arguments[index]
    }

    /// One flag that takes a value, checked as it is read.
    mutating func apply(_ flag: String, _ argument: String) throws {
        switch flag {
        case "--input": options.input = try choice(flag, argument, expected: "plan, state or tfstate")
        case "--phase": options.phase = try choice(flag, argument, expected: "prepare, full-load, cutover or cleanup")
        case "--source": options.source = try value(for: flag, argument)
        case "--target": options.target = try value(for: flag, argument)
        case "--policy": options.policyPath = try value(for: flag, argument)
        case "--fail-on": options.failOn = try choice(flag, argument, expected: "error, warning or never")
        case "--format": options.format = try choice(flag, argument, expected: "one of \(ReportFormat.names)")
        case "--output":
            let parsed = ReportDestination.parse(try value(for: flag, argument))
            guard let destination = parsed.destination else { throw UsageError(message: parsed.error ?? "--output: expected FORMAT=PATH") }
            options.outputs.append(destination)
        case "--sarif-category":
            let text = try value(for: flag, argument)
            guard !text.isEmpty, !text.contains(where: { $0.isWhitespace }) else {
                throw UsageError(message: "--sarif-category: expected an identifier such as migcheck-production, found '\(ErrorLine.visible(text))'")
            }
            options.sarifCategory = text
        case "--rules-url":
            let parsed = RuleDocs.parseBaseURL(try value(for: flag, argument))
            guard let url = parsed.url else { throw UsageError(message: parsed.error ?? "--rules-url: expected an https URL") }
            options.rulesURL = url
        case "--markdown-dir": options.markdownDirectory = try value(for: flag, argument)
        case "--source-dir": options.sourceDirectory = try value(for: flag, argument)
        default:
            throw UsageError(message: "unknown option '\(ErrorLine.visible(argument))' (see migcheck --help)")
        }
    }

    /// A flag whose value is one of a fixed set (`--phase cutover`), named in the error otherwise.
    private mutating func choice<Value: RawRepresentable>(_ flag: String, _ argument: String, expected: String) throws -> Value
        where Value.RawValue == String {
        let text = try value(for: flag, argument)
        guard let parsed = Value(rawValue: text) else {
            throw UsageError(message: "\(flag): expected \(expected), found '\(ErrorLine.visible(text))'")
        }
        return parsed
    }

    /// What the flags and files must agree on, once all are read.
    func validate() throws {
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
    }
}
