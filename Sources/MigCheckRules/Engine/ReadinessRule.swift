import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// A rule over the live migration: AWS CLI evidence joined to the plan or state
/// (`LivePicture`). Described, exampled and registered like a plan rule (`RuleRegistry`),
/// run only when evidence is given (`ReadinessEvaluator`), so plan and state runs are unchanged.
public protocol ReadinessRule {
    static var description: RuleDescription { get }
    init()
    func evaluate(_ context: ReadinessContext) -> [Finding]
}

public struct ReadinessContext {
    public let live: LivePicture
    public let phase: Phase
    public let ruleID: String
    public let severity: Severity
    public let parameters: [String: JSONLiteral]

    /// A finding at a place in an evidence file about the live object `subject`; `address` names
    /// the plan's resource when joined.
    public func finding(_ message: String, at location: SourceLocation?, address: String? = nil,
                        kind: FindingKind = .fail, subject: String? = nil) -> Finding {
        var finding = Finding(ruleID: ruleID, severity: kind == .open ? min(severity, .warning) : severity, kind: kind,
                              message: message, address: address, location: location)
        finding.liveSubject = subject
        return finding
    }

    /// A whole-number parameter of the rule (after the policy).
    public func integer(_ name: String, default fallback: Int) -> Int {
        if case .number(let text)? = parameters[name], let value = Int(text) { return value }
        return fallback
    }

    /// An instant parameter of the rule (ISO 8601); nil when the policy leaves it null.
    public func instant(_ name: String) -> EvidenceInstant? {
        if case .string(let text)? = parameters[name] { return EvidenceInstant.iso8601(text) }
        return nil
    }

    /// The evidence a verdict needs is missing, failed or empty: never a pass, a finding that
    /// says what to collect (the exact read-only command).
    public func collect(_ kind: EvidenceKind, arguments: String, needed what: String) -> Finding {
        let failure = live.failures(kind).first ?? live.unattributedFailures.first
        let why: String
        if let failure {
            why = "the call failed (\(failure.code.map { "\($0): " } ?? "")\(failure.message))"
        } else if live.answered(kind) {
            why = "its answer lists nothing"
        } else {
            why = "no answer of it is in the evidence"
        }
        return finding("\(what) cannot be checked: \(why); collect it with "
            + "`\(kind.command)\(arguments.isEmpty ? "" : " " + arguments) --output json > \(kind.rawValue).json`",
            at: failure?.location, kind: .open)
    }
}

/// Runs the readiness rules of a phase over the live picture under the policy's severities.
public enum ReadinessEvaluator {
    public static func evaluate(_ live: LivePicture, phase: Phase, policy: Policy = .builtInDefault)
        -> (findings: [Finding], ran: [RuleDescription], skipped: [(rule: RuleDescription, reason: String)]) {
        var findings: [Finding] = []
        var ran: [RuleDescription] = []
        var skipped: [(rule: RuleDescription, reason: String)] = []
        for ruleType in RuleRegistry.readinessRules {
            let description = ruleType.description
            guard description.phases.contains(phase) else {
                skipped.append((description, "applies to \(description.sortedPhases.map(\.rawValue).joined(separator: ", ")), not \(phase)"))
                continue
            }
            let settings = policy.rules[description.id]
            guard settings?.enabled != false else {
                skipped.append((description, "disabled by the policy"))
                continue
            }
            let context = ReadinessContext(live: live, phase: phase, ruleID: description.id,
                                           severity: settings?.severity ?? description.defaultSeverity,
                                           parameters: description.parameters.merging(settings?.parameters ?? [:]) { $1 })
            findings += ruleType.init().evaluate(context)
            ran.append(description)
        }
        return (findings.sorted(by: Finding.reportOrder), ran, skipped)
    }
}
