import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckTestSupport

/// Sensitive is not unknown: a rule judges a value Terraform marks sensitive as it judges the
/// plain value, and names it only as sensitive. Every rule's triggering examples run again with
/// the attributes the rule declares it judges marked sensitive; the verdict must not change and
/// no report format may print any part of those values.
final class SensitiveJudgingTests: XCTestCase {
    /// Strings shorter than this (`16.4`, `0`) could appear in a report for other reasons.
    static let shortestCheckedValue = 5
    /// Values rules name in their remedies ("set \"replica\"") and address keys (`this["target"]`):
    /// a message quoting one says what is expected, not what the sensitive value is.
    static let ruleConstants: Set<String> = ["origin", "replica", "local", "pending-reboot", "full-load-and-cdc", "source", "target"]

    func testEveryRuleDeclaresWhatItJudges() {
        for description in RuleRegistry.descriptions {
            XCTAssertFalse(description.judgedAttributes.isEmpty, "\(description.id) declares no judgedAttributes")
            for judged in description.judgedAttributes {
                let (type, path) = Self.split(judged)
                let found = description.triggeringExamples.contains { example in
                    var seen = false
                    _ = example.editingPlan { plan in
                        seen = plan.resources.contains { $0.parsedAddress.type == type && Self.has(path, in: $0) }
                        return plan
                    }?.document
                    return seen
                }
                XCTAssertTrue(found, "\(description.id): no triggering example has \(judged) to mark")
            }
        }
    }

    func testSensitiveValuesGetTheSameVerdictAndAreNotPrinted() throws {
        var baselines: [Phase: [String]] = [:]
        var baselineMessages: [Phase: [String]] = [:]
        for description in RuleRegistry.descriptions {
            let all = description.judgedAttributes.map(Self.split)
            // Attributes judged inside a block are also marked alone: a mask of the value's shape, not the whole block.
            let nested = all.filter { $0.path.contains(".") || $0.path.contains("[") }
            for (pass, judged) in ([all] + (nested.isEmpty ? [] : [nested])).enumerated() {
            for example in description.triggeringExamples {
                var markedValues: [TerraformValue] = []
                let marked = try XCTUnwrap(example.editingPlan { plan in
                    var plan = plan
                    for resource in plan.resources {
                        for (type, path) in judged where resource.parsedAddress.type == type {
                            plan = plan.markingSensitive(resource.address, path)
                            markedValues += [resource.before, resource.after].compactMap { Self.value(at: path, in: $0) }
                        }
                    }
                    return plan
                }, "\(description.id) \"\(example.name)\" is no example plan")
                let label = "\(description.id) \"\(example.name)\"" + (pass == 0 ? "" : " (marking \(judged.map(\.path)) alone)")
                let plain = try RuleHarness.evaluation(of: example, today: ReportFixtures.today)
                let hidden = try RuleHarness.evaluation(of: marked, today: ReportFixtures.today)
                XCTAssertEqual(Self.verdict(hidden, description.id), Self.verdict(plain, description.id),
                               "\(label): marking judged attributes sensitive changes the verdict; findings:\n"
                               + hidden.findings.filter { $0.ruleID == description.id }.map(\.message).joined(separator: "\n"))
                if pass == 0 { XCTAssertFalse(markedValues.isEmpty, "\(label): nothing to mark") }

                // Any part of a marked value absent from the healthy plan's reports must stay absent.
                if baselines[example.phase] == nil {
                    let healthy = try RuleHarness.evaluation(of: .plan("healthy", example.phase, MigrationExamples.healthy(example.phase)), today: ReportFixtures.today)
                    baselines[example.phase] = Self.reports(healthy)
                    baselineMessages[example.phase] = healthy.findings.map(\.message)
                }
                let baselineReports = baselines[example.phase] ?? []
                let secrets = Set(markedValues.flatMap(Self.strings)).filter { text in
                    text.count >= Self.shortestCheckedValue && !baselineReports.contains { $0.contains(text) }
                }
                // Messages quote values: no marked value may appear quoted, however short, unless healthy plans' messages quote it too.
                let quotedInBaseline = baselineMessages[example.phase] ?? []
                for value in Set(markedValues.flatMap(Self.strings)) where !value.isEmpty && !Self.ruleConstants.contains(value) {
                    let quoted = JSONQuoting.quoted(value)
                    for finding in hidden.findings where finding.message.contains(quoted) && !quotedInBaseline.contains(where: { $0.contains(quoted) }) {
                        XCTFail("\(label): \(finding.ruleID) quotes \(quoted), a sensitive value: \(finding.message)")
                    }
                }
                for (format, output) in zip(ReportFormat.allCases, Self.reports(hidden)) {
                    for secret in secrets where output.contains(secret) {
                        XCTFail("\(label): \(format) prints \(JSONQuoting.quoted(secret)), part of a sensitive value:\n"
                            + output.split(separator: "\n").filter { $0.contains(secret) }.prefix(3).joined(separator: "\n"))
                    }
                }
            }
            }
        }
    }

