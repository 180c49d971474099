import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// MIG013 target-secret-access: the edges its examples do not show.
final class MIG013Tests: XCTestCase {
    typealias M = MigrationExamples

    func testPolicyDocumentStatements() throws {
        let arn = M.targetSecret
        let action = TargetSecretAccessRule.readAction
        let single = try XCTUnwrap(IAMPolicyDocument(json: #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"\#(arn)"}}"#))
        XCTAssertTrue(single.allows(action, on: arn))
        let notResource = try XCTUnwrap(IAMPolicyDocument(json: #"{"Statement":[{"Effect":"Allow","Action":"secretsmanager:*","NotResource":"arn:aws:secretsmanager:*:*:secret:rds!cluster-legacy-*"}]}"#))
        XCTAssertTrue(notResource.allows(action, on: arn))
        XCTAssertFalse(notResource.allows(action, on: M.sourceSecret))
        let notAction = try XCTUnwrap(IAMPolicyDocument(json: #"{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#))
        XCTAssertTrue(notAction.allows(action, on: arn))
        let conditionalDeny = try XCTUnwrap(IAMPolicyDocument(json: #"{"Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#))
        XCTAssertTrue(conditionalDeny.allows(action, on: arn), "a conditional deny is not evaluated")
        XCTAssertNil(IAMPolicyDocument(json: "not json"))
    }

    func testDenyOnlyCountsInTheDocumentThatAllows() throws {
        let deny: JSONLiteral = ["name": "deny-humans", "policy": RuleHarness.policyJSON([["Effect": "Deny", "Action": "secretsmanager:*", "Resource": "*"]])]
        let plan = M.healthy(.cutover).adding(ExampleResource("aws_iam_policy.deny_humans", actions: ["no-op"], before: deny, after: deny))
        XCTAssertTrue(try RuleHarness.findings("MIG013", plan, .cutover).isEmpty, "a deny attached elsewhere is not weighed")
        let selfDenying = M.healthy(.cutover).setting(M.secretsPolicy, "policy", to: .string(TargetSecretAccessRule.denyingPolicy), beforeToo: true)
        let failures = RuleHarness.fails(try RuleHarness.findings("MIG013", selfDenying, .cutover))
        XCTAssertEqual(failures.map(\.address), [M.secretsPolicy])
        XCTAssertTrue(failures.first?.message.contains("explicitly denies") == true)
    }

    func testUnknownSecretWithoutReferenceIsOpen() throws {
        let plan = M.healthy(.prepare).settingReferences(M.secretsPolicy, "policy", to: nil)
        let findings = try RuleHarness.findings("MIG013", plan, .prepare)
        XCTAssertEqual(findings.map(\.kind), [.open])
        XCTAssertTrue(findings.first?.message.contains("unknown until apply") == true)
    }

    func testReferenceThroughPolicyDocumentDataSource() throws {
        let plan = M.healthy(.prepare)
            .settingReferences(M.secretsPolicy, "policy", to: ["data.aws_iam_policy_document.ecs_secrets_access.json", "data.aws_iam_policy_document.ecs_secrets_access"])
            .adding(ExampleResource("data.aws_iam_policy_document.ecs_secrets_access", actions: ["read"], before: nil, after: ["id": "x"],
                                    unknown: ["json"], references: ["statement": ["\(M.target).master_user_secret[0].secret_arn", M.target]]))
        XCTAssertTrue(try RuleHarness.findings("MIG013", plan, .prepare).isEmpty)
    }

    /// Data sources read while planning appear only in `prior_state`, not in `resource_changes`.
    func planWithDocumentReadDuringPlanning(granting secret: String) throws -> String {
        let json = MigrationExamples.secretsPolicy(secret)
        let plan = M.healthy(.fullLoad).removing(M.secretsPolicy)
            .adding(ExampleResource("data.aws_iam_policy_document.ecs_secrets_access", actions: ["read"], before: ["json": .string(json)],
                                    after: ["json": .string(json)]))
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(plan.planJSON.utf8)) as? [String: Any])
        let changes = try XCTUnwrap(object["resource_changes"] as? [[String: Any]])
        object["resource_changes"] = changes.filter { ($0["mode"] as? String) != "data" }
        return try XCTUnwrap(String(data: try JSONSerialization.data(withJSONObject: object), encoding: .utf8))
    }

    func testPolicyDocumentReadDuringPlanning() throws {
        XCTAssertTrue(try RuleHarness.findings("MIG013", json: try planWithDocumentReadDuringPlanning(granting: M.targetSecret), .fullLoad).isEmpty)
        let other = try planWithDocumentReadDuringPlanning(granting: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!cluster-other-XyZ")
        XCTAssertEqual(RuleHarness.fails(try RuleHarness.findings("MIG013", json: other, .fullLoad)).map(\.address), ["data.aws_iam_policy_document.ecs_secrets_access"])
    }

    func testTargetWithoutManagedSecretIsOpen() throws {
        let plan = M.healthy(.fullLoad).setting(M.target, "master_user_secret", to: [], beforeToo: true)
            .setting(M.target, "manage_master_user_password", to: nil, beforeToo: true)
        let findings = try RuleHarness.findings("MIG013", plan, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.open])
        XCTAssertTrue(findings.first?.message.contains("no master_user_secret") == true)
    }

    func testManagedPolicyAttachmentGrantsEverySecret() throws {
        let attachment: JSONLiteral = ["role": "ecs-execution", "policy_arn": "arn:aws:iam::aws:policy/SecretsManagerReadWrite"]
        let plan = M.healthy(.cutover).removing(M.secretsPolicy)
            .adding(ExampleResource("aws_iam_role_policy_attachment.secrets", actions: ["no-op"], before: attachment, after: attachment))
        XCTAssertTrue(try RuleHarness.findings("MIG013", plan, .cutover).isEmpty)
    }

    func testDMSOwnSecretPolicyAndUnrelatedPoliciesAreOpenNotFailed() throws {
        let dmsSecret = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:dms-target-AbC"
        let dmsPolicy: JSONLiteral = ["name": "dms-secret-access", "policy": .string(MigrationExamples.secretsPolicy(dmsSecret))]
        let s3Policy: JSONLiteral = ["name": "s3", "policy": RuleHarness.policyJSON([["Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"]])]
        let plan = M.healthy(.fullLoad).removing(M.secretsPolicy)
            .adding(ExampleResource("module.dms.aws_iam_policy.db_secret_access", actions: ["no-op"], before: dmsPolicy, after: dmsPolicy))
            .adding(ExampleResource("aws_iam_policy.s3", actions: ["no-op"], before: s3Policy, after: s3Policy))
        let findings = try RuleHarness.findings("MIG013", plan, .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.open], "\(findings.map(\.message))")
        XCTAssertTrue(findings.first?.message.contains("allows secretsmanager:GetSecretValue") == true)
    }

    func testUnknownPolicyWithKnownSecretIsOpenUnlessItRefersToTheTarget() throws {
        let unknown = M.healthy(.fullLoad).markingUnknown(M.secretsPolicy, "policy")
        XCTAssertTrue(try RuleHarness.findings("MIG013", unknown, .fullLoad).isEmpty, "refers to the target in the configuration")
        let findings = try RuleHarness.findings("MIG013", unknown.settingReferences(M.secretsPolicy, "policy", to: nil), .fullLoad)
        XCTAssertEqual(findings.map(\.kind), [.open])
    }

    // MARK: - What the reference reads

    func testLongestReferencesDropTheirPrefixes() {
        let listed = ["aws_rds_cluster.core.master_user_secret[0].secret_arn", "aws_rds_cluster.core.master_user_secret[0]",
                      "aws_rds_cluster.core.master_user_secret", "aws_rds_cluster.core", "aws_rds_cluster.core.arn", "aws_rds_cluster.core",
                      "module.target", "module.target_other.x", "var.a"]
        XCTAssertEqual(ClusterAttributeReads.longest(listed),
                       ["aws_rds_cluster.core.master_user_secret[0].secret_arn", "aws_rds_cluster.core.arn", "module.target",
                        "module.target_other.x", "var.a"], "module.target is no prefix of module.target_other")
    }

    /// The prepare plan whose policy (unknown until apply) refers to the target as `references` list it.
    func preparePolicy(referring references: [String]) -> ExamplePlan {
        M.healthy(.prepare).settingReferences(M.secretsPolicy, "policy", to: references)
    }

    func testAnotherAttributeOfTheTargetFailsNamingIt() throws {
        let failures = RuleHarness.fails(try RuleHarness.findings("MIG013", preparePolicy(referring: ["\(M.target).cluster_resource_id", M.target]), .prepare))
        XCTAssertEqual(failures.map(\.address), [M.secretsPolicy])
        let message = try XCTUnwrap(failures.first?.message)
        XCTAssertTrue(message.contains("only through its cluster_resource_id") && message.contains("grant \(M.target).master_user_secret[0].secret_arn"), message)
        // The secret's KMS key is no secret either.
        let kms = try RuleHarness.findings("MIG013", preparePolicy(referring: ["\(M.target).master_user_secret[0].kms_key_id", "\(M.target).master_user_secret[0]",
                                                                             "\(M.target).master_user_secret", M.target]), .prepare)
        XCTAssertTrue(RuleHarness.fails(kms).first?.message.contains("master_user_secret.kms_key_id") == true, "\(kms.map(\.message))")
    }

    func testTheSecretBlockThroughASplatAndBesideOtherAttributesPasses() throws {
        // `master_user_secret[*].secret_arn` is listed up to the splat.
        XCTAssertTrue(try RuleHarness.findings("MIG013", preparePolicy(referring: ["\(M.target).master_user_secret", M.target]), .prepare).isEmpty)
        // A second statement on the cluster's ARN (rds:*) beside the secret: the secret is granted.
        XCTAssertTrue(try RuleHarness.findings("MIG013", preparePolicy(referring: ["\(M.target).arn", "\(M.target).master_user_secret[0].secret_arn", M.target]),
                                               .prepare).isEmpty)
    }

    func testTheClusterUsedWholeIsOpen() throws {
        // `aws_rds_cluster.core[*].arn` (or the cluster as an object) is listed as aws_rds_cluster.core alone.
        let findings = try RuleHarness.findings("MIG013", preparePolicy(referring: [M.target]), .prepare)
        XCTAssertEqual(findings.map(\.kind), [.open])
        XCTAssertTrue(findings.first?.message.contains("\(M.target), a splat") == true, "\(findings.map(\.message))")
    }

    func testASecretDataSourceThatIsTheTargetsSecretPasses() throws {
        let secret = "data.aws_secretsmanager_secret.target"
        let plan = preparePolicy(referring: ["\(secret).arn", secret])
            .adding(ExampleResource(secret, actions: ["read"], before: nil, after: ["name": nil], unknown: ["arn"],
                                    references: ["arn": ["\(M.target).master_user_secret[0].secret_arn", "\(M.target).master_user_secret[0]",
                                                         "\(M.target).master_user_secret", M.target]]))
        XCTAssertTrue(try RuleHarness.findings("MIG013", plan, .prepare).isEmpty)
        let byARN = plan.settingReferences(secret, "arn", to: ["\(M.target).arn", M.target])
        XCTAssertEqual(RuleHarness.fails(try RuleHarness.findings("MIG013", byARN, .prepare)).map(\.address), [M.secretsPolicy])
    }

    func testWholeModuleReachingTwoClustersIsOpen() throws {
        let plan = TargetSecretAccessRule.throughTargetModule(["module.target"])
            .settingModuleInput("target", "old_secret", to: ["\(M.source).master_user_secret[0].secret_arn", M.source])
            .settingModuleOutput("target", "old_secret", to: ["var.old_secret"])
        let findings = try RuleHarness.findings("MIG013", plan, .cleanup)
        XCTAssertEqual(findings.map(\.kind), [.open], "\(findings.map(\.message))")
        XCTAssertTrue(findings.first?.message.contains("master_secret_arn, old_secret") == true, "\(findings.map(\.message))")
    }

    func testCyclicModuleReferencesEnd() throws {
        let plan = TargetSecretAccessRule.throughTargetModule(["module.target[0].loop", "module.target[0]"])
            .settingModuleOutput("target", "loop", to: ["var.loop", "var.again"])
            .settingModuleInput("target", "loop", to: ["module.target.loop", "module.target"])
            .settingModuleInput("target", "again", to: ["module.target.loop", "module.target"])
        XCTAssertEqual(try RuleHarness.findings("MIG013", plan, .cleanup).map(\.kind), [.open])
    }

    func testKnownSecretWithUnknownPolicyOnTheClusterARNFails() throws {
        let plan = M.healthy(.fullLoad).markingUnknown(M.secretsPolicy, "policy")
            .settingReferences(M.secretsPolicy, "policy", to: ["\(M.target).arn", M.target])
        let failures = RuleHarness.fails(try RuleHarness.findings("MIG013", plan, .fullLoad))
        XCTAssertEqual(failures.map(\.address), [M.secretsPolicy])
        XCTAssertTrue(failures.first?.message.contains("only through its arn") == true)
    }

    // MARK: - A policy document read at apply whose statements are known

    func documentReadAtApply(resources: [String], merging: JSONLiteral? = nil) -> ExamplePlan {
        let address = "data.aws_iam_policy_document.ecs_secrets_access"
        var after: JSONLiteral = ["statement": [["actions": ["secretsmanager:GetSecretValue"], "effect": nil, "condition": [],
                                                 "resources": .array(resources.map(JSONLiteral.string)), "not_resources": nil]]]
        after["source_policy_documents"] = merging
        return M.healthy(.cleanup).withActions(M.secretsPolicy, ["update"]).markingUnknown(M.secretsPolicy, "policy")
            .settingReferences(M.secretsPolicy, "policy", to: ["\(address).json", address])
            .adding(ExampleResource(address, actions: ["read"], before: nil, after: after, unknown: ["json"],
                                    references: ["statement": ["module.target"]]))
            .settingModuleOutput("target", "master_secret_arn", to: ["var.secret"])
            .settingModuleOutput("target", "cluster_arn", to: ["var.arn"])
            .settingModuleInput("target", "secret", to: ["\(M.target).master_user_secret[0].secret_arn", M.target])
            .settingModuleInput("target", "arn", to: ["\(M.target).arn", M.target])
    }

    func testKnownStatementsOfADocumentReadAtApplyDecide() throws {
        XCTAssertTrue(try RuleHarness.findings("MIG013", documentReadAtApply(resources: [M.targetSecret]), .cleanup).isEmpty)
        let wrong = try RuleHarness.findings("MIG013", documentReadAtApply(resources: ["arn:aws:rds:eu-west-2:123456789012:cluster:app-core"]), .cleanup)
        XCTAssertEqual(RuleHarness.fails(wrong).map(\.address), ["data.aws_iam_policy_document.ecs_secrets_access"], "\(wrong.map(\.message))")
        // Merged documents are not in the statements: the module splat leaves it open.
        let merged = try RuleHarness.findings("MIG013", documentReadAtApply(resources: [M.targetSecret], merging: ["{}"]), .cleanup)
        XCTAssertEqual(merged.map(\.kind), [.open], "\(merged.map(\.message))")
    }
}
