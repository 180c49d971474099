import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules

/// A DMS endpoint input chosen by a conditional (`var.cutover ? source : target`) is unknown
/// until apply, and the plan's configuration lists both branches' references without saying
/// which is taken: MIG010 leaves it open (unverified), unless no branch is the right cluster.
final class ConditionalEndpointTests: XCTestCase {
    private let source = MigrationExamples.source
    private let target = MigrationExamples.target
    private let endpoint = MigrationExamples.targetEndpoint

    private func mig010(_ plan: ExamplePlan, _ phase: Phase) throws -> [Finding] {
        let document = try XCTUnwrap(TerraformReader.read(text: plan.planJSON, file: "plan.json").first)
        let picture = try PictureBuilder.build(document, source: source, target: target)
        return Evaluator.evaluate(picture, phase: phase).findings.filter { $0.ruleID == "MIG010" }
    }

    private func conditional(_ whenTrue: String, _ whenFalse: String, attribute: String = "endpoint") -> [String] {
        ["var.cutover", "\(whenTrue).\(attribute)", whenTrue, "\(whenFalse).\(attribute)", whenFalse]
    }

    func testAConditionalServerNameUnknownUntilApplyIsUnverified() throws {
        let plan = MigrationExamples.healthy(.prepare).settingModuleInput("dms", "target_host", to: conditional(source, target))
        let findings = try mig010(plan, .prepare)
        XCTAssertEqual(findings.map(\.kind), [.open], "\(findings.map(\.message))")
        XCTAssertTrue(findings.first?.message.contains("refers to several clusters (\(source), \(target))") == true, "\(findings.map(\.message))")
    }

    func testAConditionalSecretsManagerARNUnknownUntilApplyIsUnverified() throws {
        let secret = "master_user_secret[0].secret_arn"
        let plan = MigrationExamples.healthy(.prepare)
            .setting(endpoint, "server_name", to: .null)
            .settingReferences(endpoint, "server_name", to: nil)
            .markingUnknown(endpoint, "secrets_manager_arn")
            .settingReferences(endpoint, "secrets_manager_arn", to: ["var.target_secret"])
            .settingModuleInput("dms", "target_secret", to: conditional(source, target, attribute: secret))
        let findings = try mig010(plan, .prepare)
        XCTAssertEqual(findings.map(\.kind), [.open], "\(findings.map(\.message))")
        XCTAssertTrue(findings.first?.message.contains("secrets_manager_arn refers to several clusters") == true, "\(findings.map(\.message))")
    }

    func testAConditionalWhoseBranchesAreAllWrongFails() throws {
        let other = "aws_rds_cluster.reporting"
        let value = MigrationExamples.cluster(id: "app-reporting", host: "app-reporting.cluster-c1a2b3c4d5e6.eu-west-2.rds.amazonaws.com",
                                              secret: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!cluster-reporting-MnOpQr",
                                              group: "default.aurora-postgresql16")
        let plan = MigrationExamples.healthy(.prepare)
            .adding(ExampleResource(other, actions: ["no-op"], before: value, after: value))
            .settingModuleInput("dms", "target_host", to: conditional(source, other))
        let findings = try mig010(plan, .prepare)
        XCTAssertEqual(findings.map(\.kind), [.fail], "\(findings.map(\.message))")
        XCTAssertTrue(findings.first?.message.contains("reaches the target cluster \(target) in no branch") == true,
                      "\(findings.map(\.message))")
    }

    func testAConditionalWithAKnownValueIsJudgedByTheValue() throws {
        let healthy = MigrationExamples.healthy(.fullLoad).settingModuleInput("dms", "target_host", to: conditional(source, target))
        XCTAssertEqual(try mig010(healthy, .fullLoad).map(\.message), [])
        let wrong = healthy.setting(endpoint, "server_name", to: .string(MigrationExamples.sourceHost), beforeToo: true)
        XCTAssertEqual(try mig010(wrong, .fullLoad).map(\.kind), [.fail])
    }

    /// A conditional endpoint says nothing about which cluster is which.
    func testAConditionalEndpointCastsNoRoleVote() throws {
        let plan = MigrationExamples.healthy(.prepare).settingModuleInput("dms", "target_host", to: conditional(source, target))
        let document = try XCTUnwrap(TerraformReader.read(text: plan.planJSON, file: "plan.json").first)
        let picture = try PictureBuilder.build(document)
        let match = picture.endpointMatch(try XCTUnwrap(picture.dmsEndpoints.first { $0.addressText == endpoint }))
        XCTAssertNil(match.cluster)
        XCTAssertEqual(match.alternatives.map(\.addressText), [source, target])
        XCTAssertFalse(picture.roleReasons.values.contains { $0.contains(endpoint) }, "\(picture.roleReasons)")
    }
}
