import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckTestSupport

/// No format ever prints a value Terraform marked sensitive, nor attribute values beyond
/// what a finding needs. Canary strings sit in every sensitive place a plan or state has
/// (resource attributes before and after, nested blocks, outputs, variables), and plain
/// values no finding is about sit in ordinary attributes; no report may contain either.
final class ReportSecretsTests: XCTestCase {
    static let canary = "CANARY"
    /// Values of ordinary attributes that no finding is about.
    static let unrelated = "UNRELATED-VALUE"

    /// The broken cutover plan with canaries everywhere Terraform marks values sensitive.
    static var secretPlan: ExamplePlan {
        var plan = ReportFixtures.brokenPlan
            .setting(MigrationExamples.target, "master_password", to: "CANARY-target-master-password")
            .setting(MigrationExamples.source, "master_password", to: "CANARY-source-master-password", beforeToo: true)
            .setting(MigrationExamples.targetInstances[1], "performance_insights_kms_key_id", to: "CANARY-instance-kms-key")
            .setting(MigrationExamples.target, "tags", to: ["Owner": "UNRELATED-VALUE-owner", "CostCentre": "UNRELATED-VALUE-cc"])
            .setting(MigrationExamples.replicationInstance, "preferred_maintenance_window", to: "UNRELATED-VALUE-window")
            .setting(MigrationExamples.appTask, "container_definitions",
                     to: .string(#"[{"name":"app","environment":[{"name":"DB_HOST","value":"app-core.cluster-c1a2b3c4d5e6.eu-west-2.rds.amazonaws.com"}],"secrets":[{"name":"DB_PASSWORD","valueFrom":"CANARY-container-secret"}]}]"#))
            .adding(ExampleResource("aws_secretsmanager_secret_version.app", actions: ["update"],
                                    before: ["secret_id": "arn:aws:secretsmanager:eu-west-2:123456789012:secret:app", "secret_string": "CANARY-secret-before"],
                                    after: ["secret_id": "arn:aws:secretsmanager:eu-west-2:123456789012:secret:app", "secret_string": "CANARY-secret-after",
                                            "secret_binary": "CANARY-secret-binary"],
                                    sensitive: ["secret_string", "secret_binary"]))
            .adding(ExampleResource("aws_rds_cluster.shadow", actions: ["create"], before: nil,
                                    after: ["cluster_identifier": "app-shadow", "engine": "aurora-postgresql", "engine_version": "16.4",
                                            "master_password": "CANARY-shadow-password", "master_username": "UNRELATED-VALUE-user",
                                            "master_user_secret": [["secret_arn": "CANARY-nested-secret-arn", "kms_key_id": "CANARY-nested-kms"]]],
                                    sensitive: ["master_password", "master_user_secret"]))
        for index in plan.resources.indices {
            switch plan.resources[index].address {
            case MigrationExamples.target, MigrationExamples.source:
                plan.resources[index].sensitive += ["master_password"]
            case MigrationExamples.targetInstances[1]:
                plan.resources[index].sensitive += ["performance_insights_kms_key_id"]
            case MigrationExamples.appTask:
                plan.resources[index].sensitive += ["container_definitions"]
            default:
                break
            }
        }
        return plan
    }

    /// The plan text with sensitive outputs and variables spliced in (`ExamplePlan` writes neither).
    static var secretPlanJSON: String {
        var text = secretPlan.planJSON
        let outputs = #""output_changes":{"db_password":{"actions":["create"],"before":null,"after":"CANARY-output-after","after_unknown":false,"before_sensitive":false,"after_sensitive":true},"#
            + #""db_url":{"actions":["update"],"before":"postgres://app:CANARY-output-before@old","after":"postgres://app:CANARY-output-url@new","after_unknown":false,"before_sensitive":true,"after_sensitive":true}},"#
            + #""variables":{"db_password":{"value":"CANARY-variable-value"}},"#
        text = "{" + outputs + text.dropFirst()
        text = text.replacingFirst(#""planned_values":{"#, with: #""planned_values":{"outputs":{"db_password":{"sensitive":true,"value":"CANARY-planned-output"}},"#)
        return text
    }

    private func evaluations() throws -> [Evaluation] {
        let plan = try ReportFixtures.evaluate(Self.secretPlanJSON, file: "plans/secrets.json")
        let state = try ReportFixtures.evaluate(Self.secretPlan.stateJSON, file: "states/secrets.json")
        let inferred = try ReportFixtures.evaluate(Self.secretPlanJSON, file: "plans/secrets-inferred.json", phase: nil)
        var custom = ReportFixtures.policy
        // Assertions that read sensitive attributes must not print them either.
        custom.assertions.append(Policy.Assertion(id: "ORG010", title: "password is rotated", resourceType: "aws_rds_cluster", role: nil,
                                                  attribute: "master_password", comparison: .equals("expected"),
                                                  phases: Set(Phase.allCases), severity: .error))
        custom.assertions.append(Policy.Assertion(id: "ORG011", title: "secret arn", resourceType: "aws_rds_cluster", role: nil,
                                                  attribute: "master_user_secret[0].secret_arn", comparison: .notEquals("x"),
                                                  phases: Set(Phase.allCases), severity: .error))
        let asserted = try ReportFixtures.evaluate(Self.secretPlanJSON, file: "plans/secrets-asserted.json", policy: custom)
        return plan + state + inferred + asserted
    }

    func testTheCanariesAreReallyInTheInputAndMarkedSensitive() throws {
        let text = Self.secretPlanJSON
        for canary in ["CANARY-target-master-password", "CANARY-secret-after", "CANARY-secret-before", "CANARY-output-after",
                       "CANARY-planned-output", "CANARY-variable-value", "CANARY-dms-endpoint-password", "CANARY-container-secret",
                       "CANARY-nested-secret-arn", "UNRELATED-VALUE-owner"] {
            XCTAssertTrue(text.contains(canary), "\(canary) is not in the fixture")
        }
        let documents = try TerraformReader.read(text: text, file: "plans/secrets.json")
        XCTAssertEqual(documents.count, 1)
        let picture = try PictureBuilder.build(try XCTUnwrap(documents.first))
        let target = try XCTUnwrap(picture.target)
        XCTAssertEqual(target.resource.attribute("master_password")?.isSensitive, true)
        let secret = try XCTUnwrap(picture.resources.first { $0.addressText == "aws_secretsmanager_secret_version.app" })
        XCTAssertEqual(secret.afterAttribute("secret_string")?.isSensitive, true)
        XCTAssertEqual(secret.beforeAttribute("secret_string")?.isSensitive, true)
        let evaluations = try evaluations()
        XCTAssertTrue(evaluations.contains { $0.findings.contains { $0.ruleID == "ORG010" } }, "an assertion reads a sensitive attribute")
        XCTAssertTrue(evaluations.allSatisfy { !$0.findings.isEmpty }, "every document has findings to report")
    }

    func testNoFormatPrintsASensitiveValue() throws {
        let evaluations = try evaluations()
        for failOn in FailThreshold.allCases {
            let input = ReportFixtures.input(evaluations, failOn: failOn)
            for format in ReportFormat.allCases {
                for style in [TextStyle(colour: false), TextStyle(colour: true)] {
                    let output = Reports.render(format, input, style: style)
                    XCTAssertFalse(output.isEmpty, "\(format) is empty")
                    XCTAssertFalse(output.contains(Self.canary), "\(format) (--fail-on \(failOn)) prints a sensitive value:\n"
                        + output.split(separator: "\n").filter { $0.contains(Self.canary) }.prefix(5).joined(separator: "\n"))
                }
            }
        }
    }

    func testNoFormatPrintsAttributeValuesNoFindingNeeds() throws {
        let evaluations = try evaluations()
        let input = ReportFixtures.input(evaluations)
        for format in ReportFormat.allCases {
            let output = Reports.render(format, input)
            XCTAssertFalse(output.contains(Self.unrelated), "\(format) prints an attribute value no finding is about:\n"
                + output.split(separator: "\n").filter { $0.contains(Self.unrelated) }.prefix(5).joined(separator: "\n"))
        }
        // Values a finding names do appear, and only through the finding's message.
        let json = Reports.render(.json, input)
        XCTAssertTrue(json.contains("db.r6g.xlarge"), "the finding about the instance class names the value it found")
        for format in ReportFormat.allCases {
            let output = Reports.render(format, input)
            for value in ["db.r6g.xlarge"] {
                let inMessages = evaluations.flatMap(\.findings).map { occurrences(of: value, in: $0.message) }.reduce(0, +)
                XCTAssertGreaterThan(inMessages, 0)
                // A format writes a finding's message at most twice (JUnit: the failure's message and details).
                XCTAssertLessThanOrEqual(occurrences(of: value, in: output), 2 * inMessages, "\(format) prints \(value) beyond the findings' messages")
            }
        }
    }

    private func occurrences(of needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }
}
