import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckTestSupport

/// Bad input of every kind users actually produce: each is one `InputError` (exit 2 in the
/// CLI) naming the file, the line:column where there is one, and what was expected —
/// never a crash or a hang. Each is checked in-process, and a representative subset
/// through the built `migcheck` binary.
final class BadInputTests: XCTestCase {
    // MARK: - Helpers

    /// Reads `bytes` in-process and returns the `InputError` it must throw.
    @discardableResult
    func expectBadInput(_ bytes: [UInt8], file: String = "plan.json", expecting kind: DocumentKind? = nil,
                        at position: SourcePosition?, saying fragments: [String],
                        line: UInt = #line) -> InputError? {
        do {
            let documents = try TerraformReader.read(storage: ByteStorage(copying: bytes), file: file, expecting: kind)
            XCTFail("accepted bad input as \(documents.count) document(s)", line: line)
            return nil
        } catch let error as InputError {
            check(error, file: file, at: position, saying: fragments, line: line)
            return error
        } catch {
            XCTFail("threw \(error), not an InputError", line: line)
            return nil
        }
    }

    @discardableResult
    func expectBadInput(_ text: String, file: String = "plan.json", expecting kind: DocumentKind? = nil,
                        at position: SourcePosition?, saying fragments: [String], line: UInt = #line) -> InputError? {
        expectBadInput(Array(text.utf8), file: file, expecting: kind, at: position, saying: fragments, line: line)
    }

    func check(_ error: InputError, file: String, at position: SourcePosition?, saying fragments: [String], line: UInt = #line) {
        XCTAssertEqual(error.file, file, line: line)
        XCTAssertEqual(error.position, position, "position; message: \(error.message)", line: line)
        for fragment in fragments {
            XCTAssertTrue(error.message.contains(fragment), "message lacks \"\(fragment)\": \(error.message)", line: line)
        }
        let prefix = position.map { "\(file):\($0.line):\($0.column): error: " } ?? "\(file): error: "
        XCTAssertTrue(error.description.hasPrefix(prefix), error.description, line: line)
        XCTAssertFalse(error.description.contains("\n"), "one line: \(error.description)", line: line)
    }

    func read(_ text: String, expecting kind: DocumentKind? = nil) throws -> [TerraformDocument] {
        try TerraformReader.read(storage: ByteStorage(copying: Array(text.utf8)), file: "plan.json", expecting: kind)
    }

    // MARK: - Files

    func testMissingFile() throws {
        let path = NSTemporaryDirectory() + "migcheck-no-such-\(UUID().uuidString).json"
        XCTAssertThrowsError(try TerraformReader.read(path: path)) { error in
            guard let error = error as? InputError else { return XCTFail("\(error)") }
            self.check(error, file: path, at: SourcePosition(line: 1, column: 1), saying: ["no such file", "terraform show -json tfplan"])
        }
    }

