import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// Applies the policy's suppressions: a matching finding is kept but marked (reports show
/// it apart and it does not gate); an expired suppression suppresses nothing and is
/// itself a finding, so a forgotten exception cannot outlive its reason; and a suppression
/// whose address names no resource in the document is a finding too, so a typo in it is
/// never mistaken for a fixed problem.
public enum Suppressions {
    public static let expiredRuleID = "MIG900"
    public static let unmatchedRuleID = "MIG901"

    package static func apply(_ suppressions: [Policy.Suppression], to findings: [Finding], today: CalendarDate,
                      resources: [ResourceView] = [], documentKind: String = "document") -> [Finding] {
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
        // An expired one is reported as expired only; the addresses are gathered once, when needed.
        let addressed = suppressions.filter { $0.address != nil && today <= $0.expires }
        guard !addressed.isEmpty else { return result }
        var known = Set(resources.map(\.addressText))
        for finding in findings { if let address = finding.address { known.insert(address) } }
        var reported = Set<String>()
        for suppression in addressed {
            guard let address = suppression.address, !known.contains(address),
                  reported.insert(suppression.rule + "\u{0}" + address).inserted else { continue }
            result.append(Finding(ruleID: unmatchedRuleID, severity: .warning, kind: .fail,
                                  message: "the suppression of \(suppression.rule) for \(address) matches no resource in this \(documentKind) "
                                      + "(reason given: \(suppression.reason)); write the address as `terraform show -json` prints it, "
                                      + "instance key included, or remove the suppression",
                                  address: address))
        }
        return result
    }
}
