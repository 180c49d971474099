import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// The policy file a run read is recorded by its SHA-256 (`SHA256Tests` checks the digest itself).
final class PolicyDigestTests: XCTestCase {
    func testAgreesWithSha256sumOnAPolicyFile() throws {
        let directory = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("migcheck.json")
        let text = "{\n  \"policyVersion\": 1,\n  \"phase\": \"cutover\",\n  \"rules\": {\"MIG011\": {\"enabled\": false}}\n}\n"
        try Data(text.utf8).write(to: file)
        guard let result = ExternalTools.run(["sha256sum", file.path]), result.status == 0 else {
            throw XCTSkip("sha256sum not available")
        }
        let expected = String(result.output.prefix(64))
        let read = try PolicyReader.readRecording(path: file.path, origin: .flag)
        XCTAssertEqual(read.provenance.sha256, expected)
        XCTAssertEqual(read.provenance.path, file.path)
        XCTAssertEqual(read.provenance.origin, .flag)
        XCTAssertEqual(SHA256.hexDigest(of: text), expected)
    }

    func testTheBuiltInPolicyIsRecordedByTheDigestOfItsCanonicalText() throws {
        let builtIn = PolicyProvenance.builtIn
        XCTAssertEqual(builtIn.origin, .builtIn)
        XCTAssertNil(builtIn.path)
        XCTAssertEqual(builtIn.sha256, SHA256.hexDigest(of: Policy.builtInDefault.fileText))
        // The shipped copy is byte-identical, so reading it names the same digest.
        let shipped = PackagePaths.packageRoot.appendingPathComponent("Policies/migcheck.json")
        XCTAssertEqual(try PolicyReader.readRecording(path: shipped.path, origin: .flag).provenance.sha256, builtIn.sha256)
    }
}
