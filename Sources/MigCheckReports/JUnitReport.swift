import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// `--format junit`: JUnit XML for CI test reporters (Jenkins, GitLab, Azure, test-reporter
/// actions). Valid against both schemas CI tools check: Jenkins xUnit's `junit-10.xsd` and the
/// strict Ant/Windy Road `JUnit.xsd` (so `<testsuites>` carries no attributes, and every
/// suite has `package`, `id`, `timestamp`, `hostname`, `time`, `<properties>`,
/// `<system-out>` and `<system-err>`, in that order).
///
/// Layout: one `<testsuites>`; one `<testsuite>` per (document, rule). Rules only return
/// findings, never the list of resources they looked at, so "a test case per rule and
/// resource checked" is defined this way:
/// - a rule that ran: one test case per resource it has findings about (named by the
///   address; plan-wide findings under `(plan-wide)`, a readiness rule's findings without an
///   address under the evidence files and lines they point at), and when it has no finding at all,
///   one passing test case named after the rule (`MIG004 <title>`);
/// - a rule that did not run (outside the phase, disabled by the policy): one test case,
///   `<skipped>` with the reason.
/// A test case fails (`<failure type="error" message="…">`) when one of its findings is an
/// error or fails the run under `--fail-on`; otherwise it is skipped when one is unverified
/// (`open`) or suppressed, with the reason; otherwise it passes. Warnings and notes that do
/// not fail the run are listed in the suite's `<system-out>` (the strict schema allows no
/// output inside a test case).
///
/// Times: migcheck times a whole document, not each rule; a document's time is spread
/// evenly, in whole milliseconds, over the test cases of the rules that ran, so every
/// suite's time is the sum of its test cases' and the suites add up to the document's time.
///
/// Escaping: text and attribute values are escaped for XML 1.0 (`&`, `<`, `>`, both quotes in
/// attributes, and line feed and carriage return everywhere, tab in attributes, as character
/// references), so every raw line of the file is markup and no text from a plan or policy can
/// start a line of a CI log (`::error::…`). The characters XML 1.0 cannot carry at all (other
/// C0 controls, U+FFFE, U+FFFF), C1 controls, U+2028/U+2029 and the bidirectional controls are
/// written as a visible `\uXXXX`, as in every other format.
public enum JUnitReport: Reporter {
    public static let identifier = "junit"
    public static let fileExtension = "xml"
    public static let description = "JUnit XML for CI test reporters."

    public static func render(_ input: ReportInput, style: TextStyle) -> String {
        render(input)
    }