    /// MIG012 names the resource and attribute where it finds the source inside a sensitive value, never the match.
    func testConsumersSwitchedDoesNotQuoteMatchesInSensitiveValues() throws {
        let host = MigrationExamples.sourceHost
        let plan = MigrationExamples.healthy(.cutover)
            .setting(MigrationExamples.appTask, "container_definitions", to: ConsumersSwitchedRule.containers(host: host))
        let plainFindings = try RuleHarness.evaluation(of: .plan("plain", .cutover, plan), today: ReportFixtures.today).findings.filter { $0.ruleID == "MIG012" }
        XCTAssertTrue(plainFindings.contains { $0.message.contains(host) }, "a plain match is quoted: \(plainFindings.map(\.message))")

        let hidden = plan.markingSensitive(MigrationExamples.appTask, "container_definitions")
        // A sensitive output holding the source's endpoint, as output_changes writes it.
        let output = #""output_changes":{"db_host":{"actions":["update"],"before":"\#(host)","after":"\#(host)","#
            + #""after_unknown":false,"before_sensitive":true,"after_sensitive":true}},"#
        let text = "{" + output + hidden.planJSON.dropFirst()
        let documents = try TerraformReader.read(text: text, file: "outputs.json", expecting: .plan)
        let evaluation = Evaluator.evaluate(try PictureBuilder.build(try XCTUnwrap(documents.first)), phase: .cutover)
        let findings = evaluation.findings.filter { $0.ruleID == "MIG012" }
        XCTAssertEqual(findings.count, 2, "\(findings.map(\.message))")
        XCTAssertTrue(findings.contains { $0.address == MigrationExamples.appTask && $0.message.contains("container_definitions") && $0.kind == .fail })
        XCTAssertTrue(findings.contains { $0.address == nil && $0.message.contains("output \"db_host\"") })
        for finding in findings {
            XCTAssertFalse(finding.message.contains("app-legacy"), "quotes part of a sensitive value: \(finding.message)")
        }
    }

    /// A policy still granting the source's master secret is reported when that secret's ARN is
    /// sensitive in the source's values (the warning used to disappear), without quoting the ARN.
    func testConsumersSwitchedFindsASensitiveSourceSecret() throws {
        let sourceSecret = MigrationExamples.sourceSecret
        let granting = MigrationExamples.healthy(.cutover)
            .setting(MigrationExamples.secretsPolicy, "policy", to: .string(MigrationExamples.secretsPolicy(sourceSecret)), beforeToo: true)
        for plan in [granting, granting.markingSensitive(MigrationExamples.source, "master_user_secret")] {
            let findings = try RuleHarness.evaluation(of: .plan("grant", .cutover, plan), today: ReportFixtures.today).findings
                .filter { $0.ruleID == "MIG012" && $0.address == MigrationExamples.secretsPolicy }
            XCTAssertEqual(findings.map { "\($0.kind.rawValue) \($0.severity.rawValue)" }, ["fail warning"], "\(findings.map(\.message))")
        }
        let hidden = try RuleHarness.evaluation(of: .plan("grant", .cutover, granting.markingSensitive(MigrationExamples.source, "master_user_secret")), today: ReportFixtures.today)
        for (format, output) in zip(ReportFormat.allCases, Self.reports(hidden)) {
            XCTAssertFalse(output.contains("cluster-legacy-AbCdEf"), "\(format) quotes the sensitive secret ARN")
        }
    }

