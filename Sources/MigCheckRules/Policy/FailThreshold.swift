import MigCheckFoundation

/// The lowest severity that makes a run fail (`--fail-on`). It lives with the policy (whose
/// `unverifiedSeverity` it applies) in the lowest layer that knows a `Finding`, so the reports
/// and the command line gate a run the same way.
public enum FailThreshold: String, CaseIterable, Sendable {
    case error, warning, never

    /// Whether a finding fails the run. Suppressed findings never do; an unverified one counts
    /// at most at `unverifiedSeverity` (the policy's, a warning by default).
    public func gates(_ finding: Finding, unverifiedSeverity: Severity) -> Bool {
        guard finding.suppression == nil else { return false }
        let severity = finding.kind == .open ? min(finding.severity, unverifiedSeverity) : finding.severity
        switch self {
        case .never: return false
        case .error: return severity >= .error
        case .warning: return severity >= .warning
        }
    }
}
