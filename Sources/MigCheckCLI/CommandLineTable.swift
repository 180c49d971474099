import MigCheckFoundation
import MigCheckReading
import MigCheckRules
import MigCheckReports

/// The subcommands, each spelled as on the command line.
enum Command: String, CaseIterable {
    case check, topology, summary, rules, explain
    case defaultPolicy = "default-policy"
    case completions, man
    case ready, collect
}

/// What an option's value may be: what the parser checks and the completions offer.
enum OptionValue: Equatable {
    /// No value (`--all`).
    case none
    /// One of these words (`--phase cutover`).
    case choice([String])
    /// A path to a file.
    case file
    /// A path to a directory.
    case directory
    /// `FORMAT=PATH`: one of these formats, then a path.
    case formatAndFile([String])
    /// Text with nothing to complete: an address, an identifier, a URL.
    case text
}

/// What an option does to the options being read.
enum OptionAction {
    case showHelp
    case showVersion
    case set((inout Options) -> Void)
    /// Stores the value; throws a `UsageError` for one it refuses. A `.choice` value reaches it
    /// only once it is one of the choices.
    case read((inout Options, String) throws -> Void)
}

/// One option: its spellings, its value, its lines in `--help`, and what it does.
struct OptionEntry {
    /// Short spelling first (`-h`, `--help`); the last is the long one.
    let names: [String]
    /// How `--help` shows the value (`<phase>`); nil for an option without one.
    var valueLabel: String?
    var value: OptionValue = .none
    /// May be given more than once (`--output`); any other option with a value only once.
    var repeatable = false
    let help: [String]
    let action: OptionAction

    var long: String { names.last ?? "" }
    var helpLabel: String { names.joined(separator: ", ") + (valueLabel.map { " " + $0 } ?? "") }
}

/// What follows a subcommand besides options.
enum Operands: Equatable {
    case none
    /// Plans or states (`-` standard input).
    case files
    /// None, or up to this many files (`ready`: a plan or state and evidence files, told apart by shape).
    case optionalFiles(Int)
    /// One rule ID of the registry.
    case ruleID
    /// One of these words.
    case choice([String])
}

/// One subcommand: everything the parser, `--help`, the completions and the man page know of
/// it. A subcommand with options of its own lists them here; they are accepted after it only.
struct SubcommandEntry {
    let command: Command
    /// Its row in `--help` (`explain RULE`).
    let label: String
    /// Its line in the usage (`migcheck explain RULE [--format markdown]`).
    let synopsis: String
    let help: [String]
    let operands: Operands
    var options: [OptionEntry] = []

    var name: String { command.rawValue }
}

/// A row of `--help` outside the options and subcommands (an argument, a variable).
struct HelpRow {
    let label: String
    let lines: [String]
}

/// The one description of the command line: the parser, `--help`, `completions` and `man` read it.
enum CommandLineTable {
    static let supportedShells = ["bash", "zsh", "fish"]

    /// The first is the default (`migcheck plan.json` is `migcheck check plan.json`).
    static let subcommands: [SubcommandEntry] = [
        SubcommandEntry(command: .check, label: "check", synopsis: "migcheck [check] [OPTIONS] FILE...",
                        help: ["(default) Run the rules of the phase and report the findings."], operands: .files),
        SubcommandEntry(command: .topology, label: "topology", synopsis: "migcheck topology [OPTIONS] FILE...",
                        help: ["Print the migration's picture: source, target, instances, parameter groups,",
                               "secrets and DMS, and why each cluster got its role."], operands: .files),
        SubcommandEntry(command: .summary, label: "summary", synopsis: "migcheck summary [--input KIND] [--all] FILE...",
                        help: ["Print what was read: document kind, versions, resource instances by action."], operands: .files),
        SubcommandEntry(command: .rules, label: "rules", synopsis: "migcheck rules [--format markdown] [--markdown-dir DIR]",
                        help: ["List the rules (--format markdown: the index of the rule pages)."], operands: .none),
        SubcommandEntry(command: .explain, label: "explain RULE", synopsis: "migcheck explain RULE [--format markdown]",
                        help: ["Show one rule (e.g. MIG006) with its rationale, runbook step and an example",
                               "(--format markdown: its page, as in docs/rules/)."], operands: .ruleID),
        SubcommandEntry(command: .defaultPolicy, label: "default-policy", synopsis: "migcheck default-policy",
                        help: ["Print the built-in policy (the same as Policies/migcheck.json)."], operands: .none),
        SubcommandEntry(command: .completions, label: "completions SHELL", synopsis: "migcheck completions bash|zsh|fish",
                        help: ["Print the completion script for bash, zsh or fish (README: Install)."],
                        operands: .choice(supportedShells)),
        SubcommandEntry(command: .man, label: "man", synopsis: "migcheck man",
                        help: ["Print the manual page (roff): migcheck man > migcheck.1"], operands: .none),
        SubcommandEntry(command: .ready, label: "ready",
                        synopsis: "migcheck ready --phase PHASE [--evidence DIR|FILE]... [--now TIME] [OPTIONS] [PLAN_OR_STATE] [EVIDENCE]...",
                        help: ["Judge the live migration before the deploy of PHASE (full-load, cutover, cleanup) from",
                               "AWS CLI evidence (`aws ... --output json`), joined to the plan or state when one is given.",
                               "Exit 0 ready, 1 not yet (each finding says why, or what to collect), 2 bad input."],
                        operands: .optionalFiles(readyOperandLimit), options: readinessOptions),
        SubcommandEntry(command: .collect, label: "collect",
                        synopsis: "migcheck collect --phase PHASE [--evidence-dir DIR] [--iam-policy] [PLAN_OR_STATE]",
                        help: ["Print the read-only AWS CLI commands that collect the evidence ready reads for PHASE, with",
                               "the identifiers the plan or state knows, and the IAM policy they need."],
                        operands: .optionalFiles(1), options: collectOptions),
    ]

