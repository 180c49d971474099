import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// Simple checks a team adds in the policy without writing Swift: a resource type, an
/// optional role, an attribute path and an expected value or comparison.
enum CustomAssertions {
    struct Outcome {
        var findings: [Finding] = []
        var ran: [RuleDescription] = []
        var skipped: [(rule: RuleDescription, reason: String)] = []
    }

    static func description(of assertion: Policy.Assertion) -> RuleDescription {
        RuleDescription(id: assertion.id, name: assertion.id.lowercased(), title: assertion.title,
                        rationale: "A custom assertion from the policy: \(assertion.resourceType).\(assertion.attribute) \(describe(assertion.comparison)).",
                        runbookStep: "policy", phases: assertion.phases, defaultSeverity: assertion.severity,
                        triggeringExamples: [], nonTriggeringExamples: [])
    }

    static func evaluate(_ assertions: [Policy.Assertion], picture: MigrationPicture, phase: Phase) -> Outcome {
        var outcome = Outcome()
        for assertion in assertions {
            let description = description(of: assertion)
            guard assertion.phases.contains(phase) else {
                outcome.skipped.append((description, "applies to \(description.sortedPhases.map(\.rawValue).joined(separator: ", ")), not \(phase)"))
                continue
            }
            outcome.ran.append(description)
            let context = RuleContext(picture: picture, phase: phase, ruleID: assertion.id, severity: assertion.severity, parameters: [:])
            let subjects = resources(for: assertion, in: picture)
            if subjects.isEmpty {
                let scope = assertion.role.map { " of the \($0.rawValue) cluster" } ?? ""
                outcome.findings.append(context.unverified("no \(assertion.resourceType)\(scope) remains after this deploy, so \(assertion.id) cannot be checked", about: nil))
                continue
            }
            for resource in subjects {
                outcome.findings += check(assertion, resource, context)
            }
        }
        return outcome
    }

    /// What a role-scoped assertion can reach: the cluster, its instances, rotations and parameter group.
    static let roleResourceTypes = ["aws_rds_cluster", "aws_rds_cluster_instance", "aws_secretsmanager_secret_rotation",
                                    "aws_rds_cluster_parameter_group"]

    private static func resources(for assertion: Policy.Assertion, in picture: MigrationPicture) -> [ResourceView] {
        let candidates = picture.resources.filter { $0.type == assertion.resourceType && $0.hasAfter }
        guard let role = assertion.role else { return candidates }
        guard let cluster = picture.cluster(role) else { return [] }
        let related = [cluster.resource] + cluster.instances + cluster.rotations + (cluster.parameterGroup.map { [$0.resource] } ?? [])
        let addresses = Set(related.map(\.addressText))
        return candidates.filter { addresses.contains($0.addressText) }
    }

    private static func check(_ assertion: Policy.Assertion, _ resource: ResourceView, _ context: RuleContext) -> [Finding] {
        guard let value = resource.attribute(assertion.attribute) else {
            if let mismatch = shapeMismatch(assertion.attribute, in: resource.current) {
                return [context.finding("\(assertion.attribute) cannot match \(resource.type): \(mismatch); fix the assertion's path", about: resource)]
            }
            return [context.finding("\(assertion.attribute) is not set; expected it \(describe(assertion.comparison))", about: resource)]
        }
        switch value {
        case .unknown:
            return [context.unverified("\(assertion.attribute) is unknown until apply; expected it \(describe(assertion.comparison))", about: resource)]
        case .sensitive(let hidden) where hidden.isUnknown:
            return [context.unverified("\(assertion.attribute) is unknown until apply; expected it \(describe(assertion.comparison))", about: resource)]
        default:
            break
        }
        // A sensitive value (or part) is compared as a plain one, and never shown.
        if holds(assertion.comparison, value.fullyUnmasked) { return [] }
        let shown = value.containsSensitive ? "a sensitive value" : value.description
        return [context.finding("\(assertion.title): \(assertion.attribute) is \(shown), expected it \(describe(assertion.comparison))", about: resource)]
    }

    /// Why a path finds nothing when the value's shape, not its absence, is the reason: a name
    /// step on a list (a block list needs `[0]`), an index on an object. nil when simply unset.
    static func shapeMismatch(_ path: String, in value: TerraformValue) -> String? {
        var current = value
        var walked = ""
        for step in TerraformValue.pathSteps(path) {
            switch (current, step) {
            case (.list, .attribute(let name)), (.list, .key(let name)):
                return "\(walked) is a list, so a step .\(name) never matches; write \(walked)[0] for its first element"
            case (.object, .index(let index)):
                return "\(walked) is an object, not a list, so [\(index)] never matches"
            case (_, .attribute(let name)), (_, .key(let name)):
                guard let next = current[name], !next.isUnknown, !next.isSensitive else { return nil }
                current = next
                walked += walked.isEmpty ? name : step.description
            case (_, .index(let index)):
                guard let next = current[index], !next.isUnknown, !next.isSensitive else { return nil }
                current = next
                walked += step.description
            }
        }
        return nil
    }

    static func holds(_ comparison: Policy.Assertion.Comparison, _ value: TerraformValue) -> Bool {
        switch comparison {
        case .equals(let expected): return matches(value, expected)
        case .notEquals(let expected): return !matches(value, expected)
        case .oneOf(let options): return options.contains { matches(value, $0) }
        case .atLeast(let bound): return value.numberValue.map { $0 >= bound } ?? false
        case .atMost(let bound): return value.numberValue.map { $0 <= bound } ?? false
        }
    }

    /// Terraform values against policy literals: numbers by value, everything else structurally.
    static func matches(_ value: TerraformValue, _ literal: JSONLiteral) -> Bool {
        switch (value, literal) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return Double(a) == Double(b)
        case (.string(let a), .string(let b)): return a == b
        case (.list(let items), .array(let expected)):
            return items.count == expected.count && zip(items, expected).allSatisfy { matches($0, $1) }
        case (.object(let fields), .object(let expected)):
            return fields.count == expected.count && expected.allSatisfy { key, inner in fields[key].map { matches($0, inner) } ?? false }
        default: return false
        }
    }

    static func describe(_ comparison: Policy.Assertion.Comparison) -> String {
        switch comparison {
        case .equals(let value): return "= \(value.serialized)"
        case .notEquals(let value): return "≠ \(value.serialized)"
        case .oneOf(let values): return "one of \(values.map(\.serialized).joined(separator: ", "))"
        case .atLeast(let bound): return ">= \(formatNumber(bound))"
        case .atMost(let bound): return "<= \(formatNumber(bound))"
        }
    }

    static func formatNumber(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
