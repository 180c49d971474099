import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The report formats `--format` and `--output FORMAT=PATH` name.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, sarif, junit, github, markdown

    /// The usual file extension, for `--output` paths a CI recipe picks.
    public var fileExtension: String {
        switch self {
        case .text: return "txt"
        case .json: return "json"
        case .sarif: return "sarif"
        case .junit: return "xml"
        case .github: return "txt"
        case .markdown: return "md"
        }
    }

    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// The lowest severity that makes a run fail (`--fail-on`).
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

/// `--output FORMAT=PATH`.
public struct ReportDestination: Equatable, Sendable {
    public let format: ReportFormat
    public let path: String

    public init(format: ReportFormat, path: String) {
        self.format = format
        self.path = path
    }

    /// Parses `sarif=migcheck.sarif`; nil with the reason when it is not of that shape.
    public static func parse(_ argument: String) -> (destination: ReportDestination?, error: String?) {
        guard let equals = argument.firstIndex(of: "=") else {
            return (nil, "--output: expected FORMAT=PATH (FORMAT one of \(ReportFormat.names)), found '\(ErrorLine.visible(argument))'")
        }
        let name = String(argument[..<equals])
        let path = String(argument[argument.index(after: equals)...])
        guard let format = ReportFormat(rawValue: name) else {
            return (nil, "--output: unknown format '\(ErrorLine.visible(name))' (expected one of \(ReportFormat.names))")
        }
        guard !path.isEmpty else { return (nil, "--output \(ErrorLine.visible(name))=: missing the file path") }
        return (ReportDestination(format: format, path: path), nil)
    }
}

/// Everything a report needs: the evaluations of one run (one per document: several plan
/// files, or a terragrunt stream of several documents), how the run gates, and the few
/// facts about the run itself. Timestamp, host name and durations are injectable so tests
/// (and reproducible CI artefacts) get byte-identical reports.
public struct ReportInput {
    public var evaluations: [Evaluation]
    public var failOn: FailThreshold
    /// The policy's `unverifiedSeverity`: how an unverified finding gates.
    public var unverifiedSeverity: Severity
    /// When the run started, UTC, `YYYY-MM-DDThh:mm:ss` (no zone: the strict JUnit schema wants exactly that).
    public var timestamp: String
    /// The same instant with its zone, `YYYY-MM-DDThh:mm:ssZ`, for the formats that carry one (JSON, SARIF).
    public var zonedTimestamp: String { timestamp + "Z" }
    public var hostname: String
    /// Seconds each evaluation took, by index; missing entries count as 0.
    public var durations: [Double]
    /// `--sarif-category`: the SARIF runs' `automationDetails.id` (one category per environment in
    /// code scanning) instead of `migcheck/<phase>/<file>/`.
    public var sarifCategory: String?
    /// `--rules-url`: where the rule pages live (SARIF `helpUri`); nil: `MigCheckVersion.rulesURL`.
    public var rulesURL: String?
    /// Which policy the evaluations applied (every report records it): the built-in one unless set.
    public var policy: PolicyProvenance = .builtIn

    public init(evaluations: [Evaluation], failOn: FailThreshold = .error, unverifiedSeverity: Severity = .warning,
                timestamp: String? = nil, hostname: String? = nil, durations: [Double] = []) {
        self.evaluations = evaluations
        self.failOn = failOn
        self.unverifiedSeverity = unverifiedSeverity
        self.timestamp = timestamp ?? ReportInput.currentTimestamp()
        self.hostname = hostname ?? ReportInput.currentHostname()
        self.durations = durations
    }

    public func gates(_ finding: Finding) -> Bool { failOn.gates(finding, unverifiedSeverity: unverifiedSeverity) }

    /// Whether the run fails: some finding of some document gates.
    public var fails: Bool { evaluations.contains { $0.findings.contains(where: gates) } }

    public func duration(of index: Int) -> Double {
        index < durations.count ? max(0, durations[index]) : 0
    }

    /// Now, UTC, as `YYYY-MM-DDThh:mm:ss`.
    public static func currentTimestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }

    /// This machine's name, or `localhost` when it cannot be told (as the JUnit schema asks).
    public static func currentHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let name = String(decoding: bytes, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}

/// The single entry point of every report format.
public enum Reports {
    /// One report of all evaluations. `style` matters only to `text` (colour on a terminal).
    public static func render(_ format: ReportFormat, _ input: ReportInput, style: TextStyle = TextStyle(colour: false)) -> String {
        switch format {
        case .text:
            return input.evaluations.map { TextReport.render($0, style: style, policy: input.policy) }.joined(separator: "\n\n") + "\n"
        case .json: return JSONReport.render(input)
        case .sarif: return SARIFReport.render(input)
        case .junit: return JUnitReport.render(input)
        case .github: return GitHubAnnotations.render(input)
        case .markdown: return MarkdownReport.render(input)
        }
    }
}

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
    /// the way GitHub numbers `primaryLocationLineHash`.
    static func stableFingerprints(_ findings: [Finding]) -> [String] {
        numbered(findings.map { fnv1a64([$0.ruleID, $0.address ?? "(plan-wide)\u{0}" + $0.message]) })
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

    /// Replaces control and bidirectional characters (except those listed in `keeping`) by a visible `\uXXXX`.
    static func visibleControls(_ text: String, keeping kept: Set<Unicode.Scalar> = []) -> String {
        TextEscaping.visible(text, keeping: kept)
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
