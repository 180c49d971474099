/// The migration's phases, in the order the runbook runs them.
public enum Phase: String, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    case prepare
    case fullLoad = "full-load"
    case cutover
    case cleanup

    public var description: String { rawValue }

    private var order: Int { Phase.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: Phase, rhs: Phase) -> Bool { lhs.order < rhs.order }

    /// The runbook section each phase's deploy belongs to.
    public var runbookSection: String {
        switch self {
        case .prepare: return "Pre-Migration preparation, step 1 (deploy the migration-ready infrastructure)"
        case .fullLoad: return "Data Migration & Switchover, steps 1-6 (full load, then replication)"
        case .cutover: return "Data Migration & Switchover, step 7 (point ECS services at the target)"
        case .cleanup: return "Post-Migration cleanup (destroy migration-only resources and the old cluster)"
        }
    }
}

public enum Severity: String, CaseIterable, Comparable, Sendable {
    case note
    case warning
    case error

    private var order: Int { Severity.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.order < rhs.order }
}

/// `fail`: the plan breaks the invariant. `open`: it could not be verified (a value unknown
/// until apply, or a resource the rule needs is missing) – never counted as a pass.
public enum FindingKind: String, Sendable {
    case fail
    case open
}

/// Where a finding points: a file and a range in it.
public struct SourceLocation: Hashable, Sendable {
    public var file: String
    public var start: SourcePosition
    public var end: SourcePosition

    public init(file: String, start: SourcePosition, end: SourcePosition) {
        self.file = file
        self.start = start
        self.end = end
    }
}



/// One result of one rule about one resource. The single type every rule produces and
/// every report format renders.
public struct Finding: Hashable, Sendable {
    public var ruleID: String
    public var severity: Severity
    public var kind: FindingKind
    public var message: String
    /// The resource instance the finding is about, as Terraform prints its address.
    public var address: String?
    /// Where the resource's change (or instance) begins in the input file.
    public var location: SourceLocation?
    /// Set when a policy suppression covers this finding; reports show it apart.
    public var suppression: String?
    /// True when the suppression is an inline one in a `.tf` file (SARIF `inSource`), not the policy's (`external`).
    public var suppressionInSource = false
    /// Another resource whose change causes this finding (a target instance replaced because its cluster
    /// is): reports present the finding under that resource's cause (`FindingGroups`). Nil: its own resource.
    public var causeAddress: String? = nil

    public init(ruleID: String, severity: Severity, kind: FindingKind, message: String,
                address: String? = nil, location: SourceLocation? = nil, suppression: String? = nil) {
        self.ruleID = ruleID
        self.severity = severity
        self.kind = kind
        self.message = message
        self.address = address
        self.location = location
        self.suppression = suppression
    }

    /// Stable order for every report: rule, then resource, then message.
    public static func reportOrder(_ lhs: Finding, _ rhs: Finding) -> Bool {
        (lhs.ruleID, lhs.address ?? "", lhs.message) < (rhs.ruleID, rhs.address ?? "", rhs.message)
    }
}
