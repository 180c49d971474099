import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

final class PictureTests: XCTestCase {
    /// Reading one attribute from the JSON must agree with building the whole value first.
    func testAttributeReadsAgreeWithWholeValues() throws {
        var documents = Phase.allCases.map { MigrationExamples.healthy($0).planJSON }
        documents.append(TerraformSamples.planWithEveryAction)
        documents.append(TerraformSamples.showState)
        let root = PackagePaths.packageRoot.appendingPathComponent("Fixtures")
        for phase in ["prepare", "full-load", "cutover", "cleanup"] {
            if let text = try? String(contentsOf: root.appendingPathComponent("\(phase)/plan.json"), encoding: .utf8) { documents.append(text) }
        }
        var compared = 0
        for text in documents {
            for document in try TerraformReader.read(text: text) {
                let picture = try PictureBuilder.build(document)
                for resource in picture.resources {
                    for (whole, single) in [(resource.before, resource.beforeAttribute), (resource.after, resource.afterAttribute)] {
                        guard case .object(let fields)? = whole else { continue }
                        for (name, value) in fields {
                            XCTAssertEqual(single(name), value, "\(resource.addressText).\(name)")
                            compared += 1
                            for path in Self.nestedPaths(value, prefix: name) {
                                XCTAssertEqual(single(path), whole?.value(at: path), "\(resource.addressText).\(path)")
                                compared += 1
                            }
                        }
                        XCTAssertNil(single("no_such_attribute"))
                    }
                }
            }
        }
        XCTAssertGreaterThan(compared, 1000)
    }

    static func nestedPaths(_ value: TerraformValue, prefix: String, depth: Int = 0) -> [String] {
        guard depth < 4 else { return [] }
        switch value {
        case .object(let fields):
            return fields.flatMap { [prefix + "." + $0.key] + nestedPaths($0.value, prefix: prefix + "." + $0.key, depth: depth + 1) }
        case .list(let items):
            return items.indices.flatMap { ["\(prefix)[\($0)]"] + nestedPaths(items[$0], prefix: "\(prefix)[\($0)]", depth: depth + 1) }
        default:
            return []
        }
    }

    func testRolesAreInferredFromDMSEndpointsAndExplained() throws {
        let document = try XCTUnwrap(TerraformReader.read(text: MigrationExamples.healthy(.fullLoad).planJSON).first)
        let picture = try PictureBuilder.build(document)
        XCTAssertEqual(picture.source?.addressText, MigrationExamples.source)
        XCTAssertTrue(picture.roleReasons[.source]?.contains("DMS source endpoint") == true, "\(picture.roleReasons)")
        XCTAssertEqual(picture.source?.instances.map(\.addressText).sorted(), MigrationExamples.sourceInstances)
        XCTAssertEqual(picture.source?.parameterGroup?.resource.addressText, MigrationExamples.sourceGroup)
    }

    func testUserNamedRolesWinAndUnknownNamesAreErrors() throws {
        let document = try XCTUnwrap(TerraformReader.read(text: MigrationExamples.healthy(.prepare).planJSON).first)
        let swapped = try PictureBuilder.build(document, source: MigrationExamples.target, target: MigrationExamples.source)
        XCTAssertEqual(swapped.source?.addressText, MigrationExamples.target)
        XCTAssertEqual(swapped.roleReasons[.source], "named with --source")
        XCTAssertThrowsError(try PictureBuilder.build(document, source: "aws_rds_cluster.nope")) { error in
            XCTAssertTrue(String(describing: error).contains("names no aws_rds_cluster"), "\(error)")
        }
    }

    func testIndistinguishableClustersAreAnAmbiguityError() throws {
        let plan = ExamplePlan(resources: ["a", "b", "c"].map {
            ExampleResource("aws_rds_cluster.\($0)", actions: ["no-op"], before: ["cluster_identifier": .string($0)],
                            after: ["cluster_identifier": .string($0)])
        })
        let document = try XCTUnwrap(TerraformReader.read(text: plan.planJSON).first)
        XCTAssertThrowsError(try PictureBuilder.build(document)) { error in
            guard let ambiguity = error as? AmbiguousRolesError else { return XCTFail("\(error)") }
            XCTAssertEqual(ambiguity.candidates, ["aws_rds_cluster.a", "aws_rds_cluster.b", "aws_rds_cluster.c"])
            XCTAssertTrue(ambiguity.description.contains("--source ADDRESS --target ADDRESS"))
        }
    }

