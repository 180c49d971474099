import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading

/// The evidence reader on the public JSONTestSuite (`../shared/fixtures/json-test-suite`), as
/// `JSONTestSuiteTests` runs the plan reader: each case embedded as a value in a valid
/// describe-db-clusters answer, and each case as a whole file. `y_` accepted (the documented
/// duplicate-key exceptions aside), `n_` rejected with a position inside the case, `i_` by the
/// same policy as plans; every rejection an `InputError` (exit 2, one line), never a crash.
final class EvidenceJSONTestSuiteTests: XCTestCase {
    static let prefix = Array(#"{"DBClusters": [], "Marker": "#.utf8)
    static let suffix = Array("}".utf8)

    func testCasesEmbeddedInEvidence() throws {
        let cases = try JSONTestSuiteTests.loadCases()
        var accepted = 0, rejected = 0
        for testCase in cases {
            let bytes = Self.prefix + testCase.bytes + Self.suffix
            var failure: InputError?
            do {
                let document = try EvidenceReader.read(storage: ByteStorage(copying: bytes), file: testCase.name)
                XCTAssertEqual(document.kind, .dbClusters, testCase.name)
                XCTAssertTrue(document.isEmpty, testCase.name)
            } catch let error as InputError {
                failure = error
            } catch {
                XCTFail("\(testCase.name): threw \(error), not an InputError")
                continue
            }
            if let failure {
                rejected += 1
                let position = try XCTUnwrap(failure.position, testCase.name)
                XCTAssertTrue((position.line, position.column) >= (1, Self.prefix.count + 1) || position.line > 1,
                              "\(testCase.name): \(failure.description) points before the case")
                XCTAssertFalse(failure.description.contains("\n"), testCase.name)
            } else {
                accepted += 1
            }
            switch testCase.name.prefix(2) {
            case "y_":
                let documented = JSONTestSuiteTests.rejectedValidCases[testCase.name] != nil
                XCTAssertEqual(failure != nil, documented, "\(testCase.name): \(String(describing: failure))")
            case "n_":
                XCTAssertNotNil(failure, "\(testCase.name): invalid JSON accepted as evidence")
            default:
                let expectRejected = JSONTestSuiteTests.rejectedImplementationDefinedCases.contains(testCase.name)
                XCTAssertEqual(failure != nil, expectRejected, "\(testCase.name): \(String(describing: failure))")
            }
        }
        XCTAssertEqual(accepted + rejected, cases.count)
        print("JSONTestSuite in evidence: accepted \(accepted), rejected \(rejected) of \(cases.count)")
    }

    func testCasesAsWholeEvidenceFiles() throws {
        for testCase in try JSONTestSuiteTests.loadCases() {
            do {
                _ = try EvidenceReader.read(storage: ByteStorage(copying: testCase.bytes), file: testCase.name)
                XCTAssertFalse(testCase.name.hasPrefix("n_"), "\(testCase.name): invalid JSON accepted as evidence")
            } catch let error as InputError {
                XCTAssertNotNil(error.position, testCase.name)
                XCTAssertFalse(error.description.contains("\n"), testCase.name)
            } catch {
                XCTFail("\(testCase.name): threw \(error), not an InputError")
            }
        }
    }
}
