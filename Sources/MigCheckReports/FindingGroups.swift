import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// One cause and the findings it explains: every report presents a group together, the cause
/// first. Each finding keeps its own verdict (JUnit, `--fail-on` and SARIF count every one).
///
/// The rule: the active findings about one resource address form one group, joined by the
/// findings a rule attributes to that resource's change (`Finding.causeAddress`: a target
/// instance replaced only because its cluster is). Its cause is the finding of the
/// highest-priority rule about the resource itself: a destroy or replacement first (MIG008 no-data-loss, then MIG007
/// deletion-protection, then MIG009 final-snapshot), since it explains everything else wrong
/// with that resource; the resource's own findings before those about others; then the most
/// severe (a failure before an unverified check), then by rule ID. Plan-wide findings (no address) and
/// suppressed ones stand alone.
public struct FindingGroup: Equatable, Sendable {
    /// Index of the cause in the findings the groups were built from.
    public let cause: Int
    /// Indices of the other findings of the group, in presentation order.
    public let related: [Int]

    public var members: [Int] { [cause] + related }
}

public enum FindingGroups {
    /// Rules whose finding is the cause of every other finding on the same resource, first first.
    public static let causeRules = ["MIG008", "MIG007", "MIG009"]

    /// The groups of `findings`, ordered by their cause's position in `findings`.
    public static func groups(_ findings: [Finding]) -> [FindingGroup] {
        var byAddress: [String: [Int]] = [:]
        var groups: [FindingGroup] = []
        for (index, finding) in findings.enumerated() {
            guard finding.suppression == nil, let address = finding.causeAddress ?? finding.address else {
                groups.append(FindingGroup(cause: index, related: []))
                continue
            }
            byAddress[address, default: []].append(index)
        }
        for members in byAddress.values {
            let ordered = members.sorted { precedes(findings[$0], findings[$1]) || (!precedes(findings[$1], findings[$0]) && $0 < $1) }
            guard let cause = ordered.first else { continue }
            groups.append(FindingGroup(cause: cause, related: Array(ordered.dropFirst())))
        }
        return groups.sorted { $0.cause < $1.cause }
    }

    /// For each finding, the index of its group's cause (its own index for a cause).
    public static func causeIndex(_ findings: [Finding]) -> [Int] {
        var result = Array(findings.indices)
        for group in groups(findings) {
            for member in group.related { result[member] = group.cause }
        }
        return result
    }

    /// Active causes: what the summary line counts.
    public static func causeCount(_ findings: [Finding]) -> Int {
        groups(findings).filter { findings[$0.cause].suppression == nil }.count
    }

    /// Whether `lhs` comes before `rhs` within a group: the resource's own findings, the cause rules first, then severity,
    /// a failure before an unverified check, then rule ID and message.
    static func precedes(_ lhs: Finding, _ rhs: Finding) -> Bool {
        let left = causeRules.firstIndex(of: lhs.ruleID) ?? causeRules.count
        let right = causeRules.firstIndex(of: rhs.ruleID) ?? causeRules.count
        if (lhs.causeAddress == nil) != (rhs.causeAddress == nil) { return lhs.causeAddress == nil }
        if left != right { return left < right }
        if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
        if lhs.kind != rhs.kind { return lhs.kind == .fail }
        return (lhs.ruleID, lhs.address ?? "", lhs.message) < (rhs.ruleID, rhs.address ?? "", rhs.message)
    }
}
