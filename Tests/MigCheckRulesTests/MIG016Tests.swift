import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// One readiness rule on the recorded evidence (Fixtures/evidence), at an instant, under a policy.
enum LiveJudge {
    static let noon = EvidenceInstant(seconds: 1_795_176_000)  // 2026-11-20T12:00:00Z

    static func at(_ text: String) -> EvidenceInstant { EvidenceInstant.iso8601(text) ?? noon }

    /// The findings of `rule` on `scenario` in `phase`, leaving out the files whose names end with `without`.
    static func findings(_ rule: String, _ scenario: String, _ phase: Phase, now: EvidenceInstant = noon, policy: String? = nil,
                         without: [String] = []) throws -> [Finding] {
        let documents = try EvidenceFixtures.scenario(scenario).filter { document in !without.contains { document.file.hasSuffix("/" + $0) } }
        let live = LivePicture(documents: documents, now: now)
        let rules = try policy.map { try PolicyReader.read(text: $0) } ?? .builtInDefault
        return ReadinessEvaluator.evaluate(live, phase: phase, policy: rules).findings.filter { $0.ruleID == rule }
    }

    static func policy(_ rule: String, _ parameters: String) -> String {
        #"{"policyVersion": 1, "rules": {"\#(rule)": {"parameters": {\#(parameters)}}}}"#
    }
}

final class MIG016Tests: XCTestCase {
    func judge(_ scenario: String, _ phase: Phase, now: EvidenceInstant = LiveJudge.noon, policy: String? = nil,
               without: [String] = []) throws -> [Finding] {
        try LiveJudge.findings("MIG016", scenario, phase, now: now, policy: policy, without: without)
    }

    func testASnapshotAfterThePreviousDeployHolds() throws {
        XCTAssertEqual(try judge("cutover-checked", .cutover).map(\.message), [])
        XCTAssertEqual(try judge("cleanup-ready", .cleanup).map(\.message), [])
        // Before the full-load deploy the recorded snapshot (09:12) is newer than the target cluster (09:06).
        XCTAssertEqual(try judge("cutover-ready", .fullLoad).map(\.message), [])
    }

    func testOnlyTheSnapshotFromBeforeTheFullLoadDeployFailsTheCutoverGate() throws {
        let findings = try judge("cutover-ready", .cutover)
        XCTAssertEqual(findings.map(\.kind), [.fail])
        let message = try XCTUnwrap(findings.first?.message)
        XCTAssertTrue(message.contains("taken after 2026-11-20T09:39:00Z (the DMS task's FullLoadFinishDate, when the full load ended)"), message)
        XCTAssertTrue(message.contains("app-production-aurora-before-migration (taken at 2026-11-20T09:12:00Z, before the previous deploy)"), message)
        XCTAssertTrue(message.contains("`aws rds create-db-cluster-snapshot --db-cluster-identifier app-production-aurora "
            + "--db-cluster-snapshot-identifier app-production-aurora-before-cutover-202611201200`"), message)
        XCTAssertEqual(findings.first?.location?.file.hasSuffix("cutover-ready/describe-db-cluster-snapshots.json"), true)
    }

    func testCreatingAndAutomatedSnapshotsDoNotCount() throws {
        let message = try XCTUnwrap(try judge("snapshot-not-ready", .cutover).first { $0.kind == .fail }?.message)
        XCTAssertTrue(message.contains("app-production-aurora-before-cutover (creating, not available)"), message)
        XCTAssertTrue(message.contains("rds:app-production-aurora-2026-11-20-09-50 (automated, not manual)"), message)
    }

    func testTheCleanupGateWantsASnapshotAfterTheTaskStopped() throws {
        let message = try XCTUnwrap(try judge("cleanup-gate", .cleanup).first?.message)
        XCTAssertTrue(message.contains("taken after 2026-11-20T09:21:00Z (the DMS task's StopDate"), message)
        XCTAssertTrue(message.contains("before-cleanup-202611201200"), message)
    }

    func testTheMaximumAgeComesFromThePolicyAndNow() throws {
        // 09:45 + 24 h 15 min: too old by default, not under 48 hours.
        let later = LiveJudge.at("2026-11-21T10:00:00Z")
        let old = try judge("cutover-checked", .cutover, now: later)
        XCTAssertEqual(old.map(\.kind), [.fail])
        XCTAssertTrue(old.first?.message.contains("(taken at 2026-11-20T09:45:00Z, older than 24 hours)") == true, old.first?.message ?? "")
        XCTAssertTrue(old.first?.message.contains("within 24 hours of 2026-11-21T10:00:00Z") == true)
        XCTAssertEqual(try judge("cutover-checked", .cutover, now: later,
                                 policy: LiveJudge.policy("MIG016", #""maximumSnapshotAgeHours": 48"#)).map(\.message), [])
        // Judged before the snapshot was taken: an edited file or a wrong --now, never a pass.
        let early = try judge("cutover-checked", .cutover, now: LiveJudge.at("2026-11-20T09:40:00Z"))
        XCTAssertEqual(Set(early.map(\.kind)), [.open, .fail])
        XCTAssertTrue(early.contains { $0.kind == .open && $0.message.contains("collected later than --now") }, "\(early.map(\.message))")
    }

    func testWithoutTheDeployTimeTheAssumptionIsANote() throws {
        let findings = try judge("cutover-checked", .cutover, without: ["describe-replication-tasks.json"])
        XCTAssertEqual(findings.map(\.severity), [.note])
        XCTAssertTrue(findings.first?.message.contains("so it is assumed to be newer than that deploy") == true, findings.first?.message ?? "")
    }

    func testMissingOrEmptySnapshotEvidence() throws {
        let missing = try judge("cutover-checked", .cutover, without: ["describe-db-cluster-snapshots.json"])
        XCTAssertEqual(missing.map(\.kind), [.open])
        XCTAssertTrue(missing.first?.message.contains("`aws rds describe-db-cluster-snapshots --db-cluster-identifier "
            + "app-production-aurora --snapshot-type manual --output json > describe-db-cluster-snapshots.json`") == true,
                      missing.first?.message ?? "")
        // An empty answer is an answer: there is no snapshot.
        let empty = try XCTUnwrap(ReadinessExamples.triggeringExample("MIG016", named: "no snapshot at all"))
        XCTAssertTrue(try empty.findings(of: "MIG016").contains { $0.kind == .fail && $0.message.contains("the evidence lists none") })
    }
}

extension ReadinessExamples {
    /// A readiness rule's triggering example whose name contains every word of `words`.
    static func triggeringExample(_ id: String, named words: String) -> RuleExample? {
        RuleRegistry.readinessDescriptions.first { $0.id == id }?.triggeringExamples.first { example in
            words.split(separator: " ").allSatisfy { example.name.contains($0) }
        }
    }
}
