import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

final class MIG018Tests: XCTestCase {
    func judge(_ scenario: String, _ phase: Phase) throws -> [Finding] {
        try LiveJudge.findings("MIG018", scenario, phase)
    }

    func examples(_ files: ReadinessExamples.Files, _ phase: Phase) throws -> [Finding] {
        let live = LivePicture(documents: try files.map { try EvidenceReader.read(text: $0.text, file: $0.name) }, now: LiveJudge.noon)
        return ReadinessEvaluator.evaluate(live, phase: phase).findings.filter { $0.ruleID == "MIG018" }
    }

    func testTheRecordedClustersHold() throws {
        for phase in [Phase.fullLoad, .cutover] { XCTAssertEqual(try judge("cutover-checked", phase).map(\.message), [], "\(phase)") }
        XCTAssertEqual(try judge("cleanup-ready", .cleanup).map(\.message), [])
    }

    func testTheSourceStillProtectedBeforeCleanup() throws {
        let findings = try judge("cleanup-gate", .cleanup)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertTrue(findings.first?.message.contains("`aws rds modify-db-cluster --db-cluster-identifier app-production-aurora "
            + "--no-deletion-protection --apply-immediately`") == true, findings.first?.message ?? "")
        // Before the cutover the source's protection is right.
        XCTAssertEqual(try judge("cleanup-gate", .cutover).map(\.message), [])
        // Unprotected early is not MIG018's to judge (MIG007 does not either): only the cleanup needs it off.
        let early = ReadinessExamples.replacing(ReadinessExamples.healthy(.cutover),
                                                with: ReadinessExamples.clusters(sourceShape: .init(deletionProtection: false)))
        XCTAssertEqual(try examples(early, .cutover), [])
    }

    func testDriftOutsideTerraform() throws {
        let findings = try judge("drifted", .cutover)
        XCTAssertEqual(findings.map(\.kind), [.fail, .fail, .fail])
        let messages = findings.map(\.message).joined(separator: "\n")
        XCTAssertTrue(messages.contains("runs engine version 16.6, the source app-production-aurora 16.4"), messages)
        XCTAssertTrue(messages.contains("app-production-core-primary-1 (writer) of the target cluster app-production-core is on promotion tier 0"), messages)
        XCTAssertTrue(messages.contains("has 1 instance live (app-production-core-primary-1), fewer than 2"), messages)
        // After the cutover the source only waits to be destroyed (MIG001's phases): versions are not compared.
        XCTAssertEqual(try judge("drifted", .cleanup).filter { $0.message.contains("engine version") }, [])
    }

    /// MIG004's words, from the same judgement (Catalog/Support/ClusterShape).
    func testTheTierJudgementIsMIG004s() throws {
        let advice = try XCTUnwrap(ClusterShape.promotionTierProblem(0))
        XCTAssertNil(ClusterShape.promotionTierProblem(1))
        XCTAssertTrue(try judge("drifted", .cutover).contains { $0.message.contains(advice) })
        let plan = try XCTUnwrap(TargetPromotionTierRule.description.triggeringExamples.first).findings(of: "MIG004")
        XCTAssertTrue(plan.contains { $0.message.contains(advice) }, "\(plan.map(\.message))")
    }

    func testTargetUnprotectedAndSourceAlone() throws {
        let unprotected = ReadinessExamples.replacing(ReadinessExamples.healthy(.cutover),
                                                      with: ReadinessExamples.clusters(targetShape: .init(deletionProtection: false)))
        let findings = try examples(unprotected, .cutover)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        XCTAssertTrue(findings.first?.message.contains("--deletion-protection --apply-immediately") == true, findings.first?.message ?? "")
        // One source instance: a warning while its reboot is due (full-load), nothing after.
        let single = ReadinessExamples.replacing(ReadinessExamples.healthy(.fullLoad), with: ReadinessExamples.clusters(
            source: [ReadinessExamples.Member(instance: "app-legacy-0", writer: true, status: "in-sync")]))
        XCTAssertEqual(try examples(single, .fullLoad).map(\.severity), [.warning])
        XCTAssertEqual(try examples(ReadinessExamples.replacing(ReadinessExamples.healthy(.cutover), with: ReadinessExamples.clusters(
            source: [ReadinessExamples.Member(instance: "app-legacy-0", writer: true, status: "in-sync")])), .cutover), [])
    }

    func testMissingFieldsAreUnverified() throws {
        let bare = #"{"DBClusters": [{"DBClusterIdentifier": "app-legacy", "MasterUserSecret": {"SecretArn": "\#(MigrationExamples.sourceSecret)"}, "#
            + #""DBClusterMembers": [{"DBInstanceIdentifier": "a", "IsClusterWriter": true}, {"DBInstanceIdentifier": "b"}]}]}"#
        let findings = try examples(ReadinessExamples.replacing(ReadinessExamples.healthy(.cleanup), with: ("describe-db-clusters.json", bare)), .cleanup)
        XCTAssertTrue(findings.contains { $0.kind == .open && $0.message.contains("no DeletionProtection in the evidence") }, "\(findings.map(\.message))")
        XCTAssertTrue(findings.contains { $0.kind == .open && $0.message.hasPrefix("no target cluster found") })
    }
}
