/// Applies the policy's suppressions: a matching finding is kept but marked (reports show
/// it apart and it does not gate); an expired suppression suppresses nothing and is
/// itself a finding, so a forgotten exception cannot outlive its reason.
public enum Suppressions {
    public static let expiredRuleID = "MIG900"

    static func apply(_ suppressions: [Policy.Suppression], to findings: [Finding], today: CalendarDate) -> [Finding] {
        guard !suppressions.isEmpty else { return findings }
        var result: [Finding] = []
        for var finding in findings {
            let matching = suppressions.filter { $0.rule == finding.ruleID && ($0.address == nil || $0.address == finding.address) }
            if let active = matching.first(where: { today <= $0.expires }) {
                finding.suppression = "\(active.reason) (until \(active.expires))"
            }
            result.append(finding)
        }
        for suppression in suppressions where suppression.expires < today {
            let scope = suppression.address.map { " for \($0)" } ?? ""
            result.append(Finding(ruleID: expiredRuleID, severity: .error, kind: .fail,
                                  message: "the suppression of \(suppression.rule)\(scope) expired on \(suppression.expires) (reason given: \(suppression.reason)); renew it with a new date or fix what it hid",
                                  address: suppression.address))
        }
        return result
    }
}
