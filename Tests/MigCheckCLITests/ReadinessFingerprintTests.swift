import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckCLI
@testable import MigCheckTestSupport

/// A readiness finding's fingerprint hashes the evidence file's name and the live subject, not
/// `(plan-wide)` nor the line: two findings of one rule with one message keep apart, and evidence
/// collected again (lines moved, another directory) keeps its fingerprints.
final class ReadinessFingerprintTests: XCTestCase {
    private func readinessEvaluation(directory: String) throws -> Evaluation {
        let documents = try ReadinessExamples.healthy(.cutover).map { try EvidenceReader.read(text: $0.text, file: directory + "/" + $0.name) }
        let live = LivePicture(documents: documents, now: try XCTUnwrap(EvidenceInstant.iso8601("2026-11-20T12:00:00Z")))
        return ReadinessEvaluator.evaluation(live, phase: .cutover, picture: try Invocation.evidenceOnlyPicture([directory]),
                                             policy: .builtInDefault)
    }

    private func finding(_ subject: String, file: String, line: Int) -> Finding {
        let position = SourcePosition(line: line, column: 9)
        var finding = Finding(ruleID: "MIG014", severity: .error, kind: .fail, message: "the member is pending-reboot, not in-sync",
                              location: SourceLocation(file: file, start: position, end: position))
        finding.liveSubject = subject
        return finding
    }

    private func hash(_ fingerprint: String) -> Substring { fingerprint.split(separator: ":").first ?? "" }

    func testTwoFindingsOfOneRuleWithOneMessageDoNotShareAHash() throws {
        let evaluation = try readinessEvaluation(directory: "/run/1/evidence").replacingFindings([
            finding("app-legacy-0", file: "/run/1/evidence/describe-db-clusters.json", line: 12),
            finding("app-legacy-1", file: "/run/1/evidence/describe-db-clusters.json", line: 20),
        ])
        let fingerprints = ReportSupport.stableFingerprints(evaluation)
        XCTAssertNotEqual(hash(fingerprints[0]), hash(fingerprints[1]), "\(fingerprints)")
        XCTAssertTrue(fingerprints.allSatisfy { $0.hasSuffix(":1") }, "\(fingerprints)")
    }

    func testEvidenceCollectedAgainKeepsItsFingerprints() throws {
        let first = try readinessEvaluation(directory: "/run/1/evidence").replacingFindings([
            finding("app-legacy-0", file: "/run/1/evidence/describe-db-clusters.json", line: 12),
            finding("app-legacy-1", file: "/run/1/evidence/describe-db-clusters.json", line: 20),
        ])
        // Collected again elsewhere: the lines moved, and the first member is in sync now.
        let again = try readinessEvaluation(directory: "evidence-2").replacingFindings([
            finding("app-legacy-1", file: "evidence-2/describe-db-clusters.json", line: 31),
        ])
        XCTAssertEqual(ReportSupport.stableFingerprints(again), [ReportSupport.stableFingerprints(first)[1]])
        // Another file or another subject is another finding.
        let other = try readinessEvaluation(directory: "e").replacingFindings([
            finding("app-legacy-1", file: "e/describe-db-clusters.source.json", line: 20),
            finding("app-legacy-2", file: "e/describe-db-clusters.json", line: 20),
        ])
        XCTAssertTrue(Set(ReportSupport.stableFingerprints(other)).isDisjoint(with: ReportSupport.stableFingerprints(first)))
    }

    /// The rules name their live subject, and the JSON report of the same evidence in another
    /// directory, re-indented (every line moved), carries the same fingerprints.
    func testReadyReportsKeepFingerprintsAcrossDirectoriesAndLineMoves() throws {
        let source = EvidenceFixtures.path("pending-reboot")
        let copy = try scratchDirectory().appendingPathComponent("collected-again")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: source) where name.hasSuffix(".json") {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: source + "/" + name)))
            try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
                .write(to: copy.appendingPathComponent(name))
        }
        func findings(_ directory: String) throws -> [[String: Any]] {
            let result = InProcess.run(["ready", "--phase", "cutover", "--now", "2026-11-20T12:00:00Z", "--format", "json", "--evidence", directory])
            XCTAssertEqual(result.stderr, "")
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            return try XCTUnwrap((object["documents"] as? [[String: Any]])?.first?["findings"] as? [[String: Any]])
        }
        let before = try findings(source)
        let after = try findings(copy.path)
        XCTAssertGreaterThanOrEqual(before.count, 3)
        XCTAssertEqual(before.map { $0["fingerprint"] as? String }, after.map { $0["fingerprint"] as? String })
        let lines = { (list: [[String: Any]]) in list.map { ($0["location"] as? [String: Any])?["startLine"] as? Int } }
        XCTAssertNotEqual(lines(before), lines(after), "the re-indented evidence moves the findings' lines")
        let hashes = before.compactMap { ($0["fingerprint"] as? String).map(hash) }
        XCTAssertEqual(Set(hashes).count, hashes.count, "every finding of the run has its own hash: \(hashes)")
    }

    /// GitHub's own line hash in SARIF keeps two readiness findings with one message apart too,
    /// and a plan finding's (no live subject) is rule, address and message, as before.
    func testTheSARIFLineHashCountsTheLiveSubject() throws {
        var addressed = finding("app-legacy-9", file: "plan.json", line: 7)
        addressed.liveSubject = nil
        addressed.address = "aws_rds_cluster.source"
        let evaluation = try readinessEvaluation(directory: "/run/1/evidence").replacingFindings([
            finding("app-legacy-0", file: "/run/1/evidence/describe-db-clusters.json", line: 12),
            finding("app-legacy-1", file: "/run/1/evidence/describe-db-clusters.json", line: 20),
            addressed,
        ])
        let sarif = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(SARIFReport.render(ReportInput(evaluations: [evaluation], failOn: .error, unverifiedSeverity: .warning)).utf8)) as? [String: Any])
        let results = try XCTUnwrap(((sarif["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]])
        let lineHashes = results.compactMap { ($0["partialFingerprints"] as? [String: String])?["primaryLocationLineHash"] }
        XCTAssertEqual(lineHashes.count, 3, "\(results)")
        XCTAssertEqual(Set(lineHashes).count, 3, "\(lineHashes)")
        XCTAssertTrue(lineHashes.allSatisfy { $0.hasSuffix(":1") }, "\(lineHashes)")
        XCTAssertTrue(lineHashes.contains(ReportSupport.fnv1a64(["MIG014", "aws_rds_cluster.source", addressed.message]) + ":1"), "\(lineHashes)")
    }

    /// Without a readiness record (a plan or state run) the hash is the resource's address, or
    /// `(plan-wide)` and the message, as before: neither the file nor a subject counts.
    func testPlanFingerprintsAreTheAddressOrPlanWideHash() throws {
        var addressed = finding("app-legacy-0", file: "plan.json", line: 7)
        addressed.address = "aws_rds_cluster.source"
        var evaluation = try readinessEvaluation(directory: "e").replacingFindings([addressed, finding("app-legacy-1", file: "plan.json", line: 9)])
        evaluation.readiness = nil
        XCTAssertEqual(ReportSupport.stableFingerprints(evaluation), [
            ReportSupport.fnv1a64(["MIG014", "aws_rds_cluster.source"]) + ":1",
            ReportSupport.fnv1a64(["MIG014", "(plan-wide)\u{0}the member is pending-reboot, not in-sync"]) + ":1",
        ])
    }
}
