import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckCLI
@testable import MigCheckTestSupport

/// After the cleanup deploy the source cluster is gone: a policy (or flag) that names it is
/// not a role error when the phase is named cleanup. Where the source must exist, or when the
/// phase is only inferred, a named source that is absent stays an error (exit 2).
final class CleanupAbsentSourceTests: XCTestCase {
    private static let policyText = """
    {
      "policyVersion": 1,
      "source": "\(MigrationExamples.source)",
      "target": "\(MigrationExamples.target)"
    }
    """

    private func stateAfterCleanup() throws -> TerraformDocument {
        try XCTUnwrap(TerraformReader.read(text: MigrationExamples.healthy(.cleanup).stateJSON, file: "state.json").first)
    }

    func testANamedSourceAbsentFromTheStateAfterCleanupIsNoRoleError() throws {
        let policy = try PolicyReader.read(text: Self.policyText, file: "migcheck.json")
        let document = try stateAfterCleanup()
        XCTAssertFalse(document.plannedResources.contains { $0.address.description == MigrationExamples.source })
        let picture = try PictureBuilder.build(document, source: nil, target: nil, policy: policy, phase: .cleanup)
        XCTAssertNil(picture.source)
        XCTAssertEqual(picture.target?.addressText, MigrationExamples.target)
        XCTAssertTrue(picture.declaredRoles.contains(.source))
        let named = Evaluator.evaluate(picture, phase: .cleanup, policy: policy)
        let unnamed = Evaluator.evaluate(try PictureBuilder.build(document), phase: .cleanup)
        XCTAssertEqual(named.findings.map(\.message), unnamed.findings.map(\.message))
        XCTAssertEqual(named.findings.filter { $0.kind == .fail }.count, 0, "\(named.findings.map(\.message))")

        // The phase named by the policy itself counts too.
        let phased = try PolicyReader.read(text: Self.policyText.replacingOccurrences(of: "\"policyVersion\": 1,", with: "\"policyVersion\": 1, \"phase\": \"cleanup\","),
                                           file: "migcheck.json")
        XCTAssertNil(try PictureBuilder.build(document, source: nil, target: nil, policy: phased, phase: nil).source)
        // And --source as well as the policy's "source".
        XCTAssertNil(try PictureBuilder.build(document, source: MigrationExamples.source, target: nil, policy: .builtInDefault, phase: .cleanup).source)
    }

    func testANamedSourceStillInTheCleanupPlanIsTheSource() throws {
        let policy = try PolicyReader.read(text: Self.policyText, file: "migcheck.json")
        let document = try XCTUnwrap(TerraformReader.read(text: MigrationExamples.healthy(.cleanup).planJSON, file: "plan.json").first)
        let picture = try PictureBuilder.build(document, source: nil, target: nil, policy: policy, phase: .cleanup)
        XCTAssertEqual(picture.source?.addressText, MigrationExamples.source)
    }

    func testANamedSourceAbsentBeforeCleanupOrWithThePhaseInferredIsStillAnError() throws {
        let policy = try PolicyReader.read(text: Self.policyText, file: "migcheck.json")
        let document = try stateAfterCleanup()
        for phase in [Phase.prepare, .fullLoad, .cutover] {
            XCTAssertThrowsError(try PictureBuilder.build(document, source: nil, target: nil, policy: policy, phase: phase), "\(phase)") { error in
                XCTAssertTrue(error is UnknownClusterError, "\(error)")
            }
        }
        XCTAssertThrowsError(try PictureBuilder.build(document, source: nil, target: nil, policy: policy, phase: nil)) { error in
            let line = String(describing: error)
            XCTAssertTrue(line.hasPrefix("migcheck.json:3:13: error: \"source\": \(MigrationExamples.source) names no aws_rds_cluster in state.json"), line)
            XCTAssertTrue(line.contains("--phase cleanup"), line)
        }
        // The target is never allowed to be absent.
        let wrongTarget = try PolicyReader.read(text: Self.policyText.replacingOccurrences(of: MigrationExamples.target, with: "aws_rds_cluster.gone"),
                                                file: "migcheck.json")
        XCTAssertThrowsError(try PictureBuilder.build(document, source: nil, target: nil, policy: wrongTarget, phase: .cleanup))
    }

    /// The bug as found: the post-apply state check of the cleanup deploy with a policy naming
    /// the source (here the shipped cleanup fixture's raw state).
    func testThePostCleanupStateCheckWithAPolicyNamingTheSourcePasses() throws {
        let root = PackagePaths.packageRoot
        let state = root.appendingPathComponent("Fixtures/cleanup/terraform.tfstate").path
        guard FileManager.default.fileExists(atPath: state) else { throw XCTSkip("Fixtures/cleanup/terraform.tfstate is absent") }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("migcheck-cleanup-source-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let policy = scratch.appendingPathComponent("migcheck.json")
        try Data(#"{"policyVersion": 1, "source": "aws_rds_cluster.source[0]", "target": "module.target[0].aws_rds_cluster.this"}"#.utf8).write(to: policy)
        var error = ""
        let console = Console(writeOutput: { _ in nil }, writeError: { error += $0 }, isTerminal: { false })
        let cleanup = MigCheckCLI.run(arguments: ["check", "--policy", policy.path, "--phase", "cleanup", state], environment: [:], console: console)
        XCTAssertEqual(cleanup, .clean, error)
        XCTAssertEqual(error, "")
        let cutover = MigCheckCLI.run(arguments: ["check", "--policy", policy.path, "--phase", "cutover", state], environment: [:], console: console)
        XCTAssertEqual(cutover, .badInput)
        XCTAssertTrue(error.contains("names no aws_rds_cluster"), error)
    }
}