    /// A policy's custom assertion judges a sensitive attribute too (it used to report it open, "not compared").
    func testCustomAssertionsJudgeSensitiveValues() throws {
        let plan = MigrationExamples.healthy(.cutover)
            .setting(MigrationExamples.target, "master_username", to: "CANARY-admin-user", beforeToo: true)
            .markingSensitive(MigrationExamples.target, "master_username")
        func findings(expecting expected: JSONLiteral) throws -> [Finding] {
            var policy = Policy.builtInDefault
            policy.assertions = [Policy.Assertion(id: "ORG100", title: "named user", resourceType: "aws_rds_cluster", role: .target,
                                                  attribute: "master_username", comparison: .equals(expected),
                                                  phases: Set(Phase.allCases), severity: .error)]
            let document = try XCTUnwrap(TerraformReader.read(text: plan.planJSON, file: "assert.json", expecting: .plan).first)
            return Evaluator.evaluate(try PictureBuilder.build(document), phase: .cutover, policy: policy).findings
                .filter { $0.ruleID == "ORG100" }
        }
        XCTAssertEqual(try findings(expecting: "CANARY-admin-user").map(\.message), [])
        let failing = try findings(expecting: "app")
        XCTAssertEqual(failing.map(\.kind), [.fail], "\(failing.map(\.message))")
        XCTAssertFalse(failing.contains { $0.message.contains("CANARY") }, "\(failing.map(\.message))")
    }

    // MARK: - Helpers

    static func split(_ judged: String) -> (type: String, path: String) {
        guard let dot = judged.firstIndex(of: ".") else { return (judged, "") }
        return (String(judged[..<dot]), String(judged[judged.index(after: dot)...]))
    }

    static func has(_ path: String, in resource: ExampleResource) -> Bool {
        [resource.before, resource.after].contains { value(at: path, in: $0) != nil }
    }

    static func value(at path: String, in literal: JSONLiteral?) -> TerraformValue? {
        guard let literal, let document = try? JSONDocument(text: literal.serialized) else { return nil }
        let value = TerraformValue.from(document.root).value(at: path)
        return value == .null ? nil : value
    }

    /// Every string inside a value, and inside strings that are themselves JSON (container
    /// definitions, policy documents).
    static func strings(_ value: TerraformValue) -> [String] {
        switch value {
        case .string(let text):
            if text.first == "[" || text.first == "{", let document = try? JSONDocument(text: text) {
                return [text] + strings(TerraformValue.from(document.root))
            }
            return [text]
        case .list(let items): return items.flatMap(strings)
        case .object(let fields): return fields.keys.sorted().flatMap { strings(fields[$0] ?? .null) }
        default: return []
        }
    }

    /// What a rule said, without the wording: how many findings of each kind and severity.
    static func verdict(_ evaluation: Evaluation, _ ruleID: String) -> [String] {
        evaluation.findings.filter { $0.ruleID == ruleID }.map { "\($0.kind.rawValue) \($0.severity.rawValue)" }.sorted()
    }

    static func reports(_ evaluation: Evaluation) -> [String] {
        let input = ReportFixtures.input([evaluation])
        return ReportFormat.allCases.map { Reports.render($0, input) }
    }
}
