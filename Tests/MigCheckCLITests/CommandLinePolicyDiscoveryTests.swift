import Foundation
import XCTest
@testable import MigCheckReading
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// Which policy file a run reads, and how the reports record it: through the built binary,
/// since the policy is found in the working directory.
final class CommandLinePolicyDiscoveryTests: XCTestCase {
    func testTheCommandLineRecordsThePolicyFileItRead() throws {
        let directory = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plan = PackagePaths.packageRoot.appendingPathComponent("Fixtures/full-load/plan.json").path
        let text = "{\n  \"policyVersion\": 1,\n  \"phase\": \"full-load\"\n}\n"
        try Data(text.utf8).write(to: directory.appendingPathComponent("migcheck.json"))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("policies"), withIntermediateDirectories: true)
        let other = "{\"policyVersion\": 1, \"source\": \"aws_rds_cluster.source[0]\"}\n"
        try Data(other.utf8).write(to: directory.appendingPathComponent("policies/prod.json"))
        let empty = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }

        let found = try MigCheckBinary.run(["--format", "json", plan], in: directory)
        let named = try MigCheckBinary.run(["--format", "json", "--policy", "policies/prod.json", plan], in: directory)
        let none = try MigCheckBinary.run(["--format", "json", plan], in: empty)
        for (result, origin, path, sha) in [(found, "working directory", "migcheck.json" as String?, SHA256.hexDigest(of: text)),
                                            (named, "--policy", "policies/prod.json", SHA256.hexDigest(of: other)),
                                            (none, "built-in", nil, PolicyProvenance.builtIn.sha256)] {
            XCTAssertNotEqual(result.status, 2, result.stderr)
            let policy = try XCTUnwrap(try json(result.stdout)["policy"] as? [String: Any])
            XCTAssertEqual(policy["origin"] as? String, origin)
            XCTAssertEqual(policy["path"] as? String, path)
            XCTAssertEqual(policy["sha256"] as? String, sha)
        }
        let documents = try XCTUnwrap(try json(found.stdout)["documents"] as? [[String: Any]])
        let phase = try XCTUnwrap(documents.first?["phaseOrigin"] as? [String: Any])
        XCTAssertEqual(phase["kind"] as? String, "policy")
        XCTAssertEqual((phase["location"] as? [String: Any])?["file"] as? String, "migcheck.json")

        let text2 = try MigCheckBinary.run(["--policy", "policies/prod.json", "--phase", "full-load", plan], in: directory)
        XCTAssertTrue(text2.stdout.contains("\n  policy: file policies/prod.json (--policy), sha256 \(SHA256.hexDigest(of: other))\n"), text2.stdout)
        XCTAssertTrue(text2.stdout.contains("\n  source: aws_rds_cluster.source[0] (named by the policy's \"source\" (policies/prod.json:1:32))\n"), text2.stdout)
    }

    private func json(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try XCTUnwrap(object as? [String: Any], "not a JSON object", file: file, line: line)
    }
}