    func testAPlanWithoutClustersIsReadAndEveryRuleSaysWhatIsMissing() throws {
        let plan = ExamplePlan(resources: [ExampleResource("aws_s3_bucket.logs", actions: ["create"], before: nil, after: ["bucket": "logs"])])
        let document = try XCTUnwrap(TerraformReader.read(text: plan.planJSON).first)
        let picture = try PictureBuilder.build(document)
        XCTAssertNil(picture.source)
        XCTAssertNil(picture.target)
        let evaluation = Evaluator.evaluate(picture, phase: .prepare)
        let reporting = Set(evaluation.findings.map(\.ruleID))
        for rule in ["MIG001", "MIG002", "MIG003", "MIG004", "MIG005", "MIG010"] {
            XCTAssertTrue(reporting.contains(rule), "\(rule) should report the missing cluster or task: \(evaluation.findings.map(\.message))")
        }
        XCTAssertFalse(evaluation.findings.isEmpty)
    }

    /// The runbook's own DMS module logs in with the clusters' managed secrets, not host names.
    func testEndpointsThatUseSecretsManagerStillTellTheRoles() throws {
        var plan = MigrationExamples.healthy(.fullLoad)
        for address in [MigrationExamples.sourceEndpoint, MigrationExamples.targetEndpoint] {
            plan = plan.setting(address, "server_name", to: nil).settingReferences(address, "server_name", to: nil)
        }
        plan = plan.settingReferences(MigrationExamples.sourceEndpoint, "secrets_manager_arn", to: ["var.source_secret"])
            .settingReferences(MigrationExamples.targetEndpoint, "secrets_manager_arn", to: ["var.target_secret"])
        plan.moduleInputs["dms"]?["source_secret"] = ["\(MigrationExamples.source).master_user_secret[0].secret_arn", MigrationExamples.source]
        plan.moduleInputs["dms"]?["target_secret"] = ["\(MigrationExamples.target).master_user_secret[0].secret_arn", MigrationExamples.target]
        let document = try XCTUnwrap(TerraformReader.read(text: plan.planJSON).first)
        let picture = try PictureBuilder.build(document)
        XCTAssertEqual(picture.source?.addressText, MigrationExamples.source)
        XCTAssertEqual(picture.target?.addressText, MigrationExamples.target)
        XCTAssertTrue(picture.roleReasons[.source]?.contains("secrets_manager_arn refers to aws_rds_cluster.legacy") == true, "\(picture.roleReasons)")
    }

    /// Without --phase, a state's phase comes from what it holds (checked on the shipped fixtures).
    func testStatesInferTheirPhase() throws {
        let root = PackagePaths.packageRoot.appendingPathComponent("Fixtures")
        let cases: [(String, Phase)] = [
            ("cutover/state.json", .cutover),
            ("cleanup/terraform.tfstate", .cleanup),
            ("rules/MIG002-replica-after-cutover.cutover.state.json", .cutover),
            ("rules/MIG011-dms-module-kept.cleanup.tfstate", .cleanup),
        ]
        for (path, phase) in cases {
            let document = try XCTUnwrap(TerraformReader.read(path: root.appendingPathComponent(path).path).first)
            let inferred = PhaseInference.infer(try PictureBuilder.build(document))
            XCTAssertEqual(inferred.phase, phase, "\(path): \(inferred.reason)")
        }
        let fullLoad = try XCTUnwrap(TerraformReader.read(text: MigrationExamples.healthy(.fullLoad).stateJSON).first)
        XCTAssertEqual(PhaseInference.infer(try PictureBuilder.build(fullLoad)).phase, .fullLoad,
                       "the schema-prep task already on the target does not make a full-load state a cutover one")
    }
}
