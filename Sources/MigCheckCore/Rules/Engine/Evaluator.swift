/// The outcome of judging one document against the rules of its phase.
public struct Evaluation {
    public let picture: MigrationPicture
    public let phase: Phase
    /// Why this phase: named by the user, by the policy, or inferred (with the evidence).
    public let phaseReason: String
    /// Every finding, suppressed ones included (they carry `suppression`), in report order.
    public let findings: [Finding]
    /// Rules that ran, and rules that did not with the reason (outside the phase, disabled).
    public let rulesRun: [RuleDescription]
    public let rulesSkipped: [(rule: RuleDescription, reason: String)]
    /// Custom assertions from the policy, described like rules so reports can list them.
    public let customRules: [RuleDescription]

    public var activeFindings: [Finding] { findings.filter { $0.suppression == nil } }

    /// How many resource instances the document describes.
    public var resourceCount: Int { picture.resources.count }
}

public enum Evaluator {
    /// Runs the rules of `phase` (inferred when nil) over the picture, applying the policy.
    public static func evaluate(_ picture: MigrationPicture, phase requested: Phase?, phaseOrigin: String = "--phase",
                                policy: Policy = .builtInDefault, today: CalendarDate = .today()) -> Evaluation {
        let phase: Phase
        let reason: String
        if let requested {
            phase = requested
            reason = "named by \(phaseOrigin)"
        } else if let fromPolicy = policy.phase {
            phase = fromPolicy
            reason = "named by the policy"
        } else {
            let inferred = PhaseInference.infer(picture)
            phase = inferred.phase
            reason = "inferred: \(inferred.reason)"
        }

        var findings: [Finding] = []
        var run: [RuleDescription] = []
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
            run.append(description)
        }
        let custom = CustomAssertions.evaluate(policy.assertions, picture: picture, phase: phase)
        findings += custom.findings
        run += custom.ran
        skipped += custom.skipped

        findings = Suppressions.apply(policy.suppressions, to: findings, today: today, resources: picture.resources,
                                      documentKind: picture.isPlan ? "plan" : "state")
        findings.sort(by: Finding.reportOrder)
        return Evaluation(picture: picture, phase: phase, phaseReason: reason, findings: findings,
                          rulesRun: run, rulesSkipped: skipped, customRules: custom.ran + custom.skipped.map(\.rule))
    }
}

extension Evaluation {
    /// The same evaluation with each finding passed through `transform` (e.g. to point at `.tf` files).
    public func mappingFindings(_ transform: (Finding) -> Finding) -> Evaluation {
        Evaluation(picture: picture, phase: phase, phaseReason: phaseReason, findings: findings.map(transform),
                   rulesRun: rulesRun, rulesSkipped: rulesSkipped, customRules: customRules)
    }

    /// Findings pointed at the `.tf` file and line that declares their resource (or module call),
    /// found under `sourceDirectory`; findings whose declaration is not found keep the plan position.
    public func locatingSources(in sourceDirectory: String) -> Evaluation {
        var locator = TerraformSourceLocator(root: sourceDirectory, configuration: picture.document.configuration)
        var cache: [String: SourceLocation?] = [:]
        return mappingFindings { finding in
            guard let addressText = finding.address, let address = ResourceAddress.parse(addressText) else { return finding }
            let location: SourceLocation?
            if let cached = cache[addressText] {
                location = cached
            } else {
                location = locator.location(of: address)
                cache[addressText] = location
            }
            guard let found = location else { return finding }
            var moved = finding
            moved.location = found
            return moved
        }
    }
}
