import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckTestSupport

/// An inferred phase may only make the verdict stricter: every sign in the document is weighed,
/// and where the evidence fits several phases the plan is judged under each of them
/// (Fixtures/inference/ holds real-shaped deploys whose phase is easy to guess wrong).
final class PhaseInferenceStrictTests: XCTestCase {
    static var fixtures: URL { PackagePaths.packageRoot.appendingPathComponent("Fixtures") }

    static func picture(_ path: String) throws -> MigrationPicture {
        let document = try XCTUnwrap(TerraformReader.read(path: fixtures.appendingPathComponent(path).path).first)
        return try PictureBuilder.build(document)
    }

    static func inferred(_ path: String) throws -> Evaluation {
        Evaluator.evaluate(try picture(path), phase: nil)
    }

    func testDestroyingDMSWhileLoadingIsJudgedAsFullLoadToo() throws {
        let evaluation = try Self.inferred("inference/dms-destroyed-while-loading.full-load.plan.json")
        XCTAssertEqual(evaluation.considered, [.fullLoad, .cleanup], evaluation.phaseReason)
        let task = #"module.db_migration.aws_dms_replication_task.replication["main"]"#
        let destroyed = evaluation.findings.filter { $0.ruleID == "MIG010" && $0.address == task }
        XCTAssertEqual(destroyed.map(\.kind), [.fail], "\(evaluation.findings.map(\.message))")
        XCTAssertEqual(destroyed.first?.severity, .error)
        XCTAssertTrue(destroyed.first?.message.hasSuffix("keep the task until the cleanup deploy (under full-load)") == true,
                      destroyed.first?.message ?? "")
        XCTAssertTrue(ReportInput(evaluations: [evaluation]).fails)
        XCTAssertTrue(evaluation.phaseReason.contains("the plan destroys DMS resource \(task) (cleanup)"), evaluation.phaseReason)
        XCTAssertTrue(evaluation.phaseReason.contains("the target's session_replication_role stays replica (prepare, full-load)"), evaluation.phaseReason)
    }

    func testTheFirstCleanupDeployIsCleanupNotFullLoad() throws {
        let evaluation = try Self.inferred("inference/first-cleanup-deploy.cleanup.plan.json")
        XCTAssertEqual(evaluation.considered, [.cleanup], evaluation.phaseReason)
        XCTAssertTrue(evaluation.phaseReason.hasPrefix("inferred: the plan turns off deletion_protection of the source cluster aws_rds_cluster.main_db (cleanup)"),
                      evaluation.phaseReason)
        XCTAssertEqual(evaluation.findings.filter { $0.ruleID == "MIG002" }, [])
        XCTAssertEqual(evaluation.findings.filter { $0.severity == .error }, [])
        XCTAssertFalse(ReportInput(evaluations: [evaluation]).fails)
    }