    /// Endless and binary streams are not read to their end (or to memory exhaustion).
    func testEndlessAndBinaryStreamsStopEarly() throws {
        for device in ["/dev/zero", "/dev/urandom"] where FileManager.default.fileExists(atPath: device) {
            XCTAssertThrowsError(try TerraformReader.read(path: device)) { error in
                guard let error = error as? InputError else { return XCTFail("\(device): \(error)") }
                XCTAssertEqual(error.file, device)
                XCTAssertNotNil(error.position)
            }
        }
        XCTAssertTrue(ByteStorage.cannotBeJSONText(Array("yyyy".utf8), newFrom: 0))
        XCTAssertTrue(ByteStorage.cannotBeJSONText(Array(#"{"a":"#.utf8) + [0], newFrom: 0))
        XCTAssertFalse(ByteStorage.cannotBeJSONText(Array(" \n{\"format_version\"".utf8), newFrom: 0))
        XCTAssertFalse(ByteStorage.cannotBeJSONText([0xEF, 0xBB, 0xBF] + Array("{".utf8), newFrom: 0))
        XCTAssertFalse(ByteStorage.cannotBeJSONText(Array("[command]/usr/bin/terraform show -json".utf8), newFrom: 0))
        // UTF-16 holds zero bytes, but never a zero code unit.
        XCTAssertFalse(ByteStorage.cannotBeJSONText([0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00], newFrom: 0))
        XCTAssertTrue(ByteStorage.cannotBeJSONText([0xFF, 0xFE, 0x7B, 0x00, 0x00, 0x00], newFrom: 0))
    }

    func testDirectory() throws {
        let directory = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        XCTAssertThrowsError(try TerraformReader.read(path: directory.path)) { error in
            guard let error = error as? InputError else { return XCTFail("\(error)") }
            self.check(error, file: directory.path, at: SourcePosition(line: 1, column: 1), saying: ["is a directory", "expected a plan or state JSON file"])
        }
    }

    func testEmptyFileOnDisk() throws {
        let directory = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("empty.json")
        try Data().write(to: file)
        XCTAssertThrowsError(try TerraformReader.read(path: file.path)) { error in
            guard let error = error as? InputError else { return XCTFail("\(error)") }
            self.check(error, file: file.path, at: SourcePosition(line: 1, column: 1), saying: ["expected a JSON document", "no content"])
        }
    }

    // MARK: - Not JSON

    func testEmpty() {
        expectBadInput("", at: SourcePosition(line: 1, column: 1), saying: ["expected a JSON document, found no content"])
    }

    func testOnlyWhitespace() {
        // Offsets: ' ' 0, LF 1, TAB 2, LF 3, ' ' 4, ' ' 5: the end (offset 6) is line 3, column 3.
        expectBadInput(" \n\t\n  ", at: SourcePosition(line: 3, column: 3), saying: ["expected a JSON document, found no content"])
    }

    func testNotJSON() {
        expectBadInput("hello", at: SourcePosition(line: 1, column: 1), saying: ["expected a value"])
        // A binary file: 0x89 is not UTF-8.
        expectBadInput([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A], file: "plan.png", at: SourcePosition(line: 1, column: 1), saying: ["invalid UTF-8"])
    }

    func testTruncatedPlan() throws {
        XCTAssertEqual(try read(TerraformSamples.prettyPlan).first?.resourceChanges.count, 1, "the uncut plan is valid")
        // Cut inside the string on line 5: `      "address": "aws_db_inst` is 29 characters, so the end is column 30.
        let cut = String(TerraformSamples.prettyPlan[..<TerraformSamples.prettyPlan.range(of: "aws_db_inst")!.upperBound])
        expectBadInput(cut, at: SourcePosition(line: 5, column: 30), saying: ["unexpected end of file (truncated JSON?)", "'\"' to close the string"])
        // Cut right after `  "resource_changes": [` on line 3 (23 characters: the end is column 24).
        let cutAtArray = String(TerraformSamples.prettyPlan[..<TerraformSamples.prettyPlan.range(of: "[")!.upperBound])
        expectBadInput(cutAtArray, at: SourcePosition(line: 3, column: 24), saying: ["truncated", "a value or ']'"])
    }

    func testInvalidUTF8InsideAString() {
        // 45 ASCII characters, then é (2 bytes, 1 character), then 0xFF: column 47.
        let bytes = Array(#"{"format_version":"1.2","terraform_version":"é"#.utf8) + [0xFF] + Array(#""}"#.utf8)
        expectBadInput(bytes, at: SourcePosition(line: 1, column: 47), saying: ["invalid UTF-8", "JSON must be UTF-8"])
    }

    // MARK: - Wrong shape

    func testArrayAtTheTop() {
        expectBadInput("  []", at: SourcePosition(line: 1, column: 3), saying: ["expected a JSON object at the top", "found an array"])
    }

    func testStringAtTheTop() {
        expectBadInput(#""terraform show -json tfplan""#, at: SourcePosition(line: 1, column: 1),
                       saying: ["expected a JSON object at the top", "found a string"])
    }

    func testNesting100000Deep() {
        let arrays = String(repeating: "[", count: 100_000)
        // The 513th bracket (offset 512) is one too many.
        expectBadInput(arrays, at: SourcePosition(line: 1, column: 513), saying: ["nested deeper than 512 levels"])
        let objects = String(repeating: #"{"a":"#, count: 100_000)
        // Each level is 5 characters: the 513th `{` is at offset 2560.
        expectBadInput(objects, at: SourcePosition(line: 1, column: 2561), saying: ["nested deeper than 512 levels"])
        // Balanced, so only the depth is wrong.
        let balanced = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        expectBadInput(balanced, at: SourcePosition(line: 1, column: 513), saying: ["nested deeper than 512 levels"])
    }

    func testNumberOutOfRange() {
        // `1e400` starts at offset 50.
        expectBadInput(#"{"format_version":"1.2","variables":{"n":{"value":1e400}}}"#,
                       at: SourcePosition(line: 1, column: 51), saying: ["out of the range of a 64-bit float", "expected a finite number"])
        expectBadInput(#"{"format_version":"1.2","variables":{"n":{"value":-1e400}}}"#,
                       at: SourcePosition(line: 1, column: 51), saying: ["out of the range"])
    }

    func testErroredPlan() {
        // `true` starts at offset 34.
        expectBadInput(#"{"format_version":"1.2","errored":true}"#,
                       at: SourcePosition(line: 1, column: 35), saying: ["the plan failed", "errored: true"])
    }

    func testWrongFieldTypes() {
        // `{}` at offset 43.
        expectBadInput(#"{"format_version":"1.2","resource_changes":{}}"#,
                       at: SourcePosition(line: 1, column: 44), saying: ["resource_changes", "expected an array", "found an object"])
        let actions = #"{"format_version":"1.2","resource_changes":[{"address":"a.b","type":"a","name":"b","change":{"actions":"create"}}]}"#
        let offset = actions.utf8.count - #""create"}}]}"#.utf8.count
        expectBadInput(actions, at: SourcePosition(line: 1, column: offset + 1),
                       saying: ["resource_changes[0].change.actions", "expected an array", "found a string"])
        expectBadInput(#"{"format_version":1.2}"#, at: SourcePosition(line: 1, column: 19),
                       saying: ["format_version", "expected a string", "found a number"])
    }

    /// `planned_values` and `prior_state` are type-checked while reading, though their instances
    /// are built only when a check asks: every wrong type there is still an error with its place.
    func testWrongFieldTypesInTheStateSectionsOfAPlan() {
        func plan(planned: String = "[]", prior: String = "[]", children: String = "[]") -> String {
            #"{"format_version":"1.2","resource_changes":[],"planned_values":{"root_module":{"resources":\#(planned),"child_modules":\#(children)}},"#
                + #""prior_state":{"format_version":"1.0","values":{"root_module":{"resources":\#(prior)}}}}"#
        }
        let cases: [(String, String, [String])] = [
            (plan(planned: #"[{"address":5,"mode":"managed","type":"a","name":"b"}]"#), "5",
             ["planned_values.root_module.resources[0].address", "expected a string", "found a number"]),
            (plan(planned: #"[{"mode":"managed","type":"a","name":"b"}]"#), #"{"mode""#,
             ["planned_values.root_module.resources[0].address", "the field is missing"]),
            (plan(planned: #"[{"address":"a.b","mode":"managed","type":"a","name":"b","index":true}]"#), "true",
             ["index", "expected a number or a string"]),
            (plan(planned: #"[{"address":"a.b","mode":"managed","type":"a","name":"b","values":[]}]"#), "[]}]",
             ["values", "expected an object", "found an array"]),
            (plan(planned: #"[{"address":"a.b","mode":"managed","type":"a","name":"b","sensitive_values":"x"}]"#), #""x""#,
             ["sensitive_values", "expected an object or a boolean"]),
            (plan(prior: #"[{"address":"a.b","mode":"managed","type":7,"name":"b"}]"#), "7",
             ["prior_state.values.root_module.resources[0].type", "expected a string"]),
            (plan(children: #"[{"address":"not a module","resources":[]}]"#), #"{"address":"not"#,
             ["child_modules[0].address", "expected a module address"]),
        ]
        for (text, marker, fragments) in cases {
            guard let range = text.range(of: marker) else { return XCTFail("no \(marker) in \(text)") }
            let offset = text.utf8.distance(from: text.utf8.startIndex, to: range.lowerBound.samePosition(in: text.utf8) ?? text.utf8.startIndex)
            expectBadInput(text, at: SourcePosition(line: 1, column: offset + 1), saying: fragments)
        }
    }

    /// An action list no rule knows would pass every check unseen, so it is refused; the
    /// lists Terraform writes are all read, `["create","forget"]` (Terraform 1.10+) included.
    func testActionListsOutsideTerraformsAreRefused() throws {
        func plan(_ actions: String) -> String {
            #"{"format_version":"1.2","resource_changes":[{"address":"aws_rds_cluster.a","mode":"managed","type":"aws_rds_cluster","name":"a","change":{"actions":\#(actions)}}]}"#
        }
        for actions in [#"["delete","delete"]"#, "[]", #"["destroy"]"#, #"["create","update"]"#] {
            let text = plan(actions)
            let offset = text.utf8.count - (actions + "}}]}").utf8.count
            expectBadInput(text, at: SourcePosition(line: 1, column: offset + 1),
                           saying: ["resource_changes[0].change.actions", "expected one of the action lists Terraform writes", "newer migcheck"])
        }
        let known = [#"["no-op"]"#, #"["create"]"#, #"["read"]"#, #"["update"]"#, #"["delete"]"#, #"["delete","create"]"#,
                     #"["create","delete"]"#, #"["forget"]"#, #"["create","forget"]"#]
        for actions in known {
            let documents = try read(plan(actions))
            XCTAssertEqual(documents.first?.resourceChanges.count, 1, actions)
            if case .other = documents.first?.resourceChanges.first?.action { XCTFail("\(actions) read as unknown") }
        }
        let forgetReplace = try read(plan(#"["create","forget"]"#)).first?.resourceChanges.first?.action
        XCTAssertEqual(forgetReplace, .createThenForget)
        XCTAssertEqual(forgetReplace?.destroysExisting, false, "the old object is forgotten, not destroyed")
    }

    func testFormatVersionsTerraformNeverWrote() {
        expectBadInput(#"{"format_version":"0.3","planned_values":{}}"#, at: SourcePosition(line: 1, column: 19),
                       saying: ["format_version 0.3 is not a format Terraform writes"])
        for text in ["01.2", "1.02", "00.1"] {
            expectBadInput(#"{"format_version":"\#(text)","planned_values":{}}"#, at: SourcePosition(line: 1, column: 19),
                           saying: ["format_version: expected MAJOR.MINOR"])
        }
    }

    func testDuplicateKeys() {
        // The second key's quote is at offset 24.
        expectBadInput(#"{"format_version":"1.2","format_version":"1.2"}"#,
                       at: SourcePosition(line: 1, column: 25), saying: [#"duplicate object key "format_version""#])
        // "\u0061" is "a": the escaped copy (offset 53) is the duplicate.
        expectBadInput(#"{"format_version":"1.2","variables":{"a":{"value":1},"\u0061":{"value":2}}}"#,
                       at: SourcePosition(line: 1, column: 54), saying: [#"duplicate object key "a""#])
    }

    func testTrailingCommas() {
        // The `]` after the trailing comma is at offset 48.
        expectBadInput(#"{"format_version":"1.2","resource_changes":[1,2,]}"#,
                       at: SourcePosition(line: 1, column: 49), saying: ["expected a value"])
        expectBadInput("[1,2,]", at: SourcePosition(line: 1, column: 6), saying: ["expected a value"])
        expectBadInput(#"{"format_version":"1.2",}"#, at: SourcePosition(line: 1, column: 25), saying: ["no trailing comma"])
    }

    // MARK: - Versions and kinds

    func testFormatVersionTwo() {
        expectBadInput(#"{"format_version":"2.0","planned_values":{}}"#, at: SourcePosition(line: 1, column: 19),
                       saying: ["format_version 2.0 is not supported", "1.x"])
    }

    func testFormatVersionIsDigitsOnly() {
        // Regression: Int("+1") and Int("-0") let these through as 1.2 and 0.5.
        for text in ["+1.2", "-0.5", "1.2.3", "1", "1.", " 1.2", "1.x"] {
            expectBadInput(#"{"format_version":"\#(text)","planned_values":{}}"#, at: SourcePosition(line: 1, column: 19),
                           saying: ["format_version: expected MAJOR.MINOR such as \"1.2\""])
        }
        XCTAssertEqual(FormatVersion("0.1")?.minor, 1)
        XCTAssertEqual(FormatVersion("1.10").map { [$0.major, $0.minor] }, [1, 10])
        XCTAssertNil(FormatVersion("01.02"), "Terraform never writes leading zeros")
    }

    func testMissingFormatVersion() {
        expectBadInput(#"{"planned_values":{"root_module":{}},"resource_changes":[]}"#, at: SourcePosition(line: 1, column: 1),
                       saying: ["missing format_version", "terraform show -json tfplan"])
        expectBadInput(#"{"hello":"world"}"#, at: SourcePosition(line: 1, column: 1),
                       saying: ["not a Terraform plan or state", "format_version"])
    }

    func testNewerMinorFormatIsAcceptedWithANote() throws {
        let documents = try read(#"{"format_version":"1.3","terraform_version":"1.12.0","planned_values":{"root_module":{}},"resource_changes":[]}"#)
        XCTAssertEqual(documents.count, 1)
        XCTAssertEqual(documents.first?.kind, .plan)
        XCTAssertEqual(documents.first?.formatVersion?.text, "1.3")
        XCTAssertTrue(documents.first?.notes.contains { $0.contains("format_version 1.3 is newer") } == true,
                      "\(documents.first?.notes ?? [])")
        // The newest known format has no note.
        XCTAssertEqual(try read(TerraformSamples.minimalPlan).first?.notes, [])
    }

    func testUnknownActionNamesAreEscapedInTheError() throws {
        // Found by the fuzzer when unknown action lists were still read: an escape sequence in one
        // reached the terminal raw through the summary (regression). Such lists are refused now,
        // and the error that quotes them must not carry the sequence raw either.
        let text = #"{"format_version":"1.2","resource_changes":[{"address":"a.b","type":"a","name":"b","change":{"actions":["delete","\u001b[2J\u009b"]}}]}"#
        let error = try XCTUnwrap(expectBadInput(text, at: SourcePosition(line: 1, column: 104), saying: ["expected one of the action lists"]))
        XCTAssertFalse(error.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
                       error.description.debugDescription)
        XCTAssertTrue(error.description.contains(#"\u001b[2J"#), error.description)
    }

    func testStateVersionMustBeAnInteger() {
        // Regression: the message said "expected a number …, found a number".
        expectBadInput(#"{"version":3.5,"serial":1}"#, file: "terraform.tfstate", at: SourcePosition(line: 1, column: 12),
                       saying: ["version: expected an integer", "found 3.5"])
        expectBadInput(#"{"version":"4","serial":1}"#, file: "terraform.tfstate", at: SourcePosition(line: 1, column: 12),
                       saying: ["version: expected an integer", "found a string"])
        expectBadInput(#"{"version":5,"serial":1}"#, file: "terraform.tfstate", at: SourcePosition(line: 1, column: 12),
                       saying: ["state version 5 is newer than the version 4"])
    }

    func testLegacyVersion3State() {
        // `3` at offset 11.
        expectBadInput(#"{"version":3,"terraform_version":"0.11.14","serial":7,"lineage":"x","modules":[]}"#,
                       file: "terraform.tfstate", at: SourcePosition(line: 1, column: 12),
                       saying: ["legacy version-3 state", "Terraform 0.12 or later"])
    }

    func testOpenTofuEncryptedState() {
        expectBadInput(#"{"serial":1,"lineage":"x","meta":{},"encrypted_data":"abc","encryption_version":"v0"}"#,
                       file: "terraform.tfstate", at: SourcePosition(line: 1, column: 1),
                       saying: ["OpenTofu state encrypted", "encrypted_data", "tofu show -json"])
    }

    func testSetupTerraformWrapperOutput() {
        let text = "[command]/usr/bin/terraform show -json tfplan\n" + TerraformSamples.minimalPlan + "\n::debug::exitcode: 0\n"
        expectBadInput(text, at: SourcePosition(line: 1, column: 1),
                       saying: ["[command]/usr/bin/terraform show -json tfplan", "setup-terraform", "terraform_wrapper: false"])
    }

    func testUTF16LEWithBOMIsAcceptedWithANote() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in TerraformSamples.minimalPlan.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let documents = try TerraformReader.read(storage: ByteStorage(copying: bytes), file: "plan.json", expecting: nil)
        XCTAssertEqual(documents.count, 1)
        XCTAssertEqual(documents.first?.kind, .plan)
        XCTAssertEqual(documents.first?.terraformVersion, "1.9.5")
        XCTAssertTrue(documents.first?.notes.contains { $0.contains("UTF-16LE with a byte-order mark") && $0.contains("utf8NoBOM") } == true,
                      "\(documents.first?.notes ?? [])")
        // An odd number of bytes cannot be UTF-16: rejected, not misread, at the stray last
        // byte — its column counted in characters, as for UTF-8 (regression: it was in bytes).
        let odd = bytes + [0x20]
        expectBadInput(odd, at: SourcePosition(line: 1, column: TerraformSamples.minimalPlan.count + 1), saying: ["malformed UTF-16LE"])
        // A lone surrogate on line 2, after `"a":` (4 characters, 8 bytes): column 5.
        var lone: [UInt8] = [0xFF, 0xFE]
        for unit in Array("{\n\"a\":".utf16) + [0xD800, 0x41, 0x7D] { lone += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        expectBadInput(lone, at: SourcePosition(line: 2, column: 5), saying: ["malformed UTF-16LE with a byte-order mark"])
        // A pair before the error counts as one character: 🚀 is two UTF-16 units, so the
        // lone low surrogate after `["🚀",` (5 characters) is column 6.
        var pair: [UInt8] = [0xFF, 0xFE]
        for unit in Array("[\"🚀\",".utf16) + [0xDC00] { pair += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        expectBadInput(pair, at: SourcePosition(line: 1, column: 6), saying: ["malformed UTF-16LE"])
    }

    func testUTF8ByteOrderMarkIsNotAColumn() {
        // PowerShell 5's `Out-File -Encoding utf8` writes a BOM; editors do not count it, so
        // `1.2` after `{"format_version":` is column 19, not 20 (regression).
        expectBadInput([0xEF, 0xBB, 0xBF] + Array(#"{"format_version":1.2}"#.utf8), at: SourcePosition(line: 1, column: 19),
                       saying: ["format_version: expected a string"])
        expectBadInput([0xEF, 0xBB, 0xBF] + Array("{\n \"format_version\":1.2}".utf8), at: SourcePosition(line: 2, column: 19),
                       saying: ["format_version: expected a string"])
        expectBadInput([0xEF, 0xBB, 0xBF], at: SourcePosition(line: 1, column: 1), saying: ["no content"])
    }

    func testErrorLinesCarryNoTerminalControlCharacters() {
        // A key holding an escape sequence (ESC [2J clears the screen) and a C1 control: the
        // error names the key's path, but as \u escapes, never raw bytes (regression).
        let error = expectBadInput(#"{"format_version":"1.2","output_changes":{"\u001b[2J\u0085x\u2028":{"actions":"x"}}}"#,
                                   at: SourcePosition(line: 1, column: 79), saying: ["actions", "expected an array"])
        let line = error?.description ?? ""
        XCTAssertFalse(line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x2028 }, line.debugDescription)
        XCTAssertTrue(line.contains(#"output_changes.\u001b[2J\u0085x\u2028.actions"#), line)
        // The setup-terraform check quotes the first line of the file.
        let wrapper = expectBadInput("[command]\u{1B}]0;title\u{07}terraform show -json\n{}", at: SourcePosition(line: 1, column: 1),
                                     saying: ["setup-terraform"])
        XCTAssertTrue(wrapper?.description.contains(#"[command]\u001b]0;title\u0007terraform"#) == true, wrapper?.description ?? "")
        // A file name with a line break still gives one line.
        let named = InputError(file: "a\nb.json", position: SourcePosition(line: 1, column: 1), message: "expected a value")
        XCTAssertEqual(named.description, #"a\u000ab.json:1:1: error: expected a value"#)
    }

    func testTerragruntStreamOfThreePlans() throws {
        let plans = (1...3).map {
            #"{"format_version":"1.2","terraform_version":"1.9.\#($0)","planned_values":{"root_module":{}},"resource_changes":[]}"#
        }
        let documents = try read(plans.joined(separator: "\n") + "\n")
        XCTAssertEqual(documents.count, 3)
        XCTAssertEqual(documents.map(\.documentNumber), [1, 2, 3])
        XCTAssertEqual(documents.map(\.terraformVersion), ["1.9.1", "1.9.2", "1.9.3"])
        XCTAssertTrue(documents.allSatisfy { $0.kind == .plan && $0.notes.contains { $0.contains("holds 3 JSON documents") } })
        // An error in the third document is reported at its own line.
        let broken = plans[0] + "\n" + plans[1] + "\n" + #"{"format_version":"1.2","resource_changes":{}}"#
        expectBadInput(broken, at: SourcePosition(line: 3, column: 44), saying: ["resource_changes", "expected an array"])
    }

    func testInputPlanOnAState() throws {
        XCTAssertEqual(try read(TerraformSamples.emptyShowState).first?.kind, .state)
        expectBadInput(TerraformSamples.emptyShowState, expecting: .plan, at: SourcePosition(line: 1, column: 1),
                       saying: ["expected a plan (terraform show -json tfplan) (--input plan)", "but this is a state (terraform show -json)"])
    }
}
