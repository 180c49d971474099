import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckTestSupport

/// `--source-dir` is a boundary: module sources from the plan or the `.tf` files that lead out
/// of it (`../..`, a symlinked directory or file) are not followed and not read, and the
/// finding keeps its position in the plan.
final class SourceDirectoryBoundaryTests: XCTestCase {
    private var scratch = ""
    private var root: String { scratch + "/repo/infra" }
    private var outside: String { scratch + "/outside" }

    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "migcheck-boundary-\(UUID().uuidString)"
        let manager = FileManager.default
        for directory in [root + "/modules/dms", root + "/envs/prod", outside] {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        // What an attacker would like the reports to point at (and migcheck to read).
        try """
        resource "aws_dms_replication_task" "migration" {}
        resource "aws_rds_cluster" "core" {}
        """.write(toFile: outside + "/evil.tf", atomically: true, encoding: .utf8)
        try """
        module "up_and_out" {
          source = "../../outside"
        }

        module "absolute" {
          source = "\(outside)"
        }

        module "dms_migration" {
          source = "./modules/dms"
        }

        module "linked" {
          source = "./modules/linked"
        }

        module "prod" {
          source = "./envs/prod"
        }

        module "missing" {
          source = "./modules/missing"
        }
        """.write(toFile: root + "/main.tf", atomically: true, encoding: .utf8)
        try #"resource "aws_dms_replication_task" "migration" {}"#.write(toFile: root + "/modules/dms/main.tf", atomically: true, encoding: .utf8)
        // Within the root, `..` is fine.
        try """
        module "shared" {
          source = "../../modules/dms"
        }
        """.write(toFile: root + "/envs/prod/main.tf", atomically: true, encoding: .utf8)
        try manager.createSymbolicLink(atPath: root + "/modules/linked", withDestinationPath: outside)
        try manager.createSymbolicLink(atPath: root + "/rds.tf", withDestinationPath: outside + "/evil.tf")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: scratch)
    }

    private func locate(_ address: String, configuration: Configuration? = nil) throws -> SourceLocation? {
        var locator = TerraformSourceLocator(root: root, configuration: configuration)
        return locator.location(of: try XCTUnwrap(ResourceAddress.parse(address)))
    }

    func testModuleSourcesLeadingOutOfTheSourceDirectoryAreNotFollowed() throws {
        XCTAssertNil(try locate("module.up_and_out.aws_dms_replication_task.migration"), "../../outside leaves the source directory")
        XCTAssertNil(try locate("module.linked.aws_dms_replication_task.migration"), "a symlinked directory that leads out")
        // An absolute source is not a local path: the finding points at the module block.
        XCTAssertEqual(try locate("module.absolute.aws_dms_replication_task.migration")?.file, root + "/main.tf")
    }

    func testFilesSymlinkedFromOutsideAreNotRead() throws {
        XCTAssertNil(try locate("aws_rds_cluster.core"), "rds.tf is a symlink to a file outside the source directory")
    }

    func testModulesInsideTheSourceDirectoryAreStillFollowed() throws {
        XCTAssertEqual(try locate("module.dms_migration.aws_dms_replication_task.migration")?.file, root + "/modules/dms/main.tf")
        XCTAssertEqual(try locate("module.prod.module.shared.aws_dms_replication_task.migration")?.file, root + "/modules/dms/main.tf",
                       "`..` that stays inside the source directory")
        XCTAssertEqual(try locate("module.missing.aws_dms_replication_task.migration")?.file, root + "/main.tf",
                       "a module directory that does not exist: its module block")
    }

    /// The plan's own `module_calls.*.source` is the attack: SARIF and annotations must keep
    /// pointing inside the source directory, at the plan position when the module leaves it.
    func testAPlansModuleSourceCannotSendReportsOutOfTheSourceDirectory() throws {
        let packageRoot = try XCTUnwrap(PackagePaths.root)
        let data = try Data(contentsOf: packageRoot.appendingPathComponent("Fixtures/prepare/plan.json"))
        var plan = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var configuration = try XCTUnwrap(plan["configuration"] as? [String: Any])
        var rootModule = try XCTUnwrap(configuration["root_module"] as? [String: Any])
        var calls = try XCTUnwrap(rootModule["module_calls"] as? [String: Any])
        var dms = try XCTUnwrap(calls["dms"] as? [String: Any])
        dms["source"] = "../../outside"
        calls["dms"] = dms
        rootModule["module_calls"] = calls
        configuration["root_module"] = rootModule
        plan["configuration"] = configuration
        let text = String(decoding: try JSONSerialization.data(withJSONObject: plan), as: UTF8.self)

        var policy = Policy.builtInDefault
        policy.assertions = [Policy.Assertion(id: "ORG001", title: "task", resourceType: "aws_dms_replication_task", role: nil,
                                              attribute: "migration_type", comparison: .equals("cdc"), phases: Set(Phase.allCases),
                                              severity: .error)]
        let file = "plans/prepare.json"
        let evaluation = try XCTUnwrap(ReportFixtures.evaluate(text, file: file, phase: nil, policy: policy).first)
        let task = "module.dms[0].aws_dms_replication_task.migration"
        let planPosition = try XCTUnwrap(evaluation.findings.first { $0.ruleID == "ORG001" && $0.address == task }?.location)

        let located = evaluation.locatingSources(in: root)
        let finding = try XCTUnwrap(located.findings.first { $0.ruleID == "ORG001" && $0.address == task })
        XCTAssertEqual(finding.location, planPosition, "the module leaves the source directory: the plan position")
        for format in [ReportFormat.sarif, .github, .json] {
            let report = Reports.render(format, ReportFixtures.input([located]))
            XCTAssertFalse(report.contains("outside"), "\(format) points out of the source directory")
        }
    }
}
