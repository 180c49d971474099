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
