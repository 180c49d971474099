import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckTestSupport

/// A plan and a policy written to attack the reports: line breaks followed by workflow
/// commands (`::error::`), carriage returns, a bell, and bidirectional controls ("Trojan
/// Source") in a for_each key, an attribute value, a suppression reason, an assertion's
/// title, attribute and resource type, and the file name. Every format must keep them
/// visible and inert, and still parse.
final class HostileStringsTests: XCTestCase {
    static let file = "plans/pre\u{2068}pare.json"
    static let hostileKey = "1\n::error::key-pwned\r\u{202E}gnp.exe\u{2066}\u{7}"
    static let hostileAddress = "module.target[0].aws_rds_cluster_instance.this" + InstanceKey.string(hostileKey).description
    static let hostileClass = "db.r6g.large\n::error::value-pwned\r\u{202E}\u{200F}"
    static let hostileReason = "agreed\n::error::reason-pwned\r\u{202D}\u{061C}"
    static let hostileTitle = "tier\n::error::title-pwned\u{2067}"
    static let hostileAttribute = "tags[\"a\n::error::attr-pwned\u{202A}\"]"
    static let hostileType = "aws_rds_cluster\n::error::type-pwned\u{202B}"

    /// Terraform's own prepare plan of the example with one target instance at promotion tier 0
    /// (target instances `module.target[0].aws_rds_cluster_instance.this["1"]`/`["2"]` in a child
    /// module, the source `aws_rds_cluster.source[0]`), with instance "1" renamed to the hostile
    /// key (it stays on tier 0, so MIG004 names it) and the other's class set to the hostile value.
    static func hostilePlan() throws -> String {
        let root = try XCTUnwrap(PackagePaths.root)
        let data = try Data(contentsOf: root.appendingPathComponent("Fixtures/rules/MIG004-writer-tier-0.prepare.plan.json"))
        var plan = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let renamed = #"module.target[0].aws_rds_cluster_instance.this["1"]"#
        let reclassed = #"module.target[0].aws_rds_cluster_instance.this["2"]"#
        func edit(_ resource: [String: Any], values key: String) -> [String: Any] {
            var resource = resource
            guard var values = resource[key] as? [String: Any] else { return resource }
            if resource["address"] as? String == renamed {
                resource["address"] = hostileAddress
                resource["index"] = hostileKey
                values["promotion_tier"] = 0
            } else if resource["address"] as? String == reclassed {
                values["instance_class"] = hostileClass
            }
            resource[key] = values
            return resource
        }
        var changes = try XCTUnwrap(plan["resource_changes"] as? [[String: Any]])
        for position in changes.indices {
            guard var change = changes[position]["change"] as? [String: Any] else { continue }
            let edited = edit(["address": changes[position]["address"] ?? "", "after": change["after"] ?? NSNull()], values: "after")
            change["after"] = edited["after"]
            changes[position]["change"] = change
            changes[position]["address"] = edited["address"]
            if let index = edited["index"] { changes[position]["index"] = index }
        }
        plan["resource_changes"] = changes
        var planned = try XCTUnwrap(plan["planned_values"] as? [String: Any])
        // The instances sit in module.target[0], a child module of planned_values' root module.
        func editModule(_ module: [String: Any]) -> [String: Any] {
            var module = module
            if let resources = module["resources"] as? [[String: Any]] { module["resources"] = resources.map { edit($0, values: "values") } }
            if let children = module["child_modules"] as? [[String: Any]] { module["child_modules"] = children.map(editModule) }
            return module
        }
        planned["root_module"] = editModule(try XCTUnwrap(planned["root_module"] as? [String: Any]))
        plan["planned_values"] = planned
        return String(decoding: try JSONSerialization.data(withJSONObject: plan), as: UTF8.self)
    }

    static var hostilePolicy: Policy {
        var policy = Policy.builtInDefault
        let expiry = CalendarDate(year: 2027, month: 1, day: 31) ?? CalendarDate.epoch
        policy.suppressions = [Policy.Suppression(rule: "MIG003", address: "aws_rds_cluster.source[0]", reason: hostileReason, expires: expiry)]
        policy.assertions = [
            Policy.Assertion(id: "ORG001", title: hostileTitle, resourceType: "aws_rds_cluster_instance", role: .target,
                             attribute: "instance_class", comparison: .equals("db.r6g.large"), phases: Set(Phase.allCases), severity: .error),
            Policy.Assertion(id: "ORG002", title: "tagged", resourceType: "aws_rds_cluster_instance", role: .target,
                             attribute: hostileAttribute, comparison: .equals("yes"), phases: Set(Phase.allCases), severity: .warning),
            Policy.Assertion(id: "ORG003", title: "typed", resourceType: hostileType, role: nil,
                             attribute: "engine", comparison: .equals("aurora-postgresql"), phases: Set(Phase.allCases), severity: .error),
        ]
        return policy
    }

    static func hostileEvaluation() throws -> Evaluation {
        try XCTUnwrap(ReportFixtures.evaluate(try hostilePlan(), file: file, phase: nil, policy: hostilePolicy).first)
    }

    func testTheHostileFixtureCarriesItsStringsIntoTheFindings() throws {
        let findings = try Self.hostileEvaluation().findings
        func has(_ marker: String, _ where_: (Finding) -> String?) -> Bool {
            findings.contains { where_($0)?.contains(marker) ?? false }
        }
        XCTAssertTrue(findings.contains { $0.ruleID == "MIG004" && $0.address == Self.hostileAddress }, "\(findings.map(\.address))")
        XCTAssertTrue(has("::error::value-pwned", \.message), "the attribute value reaches a message: \(findings.map(\.message))")
        XCTAssertTrue(has("::error::title-pwned", \.message))
        XCTAssertTrue(has("::error::attr-pwned", \.message))
        XCTAssertTrue(has("::error::type-pwned", \.message))
        XCTAssertTrue(has("::error::reason-pwned", \.suppression))
    }

