import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckTestSupport

/// Runs the public JSONTestSuite (nst/JSONTestSuite, `../shared/fixtures/json-test-suite`)
/// through migcheck's reader: every case embedded as a value inside a valid plan, and
/// every case standalone as a whole document.
///
/// `y_` must be accepted, `n_` rejected with a position (exit 2 in the CLI), `i_` either —
/// but it must finish: the cases run in-process, so a crash would end the whole test run.
final class JSONTestSuiteTests: XCTestCase {
    /// The plan each case is embedded in: the case's bytes become the value of variable `v`.
    static let planPrefix = Array(#"{"format_version":"1.2","terraform_version":"1.9.5","variables":{"v":{"value":"#.utf8)
    static let planSuffix = Array(#"}},"planned_values":{"root_module":{}},"resource_changes":[]}"#.utf8)

    /// `y_` cases migcheck rejects on purpose. RFC 8259 only says object names SHOULD be unique;
    /// migcheck rejects duplicates because JSON tools disagree on which copy wins, so a plan
    /// with a duplicate key could say different things to migcheck and to another checker.
    /// These are still checked: they must be rejected with a duplicate-key message.
    static let rejectedValidCases: [String: String] = [
        "y_object_duplicated_key.json": "a",
        "y_object_duplicated_key_and_value.json": "a",
    ]

    /// migcheck's policy for the implementation-defined `i_` cases: these are rejected.
    /// - numbers that overflow a 64-bit float (migcheck needs every number finite);
    /// - bytes that are not well-formed UTF-8 (RFC 8259 §8.1: JSON text exchanged between
    ///   systems must be UTF-8), including UTF-16 text embedded in a UTF-8 file;
    /// - a UTF-8 byte-order mark in the middle of a document (a BOM is only skipped at the start
    ///   of a file, which is why the same case is accepted standalone).
    /// Every other `i_` case (huge integers, underflow to zero, lone `\u` surrogate escapes,
    /// which decode to U+FFFD, 500 nested arrays) is accepted.
    static let rejectedImplementationDefinedCases: Set<String> = [
        "i_number_huge_exp.json",
        "i_number_neg_int_huge_exp.json",
        "i_number_pos_double_huge_exp.json",
        "i_number_real_neg_overflow.json",
        "i_number_real_pos_overflow.json",
        "i_string_UTF-16LE_with_BOM.json",
        "i_string_UTF-8_invalid_sequence.json",
        "i_string_UTF8_surrogate_U+D800.json",
        "i_string_invalid_utf-8.json",
        "i_string_iso_latin_1.json",
        "i_string_lone_utf8_continuation_byte.json",
        "i_string_not_in_unicode_range.json",
        "i_string_overlong_sequence_2_bytes.json",
        "i_string_overlong_sequence_6_bytes.json",
        "i_string_overlong_sequence_6_bytes_null.json",
        "i_string_truncated-utf-8.json",
        "i_string_utf16BE_no_BOM.json",
        "i_string_utf16LE_no_BOM.json",
        "i_structure_UTF-8_BOM_empty_object.json",
    ]

    /// Standalone, only the BOM case changes its outcome: a leading BOM is skipped.
    static let rejectedImplementationDefinedStandalone: Set<String> =
        rejectedImplementationDefinedCases.subtracting(["i_structure_UTF-8_BOM_empty_object.json"])

    struct Case {
        let name: String
        let bytes: [UInt8]
    }

    static func loadCases() throws -> [Case] {
        let directory: URL
        do {
            directory = try SharedFixtures.directory("fixtures/json-test-suite/test_parsing")
        } catch is XCTSkip {
            throw XCTSkip("../shared/fixtures/json-test-suite/test_parsing not found: JSONTestSuite lives in ../shared beside the clone")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }
            .sorted()
        return try names.map { name in
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            return Case(name: name, bytes: [UInt8](data))
        }
    }

    static func embedded(_ bytes: [UInt8]) -> [UInt8] { planPrefix + bytes + planSuffix }

    /// The line and column where the embedded case begins: nothing can be wrong before it.
    static let caseStart = SourcePosition(line: 1, column: planPrefix.count + 1)

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func trimmed(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        var slice = bytes[...]
        while let first = slice.first, isJSONWhitespace(first) { slice = slice.dropFirst() }
        while let last = slice.last, isJSONWhitespace(last) { slice = slice.dropLast() }
        return slice
    }

    private static func precedes(_ a: SourcePosition, _ b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    // MARK: - Embedded in a plan

    func testCasesEmbeddedInAPlan() throws {
        let cases = try Self.loadCases()
        let y = cases.filter { $0.name.hasPrefix("y_") }
        let n = cases.filter { $0.name.hasPrefix("n_") }
        let i = cases.filter { $0.name.hasPrefix("i_") }
        // The suite at commit 1ef36fa: 95 y_, 188 n_, 35 i_.
        XCTAssertEqual([y.count, n.count, i.count], [95, 188, 35], "unexpected JSONTestSuite contents")

        var acceptedY = 0, rejectedN = 0, acceptedI = 0, rejectedI = 0
        for testCase in cases {
            let bytes = Self.embedded(testCase.bytes)
            var documents: [TerraformDocument] = []
            var failure: InputError?
            do {
                documents = try TerraformReader.read(storage: ByteStorage(copying: bytes), file: testCase.name, expecting: nil)
            } catch let error as InputError {
                failure = error
            } catch {
                XCTFail("\(testCase.name): threw \(error), not an InputError (the CLI would not exit 2 with one line)")
                continue
            }
            if let failure {
                assertWellFormed(failure, name: testCase.name, documentBytes: bytes)
            }

            switch testCase.name.prefix(2) {
            case "y_":
                if let duplicate = Self.rejectedValidCases[testCase.name] {
                    XCTAssertTrue(failure?.message.contains("duplicate object key \"\(duplicate)\"") == true,
                                  "\(testCase.name): documented exception must be rejected as a duplicate key, got \(String(describing: failure))")
                    continue
                }
                guard failure == nil else {
                    XCTFail("\(testCase.name): valid JSON rejected: \(failure!)")
                    continue
                }
                acceptedY += 1
                XCTAssertEqual(documents.count, 1, testCase.name)
                guard let document = documents.first else { continue }
                XCTAssertEqual(document.kind, .plan, testCase.name)
                // Navigation must land exactly on the embedded value, whatever it is.
                withExtendedLifetime(documents) {
                    guard let value = document.json.root["variables"]?["v"]?["value"] else {
                        XCTFail("\(testCase.name): variables.v.value not found")
                        return
                    }
                    let found = Array(UnsafeRawBufferPointer(rebasing: document.json.bytes[value.byteRange]))
                    XCTAssertEqual(found[...], Self.trimmed(testCase.bytes), "\(testCase.name): value bytes")
                    // The siblings after the value are still reachable (the skip over it is right).
                    XCTAssertEqual(document.json.root["resource_changes"]?.kind, .array, testCase.name)
                    XCTAssertEqual(document.json.root.members.map(\.key),
                                   ["format_version", "terraform_version", "variables", "planned_values", "resource_changes"],
                                   testCase.name)
                }
            case "n_":
                if failure == nil {
                    XCTFail("\(testCase.name): invalid JSON accepted when embedded in a plan")
                } else {
                    rejectedN += 1
                }
            default:
                let expectRejected = Self.rejectedImplementationDefinedCases.contains(testCase.name)
                XCTAssertEqual(failure != nil, expectRejected,
                               "\(testCase.name): migcheck's documented i_ policy says \(expectRejected ? "reject" : "accept"); got \(String(describing: failure))")
                if failure == nil { acceptedI += 1 } else { rejectedI += 1 }
            }
        }
        XCTAssertEqual(acceptedY, y.count - Self.rejectedValidCases.count)
        XCTAssertEqual(rejectedN, n.count)
        XCTAssertEqual(acceptedI + rejectedI, i.count, "every i_ case finished")
        print("JSONTestSuite embedded: y accepted \(acceptedY)/\(y.count) (\(Self.rejectedValidCases.count) documented exceptions), "
              + "n rejected \(rejectedN)/\(n.count), i accepted \(acceptedI) rejected \(rejectedI)")
    }

    /// A rejection is an `InputError` that names the file and a position inside the embedded case.
    private func assertWellFormed(_ error: InputError, name: String, documentBytes: [UInt8], line: UInt = #line) {
        guard let position = error.position else {
            XCTFail("\(name): error has no position: \(error)", line: line)
            return
        }
        XCTAssertFalse(Self.precedes(position, Self.caseStart),
                       "\(name): error at \(position), before the embedded case starts at \(Self.caseStart): \(error.message)", line: line)
        let end = documentBytes.withUnsafeBytes { SourcePosition.of(documentBytes.count, in: $0) }
        XCTAssertFalse(Self.precedes(end, position), "\(name): error at \(position), past the end \(end)", line: line)
        XCTAssertFalse(error.message.isEmpty, name, line: line)
        XCTAssertTrue(error.description.hasPrefix("\(name):\(position.line):\(position.column): error: "), error.description, line: line)
        XCTAssertFalse(error.description.contains("\n"), "\(name): error is more than one line", line: line)
    }

    // MARK: - Standalone

    func testCasesAsWholeDocuments() throws {
        let cases = try Self.loadCases()
        XCTAssertFalse(cases.isEmpty)
        var acceptedI = 0, rejectedI = 0
        for testCase in cases {
            var syntaxError: JSONSyntaxError?
            do {
                let document = try JSONDocument(bytes: testCase.bytes)
                // Nodes do not retain their document: keep it alive while one is used.
                withExtendedLifetime(document) {
                    XCTAssertEqual(document.root.byteRange.upperBound <= testCase.bytes.count, true, testCase.name)
                }
            } catch let error as JSONSyntaxError {
                syntaxError = error
                XCTAssertTrue((0...testCase.bytes.count).contains(error.offset), "\(testCase.name): offset \(error.offset) out of range")
            } catch {
                XCTFail("\(testCase.name): threw \(error), not a JSONSyntaxError")
                continue
            }
            switch testCase.name.prefix(2) {
            case "y_":
                if let duplicate = Self.rejectedValidCases[testCase.name] {
                    XCTAssertEqual(syntaxError?.reason, .duplicateKey(duplicate), testCase.name)
                } else {
                    XCTAssertNil(syntaxError, "\(testCase.name): valid JSON rejected standalone: \(String(describing: syntaxError))")
                }
            case "n_":
                XCTAssertNotNil(syntaxError, "\(testCase.name): invalid JSON accepted standalone")
                // Through the reader it is bad input (exit 2) too, whatever the encoding sniffing does.
                XCTAssertThrowsError(try TerraformReader.read(storage: ByteStorage(copying: testCase.bytes), file: testCase.name, expecting: nil),
                                     testCase.name) { error in
                    XCTAssertTrue(error is InputError, "\(testCase.name): \(error)")
                }
            default:
                let expectRejected = Self.rejectedImplementationDefinedStandalone.contains(testCase.name)
                XCTAssertEqual(syntaxError != nil, expectRejected, "\(testCase.name): \(String(describing: syntaxError))")
                if syntaxError == nil { acceptedI += 1 } else { rejectedI += 1 }
            }
        }
        print("JSONTestSuite standalone: i accepted \(acceptedI) rejected \(rejectedI)")
    }

    // MARK: - The binary

    /// The CLI on a handful of `n_` cases, each embedded in a plan file: exit 2 and exactly
    /// one line on stderr, `FILE:LINE:COL: error: …`, at the position the reader reports.
    func testBinaryRejectsInvalidCasesWithOneLine() throws {
        let binary = try MigCheckBinary.locate(testCase: Self.self)
        let cases = try Self.loadCases()
        let chosen = [
            "n_array_extra_comma.json",
            "n_object_trailing_comma.json",
            "n_string_unescaped_newline.json",
            "n_array_invalid_utf8.json",
            "n_number_minus_infinity.json",
            "n_structure_lone-open-bracket.json",
            "n_structure_100000_opening_arrays.json",
            "n_structure_trailing_#.json",
        ]
        let directory = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [(name: String, file: URL, expected: SourcePosition?)] = []
        for name in chosen {
            guard let testCase = cases.first(where: { $0.name == name }) else {
                XCTFail("\(name) missing from the suite")
                continue
            }
            let bytes = Self.embedded(testCase.bytes)
            let file = directory.appendingPathComponent(name)
            try Data(bytes).write(to: file)
            var expected: SourcePosition?
            XCTAssertThrowsError(try TerraformReader.read(storage: ByteStorage(copying: bytes), file: file.path, expecting: nil)) { error in
                expected = (error as? InputError)?.position
            }
            files.append((name, file, expected))
        }
        let results = try MigCheckBinary.runAll(binary, files.map { [$0.file.path] })
        for ((name, file, expected), result) in zip(files, results) {
            XCTAssertEqual(result.status, 2, "\(name): exit status; stderr: \(result.stderr)")
            let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
            XCTAssertEqual(lines.count, 1, "\(name): stderr should be one line: \(result.stderr)")
            guard let line = lines.first, let expected else { continue }
            XCTAssertTrue(line.hasPrefix("\(file.path):\(expected.line):\(expected.column): error: "), "\(name): \(line)")
            XCTAssertTrue(MigCheckBinary.matchesErrorLine(String(line), file: file.path), "\(name): \(line)")
        }
    }
}
