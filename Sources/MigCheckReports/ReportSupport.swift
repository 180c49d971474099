import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// Facts about rules and documents that several formats share.
enum ReportSupport {
    /// A rule as the reports list it: its description, whether it ran, and why not.
    struct RuleEntry {
        let description: RuleDescription
        /// nil when the rule ran.
        let skipReason: String?
    }

    /// Every rule of an evaluation: the rules that ran and the ones that did not, in the
    /// registry's order, then custom assertions in policy order, then any rule ID a finding
    /// names that neither list holds (MIG900, an expired suppression).
    static func rules(of evaluation: Evaluation) -> [RuleEntry] {
        var entries: [RuleEntry] = []
        var seen = Set<String>()
        let registry = RuleRegistry.descriptions.map(\.id)
        let custom = evaluation.customRules.map(\.id)
        var candidates = evaluation.rulesRun.map { RuleEntry(description: $0, skipReason: nil) }
            + evaluation.rulesSkipped.map { RuleEntry(description: $0.rule, skipReason: $0.reason) }
        func rank(_ id: String) -> Int {
            if let index = registry.firstIndex(of: id) { return index }
            if let index = custom.firstIndex(of: id) { return registry.count + index }
            return registry.count + custom.count
        }
        candidates = candidates.enumerated().sorted { lhs, rhs in
            let left = rank(lhs.element.description.id)
            let right = rank(rhs.element.description.id)
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map(\.element)
        for entry in candidates where seen.insert(entry.description.id).inserted {
            entries.append(entry)
        }
        for finding in evaluation.findings where seen.insert(finding.ruleID).inserted {
            entries.append(RuleEntry(description: synthesized(finding.ruleID), skipReason: nil))
        }
        return entries
    }

    /// A description for a rule ID no evaluated rule declares: MIG900's own, else a stand-in.
    static func synthesized(_ id: String) -> RuleDescription {
        if id == Suppressions.unmatchedRuleID { return UnmatchedSuppressionRule.description }
        if id == Suppressions.expiredRuleID { return ExpiredSuppressionRule.description }
        if id == InlineSuppressions.malformedRuleID { return MalformedInlineSuppressionRule.description }
        return RuleDescription(id: id, name: id.lowercased(), title: id, rationale: "Reported by migcheck as \(id).",
                               runbookStep: "", phases: Set(Phase.allCases), triggeringExamples: [], nonTriggeringExamples: [])
    }

    /// `plan.json`, or `plan.json (document 2)` for the second document of a stream.
    static func documentLabel(_ evaluation: Evaluation) -> String {
        let document = evaluation.picture.document
        return document.documentNumber.map { "\(document.file) (document \($0))" } ?? document.file
    }

    /// The title a report shows for a rule: its own, or its ID and name while it has none.
    static func title(_ description: RuleDescription) -> String {
        let title = description.title.trimmedSpaces
        return title.isEmpty || title.hasPrefix("(") ? "\(description.id) \(description.name)" : title
    }

    /// The location a finding points at: its own; else, for a finding about a resource the
    /// document holds, that resource's position in the document; else (a plan-wide finding,
    /// which every report labels `(plan-wide)`) the document's first character.
    static func location(_ finding: Finding, in evaluation: Evaluation) -> SourceLocation {
        if let location = finding.location { return location }
        if let address = finding.address, let resource = evaluation.picture.resources.first(where: { $0.addressText == address }) {
            return resource.location
        }
        let start = SourcePosition(line: 1, column: 1)
        return SourceLocation(file: evaluation.picture.document.file, start: start, end: start)
    }

    /// What a finding is about, as every format names it: its resource's address; else, in a
    /// readiness run, the evidence file and line it points at (`(evidence)` when it points at
    /// none); else `(plan-wide)`. Plan and state reports never take the readiness branches.
    static func subject(_ finding: Finding, in evaluation: Evaluation) -> String {
        if let address = finding.address { return address }
        guard evaluation.readiness != nil else { return "(plan-wide)" }
        return finding.location.map { "\($0.file):\($0.start.line)" } ?? "(evidence)"
    }

    /// 64-bit FNV-1a of the UTF-8 bytes, as 16 lower-case hex digits: a stable hash that
    /// does not depend on the process (Swift's `Hasher` is seeded per run).
    static func fnv1a64(_ parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (index, part) in parts.enumerated() {
            if index > 0 {
                hash ^= 0
                hash = hash &* 0x0000_0100_0000_01B3
            }
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The fingerprints that survive line moves, one per finding: a hash of rule and resource
    /// (plus the message for a plan-wide finding, which has no resource to tell it from its
    /// siblings), then `:N`, the how-manieth finding with that hash it is (in report order),
    /// the way GitHub numbers `primaryLocationLineHash`. A readiness finding hashes, with its rule
    /// and message, the name of the evidence file it points at (not its directory, not the line)
    /// and its live subject (else its resource): the same after the evidence is collected again.
    static func stableFingerprints(_ evaluation: Evaluation) -> [String] {
        guard evaluation.readiness != nil else {
            return numbered(evaluation.findings.map { fnv1a64([$0.ruleID, $0.address ?? "(plan-wide)\u{0}" + $0.message]) })
        }
        return numbered(evaluation.findings.map { finding in
            let file = finding.location.map { $0.file.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? $0.file }
            return fnv1a64([finding.ruleID, "(evidence)", file ?? "", finding.liveSubject ?? finding.address ?? "", finding.message])
        })
    }

    /// `hash:1`, `hash:2`… for repeated hashes, in order.
    static func numbered(_ hashes: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return hashes.map { hash in
            let occurrence = (seen[hash] ?? 0) + 1
            seen[hash] = occurrence
            return "\(hash):\(occurrence)"
        }
    }

    /// The label a finding's kind and severity go by in every format: `unverified` for an open finding.
    static func label(_ finding: Finding) -> String {
        finding.kind == .open ? "unverified" : finding.severity.rawValue
    }
}

extension String {
    /// At most `limit` UTF-16 code units (the way GitHub and JavaScript count), cut on a
    /// scalar boundary and ended with `…` when cut.
    package func limited(toUTF16 limit: Int) -> String {
        guard utf16.count > limit else { return self }
        var out = ""
        var used = 0
        for scalar in unicodeScalars {
            let width = scalar.value > 0xFFFF ? 2 : 1
            if used + width > limit - 1 { break }
            out.unicodeScalars.append(scalar)
            used += width
        }
        return out + "…"
    }
}
