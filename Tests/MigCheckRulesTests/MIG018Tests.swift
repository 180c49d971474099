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

    // MARK: members, from describe-db-instances

    typealias Member = ReadinessExamples.Member

    /// The healthy evidence of `phase` with these members (describe-db-clusters and describe-db-instances agreeing).
    func members(_ phase: Phase, source: [Member] = ReadinessExamples.sourceMembers(), target: [Member] = ReadinessExamples.targetMembers(),
                 sourceShape: ReadinessExamples.Shape = .init()) -> ReadinessExamples.Files {
        ReadinessExamples.replacing(ReadinessExamples.healthy(phase),
                                    with: ReadinessExamples.members(source: source, target: target, sourceShape: sourceShape))
    }

    func targetReader(status: String = "available", version: String? = nil) -> [Member] {
        [Member(instance: "app-core-1", writer: true, status: "in-sync"),
         Member(instance: "app-core-2", writer: false, status: "in-sync", instanceStatus: status, engineVersion: version)]
    }

    func lines(_ findings: [Finding]) -> [String] {
        findings.map { "\($0.severity.rawValue) \($0.kind.rawValue) \($0.location.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.start)" } ?? "-")" }
    }

    /// The recorded evidence edited by variants.py: the target's reader mid-upgrade, the source's reader on incompatible parameters.
    func testTheDegradedMembersScenario() throws {
        let cutover = try judge("members-degraded", .cutover)
        XCTAssertEqual(lines(cutover), ["error fail describe-db-instances.json:165:9", "error fail describe-db-instances.json:165:9",
                                        "error fail describe-db-clusters.target.json:3:9"])
        let messages = cutover.map(\.message)
        XCTAssertTrue(messages.contains { $0.hasPrefix("app-production-core-primary-2 (reader) of the target cluster app-production-core "
            + "is upgrading, live: it cannot take over as writer until it is available again") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.hasPrefix("app-production-core-primary-2 (reader) of the target cluster app-production-core "
            + "runs engine version 16.6, its cluster 16.4 and the source app-production-aurora 16.4, live") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("has 2 instances live (app-production-core-primary-1, app-production-core-primary-2), "
            + "1 of which can take over as writer (app-production-core-primary-1), fewer than 2") }, "\(messages)")
        // While its reboot is due (full load) the source's members count too: warnings, as its count is.
        let fullLoad = try judge("members-degraded", .fullLoad)
        XCTAssertEqual(lines(fullLoad), ["warning fail describe-db-instances.json:57:9", "error fail describe-db-instances.json:165:9",
                                         "error fail describe-db-instances.json:165:9", "warning fail describe-db-clusters.json:3:9",
                                         "error fail describe-db-clusters.target.json:3:9"])
        XCTAssertTrue(fullLoad.contains { $0.message.hasPrefix("app-production-aurora-2 (reader) of the source cluster app-production-aurora "
            + "is incompatible-parameters, live: it cannot take over as writer") }, "\(fullLoad.map(\.message))")
        // After the cutover versions are not compared (MIG001's phases), and the source's members do not count.
        let cleanup = try judge("members-degraded", .cleanup).filter { $0.location?.file.hasSuffix("describe-db-instances.json") == true }
        XCTAssertEqual(cleanup.map(\.message).filter { $0.contains("engine version") || $0.contains("app-production-aurora-2") }, [])
        XCTAssertEqual(cleanup.count, 1)
        // The scenario before the edit holds.
        XCTAssertEqual(try judge("cutover-checked", .fullLoad), [])
    }

    func testAMemberOffItsClustersVersion() throws {
        let ahead = try examples(members(.cutover, target: targetReader(version: "16.6")), .cutover)
        XCTAssertEqual(ahead.count, 1)
        XCTAssertTrue(ahead.first?.message.hasPrefix("app-core-2 (reader) of the target cluster app-core runs engine version 16.6, its "
            + "cluster 16.4 and the source app-legacy 16.4, live") == true, ahead.first?.message ?? "")
        XCTAssertEqual(ahead.first?.location?.file, "describe-db-instances.json")
        // A source member on another version than its cluster: DMS reads from it while it replicates.
        let source = [Member(instance: "app-legacy-0", writer: true, status: "in-sync"),
                      Member(instance: "app-legacy-1", writer: false, status: "in-sync", engineVersion: "16.2")]
        let behind = try examples(members(.cutover, source: source), .cutover)
        XCTAssertEqual(behind.map(\.kind), [.fail])
        XCTAssertTrue(behind.first?.message.hasPrefix("app-legacy-1 (reader) of the source cluster app-legacy runs engine version 16.2, "
            + "its cluster 16.4, live") == true, behind.first?.message ?? "")
        XCTAssertFalse(behind.first?.message.contains("DMS replicates") ?? true)
        // The target drifted as a whole (every member on the cluster's version): the clusters' comparison says it, once.
        let whole = try examples(ReadinessExamples.replacing(ReadinessExamples.healthy(.cutover),
                                                             with: ReadinessExamples.members(targetShape: .init(engineVersion: "16.6"))), .cutover)
        XCTAssertEqual(whole.count, 1)
        XCTAssertTrue(whole.first?.message.hasPrefix("the target cluster app-core runs engine version 16.6") == true, whole.first?.message ?? "")
        // Versions are not compared at cleanup, instance by instance neither.
        XCTAssertEqual(try examples(members(.cleanup, target: targetReader(version: "16.6"),
                                            sourceShape: .init(deletionProtection: false)), .cleanup), [])
    }

    /// The target cluster's own version missing: each member is compared with the source's (and the cluster's absence is open).
    func testAMemberAgainstTheSourceWhenItsClusterSaysNoVersion() throws {
        var (name, text) = ReadinessExamples.clusters()
        let marker = #""EngineVersion": "16.4", "#
        let last = try XCTUnwrap(text.range(of: marker, options: .backwards))
        text.replaceSubrange(last, with: "")
        let files = ReadinessExamples.replacing(members(.cutover, target: targetReader(version: "16.6")), with: (name, text))
        let findings = try examples(files, .cutover)
        XCTAssertEqual(Set(findings.map(\.kind)), [.fail, .open], "\(findings.map(\.message))")
        XCTAssertEqual(findings.count, 2)
        XCTAssertTrue(findings.contains { $0.message.hasPrefix("app-core-2 (reader) of the target cluster app-core runs engine version "
            + "16.6, the source app-legacy 16.4, live") }, "\(findings.map(\.message))")
        XCTAssertTrue(findings.contains { $0.message.hasPrefix("app-core has no EngineVersion in the evidence") })
    }

    func testOnlyMembersThatCanTakeOverCount() throws {
        for status in ["available", "backing-up", "configuring-enhanced-monitoring", "configuring-iam-database-auth",
                       "configuring-log-exports", "storage-optimization", "storage-initialization", "resetting-master-credentials"] {
            XCTAssertEqual(try examples(members(.cutover, target: targetReader(status: status)), .cutover).map(\.message), [], status)
        }
        for (status, advice) in [("rebooting", "wait until it is available"), ("modifying", "wait until it is available"),
                                 ("stopped", "bring it back to available"), ("failed", "bring it back to available"),
                                 ("storage-full", "bring it back to available"), ("inaccessible-encryption-credentials", "bring it back"),
                                 ("incompatible-network", "bring it back"), ("incompatible-something-new", "bring it back"),
                                 ("deleting", "bring it back")] {
            let findings = try examples(members(.cutover, target: targetReader(status: status)), .cutover)
            XCTAssertEqual(findings.map(\.kind), [.fail, .fail], status)
            XCTAssertTrue(findings.first?.message.hasPrefix("app-core-2 (reader) of the target cluster app-core is \(status), live: it "
                + "cannot take over as writer") == true, findings.first?.message ?? "")
            XCTAssertTrue(findings.first?.message.contains(advice) == true, findings.first?.message ?? "")
            XCTAssertTrue(findings.last?.message.contains("has 2 instances live (app-core-1, app-core-2), 1 of which can take over as writer "
                + "(app-core-1), fewer than 2") == true, findings.last?.message ?? "")
        }
        // Both members down: none can take over.
        let none = try examples(members(.cutover, target: [Member(instance: "app-core-1", writer: true, status: "in-sync", instanceStatus: "stopped"),
                                                           Member(instance: "app-core-2", writer: false, status: "in-sync", instanceStatus: "stopped")]), .cutover)
        XCTAssertTrue(none.contains { $0.message.contains("has 2 instances live (app-core-1, app-core-2), 0 of which can take over as writer, fewer") },
                      "\(none.map(\.message))")
    }

    /// Never a pass: a status migcheck does not know, a missing one, a member describe-db-instances does not list.
    func testUnknownStatusesAreNotCounted() throws {
        for status in ["hibernating", "Available", "", "available\u{202E}"] {
            let findings = try examples(members(.cutover, target: targetReader(status: status)), .cutover)
            XCTAssertEqual(findings.map(\.kind), [.open, .fail], status)
            XCTAssertTrue(findings.first?.message.contains("has DBInstanceStatus \(JSONQuoting.quoted(status)), a status unknown to migcheck") == true,
                          findings.first?.message ?? "")
            XCTAssertEqual(findings.first?.severity, .warning)
        }
        let noStatus = #"{"DBInstances": [{"DBInstanceIdentifier": "app-core-1", "DBClusterIdentifier": "app-core", "EngineVersion": "16.4", "#
            + #""DBInstanceStatus": "available"}, {"DBInstanceIdentifier": "app-core-2", "DBClusterIdentifier": "app-core", "EngineVersion": "16.4"}]}"#
        let missing = try examples(ReadinessExamples.replacing(ReadinessExamples.healthy(.cutover), with: ("describe-db-instances.json", noStatus)), .cutover)
        XCTAssertTrue(missing.contains { $0.kind == .open && $0.message.hasPrefix("app-core-2 (reader) of the target cluster app-core has no "
            + "DBInstanceStatus") }, "\(missing.map(\.message))")
        // The source's members are not in that answer: at cutover they are compared (versions), so each is open.
        XCTAssertEqual(missing.filter { $0.message.contains("is not in describe-db-instances") }.map { $0.message.prefix(12) }, ["app-legacy-0", "app-legacy-1"])
        XCTAssertTrue(missing.contains { $0.kind == .fail && $0.message.contains("1 of which can take over as writer (app-core-1)") })
        // Without describe-db-instances: one finding says what to collect; the members count as describe-db-clusters lists them.
        let without = try examples(ReadinessExamples.removing(ReadinessExamples.healthy(.cutover), "describe-db-instances.json"), .cutover)
        XCTAssertEqual(without.map(\.kind), [.open])
        XCTAssertTrue(without.first?.message.contains("`aws rds describe-db-instances --filters Name=db-cluster-id,Values=app-legacy,app-core "
            + "--output json > describe-db-instances.json`") == true, without.first?.message ?? "")
    }

    func testSourceMembersCountOnlyWhileItsRebootIsDue() throws {
        let source = [Member(instance: "app-legacy-0", writer: true, status: "in-sync"),
                      Member(instance: "app-legacy-1", writer: false, status: "in-sync", instanceStatus: "storage-full")]
        XCTAssertEqual(try examples(members(.fullLoad, source: source), .fullLoad).map(\.severity), [.warning, .warning])
        XCTAssertEqual(try examples(members(.cutover, source: source), .cutover), [])
    }

    /// One list each, from the Aurora User Guide's status table; nothing in two.
    func testTheStatusListsAreDisjoint() {
        let lists = [ClusterShape.membersThatCanTakeOver, ClusterShape.busyMembers, ClusterShape.membersThatCannotTakeOver]
        XCTAssertEqual(lists.map(\.count).reduce(0, +), lists.reduce(Set<String>()) { $0.union($1) }.count)
        for status in ClusterShape.membersThatCanTakeOver { XCTAssertEqual(ClusterShape.memberState(status), .canTakeOver, status) }
        for status in ClusterShape.busyMembers { XCTAssertEqual(ClusterShape.memberState(status), .busy, status) }
        for status in ClusterShape.membersThatCannotTakeOver { XCTAssertEqual(ClusterShape.memberState(status), .cannotTakeOver, status) }
        XCTAssertEqual(ClusterShape.memberState("incompatible-option-group"), .cannotTakeOver)
        XCTAssertEqual(ClusterShape.memberState("configuring-something-new"), .unknown)
        XCTAssertEqual(ClusterShape.memberState("AVAILABLE"), .unknown)
    }
}
