import MigCheckFoundation
import MigCheckReading

/// The arguments of `migcheck ready` and `migcheck collect` (issue 14), parsed apart from the
/// main option table until the two are merged.
struct ReadinessOptions {
    enum Command: String {
        case ready, collect
    }

    static let usage = """
        usage: migcheck ready --phase PHASE --evidence DIR|FILE [--evidence ...] [--now TIME] [--format text|json] [PLAN_OR_STATE]
               migcheck collect --phase PHASE [--evidence-dir DIR] [--iam-policy] [PLAN_OR_STATE]

        ready    judges the live migration from AWS CLI evidence (`aws ... --output json`) before the
                 deploy of PHASE (full-load, cutover, cleanup), joined to the plan or state when one is
                 given: exit 0 ready, 1 not yet (each finding says why, or what to collect), 2 bad input.
        collect  prints the read-only AWS CLI commands that collect that evidence, with the identifiers
                 the plan or state knows, and (as comments, or alone with --iam-policy) the IAM policy they need.
        --now    the time judged at, ISO 8601 with an offset (default: the clock)

        """

    var command: Command
    var phase: Phase?
    var evidence: [String] = []
    var evidenceDirectory = "evidence"
    var now: EvidenceInstant?
    var json = false
    var iamPolicy = false
    var document: String?
    var help = false

    static func parse(_ arguments: [String]) throws -> ReadinessOptions {
        guard let first = arguments.first, let command = Command(rawValue: first) else {
            throw GeneralDiagnostic(message: "expected ready or collect")
        }
        var options = ReadinessOptions(command: command)
        var rest = arguments.dropFirst()[...]
        func value(_ flag: String) throws -> String {
            guard let next = rest.popFirst() else { throw GeneralDiagnostic(message: "\(flag) needs a value") }
            return next
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "-h", "--help":
                options.help = true
            case "--phase":
                let text = try value(argument)
                guard let phase = Phase(rawValue: text) else {
                    throw GeneralDiagnostic(message: "--phase: expected one of \(Phase.allCases.map(\.rawValue).joined(separator: ", ")), "
                        + "found '\(TextEscaping.visible(text))'")
                }
                options.phase = phase
            case "--evidence" where command == .ready:
                options.evidence.append(try value(argument))
            case "--evidence-dir" where command == .collect:
                options.evidenceDirectory = try value(argument)
            case "--iam-policy" where command == .collect:
                options.iamPolicy = true
            case "--now" where command == .ready:
                let text = try value(argument)
                guard let instant = EvidenceInstant.iso8601(text) else {
                    throw GeneralDiagnostic(message: "--now: expected ISO 8601 with an offset such as 2026-11-20T12:00:00Z, "
                        + "found '\(TextEscaping.visible(text))'")
                }
                options.now = instant
            case "--format" where command == .ready:
                let text = try value(argument)
                guard text == "text" || text == "json" else {
                    throw GeneralDiagnostic(message: "--format: ready writes text or json, found '\(TextEscaping.visible(text))'")
                }
                options.json = text == "json"
            default:
                if argument.hasPrefix("-"), argument != "-" {
                    throw GeneralDiagnostic(message: "\(command.rawValue): unknown option '\(TextEscaping.visible(argument))' (see migcheck \(command.rawValue) --help)")
                }
                guard options.document == nil else {
                    throw GeneralDiagnostic(message: "\(command.rawValue): one plan or state at most, found a second: '\(TextEscaping.visible(argument))'")
                }
                options.document = argument
            }
        }
        if !options.help {
            guard options.phase != nil else { throw GeneralDiagnostic(message: "\(command.rawValue): --phase is required (full-load, cutover or cleanup)") }
            if command == .ready, options.phase == .prepare {
                // Nothing live to judge before the first deploy: a run would pass without a rule.
                throw GeneralDiagnostic(message: "ready: no readiness rule judges the gate before prepare; "
                    + "use --phase full-load, cutover or cleanup")
            }
            if command == .ready, options.evidence.isEmpty {
                throw GeneralDiagnostic(message: "ready: --evidence DIR is required (collect it with migcheck collect)")
            }
        }
        return options
    }
}
