import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading

/// AWS CLI evidence told from Terraform documents by the top level: the plan check names what
/// it was given, and `ready` sorts its operands.
final class EvidenceShapeTests: XCTestCase {
    func testThePlanReaderNamesEvidenceAndTheCommandThatReadsIt() {
        let cases = [
            (#"{"DBClusters": []}"#, "describe-db-clusters"),
            (#"{"TableStatistics": [], "ReplicationTaskArn": "arn"}"#, "describe-table-statistics"),
            (#"{"ARN": "arn:aws:secretsmanager:x", "Name": "s"}"#, "describe-secret"),
            (#"{"Error": {"Code": "AccessDenied", "Message": "no"}}"#, "an AWS error response"),
        ]
        for (text, call) in cases {
            XCTAssertThrowsError(try TerraformReader.read(text: text, file: "e.json"), call) { error in
                XCTAssertEqual((error as? InputError)?.diagnosticLine,
                               "e.json:1:1: error: this is AWS CLI evidence (\(call)), not a Terraform plan or state; "
                               + "judge it with `migcheck ready --phase PHASE [plan.json] EVIDENCE...`")
            }
        }
        XCTAssertThrowsError(try TerraformReader.read(text: #"{"Parameters": [], "format_version": 1}"#, file: "p.json")) { error in
            XCTAssertFalse((error as? InputError)?.diagnosticLine.contains("AWS CLI evidence") ?? true, "format_version: a Terraform document")
        }
    }

    func testFilesAreSortedByShape() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-shape-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = [
            ("clusters.json", #"{"DBClusters": []}"#, true),
            ("error.txt", "An error occurred (AccessDenied) when calling the DescribeDBClusters operation: no\n", true),
            ("plan.json", #"{"format_version": "1.2", "planned_values": {}}"#, false),
            ("state.tfstate", #"{"version": 4, "resources": []}"#, false),
            ("broken.json", "{", false),
        ]
        for (name, text, _) in files { try Data(text.utf8).write(to: directory.appendingPathComponent(name)) }
        for (name, _, isEvidence) in files {
            XCTAssertEqual(EvidenceShape.isEvidence(path: directory.appendingPathComponent(name).path), isEvidence, name)
        }
        XCTAssertFalse(EvidenceShape.isEvidence(path: directory.appendingPathComponent("missing.json").path))
    }
}
