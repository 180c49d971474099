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
}
