import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// The IAM policy parser MIG010–MIG013 share (`Catalog/Support/IAMPolicyDocument.swift`): resource patterns and actions.
final class IAMPolicyDocumentTests: XCTestCase {
    typealias M = MigrationExamples

    func testResourcePatternMatching() {
        let arn = M.targetSecret
        let match = IAMPolicyDocument.resourceMatches
        XCTAssertTrue(match("*", arn))
        XCTAssertTrue(match(arn, arn))
        XCTAssertTrue(match("arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!cluster-core-*", arn))
        XCTAssertTrue(match("arn:aws:secretsmanager:*:*:secret:rds!cluster-core-??????", arn))
        XCTAssertFalse(match("arn:aws:secretsmanager:*:*:secret:rds!cluster-core-?????", arn))
        XCTAssertTrue(match("arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!*-GhIjKl", arn))
        XCTAssertFalse(match("arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!cluster-legacy-*", arn))
        // A * that ends a segment may run past colons; one inside a segment may not.
        XCTAssertTrue(match("arn:aws:secretsmanager:*", arn))
        XCTAssertTrue(match("arn:aws*:123456789012:secret:rds!cluster-core-GhIjKl", arn))
        XCTAssertFalse(match("arn:aws*2:123456789012:secret:rds!cluster-core-GhIjKl", arn))
        XCTAssertFalse(match("ARN:aws:secretsmanager:*", arn), "resources are case-sensitive")
    }

    func testActionMatching() {
        let action = TargetSecretAccessRule.readAction
        XCTAssertTrue(IAMPolicyDocument.actionMatches("SecretsManager:Get*", action))
        XCTAssertTrue(IAMPolicyDocument.actionMatches("secretsmanager:*", action))
        XCTAssertTrue(IAMPolicyDocument.actionMatches("*", action))
        XCTAssertFalse(IAMPolicyDocument.actionMatches("secretsmanager:Describe*", action))
        XCTAssertFalse(IAMPolicyDocument.actionMatches("s3:*", action))
    }
}