    /// Operands `ready` takes at most: a plan or state and evidence files (a directory is one `--evidence`).
    static let readyOperandLimit = 1_000

    /// The options of `ready` alone.
    static let readinessOptions: [OptionEntry] = [
        OptionEntry(names: ["--evidence"], valueLabel: "<dir|file>", value: .directory, repeatable: true,
                    help: ["(ready) AWS CLI evidence: a directory (every file in it but hidden and *.md ones) or one",
                           "file; repeat for several. Evidence files may also be given as FILE operands."],
                    action: .read { $0.evidence.append($1) }),
        OptionEntry(names: ["--now"], valueLabel: "<time>", value: .text,
                    help: ["(ready) The time judged at, ISO 8601 with an offset, e.g. 2026-11-20T12:00:00Z.",
                           "Default: the clock."],
                    action: .read { options, text in
                        guard let instant = EvidenceInstant.iso8601(text) else {
                            throw UsageError(message: "--now: expected ISO 8601 with an offset such as 2026-11-20T12:00:00Z, "
                                + "found '\(TextEscaping.visible(text))'")
                        }
                        options.now = instant
                    }),
    ]

    /// The options of `collect` alone.
    static let collectOptions: [OptionEntry] = [
        OptionEntry(names: ["--evidence-dir"], valueLabel: "<dir>", value: .directory,
                    help: ["(collect) Where the printed commands write their answers. Default: evidence."],
                    action: .read { $0.evidenceDirectory = $1 }),
        OptionEntry(names: ["--iam-policy"],
                    help: ["(collect) Print only the IAM policy the commands need (read-only actions)."],
                    action: .set { $0.iamPolicy = true }),
    ]

    /// The options every subcommand takes.
    static let options: [OptionEntry] = [
        OptionEntry(names: ["--phase"], valueLabel: "<phase>", value: .choice(Phase.allCases.map(\.rawValue)),
                    help: ["prepare, full-load, cutover or cleanup. Default: the policy's, else inferred",
                           "from the plan (the report says why)."],
                    action: .read { $0.phase = Phase(rawValue: $1) }),
        OptionEntry(names: ["--source"], valueLabel: "<address>", value: .text,
                    help: ["The source cluster, e.g. aws_rds_cluster.legacy. Default: inferred."],
                    action: .read { $0.source = $1 }),
        OptionEntry(names: ["--target"], valueLabel: "<address>", value: .text,
                    help: ["The target cluster. Default: inferred."], action: .read { $0.target = $1 }),
        OptionEntry(names: ["--policy"], valueLabel: "<file>", value: .file,
                    help: ["Policy file. Default: ./migcheck.json when present, else the built-in policy."],
                    action: .read { $0.policyPath = $1 }),
        OptionEntry(names: ["--fail-on"], valueLabel: "<level>", value: .choice(FailThreshold.allCases.map(\.rawValue)),
                    help: ["error (default; ready: warning), warning or never: the lowest severity that exits 1."],
                    action: .read { options, text in if let level = FailThreshold(rawValue: text) { options.failOn = level } }),
        OptionEntry(names: ["--format"], valueLabel: "<format>", value: .choice(ReportFormat.allCases.map(\.rawValue)),
                    help: ["What goes to standard output: text (default), json, sarif, junit, github, markdown."],
                    action: .read { options, text in if let format = ReportFormat(rawValue: text) { options.format = format } }),
        OptionEntry(names: ["--output"], valueLabel: "<format>=<path>", value: .formatAndFile(ReportFormat.allCases.map(\.rawValue)),
                    repeatable: true,
                    help: ["Also write a report to a file; repeat for several (e.g. --output sarif=migcheck.sarif)."],
                    action: .read { options, text in
                        let parsed = ReportDestination.parse(text)
                        guard let destination = parsed.destination else {
                            throw UsageError(message: parsed.error ?? "--output: expected FORMAT=PATH")
                        }
                        options.outputs.append(destination)
                    }),
        OptionEntry(names: ["--sarif-category"], valueLabel: "<id>", value: .text,
                    help: ["The SARIF runs' automationDetails.id, e.g. migcheck-production (one code scanning",
                           "category per environment). Default: migcheck/<phase>/<file>/."],
                    action: .read { options, text in
                        guard !text.isEmpty, !text.contains(where: { $0.isWhitespace }) else {
                            throw UsageError(message: "--sarif-category: expected an identifier such as migcheck-production, found '\(TextEscaping.visible(text))'")
                        }
                        options.sarifCategory = text
                    }),
        OptionEntry(names: ["--source-dir"], valueLabel: "<dir>", value: .directory,
                    help: ["Point findings at the .tf file and line that declares each resource (local module",
                           "sources followed); paths are reported as DIR/…, so pass DIR relative to the repository root."],
                    action: .read { $0.sourceDirectory = $1 }),
        OptionEntry(names: ["--input"], valueLabel: "<kind>", value: .choice(DocumentKind.allCases.map(\.rawValue)),
                    help: ["Require FILE to be a plan, state or tfstate (detected otherwise); another kind is an",
                           "error that says how to write the one required."],
                    action: .read { $0.input = DocumentKind(rawValue: $1) }),
        OptionEntry(names: ["--rules-url"], valueLabel: "<url>", value: .text,
                    help: ["Base https URL of the rule pages that SARIF's helpUri and explain link to, for a fork.",
                           "Default: \(MigCheckVersion.rulesURL)."],
                    action: .read { options, text in
                        let parsed = RuleDocs.parseBaseURL(text)
                        guard let url = parsed.url else { throw UsageError(message: parsed.error ?? "--rules-url: expected an https URL") }
                        options.rulesURL = url
                    }),
        OptionEntry(names: ["--markdown-dir"], valueLabel: "<dir>", value: .directory,
                    help: ["(rules) Write the rule pages (README.md and one MIGnnn.md per rule) into DIR,", "e.g. docs/rules."],
                    action: .read { $0.markdownDirectory = $1 }),
        OptionEntry(names: ["--all"],
                    help: ["(summary) List every resource instance, not just the first \(ReadSummary.listLimit) per action."],
                    action: .set { $0.listAll = true }),
        OptionEntry(names: ["--version"], help: ["Show the version."], action: .showVersion),
        OptionEntry(names: ["-h", "--help"], help: ["Show this help."], action: .showHelp),
    ]

