import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// Errors about which cluster is the source and which the target are one complete line that
/// names where the mistake is: the flag, the policy file's line and column, or the resource
/// in the plan that makes the roles ambiguous.
final class RoleErrorTests: XCTestCase {
    private func document(_ plan: ExamplePlan = MigrationExamples.healthy(.prepare), file: String = "plan.json") throws -> TerraformDocument {
        try XCTUnwrap(TerraformReader.read(text: plan.planJSON, file: file).first)
    }

    private func description(of build: () throws -> MigrationPicture) -> String {
        do {
            _ = try build()
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    func testAnUnknownClusterNamedByAFlagNamesTheFlag() throws {
        let document = try document()
        let line = description { try PictureBuilder.build(document, source: "aws_rds_cluster.nope") }
        XCTAssertEqual(line, "migcheck: error: --source aws_rds_cluster.nope names no aws_rds_cluster in plan.json; "
                       + "clusters are: aws_rds_cluster.legacy, aws_rds_cluster.core")
        let odd = description { try PictureBuilder.build(document, target: "aws_rds_cluster.a\nb\u{1B}[31m") }
        XCTAssertTrue(odd.hasPrefix("migcheck: error: --target "), odd)
        XCTAssertFalse(odd.contains("\n") || odd.contains("\u{1B}"), odd)
    }

    func testAnUnknownClusterNamedByThePolicyPointsAtThePolicy() throws {
        let policy = try PolicyReader.read(text: """
        {
          "policyVersion": 1,
          "source": "aws_rds_cluster.old",
          "target": "aws_rds_cluster.core"
        }
        """, file: "infra/migcheck.json")
        let document = try document()
        let line = description { try PictureBuilder.build(document, source: nil, target: nil, policy: policy) }
        XCTAssertEqual(line, "infra/migcheck.json:3:13: error: \"source\": aws_rds_cluster.old names no aws_rds_cluster in plan.json; "
                       + "clusters are: aws_rds_cluster.legacy, aws_rds_cluster.core")
        XCTAssertFalse(line.contains("--source"), line)

        // A flag wins over the policy, and its reason says which named it.
        let picture = try PictureBuilder.build(document, source: MigrationExamples.source, target: nil, policy: policy)
        XCTAssertEqual(picture.source?.addressText, MigrationExamples.source)
        XCTAssertEqual(picture.roleReasons[.source], "named with --source")
        XCTAssertEqual(picture.roleReasons[.target], "named by the policy's \"target\" (infra/migcheck.json:4:13)")
    }

    func testOneClusterNamedForBothRolesIsAnError() throws {
        let document = try document()
        let line = description { try PictureBuilder.build(document, source: MigrationExamples.target, target: MigrationExamples.target) }
        XCTAssertEqual(line, "migcheck: error: --target aws_rds_cluster.core names the cluster that --source names; "
                       + "the source and the target are two different clusters")
    }

    func testAmbiguousRolesPointAtTheResourceThatMakesThemAmbiguous() throws {
        let plan = ExamplePlan(resources: ["a", "b", "c"].map {
            ExampleResource("aws_rds_cluster.\($0)", actions: ["no-op"], before: ["cluster_identifier": .string($0)],
                            after: ["cluster_identifier": .string($0)])
        })
        let document = try document(plan, file: "plans/plan.json")
        let second = try XCTUnwrap(document.resourceChanges.first { $0.addressText == "aws_rds_cluster.b" }).node.position
        XCTAssertGreaterThan(second.column, 1, "not the document's first character")
        let line = description { try PictureBuilder.build(document) }
        XCTAssertTrue(line.hasPrefix("plans/plan.json:\(second.line):\(second.column): error: cannot tell the source cluster from the target"),
                      line)
        XCTAssertTrue(line.contains("aws_rds_cluster.a, aws_rds_cluster.b, aws_rds_cluster.c"), line)
        XCTAssertFalse(line.contains("\n"), line)
    }

}
