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