    static let description = [
        "Checks a Terraform plan (or state) of an Aurora PostgreSQL to Aurora migration with AWS DMS",
        "against the invariants of its runbook phase, before `terraform apply` runs it.",
    ]

    /// The man page's one-line NAME.
    static let summary = "check a Terraform plan of an Aurora PostgreSQL migration against its runbook phase"

    static let arguments = [
        HelpRow(label: "FILE", lines: ["The JSON of `terraform show -json tfplan` (a plan), of `terraform show -json`",
                                       "(a state), or a raw terraform.tfstate. `-` reads standard input."]),
    ]

    static let examples = [
        "terraform plan -out tfplan && terraform show -json tfplan > plan.json",
        "migcheck plan.json",
        "migcheck --phase cutover --fail-on warning plan.json",
        "migcheck --format sarif --output junit=migcheck.xml --source-dir infra plan.json > migcheck.sarif",
        "migcheck --source aws_rds_cluster.legacy --target aws_rds_cluster.primary plan.json",
        "terraform show -json | migcheck --input state -",
        "migcheck topology plan.json",
        "migcheck explain MIG006",
        "migcheck collect --phase cutover plan.json > collect.sh && sh collect.sh",
        "migcheck ready --phase cutover --evidence evidence --output sarif=ready.sarif plan.json",
    ]

    static let exitStatus = [
        HelpRow(label: "0", lines: ["clean (no finding at or above --fail-on)"]),
        HelpRow(label: "1", lines: ["findings at or above --fail-on; unverified findings count as warnings unless the policy says otherwise"]),
        HelpRow(label: "2", lines: ["bad input or usage: one line on standard error names the file, line:column and what was expected;",
                                    "also an --output that is an input or another output (refused before anything is written), and a",
                                    "failed write (a report file is replaced only once complete)"]),
    ]

    static let environment = [
        HelpRow(label: "NO_COLOR", lines: ["Set, to any value or none, to turn colour off (colour is used only on a terminal)."]),
    ]

    /// The rule IDs `explain` takes (its completion).
    static var ruleIDs: [String] { RuleRegistry.allDescriptions.map(\.id) }

    static func subcommand(named name: String) -> SubcommandEntry? {
        subcommands.first { $0.name == name }
    }

    static func entry(_ command: Command) -> SubcommandEntry? {
        subcommands.first { $0.command == command }
    }

    /// Every option a subcommand takes: the common ones, then its own.
    static func options(of subcommand: SubcommandEntry) -> [OptionEntry] {
        options + subcommand.options
    }

    /// Every option of every subcommand, once each.
    static var allOptions: [OptionEntry] {
        var seen = Set<String>()
        return (options + subcommands.flatMap(\.options)).filter { seen.insert($0.long).inserted }
    }

    /// `a, b or c`: how an error names the choices.
    static func alternatives(_ words: [String]) -> String {
        guard let last = words.last, words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " or " + last
    }
}
