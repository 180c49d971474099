import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// The outcome of judging one document against the rules of its phase.
public struct Evaluation {
    public let picture: MigrationPicture
    public let phase: Phase
    /// Why this phase: named by the user, by the policy, or inferred (with the evidence).
    public let phaseReason: String
    /// Every finding, suppressed ones included (they carry `suppression`), in report order.
    public private(set) var findings: [Finding]
    /// Rules that ran, and rules that did not with the reason (outside the phase, disabled).
    public let rulesRun: [RuleDescription]
    public let rulesSkipped: [(rule: RuleDescription, reason: String)]
    /// Custom assertions from the policy, described like rules so reports can list them.
    public let customRules: [RuleDescription]

    /// Set when the document holds nothing of a migration and no phase or cluster was named:
    /// the sentence `no migration in this plan: …` that says what was looked for. No rule ran.
    public var noMigration: String? = nil
    /// The phases the rules ran under, in runbook order: the named one, or every candidate of an
    /// uncertain inference (`phase` is the one reported first); empty when there is no migration.
    public var phasesConsidered: [Phase] = []
    /// Where the phase came from (`--phase`, the policy's line, or inferred with its candidates);
    /// nil when there is no migration, or for an evaluation put together by hand.
    public var phaseOrigin: PhaseOrigin? = nil
    /// What the run wants said about this document beside its findings (e.g. findings that
    /// `--source-dir` could not point at a `.tf` file); shown once, as notes.
    public var notes: [String] = []
    /// Set for a `migcheck ready` run: the evidence judged, the instant, the joins and the verdict.
    public var readiness: ReadinessRecord? = nil

    /// The phases the rules ran under, in runbook order (`[phase]` unless an inference was uncertain).
    public var considered: [Phase] {
        guard isMigration else { return [] }
        return phasesConsidered.isEmpty ? [phase] : phasesConsidered
    }

    /// Whether the document was judged as a migration at all.
    public var isMigration: Bool { noMigration == nil }

    public var activeFindings: [Finding] { findings.filter { $0.suppression == nil } }

    /// How many resource instances the document describes.
    public var resourceCount: Int { picture.resources.count }
}

public enum Evaluator {
    /// The built-in rules under one phase: what they find, which ran, and why the others did not.
    static func runBuiltInRules(_ picture: MigrationPicture, phase: Phase, policy: Policy)
        -> (findings: [Finding], ran: [RuleDescription], skipped: [(rule: RuleDescription, reason: String)]) {
        var findings: [Finding] = []
        var ran: [RuleDescription] = []
        var skipped: [(rule: RuleDescription, reason: String)] = []
        for ruleType in RuleRegistry.rules {
            let description = ruleType.description
            let settings = policy.rules[description.id]
            if settings?.enabled == false {
                skipped.append((description, "disabled by the policy"))
                continue
            }
            guard description.phases.contains(phase) else {
                skipped.append((description, "applies to \(description.sortedPhases.map(\.rawValue).joined(separator: ", ")), not \(phase)"))
                continue
            }
            var parameters = description.parameters
            for (name, value) in settings?.parameters ?? [:] { parameters[name] = value }
            let context = RuleContext(picture: picture, phase: phase, ruleID: description.id,
                                      severity: settings?.severity ?? description.defaultSeverity, parameters: parameters)
            findings += ruleType.init().evaluate(context)
            ran.append(description)
        }
        return (findings, ran, skipped)
    }

