import MigCheckFoundation
import MigCheckReading

/// Where the phase a document was judged under came from, for the reports' record of the run.
public enum PhaseOrigin: Equatable, Sendable {
    /// Named on the command line, by this flag (`--phase`).
    case flag(String)
    /// Named by the policy's `"phase"`, at this place in the policy file (nil: a policy built in code).
    case policy(SourceLocation?)
    /// Inferred from the document; `candidates` are the phases the evidence fits (several when uncertain).
    case inferred(candidates: [Phase])
}

/// Where a cluster's role (source or target) came from; the picture's `roleReasons` says why in words.
public enum RoleOrigin: Equatable, Sendable {
    /// Named on the command line, by this flag (`--source`, `--target`).
    case flag(String)
    /// Named by the policy's `"source"`/`"target"`, at this place in the policy file.
    case policy(SourceLocation)
    /// Inferred from the document, for the reason `roleReasons` gives.
    case inferred
}
