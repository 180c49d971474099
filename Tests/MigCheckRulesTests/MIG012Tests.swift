import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// MIG012 consumers-switched: the edges its examples do not show.
final class MIG012Tests: XCTestCase {
    typealias M = MigrationExamples

    func testStandaloneMatching() throws {
        func contains(_ haystack: String, _ needle: String) throws -> Bool {
            let document = try JSONDocument(text: JSONLiteral.string(haystack).serialized)
            return SourceMarkers.containsStandalone(document.root, Array(needle.utf8))
        }
        let host = "app.cluster-abc.eu-west-2.rds.amazonaws.com"
        XCTAssertTrue(try contains("postgres://u@\(host):5432/app", host))
        XCTAssertTrue(try contains("{\"DB_HOST\":\"\(host)\"}", host), "inside a JSON string inside JSON")
        XCTAssertTrue(try contains("line\n\(host)", host), "after a \\n escape")
        XCTAssertFalse(try contains("myapp.cluster-abc.eu-west-2.rds.amazonaws.com", host))
        XCTAssertFalse(try contains("x.\(host)", host))
        XCTAssertFalse(try contains("arn:aws:rds:eu-west-2:1:cluster:app-legacy-2", "arn:aws:rds:eu-west-2:1:cluster:app-legacy"))
        XCTAssertTrue(try contains("arn:aws:rds:eu-west-2:1:cluster:app-legacy/*", "arn:aws:rds:eu-west-2:1:cluster:app-legacy"))
        XCTAssertFalse(try contains("app-legacy-logical-replication", "app-legacy"))
        XCTAssertTrue(try contains("DBClusterIdentifier=app-legacy", "app-legacy"))
    }

    func testShortIdentifiersAreNotSearched() throws {
        let source = try XCTUnwrap(try RuleHarness.picture(M.healthy(.cutover)).source)
        XCTAssertTrue(SourceMarkers(source, minimumIdentifierLength: 8).markers.contains { $0.label == "identifier" })
        XCTAssertFalse(SourceMarkers(source, minimumIdentifierLength: 11).markers.contains { $0.label == "identifier" })
        let labels = SourceMarkers(source, minimumIdentifierLength: 8).markers.map(\.label)
        XCTAssertEqual(Array(labels.prefix(2)), ["endpoint", "reader endpoint"])
        XCTAssertTrue(labels.contains("instance endpoint") == false, "the examples' instances carry no endpoint")
        XCTAssertTrue(labels.contains(SourceMarkers.secretLabel))
    }

    func testAlarmOnTheSourceIdentifierFails() throws {
        let alarm: JSONLiteral = ["alarm_name": "db-cpu", "dimensions": ["DBClusterIdentifier": "app-legacy"]]
        let plan = M.healthy(.cutover).adding(ExampleResource("aws_cloudwatch_metric_alarm.db_cpu", actions: ["no-op"], before: alarm, after: alarm))
        let failures = RuleHarness.fails(try RuleHarness.findings("MIG012", plan, .cutover))
        XCTAssertEqual(failures.compactMap(\.address), ["aws_cloudwatch_metric_alarm.db_cpu"])
        XCTAssertTrue(failures.first?.message.contains("identifier \"app-legacy\"") == true)
        XCTAssertTrue(failures.first?.message.contains("dimensions") == true)
    }

    func testConditionalReferenceWithCleanValueIsOnlyAWarning() throws {
        let parameter: JSONLiteral = ["name": "/app/db_host", "type": "String", "value": .string(M.targetHost)]
        let plan = M.healthy(.cutover).adding(ExampleResource(
            "aws_ssm_parameter.db_host", actions: ["no-op"], before: parameter, after: parameter,
            references: ["value": ["var.switched", "\(M.target).endpoint", M.target, "\(M.source).endpoint", M.source]]))
        let findings = try RuleHarness.findings("MIG012", plan, .cutover)
        XCTAssertEqual(findings.count, 1)
        XCTAssertEqual(findings.first?.severity, .warning)
        XCTAssertTrue(findings.first?.message.contains("still refers to \(M.source)") == true)
    }

