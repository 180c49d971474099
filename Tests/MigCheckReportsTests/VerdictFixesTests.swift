import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckTestSupport

/// Verdicts an on-call engineer can trust: a grant that can never match the target's secret
/// fails, the source's absence after cleanup passes, and the topology names the attribute
/// that links an endpoint to its cluster.
final class VerdictFixesTests: XCTestCase {

    /// The prepare plan creates the target, so its secret ARN is unknown; the policy grants by name pattern only.
    static func prepareGranting(_ resource: String) -> ExamplePlan {
        MigrationExamples.healthy(.prepare)
            .setting(MigrationExamples.secretsPolicy, "policy", to: .string(MigrationExamples.secretsPolicy(resource)))
            .settingReferences(MigrationExamples.secretsPolicy, "policy", to: nil)
    }

    func testAPatternThatCanNeverMatchAManagedSecretFailsWhileTheARNIsUnknown() throws {
        let evaluation = try RuleHarness.evaluation(Self.prepareGranting("arn:aws:secretsmanager:eu-west-2:123456789012:secret:app/*"), .prepare)
        let findings = evaluation.findings.filter { $0.ruleID == "MIG013" }
        XCTAssertEqual(findings.map(\.kind), [.fail], "\(findings.map(\.message))")
        XCTAssertEqual(findings.first?.address, MigrationExamples.secretsPolicy)
        let message = findings.first?.message ?? ""
        XCTAssertTrue(message.contains("which no RDS-managed rds!cluster-… name matches"), message)
        XCTAssertTrue(message.contains("so ECS cannot read \(MigrationExamples.target)'s secret; grant"), message)
        XCTAssertTrue(ReportInput(evaluations: [evaluation]).fails, "an error: exit 1 under the default --fail-on")
    }

    func testAPatternThatCouldMatchStaysUnverified() throws {
        for pattern in ["arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!*", "arn:aws:secretsmanager:*:*:secret:*"] {
            let findings = try RuleHarness.evaluation(Self.prepareGranting(pattern), .prepare).findings.filter { $0.ruleID == "MIG013" }
            XCTAssertEqual(findings.map(\.kind), [.open], "\(pattern): \(findings.map(\.message))")
        }
    }

    func testWhichPatternsCanMatchAManagedClusterSecret() {
        let account = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:"
        let matching = [account + "rds!cluster-*", account + "rds!*", account + "*", "arn:aws:secretsmanager:*", account + "rds?cluster-*",
                        account + "*-app", "arn:*:secretsmanager:*:*:secret:rds*", "*", "arn:aws:*"]
        let never = [account + "app/*", account + "prod/db-*", account + "RDS!cluster-*", "arn:aws:ssm:eu-west-2:123456789012:parameter/*",
                     account + "rds!cluster", account + "rds!instance-*", account + "rds!cluster-abc:extra"]
        for pattern in matching { XCTAssertTrue(IAMPolicyDocument.canMatchManagedClusterSecret(pattern), pattern) }
        for pattern in never { XCTAssertFalse(IAMPolicyDocument.canMatchManagedClusterSecret(pattern), pattern) }
    }

    func testTheSourcesAbsenceAfterCleanupIsAPass() throws {
        let state = try RuleHarness.evaluation(MigrationExamples.healthy(.cleanup), .cleanup, state: true)
        XCTAssertEqual(state.findings.filter { $0.ruleID == "MIG012" }, [])
        XCTAssertTrue(state.rulesRun.contains { $0.id == "MIG012" })

        let root = PackagePaths.packageRoot.appendingPathComponent("Fixtures")
        let document = try XCTUnwrap(TerraformReader.read(path: root.appendingPathComponent("cleanup/terraform.tfstate").path).first)
        let inferred = Evaluator.evaluate(try PictureBuilder.build(document), phase: nil)
        XCTAssertEqual(inferred.considered, [.cleanup], inferred.phaseReason)
        XCTAssertEqual(inferred.findings, [])
        XCTAssertFalse(ReportInput(evaluations: [inferred], failOn: .warning).fails)

        // Before cleanup a missing source is still something that could not be checked.
        let cutover = Evaluator.evaluate(try PictureBuilder.build(document), phase: .cutover)
        XCTAssertTrue(cutover.findings.contains { $0.ruleID == "MIG012" && $0.kind == .open })
        // And explain lists that state as passing.
        let example = try XCTUnwrap(ConsumersSwitchedRule.description.nonTriggeringExamples.first { $0.isState })
        XCTAssertTrue(example.name.contains("a pass"), example.name)
        XCTAssertEqual(try RuleHarness.findings(of: ConsumersSwitchedRule.description, in: example), [])
    }

    func testTheTopologyNamesTheAttributeThatLinksTheEndpoint() throws {
        var plan = MigrationExamples.healthy(.fullLoad)
        // The module's endpoints map feeds both attributes (each.value): server_name is null, the secret links it.
        for (address, input) in [(MigrationExamples.sourceEndpoint, "source_secret"), (MigrationExamples.targetEndpoint, "target_secret")] {
            plan = plan.setting(address, "server_name", to: .null, beforeToo: true)
                .settingReferences(address, "server_name", to: ["var.\(input)"])
                .settingReferences(address, "secrets_manager_arn", to: ["var.\(input)"])
        }
        plan.moduleInputs["dms"]?["source_secret"] = ["\(MigrationExamples.source).master_user_secret[0].secret_arn", MigrationExamples.source]
        plan.moduleInputs["dms"]?["target_secret"] = ["\(MigrationExamples.target).master_user_secret[0].secret_arn", MigrationExamples.target]
        let document = try XCTUnwrap(TerraformReader.read(text: plan.planJSON).first)
        let picture = try PictureBuilder.build(document)
        let topology = TopologyReport.render(picture, style: TextStyle(colour: false))
        XCTAssertTrue(topology.contains("target → aws_rds_cluster.core (its secrets_manager_arn refers to aws_rds_cluster.core)"), topology)
        XCTAssertFalse(topology.contains("server_name refers to"), topology)
        XCTAssertTrue(picture.roleReasons[.target]?.contains("its secrets_manager_arn refers to aws_rds_cluster.core") == true, "\(picture.roleReasons)")
    }
}