    func testEveryFormatKeepsHostileStringsVisibleAndInert() throws {
        let evaluation = try Self.hostileEvaluation()
        let input = ReportFixtures.input([evaluation])
        for format in ReportFormat.allCases {
            let report = Reports.render(format, input)
            let bidi = report.unicodeScalars.filter { HostileText.bidiControls.contains($0) }
            XCTAssertTrue(bidi.isEmpty, "\(format): raw bidirectional controls \(bidi.map { String($0.value, radix: 16) })")
            let controls = report.unicodeScalars.filter { $0 != "\n" && TextEscaping.isControl($0) }
            XCTAssertTrue(controls.isEmpty, "\(format): raw control characters \(controls.map { String($0.value, radix: 16) })")
            XCTAssertTrue(report.contains("pwned"), "\(format): the hostile strings must be shown, escaped")
            let lines = report.split(separator: "\n", omittingEmptySubsequences: false).map { $0.drop { $0 == " " || $0 == "\t" } }
            if format == .github {
                // Its own annotations, one per active finding, and nothing else.
                XCTAssertEqual(lines.filter { !$0.isEmpty }.count, evaluation.activeFindings.count, report)
                for line in lines where !line.isEmpty {
                    XCTAssertTrue(["::error ", "::warning ", "::notice "].contains { line.hasPrefix($0) }, "github: \(line)")
                }
            } else {
                for line in lines {
                    XCTAssertFalse(line.hasPrefix("::"), "\(format): a line starts a workflow command: \(line)")
                }
            }
        }
    }

    func testJUnitCarriesNoRawLineBreakFromInputAndParses() throws {
        let evaluation = try Self.hostileEvaluation()
        let report = Reports.render(.junit, ReportFixtures.input([evaluation]))
        // Every raw line is markup: a line break from the plan or policy is a character reference.
        for line in report.split(separator: "\n") {
            XCTAssertTrue(line.drop { $0 == " " }.hasPrefix("<"), "junit: a raw line break from input: \(line)")
        }
        let document = try XMLDocument(data: Data(report.utf8), options: [])
        let cases = try XCTUnwrap(document.rootElement()).elements(forName: "testsuite").flatMap { $0.elements(forName: "testcase") }
        let names = cases.compactMap { $0.attribute(forName: "name")?.stringValue }
        let key = try XCTUnwrap(cases.first { $0.attribute(forName: "name")?.stringValue == Self.hostileAddress }, "\(names)")
        XCTAssertNotNil(key.elements(forName: "failure").first)
        // A value a reporter would print: the command cannot start a line, the bidi control is shown.
        let failures = cases.flatMap { $0.elements(forName: "failure") }
        let value = try XCTUnwrap(failures.first { $0.attribute(forName: "message")?.stringValue?.contains("value-pwned") ?? false })
        XCTAssertTrue(value.attribute(forName: "message")?.stringValue?.contains("\\u202e\\u200f") ?? false)
        XCTAssertTrue(value.stringValue?.contains("\\u202e\\u200f") ?? false, value.stringValue ?? "")
    }

    func testJSONAndSARIFParseAndEscapeBidiControls() throws {
        let evaluation = try Self.hostileEvaluation()
        for format in [ReportFormat.json, .sarif] {
            let report = Reports.render(format, ReportFixtures.input([evaluation]))
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(report.utf8)), "\(format) must parse")
            if format == .json {
                XCTAssertTrue(report.contains("reason-pwned\\r\\u202d\\u061c"), "\(format): bidi controls are written as \\u202d")
            }
        }
        // Code scanning shows SARIF strings decoded: there the controls must be visible text too.
        let sarif = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(Reports.render(.sarif, ReportFixtures.input([evaluation])).utf8))
            as? [String: Any])
        let results = ((sarif["runs"] as? [[String: Any]]) ?? []).flatMap { ($0["results"] as? [[String: Any]]) ?? [] }
        let shown = results.flatMap { result -> [String] in
            let message = ((result["message"] as? [String: Any])?["text"] as? String).map { [$0] } ?? []
            let reasons = ((result["suppressions"] as? [[String: Any]]) ?? []).compactMap { $0["justification"] as? String }
            return message + reasons
        }
        XCTAssertTrue(shown.contains { $0.contains("reason-pwned\\u000d\\u202d\\u061c") }, "\(shown)")
        for text in shown {
            XCTAssertFalse(text.unicodeScalars.contains { HostileText.bidiControls.contains($0) || TextEscaping.isControl($0) }, text)
        }
        // JSON keeps values exact: the escape decodes to the same address.
        let object = try JSONSerialization.jsonObject(with: Data(Reports.render(.json, ReportFixtures.input([evaluation])).utf8))
        let documents = try XCTUnwrap((object as? [String: Any])?["documents"] as? [[String: Any]])
        let addresses = (documents.first?["findings"] as? [[String: Any]])?.compactMap { $0["address"] as? String } ?? []
        XCTAssertTrue(addresses.contains(Self.hostileAddress), "\(addresses)")
    }

    /// Error lines on standard error go through the one escaping core (`TextEscapingTests`).
    func testAnInputErrorLineShowsBidiControls() {
        let error = InputError(file: "plan\u{202E}.json", position: SourcePosition(line: 1, column: 2), message: "unknown key \"a\u{2066}\"")
        XCTAssertFalse(error.description.unicodeScalars.contains { HostileText.bidiControls.contains($0) }, error.description)
    }

}
