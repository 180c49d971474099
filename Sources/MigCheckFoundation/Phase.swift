/// The migration's phases, in the order the runbook runs them.
public enum Phase: String, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    case prepare
    case fullLoad = "full-load"
    case cutover
    case cleanup

    public var description: String { rawValue }

    private var order: Int { Phase.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: Phase, rhs: Phase) -> Bool { lhs.order < rhs.order }

}

public enum Severity: String, CaseIterable, Comparable, Sendable {
    case note
    case warning
    case error

    private var order: Int { Severity.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.order < rhs.order }
}
