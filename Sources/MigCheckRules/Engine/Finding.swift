import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// `fail`: the plan breaks the invariant. `open`: it could not be verified (a value unknown
/// until apply, or a resource the rule needs is missing) – never counted as a pass.
public enum FindingKind: String, Sendable {
    case fail
    case open
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
    /// In a readiness run, the live object the finding is about (a cluster or instance identifier, a
    /// snapshot, a task ARN and table, a secret ARN): with the evidence file's name, what its
    /// fingerprint hashes instead of the line, which moves when the evidence is collected again.
    public var liveSubject: String? = nil

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