    /// Runs the rules of `phase` (inferred when nil) over the picture, applying the policy.
    ///
    /// An inferred phase may have several candidates (`PhaseInference.candidates`): the rules
    /// then run under each, and every finding that holds under any of them is reported, once,
    /// with the phases it holds under appended (`(under cutover)`) when not all of them. A guess
    /// can only add findings. A document that holds nothing of a migration, with no phase or
    /// cluster named, is not judged at all (`Evaluation.noMigration` says what was looked for).
    public static func evaluate(_ picture: MigrationPicture, phase requested: Phase?, phaseOrigin: String = "--phase",
                                policy: Policy = .builtInDefault, today: CalendarDate = .today()) -> Evaluation {
        let phases: [Phase]
        let reason: String
        let origin: PhaseOrigin
        if let requested {
            phases = [requested]
            reason = "named by \(phaseOrigin)"
            origin = .flag(phaseOrigin)
        } else if let fromPolicy = policy.phase {
            phases = [fromPolicy]
            reason = "named by the policy" + (policy.phaseLocation.map { " (\($0.file):\($0.start))" } ?? "")
            origin = .policy(policy.phaseLocation)
        } else {
            if policy.source == nil, policy.target == nil, picture.declaredRoles.isEmpty,
               let absence = MigrationPresence.absence(in: picture) {
                return notAMigration(picture, absence: absence, policy: policy, today: today)
            }
            let inferred = PhaseInference.candidates(picture)
            origin = .inferred(candidates: inferred.candidates.isEmpty ? [inferred.phase] : inferred.candidates)
            if inferred.candidates.count > 1 {
                phases = [inferred.phase] + inferred.candidates.filter { $0 != inferred.phase }
                let names = inferred.candidates.map(\.rawValue).joined(separator: ", ")
                reason = "inferred, and the evidence fits more than one phase, so the \(picture.isPlan ? "plan" : "state") was judged under each of \(names) "
                    + "(a finding that holds under only some of them names them; name the phase with --phase or in the policy): "
                    + inferred.reason
            } else {
                phases = inferred.candidates.isEmpty ? [inferred.phase] : inferred.candidates
                reason = "inferred: \(inferred.reason)"
            }
        }
        let phase = phases.first ?? .prepare

        var perPhase: [[Finding]] = []
        var ranIDs = Set<String>()
        var run: [RuleDescription] = []
        var skippedByID: [String: (rule: RuleDescription, reasons: [String])] = [:]
        var skippedOrder: [String] = []
        var customRules: [RuleDescription] = []
        for phase in phases {
            var (findings, ranNow, skipped) = runBuiltInRules(picture, phase: phase, policy: policy)
            let custom = CustomAssertions.evaluate(policy.assertions, picture: picture, phase: phase)
            findings += custom.findings
            ranNow += custom.ran
            skipped += custom.skipped
            if customRules.isEmpty { customRules = custom.ran + custom.skipped.map(\.rule) }
            perPhase.append(findings)
            for description in ranNow where ranIDs.insert(description.id).inserted { run.append(description) }
            for (description, why) in skipped {
                if skippedByID[description.id] == nil { skippedOrder.append(description.id) }
                skippedByID[description.id, default: (description, [])].reasons.append(why)
            }
        }
        let skipped = skippedOrder.compactMap { id -> (rule: RuleDescription, reason: String)? in
            guard !ranIDs.contains(id), let entry = skippedByID[id] else { return nil }
            var reasons: [String] = []
            for why in entry.reasons where !reasons.contains(why) { reasons.append(why) }
            return (entry.rule, reasons.joined(separator: "; "))
        }

        var findings = merge(perPhase, phases: phases)
        findings = Suppressions.apply(policy.suppressions, to: findings, today: today, resources: picture.resources,
                                      documentKind: picture.isPlan ? "plan" : "state")
        findings.sort(by: Finding.reportOrder)
        var evaluation = Evaluation(picture: picture, phase: phase, phaseReason: reason, findings: findings,
                                    rulesRun: run, rulesSkipped: skipped, customRules: customRules)
        evaluation.phasesConsidered = Phase.allCases.filter(phases.contains)
        evaluation.phaseOrigin = origin
        return evaluation
    }

    /// The findings of each candidate phase as one list: a finding found under several phases once,
    /// and `(under full-load, cutover)` appended to one found under only some of them.
    static func merge(_ perPhase: [[Finding]], phases: [Phase]) -> [Finding] {
        guard perPhase.count > 1 else { return perPhase.first ?? [] }
        struct Key: Hashable {
            let finding: Finding
            let occurrence: Int
        }
        var order: [Key] = []
        var holdsUnder: [Key: Set<Phase>] = [:]
        for (phase, findings) in zip(phases, perPhase) {
            var seen: [Finding: Int] = [:]
            for finding in findings {
                let occurrence = seen[finding, default: 0]
                seen[finding] = occurrence + 1
                let key = Key(finding: finding, occurrence: occurrence)
                if holdsUnder[key] == nil { order.append(key) }
                holdsUnder[key, default: []].insert(phase)
            }
        }
        return order.map { key in
            var finding = key.finding
            let under = holdsUnder[key] ?? []
            if under.count < phases.count {
                finding.message += " (under \(Phase.allCases.filter(under.contains).map(\.rawValue).joined(separator: ", ")))"
            }
            return finding
        }
    }

    /// A document with nothing of a migration in it: no rule runs, and the reports say so.
    static func notAMigration(_ picture: MigrationPicture, absence: String, policy: Policy, today: CalendarDate) -> Evaluation {
        let skipped = RuleRegistry.descriptions.map { (rule: $0, reason: "no migration in this \(picture.isPlan ? "plan" : "state")") }
        let findings = Suppressions.apply(policy.suppressions, to: [], today: today).sorted(by: Finding.reportOrder)
        var evaluation = Evaluation(picture: picture, phase: .prepare, phaseReason: absence, findings: findings,
                                    rulesRun: [], rulesSkipped: skipped, customRules: [])
        evaluation.noMigration = absence
        evaluation.phasesConsidered = []
        return evaluation
    }
}

extension Evaluation {
    /// The same evaluation with other findings: every other field kept, whatever fields come.
    package func replacingFindings(_ findings: [Finding]) -> Evaluation {
        var copy = self
        copy.findings = findings
        return copy
    }
}
