import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// What a team decides about the checks: the phase, which cluster is which, each rule's
/// severity, parameters and on/off switch, suppressions with a reason and an expiry, and
/// custom assertions. Read from `migcheck.json` (or `--policy FILE`).
public struct Policy: Equatable {
    public struct RuleSettings: Equatable {
        public var enabled: Bool = true
        public var severity: Severity?
        public var parameters: [String: JSONLiteral] = [:]
    }

    public struct Suppression: Equatable {
        public var rule: String
        /// nil: every resource.
        public var address: String?
        public var reason: String
        public var expires: CalendarDate
    }

    public struct Assertion: Equatable {
        public enum Comparison: Equatable {
            case equals(JSONLiteral)
            case notEquals(JSONLiteral)
            case oneOf([JSONLiteral])
            case atLeast(Double)
            case atMost(Double)
        }

        public var id: String
        public var title: String
        public var resourceType: String
        public var role: ClusterRole?
        public var attribute: String
        public var comparison: Comparison
        public var phases: Set<Phase>
        public var severity: Severity
    }

    public static let currentVersion = 1

    public var phase: Phase?
    /// Where the file names the phase, for the reports' record of where it came from.
    public var phaseLocation: SourceLocation?
    public var source: String?
    public var target: String?
    /// Where the file names the source and the target, so that an error about either points there.
    public var sourceLocation: SourceLocation?
    public var targetLocation: SourceLocation?
    /// How unverified (open) findings gate: as warnings unless the policy says otherwise.
    public var unverifiedSeverity: Severity = .warning
    public var rules: [String: RuleSettings] = [:]
    public var suppressions: [Suppression] = []
    public var assertions: [Assertion] = []

    public init() {}

    /// The policy in force when no file is given. `Policies/migcheck.json` holds the same,
    /// and a test keeps the two equal.
    public static var builtInDefault: Policy {
        var policy = Policy()
        for description in RuleRegistry.descriptions + RuleRegistry.readinessDescriptions {
            policy.rules[description.id] = RuleSettings(enabled: true, severity: description.defaultSeverity,
                                                        parameters: description.parameters)
        }
        return policy
    }

    /// The policy as a file, in the layout of `Policies/migcheck.json`.
    public var fileText: String {
        var rulesObject: [(String, JSONLiteral)] = []
        for id in rules.keys.sorted() {
            guard let settings = rules[id] else { continue }
            var entry: JSONLiteral = ["enabled": .bool(settings.enabled)]
            if let severity = settings.severity { entry["severity"] = .string(severity.rawValue) }
            if !settings.parameters.isEmpty {
                entry["parameters"] = .object(settings.parameters.keys.sorted().compactMap { key in settings.parameters[key].map { (key, $0) } })
            }
            rulesObject.append((id, entry))
        }
        var lines = ["{"]
        lines.append("  \"policyVersion\": \(Policy.currentVersion),")
        lines.append("  \"phase\": \(phase.map { JSONLiteral.string($0.rawValue) }?.serialized ?? "null"),")
        lines.append("  \"source\": \(source.map { JSONLiteral.string($0) }?.serialized ?? "null"),")
        lines.append("  \"target\": \(target.map { JSONLiteral.string($0) }?.serialized ?? "null"),")
        lines.append("  \"unverifiedSeverity\": \"\(unverifiedSeverity.rawValue)\",")
        lines.append("  \"rules\": {")
        for (index, rule) in rulesObject.enumerated() {
            lines.append("    \(JSONLiteral.string(rule.0).serialized): \(rule.1.serialized)" + (index + 1 < rulesObject.count ? "," : ""))
        }
        lines.append("  },")
        lines.append("  \"suppressions\": [" + suppressions.map { suppression in
            var entry: JSONLiteral = ["rule": .string(suppression.rule)]
            if let address = suppression.address { entry["address"] = .string(address) }
            entry["reason"] = .string(suppression.reason)
            entry["expires"] = .string(suppression.expires.description)
            return "\n    " + entry.serialized
        }.joined(separator: ",") + (suppressions.isEmpty ? "" : "\n  ") + "],")
        lines.append("  \"assertions\": []")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}