    func testIgnoreAddressesParameter() throws {
        let plan = M.healthy(.cutover).setting(M.appTask, "container_definitions", to: ConsumersSwitchedRule.containers(host: M.sourceHost))
        XCTAssertEqual(RuleHarness.fails(try RuleHarness.findings("MIG012", plan, .cutover)).count, 1)
        let policy = RuleHarness.policy("MIG012", "ignoreAddresses", [.string(M.appTask)])
        XCTAssertTrue(try RuleHarness.findings("MIG012", plan, .cutover, policy: policy).isEmpty)
    }

    func testMigrationOwnResourcesMayPointAtTheSource() throws {
        // The DMS module's secret version and a snapshot of the source both name it.
        let version: JSONLiteral = ["secret_string": .string("{\"host\":\"\(M.sourceHost)\"}")]
        let snapshot: JSONLiteral = ["db_cluster_identifier": "app-legacy", "db_cluster_snapshot_identifier": "app-legacy-before-cutover"]
        let plan = M.healthy(.cutover)
            .adding(ExampleResource("module.dms.aws_secretsmanager_secret_version.source", actions: ["no-op"], before: version, after: version,
                                    sensitive: ["secret_string"]))
            .adding(ExampleResource("aws_db_cluster_snapshot.before_cutover", actions: ["create"], before: nil, after: snapshot))
        XCTAssertTrue(try RuleHarness.findings("MIG012", plan, .cutover).isEmpty)
    }

    func testSensitiveValueIsSearchedButNeverPrinted() throws {
        let secret = "{\"url\":\"postgres://app:CANARY-password@\(M.sourceHost):5432/app\"}"
        let version: JSONLiteral = ["secret_id": "app-config", "secret_string": .string(secret)]
        let plan = M.healthy(.cleanup).adding(ExampleResource("aws_secretsmanager_secret_version.app", actions: ["no-op"],
                                                              before: version, after: version, sensitive: ["secret_string"]))
        let failures = RuleHarness.fails(try RuleHarness.findings("MIG012", plan, .cleanup))
        XCTAssertEqual(failures.compactMap(\.address), ["aws_secretsmanager_secret_version.app"])
        XCTAssertFalse(failures.contains { $0.message.contains("CANARY") })
    }

    func testPolicyStillGrantingTheSourceSecretIsAWarning() throws {
        let policy = RuleHarness.policyJSON([["Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                                       "Resource": [.string(M.targetSecret), .string(M.sourceSecret)]]])
        let plan = M.healthy(.cutover).setting(M.secretsPolicy, "policy", to: policy, beforeToo: true)
        let findings = try RuleHarness.findings("MIG012", plan, .cutover)
        XCTAssertEqual(findings.count, 1)
        XCTAssertEqual(findings.first?.severity, .warning)
    }

    func testOutputHoldingTheSourceEndpoint() throws {
        let plan = M.healthy(.cutover).planJSON
        let output = #""output_changes":{"db_host":{"actions":["no-op"],"before":"\#(M.sourceHost)","after":"\#(M.sourceHost)","after_unknown":false,"before_sensitive":false,"after_sensitive":false}},"#
        let json = plan.replacingFirst("\"resource_changes\":", with: output + "\"resource_changes\":")
        let findings = try RuleHarness.findings("MIG012", json: json, .cutover)
        XCTAssertEqual(findings.count, 1, "\(findings.map(\.message))")
        XCTAssertNil(findings.first?.address)
        XCTAssertEqual(findings.first?.severity, .warning)
        XCTAssertTrue(findings.first?.message.contains("output \"db_host\"") == true)
    }

    func testNoSourceIsOpenBeforeCleanupAndTheExpectedOutcomeAfter() throws {
        XCTAssertEqual(try RuleHarness.findings("MIG012", M.healthy(.cleanup), .cutover, state: true).map(\.kind), [.open])
        XCTAssertEqual(try RuleHarness.findings("MIG012", M.healthy(.cleanup), .cleanup, state: true).map(\.kind), [])
    }
}
