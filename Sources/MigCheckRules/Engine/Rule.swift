import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// One example a rule carries: a plan (or state) and the phase to judge it in.
/// The test suite runs every example of every rule. Documents are built only when
/// asked for, so listing rules (or loading the default policy) costs nothing.
public struct RuleExample {
    public let name: String
    public let phase: Phase
    /// True when `document` is a state (`terraform show -json`), not a plan.
    public let isState: Bool
    /// The policy the example is judged under (the text of a `migcheck.json`); nil: the built-in default.
    public let policy: String?
    private let makeDocument: () -> String
    private let makePlan: (() -> ExamplePlan)?
    /// `.tf` files the example is checked with, as under `--source-dir` (inline suppressions).
    public private(set) var sourceFiles: [(name: String, text: String)] = []
    /// A readiness example's AWS CLI evidence files (nil: a plan or state example).
    private var makeEvidence: (() -> [(name: String, text: String)])? = nil

    public var evidence: [(name: String, text: String)] { makeEvidence?() ?? [] }
    public var isReadiness: Bool { makeEvidence != nil }

    /// A readiness example: evidence files judged in `phase` (`ReadinessEvaluator`), alone.
    public static func evidence(_ name: String, _ phase: Phase,
                                _ files: @autoclosure @escaping () -> [(name: String, text: String)], policy: String? = nil) -> RuleExample {
        RuleExample(name: name, phase: phase, isState: false, policy: policy, makeDocument: { "" }, makePlan: nil, makeEvidence: files)
    }

    public var document: String { makeDocument() }

    /// The example plan the document is written from (nil for a hand-written document):
    /// what the rule pages render as Terraform.
    public var plan: ExamplePlan? { makePlan?() }

    public static func plan(_ name: String, _ phase: Phase, _ plan: @autoclosure @escaping () -> ExamplePlan,
                            policy: String? = nil) -> RuleExample {
        RuleExample(name: name, phase: phase, isState: false, policy: policy, makeDocument: { plan().planJSON }, makePlan: plan)
    }

    public static func state(_ name: String, _ phase: Phase, _ plan: @autoclosure @escaping () -> ExamplePlan) -> RuleExample {
        RuleExample(name: name, phase: phase, isState: true, policy: nil, makeDocument: { plan().stateJSON }, makePlan: plan)
    }

    public static func json(_ name: String, _ phase: Phase, _ document: @autoclosure @escaping () -> String) -> RuleExample {
        RuleExample(name: name, phase: phase, isState: false, policy: nil, makeDocument: document, makePlan: nil)
    }

    /// The same example with its plan edited (e.g. attributes marked sensitive); nil for a JSON example.
    public func editingPlan(_ edit: @escaping (ExamplePlan) -> ExamplePlan) -> RuleExample? {
        guard let makePlan else { return nil }
        var edited: RuleExample = isState ? .state(name, phase, edit(makePlan())) : .plan(name, phase, edit(makePlan()), policy: policy)
        edited.sourceFiles = sourceFiles
        return edited
    }

    /// The same example checked with these `.tf` files in the source directory.
    public func with(sourceFiles files: [(name: String, text: String)]) -> RuleExample {
        var example = self
        example.sourceFiles = files
        return example
    }
}

/// What a rule is, in its own words: the way SwiftLint's `RuleDescription` carries its
/// identifier, rationale and examples.
public struct RuleDescription {
    /// Stable: SARIF, JUnit and suppressions refer to it.
    public let id: String
    /// Short kebab-case name, e.g. `engine-version-match`.
    public let name: String
    public let title: String
    /// Why it matters.
    public let rationale: String
    /// The step(s) of the migration it guards, as `docs/migration.md` names them in its
    /// headings (`prepare: source logical replication`); several are separated by `; `.
    public let runbookStep: String
    public let phases: Set<Phase>
    public let defaultSeverity: Severity
    /// Parameters the policy can set, with their defaults.
    public let parameters: [String: JSONLiteral]
    /// What the rule judges, as `resource_type.attribute` (a path where it reads inside a block:
    /// `aws_rds_cluster.master_user_secret[0].secret_arn`). A test marks each one sensitive in
    /// every triggering example and requires the same verdict, with nothing of the value printed.
    public let judgedAttributes: [String]
    /// Plans that must produce at least one failing finding of this rule.
    public let triggeringExamples: [RuleExample]
    /// Plans that must produce no failing finding of this rule.
    public let nonTriggeringExamples: [RuleExample]

