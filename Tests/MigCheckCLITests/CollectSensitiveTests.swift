import Foundation
import XCTest
@testable import MigCheckCLI
@testable import MigCheckTestSupport

/// `migcheck collect` prints identifiers from the plan into shell commands: one Terraform marks
/// sensitive is never printed, whatever it holds (a placeholder says so).
final class CollectSensitiveTests: XCTestCase {
    /// The cutover fixture with every cluster's `cluster_identifier` marked sensitive, as Terraform
    /// marks it (`after_sensitive`, `before_sensitive`, the planned values' `sensitive_values`).
    private func planWithSensitiveIdentifiers() throws -> URL {
        let fixture = PackagePaths.packageRoot.appendingPathComponent("Fixtures/cutover/plan.json")
        var plan = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as? [String: Any])
        var changes = try XCTUnwrap(plan["resource_changes"] as? [[String: Any]])
        var marked = 0
        for index in changes.indices where changes[index]["type"] as? String == "aws_rds_cluster" {
            var change = try XCTUnwrap(changes[index]["change"] as? [String: Any])
            for key in ["after_sensitive", "before_sensitive"] {
                var marks = change[key] as? [String: Any] ?? [:]
                marks["cluster_identifier"] = true
                change[key] = marks
            }
            changes[index]["change"] = change
            marked += 1
        }
        XCTAssertEqual(marked, 2, "the fixture's source and target")
        plan["resource_changes"] = changes
        func mark(_ module: [String: Any]) -> [String: Any] {
            var module = module
            module["resources"] = (module["resources"] as? [[String: Any]] ?? []).map { resource in
                guard resource["type"] as? String == "aws_rds_cluster" else { return resource }
                var resource = resource
                var marks = resource["sensitive_values"] as? [String: Any] ?? [:]
                marks["cluster_identifier"] = true
                resource["sensitive_values"] = marks
                return resource
            }
            module["child_modules"] = (module["child_modules"] as? [[String: Any]] ?? []).map(mark)
            return module
        }
        var planned = try XCTUnwrap(plan["planned_values"] as? [String: Any])
        planned["root_module"] = mark(try XCTUnwrap(planned["root_module"] as? [String: Any]))
        plan["planned_values"] = planned
        let file = try scratchDirectory().appendingPathComponent("plan.json")
        try JSONSerialization.data(withJSONObject: plan).write(to: file)
        return file
    }

    func testASensitiveClusterIdentifierIsNeverPrinted() throws {
        let plan = try planWithSensitiveIdentifiers()
        let result = InProcess.run(["collect", "--phase", "cutover", plan.path])
        XCTAssertEqual(result.exitCode, .clean, result.stderr)
        XCTAssertFalse(result.stdout.contains("app-production-aurora"), result.stdout)
        XCTAssertFalse(result.stdout.contains("app-production-core'"), result.stdout)
        XCTAssertTrue(result.stdout.contains("# SOURCE_CLUSTER_ID: sensitive in the plan or state, so not printed; fill it in"), result.stdout)
        XCTAssertTrue(result.stdout.contains("--db-cluster-identifier SOURCE_CLUSTER_ID --output json"), result.stdout)
        // Unmarked, the same plan's identifiers are printed: the test can fail.
        let fixture = PackagePaths.packageRoot.appendingPathComponent("Fixtures/cutover/plan.json").path
        XCTAssertTrue(InProcess.run(["collect", "--phase", "cutover", fixture]).stdout.contains("'app-production-aurora'"))
    }
}
