import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// The counts every format agrees on (the text report's summary line words them).
/// `errors`, `warnings` and `notes` count active `fail` findings, `unverified` active `open`
/// ones of any severity, `suppressed` the findings a policy suppression covers.
public struct ReportCounts: Equatable, Sendable {
    public var resources = 0
    public var errors = 0
    public var warnings = 0
    public var notes = 0
    public var unverified = 0
    public var suppressed = 0
    /// Findings that fail the run under `--fail-on` and the policy's `unverifiedSeverity`.
    public var gating = 0

    public init() {}

    public init(_ evaluation: Evaluation, gates: (Finding) -> Bool) {
        resources = evaluation.resourceCount
        for finding in evaluation.findings {
            if gates(finding) { gating += 1 }
            if finding.suppression != nil {
                suppressed += 1
            } else if finding.kind == .open {
                unverified += 1
            } else {
                switch finding.severity {
                case .error: errors += 1
                case .warning: warnings += 1
                case .note: notes += 1
                }
            }
        }
    }

    public static func + (lhs: ReportCounts, rhs: ReportCounts) -> ReportCounts {
        var sum = lhs
        sum.resources += rhs.resources
        sum.errors += rhs.errors
        sum.warnings += rhs.warnings
        sum.notes += rhs.notes
        sum.unverified += rhs.unverified
        sum.suppressed += rhs.suppressed
        sum.gating += rhs.gating
        return sum
    }
}