    public init(id: String, name: String, title: String, rationale: String, runbookStep: String, phases: Set<Phase>,
                defaultSeverity: Severity = .error, parameters: [String: JSONLiteral] = [:], judgedAttributes: [String] = [],
                triggeringExamples: [RuleExample], nonTriggeringExamples: [RuleExample]) {
        self.id = id
        self.name = name
        self.title = title
        self.rationale = rationale
        self.runbookStep = runbookStep
        self.phases = phases
        self.defaultSeverity = defaultSeverity
        self.parameters = parameters
        self.judgedAttributes = judgedAttributes
        self.triggeringExamples = triggeringExamples
        self.nonTriggeringExamples = nonTriggeringExamples
    }

    public var sortedPhases: [Phase] { Phase.allCases.filter(phases.contains) }
}

/// An invariant of the migration. One rule, one file.
public protocol Rule {
    static var description: RuleDescription { get }
    init()
    func evaluate(_ context: RuleContext) -> [Finding]
}

/// What a rule sees while it runs, and the helpers that word its findings consistently.
public struct RuleContext {
    public let picture: MigrationPicture
    public let phase: Phase
    public let ruleID: String
    /// The rule's severity after the policy.
    public let severity: Severity
    public let parameters: [String: JSONLiteral]

    public var isPlan: Bool { picture.isPlan }

    /// How serious a finding is relative to the rule's severity.
    public enum Level {
        /// The rule's severity (error unless the policy says otherwise).
        case standard
        /// At most a warning: the runbook allows it but someone should look.
        case advisory
        /// Information only.
        case note
    }

    public func finding(_ message: String, about resource: ResourceView?, kind: FindingKind = .fail, level: Level = .standard) -> Finding {
        let severity: Severity
        switch level {
        case .standard: severity = self.severity
        case .advisory: severity = min(self.severity, .warning)
        case .note: severity = .note
        }
        return Finding(ruleID: ruleID, severity: severity, kind: kind, message: message,
                       address: resource?.addressText, location: resource?.location)
    }

    /// A value or resource the rule needs could not be seen: its own finding, never a pass.
    /// A message without its own action clause gets the one every unverified finding allows:
    /// check again once the value is known, or confirm by hand.
    public func unverified(_ message: String, about resource: ResourceView?) -> Finding {
        finding(message.contains("; ") ? message : message + "; " + Self.unverifiedAction(message), about: resource, kind: .open, level: .advisory)
    }

    /// `check again on the state after apply` for a value unknown until apply, else a manual check.
    static func unverifiedAction(_ message: String) -> String {
        message.contains("unknown until apply") ? "check again on the state after apply"
            : "confirm it by hand, or suppress it with a reason and an expiry"
    }

    /// The finding for a missing cluster role (no source/target in this document).
    public func missing(_ role: ClusterRole, needed what: String) -> Finding {
        unverified("no \(role.rawValue) cluster (aws_rds_cluster) found in this \(picture.document.kind == .plan ? "plan" : "state"), so \(what) "
            + "cannot be checked; name it with --\(role.rawValue) or the policy's \"\(role.rawValue)\"", about: nil)
    }

    public func integer(_ name: String, default fallback: Int) -> Int {
        if case .number(let text)? = parameters[name], let value = Int(text) { return value }
        return fallback
    }
}