    func testOriginTooEarlyIsToldToRestoreReplicaAsWellAsToSwitch() throws {
        let evaluation = try Self.inferred("inference/origin-before-switch.full-load.plan.json")
        XCTAssertEqual(evaluation.considered, [.fullLoad, .cutover], evaluation.phaseReason)
        let role = evaluation.findings.filter { $0.ruleID == "MIG002" }
        XCTAssertEqual(role.map(\.address), ["aws_rds_cluster_parameter_group.disable_constraints"])
        XCTAssertTrue(role.first?.message.hasSuffix(#"set it to "replica" (under full-load)"#) == true, role.first?.message ?? "")
        XCTAssertTrue(evaluation.findings.contains { $0.ruleID == "MIG012" && $0.address == "aws_ecs_task_definition.app_web"
            && $0.message.hasSuffix("(under cutover)") })
    }

    func testTheHealthyFixturesInferTheirOwnPhaseAlone() throws {
        let cases: [(String, Phase)] = [
            ("prepare/plan.json", .prepare), ("full-load/plan.json", .fullLoad), ("cutover/plan.json", .cutover),
            ("cleanup/plan.json", .cleanup), ("cutover/state.json", .cutover), ("cleanup/terraform.tfstate", .cleanup),
        ]
        for (path, phase) in cases {
            let evaluation = try Self.inferred(path)
            XCTAssertEqual(evaluation.considered, [phase], "\(path): \(evaluation.phaseReason)")
            XCTAssertFalse(evaluation.findings.contains { $0.message.contains("(under ") }, path)
        }
        for phase in Phase.allCases {
            let document = try XCTUnwrap(TerraformReader.read(text: MigrationExamples.healthy(phase).planJSON).first)
            XCTAssertEqual(PhaseInference.candidates(try PictureBuilder.build(document)).candidates, [phase], "\(phase)")
        }
    }

    /// The property: for every fixture, whatever a candidate phase named with --phase finds, the
    /// inferred run finds too (with the phases named when not all candidates agree).
    func testAnInferenceIsNeverMoreLenientThanAnyOfItsCandidates() throws {
        let paths = PackagePaths.fixturePaths(in: Self.fixtures)
        XCTAssertGreaterThan(paths.count, 30)
        func key(_ finding: Finding) -> String {
            var message = finding.message
            if let range = message.range(of: " (under ", options: .backwards), message.hasSuffix(")") {
                message = String(message[..<range.lowerBound])
            }
            return "\(finding.ruleID) \(finding.severity) \(finding.kind) \(finding.address ?? "-") \(message)"
        }
        for path in paths {
            let picture = try Self.picture(path)
            let inferred = Evaluator.evaluate(picture, phase: nil)
            let found = Set(inferred.findings.map(key))
            for phase in inferred.considered {
                let named = Evaluator.evaluate(picture, phase: phase)
                for finding in named.findings where !found.contains(key(finding)) {
                    XCTFail("\(path): \(key(finding)) holds under \(phase) but the inferred run (\(inferred.considered)) lacks it")
                }
                if named.findings.contains(where: ReportInput(evaluations: [named]).gates) {
                    XCTAssertTrue(ReportInput(evaluations: [inferred]).fails, "\(path): fails under \(phase), passes inferred")
                }
            }
        }
    }

    func testFindingsOfSeveralCandidatesAreMergedOnceAndNamed() {
        let common = Finding(ruleID: "MIG004", severity: .error, kind: .fail, message: "tier 0", address: "a")
        let onlyCutover = Finding(ruleID: "MIG012", severity: .error, kind: .fail, message: "still on the source", address: "b")
        let onlyFullLoad = Finding(ruleID: "MIG002", severity: .error, kind: .fail, message: "origin", address: "c")
        let merged = Evaluator.merge([[common, onlyFullLoad], [onlyCutover, common]], phases: [.fullLoad, .cutover])
        XCTAssertEqual(merged.map(\.message), ["tier 0", "origin (under full-load)", "still on the source (under cutover)"])
        let three = Evaluator.merge([[common], [common], []], phases: [.fullLoad, .cutover, .cleanup])
        XCTAssertEqual(three.map(\.message), ["tier 0 (under full-load, cutover)"])
        XCTAssertEqual(Evaluator.merge([[common, common]], phases: [.prepare]).count, 2, "one phase: nothing merged away")
    }

    func testANamedPhaseIsOnePhaseAndTheReportsSayWhichWereConsidered() throws {
        let picture = try Self.picture("inference/origin-before-switch.full-load.plan.json")
        let named = Evaluator.evaluate(picture, phase: .fullLoad)
        XCTAssertEqual(named.considered, [.fullLoad])
        XCTAssertFalse(named.findings.contains { $0.message.contains("(under ") })

        let inferred = Evaluator.evaluate(picture, phase: nil)
        let input = ReportInput(evaluations: [inferred], timestamp: "2026-12-01T10:00:00", hostname: "ci")
        let text = Reports.render(.text, input)
        XCTAssertTrue(text.contains("\n  phases considered: full-load, cutover (inferred, and the evidence fits more than one phase"), text)
        XCTAssertTrue(text.contains("; phases full-load, cutover\n"), text)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(Reports.render(.json, input).utf8)) as? [String: Any])
        let document = try XCTUnwrap((json["documents"] as? [[String: Any]])?.first)
        XCTAssertEqual(document["phasesConsidered"] as? [String], ["full-load", "cutover"])
        XCTAssertEqual(document["phase"] as? String, "cutover")
        XCTAssertEqual(document["migration"] as? Bool, true)
        let sarif = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(Reports.render(.sarif, input).utf8)) as? [String: Any])
        let properties = try XCTUnwrap((sarif["runs"] as? [[String: Any]])?.first?["properties"] as? [String: Any])
        XCTAssertEqual(properties["phasesConsidered"] as? [String], ["full-load", "cutover"])
        XCTAssertTrue((properties["phaseReason"] as? String)?.contains("the plan moves the target's session_replication_role from replica to origin (cutover)") == true)
    }
}