    public static func render(_ input: ReportInput) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
        var suiteID = 0
        for (index, evaluation) in input.evaluations.enumerated() {
            for suite in suites(evaluation, input: input, index: index) {
                xml += render(suite, id: suiteID, evaluation: evaluation, input: input)
                suiteID += 1
            }
        }
        return xml + "</testsuites>\n"
    }

    struct TestCase {
        enum Outcome {
            case passed
            case failed(type: String, message: String, details: String)
            case skipped(message: String)
        }

        let name: String
        var outcome: Outcome
        var milliseconds = 0
        /// True for the test cases of a rule that ran (they share the document's time).
        let ran: Bool
    }

    struct Suite {
        let rule: RuleDescription
        let skipReason: String?
        var cases: [TestCase]
        /// Findings that do not fail a test case: warnings and notes, listed in `<system-out>`.
        var output: [String]
    }

    static func suites(_ evaluation: Evaluation, input: ReportInput, index: Int) -> [Suite] {
        var suites: [Suite] = []
        if let absence = evaluation.noMigration {
            // One suite that says so, with its one test case skipped; expired suppressions still fail below.
            let rule = RuleDescription(id: "migcheck", name: "no-migration", title: "No migration in this document",
                                       rationale: absence, runbookStep: "", phases: [], triggeringExamples: [], nonTriggeringExamples: [])
            suites.append(Suite(rule: rule, skipReason: absence, cases: [TestCase(name: "no migration", outcome: .skipped(message: absence), ran: false)],
                                output: []))
        }
        for entry in ReportSupport.rules(of: evaluation) where evaluation.isMigration || entry.skipReason == nil {
            let rule = entry.description
            let name = "\(rule.id) \(ReportSupport.title(rule))"
            if let reason = entry.skipReason {
                suites.append(Suite(rule: rule, skipReason: reason, cases: [TestCase(name: name, outcome: .skipped(message: reason), ran: false)],
                                    output: []))
                continue
            }
            let findings = evaluation.findings.filter { $0.ruleID == rule.id }
            guard !findings.isEmpty else {
                suites.append(Suite(rule: rule, skipReason: nil, cases: [TestCase(name: name, outcome: .passed, ran: true)], output: []))
                continue
            }
            var groups: [(address: String?, findings: [Finding])] = []
            for finding in findings {
                if let position = groups.firstIndex(where: { $0.address == finding.address }) {
                    groups[position].findings.append(finding)
                } else {
                    groups.append((finding.address, [finding]))
                }
            }
            var cases: [TestCase] = []
            var output: [String] = []
            for group in groups {
                let failing = group.findings.filter { $0.suppression == nil && (input.gates($0) || ($0.kind == .fail && $0.severity == .error)) }
                let open = group.findings.filter { $0.suppression == nil && $0.kind == .open && !failing.contains($0) }
                let suppressed = group.findings.filter { $0.suppression != nil }
                let outcome: TestCase.Outcome
                if !failing.isEmpty {
                    let worst = failing.map(\.severity).max() ?? .error
                    outcome = .failed(type: worst.rawValue, message: failing.map(\.message).joined(separator: "; "),
                                      details: failing.map { line($0, evaluation) }.joined(separator: "\n"))
                } else if !open.isEmpty {
                    outcome = .skipped(message: "unverified: " + open.map(\.message).joined(separator: "; "))
                } else if !suppressed.isEmpty, suppressed.count == group.findings.count {
                    outcome = .skipped(message: "suppressed by the policy or inline: " + suppressed.map { "\($0.message) (\($0.suppression ?? ""))" }.joined(separator: "; "))
                } else {
                    outcome = .passed
                }
                for finding in group.findings where !failing.contains(finding) {
                    output.append(line(finding, evaluation))
                }
                cases.append(TestCase(name: caseName(group.findings, evaluation), outcome: outcome, ran: true))
            }
            suites.append(Suite(rule: rule, skipReason: nil, cases: cases, output: output))
        }
        // Spread the document's time over the test cases of rules that ran, in whole milliseconds.
        let total = Int((input.duration(of: index) * 1000).rounded())
        let ran = suites.reduce(0) { $0 + $1.cases.filter(\.ran).count }
        if ran > 0, total > 0 {
            var position = 0
            for s in suites.indices {
                for c in suites[s].cases.indices where suites[s].cases[c].ran {
                    suites[s].cases[c].milliseconds = total / ran + (position < total % ran ? 1 : 0)
                    position += 1
                }
            }
        }
        return suites
    }

    /// A test case's name: its findings' address, `(plan-wide)`, or the evidence files and lines they point at.
    static func caseName(_ findings: [Finding], _ evaluation: Evaluation) -> String {
        var subjects: [String] = []
        for finding in findings {
            let subject = ReportSupport.subject(finding, in: evaluation)
            if !subjects.contains(subject) { subjects.append(subject) }
        }
        return subjects.joined(separator: ", ")
    }

    /// `plan.json:12:5: error MIG001 aws_rds_cluster.core: message [suppressed: reason]`
    package static func line(_ finding: Finding, _ evaluation: Evaluation) -> String {
        let location = ReportSupport.location(finding, in: evaluation)
        // An evidence finding's subject is its location, which the line already starts with.
        let evidenceOnly = finding.address == nil && finding.location != nil && evaluation.readiness != nil
        var text = "\(location.file):\(location.start.line):\(location.start.column): \(ReportSupport.label(finding)) \(finding.ruleID) "
            + (evidenceOnly ? "" : "\(ReportSupport.subject(finding, in: evaluation)): ") + finding.message
        if let reason = finding.suppression { text += " [suppressed: \(reason)]" }
        return text
    }

    static func render(_ suite: Suite, id: Int, evaluation: Evaluation, input: ReportInput) -> String {
        let label = ReportSupport.documentLabel(evaluation)
        let failures = suite.cases.filter { if case .failed = $0.outcome { return true }; return false }.count
        let skipped = suite.cases.filter { if case .skipped = $0.outcome { return true }; return false }.count
        let milliseconds = suite.cases.reduce(0) { $0 + $1.milliseconds }
        var xml = "  <testsuite name=\"\(attribute("\(suite.rule.id) \(suite.rule.name)"))\" package=\"\(attribute(label))\" id=\"\(id)\""
            + " timestamp=\"\(attribute(input.timestamp))\" hostname=\"\(attribute(input.hostname.isEmpty ? "localhost" : input.hostname))\""
            + " tests=\"\(suite.cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"\(seconds(milliseconds))\">\n"
        xml += "    <properties>\n"
        var properties: [(String, String)] = [("file", evaluation.picture.document.file)]
        if let number = evaluation.picture.document.documentNumber { properties.append(("document", String(number))) }
        properties += [("phase", evaluation.isMigration ? evaluation.considered.map(\.rawValue).joined(separator: ", ") : "none (no migration)"),
                       ("phaseReason", evaluation.phaseReason),
                       ("rule", suite.rule.id), ("ruleTitle", ReportSupport.title(suite.rule)),
                       ("status", suite.skipReason == nil ? "ran" : "skipped"), ("failOn", input.failOn.rawValue),
                       ("migcheckVersion", MigCheckVersion.current)]
        properties += provenance(evaluation, input: input)
        for (name, value) in properties {
            xml += "      <property name=\"\(attribute(name))\" value=\"\(attribute(value))\"/>\n"
        }
        xml += "    </properties>\n"
        let classname = "\(label).\(suite.rule.id)"
        for testCase in suite.cases {
            xml += "    <testcase name=\"\(attribute(testCase.name))\" classname=\"\(attribute(classname))\" time=\"\(seconds(testCase.milliseconds))\""
            switch testCase.outcome {
            case .passed:
                xml += "/>\n"
            case .failed(let type, let message, let details):
                xml += ">\n      <failure type=\"\(attribute(type))\" message=\"\(attribute(message))\">\(text(details))</failure>\n    </testcase>\n"
            case .skipped(let message):
                xml += ">\n      <skipped message=\"\(attribute(message))\"/>\n    </testcase>\n"
            }
        }
        if suite.output.isEmpty {
            xml += "    <system-out/>\n"
        } else {
            xml += "    <system-out>\(text(suite.output.joined(separator: "\n")))</system-out>\n"
        }
        xml += "    <system-err/>\n  </testsuite>\n"
        return xml
    }

    /// The run's record of how it was judged: the policy and its SHA-256, where the phase and each role came from.
    package static func provenance(_ evaluation: Evaluation, input: ReportInput) -> [(String, String)] {
        var properties: [(String, String)] = [("policy", input.policy.path ?? "built-in"), ("policyOrigin", input.policy.origin.rawValue),
                                              ("policySha256", input.policy.sha256)]
        if let phase = RunRecord.phaseOriginText(evaluation) { properties.append(("phaseOrigin", phase)) }
        for role in [ClusterRole.source, .target] {
            guard let cluster = evaluation.picture.cluster(role), let origin = RunRecord.roleOriginText(evaluation.picture, role) else { continue }
            properties.append((role.rawValue, cluster.addressText))
            properties.append(("\(role.rawValue)Origin", origin))
        }
        return properties
    }

    /// Milliseconds as seconds with three decimals (Surefire's time pattern allows no more).
    static func seconds(_ milliseconds: Int) -> String {
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    /// Character data: `&`, `<`, `>` (so `]]>` cannot occur) and line breaks escaped.
    package static func text(_ value: String) -> String { escape(value, inAttribute: false) }

    /// An attribute value in double quotes: also both quotes, and a tab as a reference so
    /// attribute-value normalisation keeps it.
    package static func attribute(_ value: String) -> String { escape(value, inAttribute: true) }

    /// Other control characters (`TextEscaping.isControl`) as `\uXXXX`, as in every format.
    package static func escape(_ value: String, inAttribute: Bool) -> String {
        TextEscaping.escape(value) { scalar, _, _ in spelling(scalar, inAttribute: inAttribute) }
    }

    /// XML's own spelling of a scalar, or nil.
    private static func spelling(_ scalar: Unicode.Scalar, inAttribute: Bool) -> String? {
        switch scalar {
        case "&": return "&amp;"
        case "<": return "&lt;"
        case ">": return "&gt;"
        case "\"" where inAttribute: return "&quot;"
        case "'" where inAttribute: return "&apos;"
        // Line breaks as references in text too: a reporter still reads a line break, a
        // log that prints the file never starts a line with text from the input.
        case "\r": return "&#13;"
        case "\n": return "&#10;"
        case "\t": return inAttribute ? "&#9;" : "\t"
        // Not characters XML 1.0 can carry at all.
        case "\u{FFFE}", "\u{FFFF}": return TextEscaping.escaped(scalar.value)
        default: return nil
        }
    }
}
