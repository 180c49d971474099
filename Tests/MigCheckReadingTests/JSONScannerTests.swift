import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckTestSupport

/// Unit tests of the validating scanner and of navigation over its structural index.
///
/// `JSONNode` refers to its document without retaining it, so every test keeps the
/// `JSONDocument` alive (`withExtendedLifetime`) while it uses nodes.
final class JSONScannerTests: XCTestCase {
    // MARK: - Helpers

    func document(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> JSONDocument {
        do {
            return try JSONDocument(text: text)
        } catch {
            XCTFail("rejected: \(error)", file: file, line: line)
            throw error
        }
    }

    func syntaxError(_ text: String) -> JSONSyntaxError? {
        syntaxError(Array(text.utf8))
    }

    func syntaxError(_ bytes: [UInt8]) -> JSONSyntaxError? {
        do {
            _ = try JSONDocument(bytes: bytes)
            return nil
        } catch {
            return error as? JSONSyntaxError
        }
    }

    func position(_ text: String, _ offset: Int) -> SourcePosition {
        Array(text.utf8).withUnsafeBytes { SourcePosition.of(offset, in: $0) }
    }

    // MARK: - Strings and escapes

    func testEscapesDecode() throws {
        let json = try document(#"""
        {"e":"caf\u00e9","rocket":"\ud83d\ude80","lone":"\ud83d","loneLow":"x\ude80y","highThenText":"\ud83dA",
         "highThenHigh":"\ud83d\ud83d","simple":"\"\\\/\b\f\n\r\t","upper":"\u00C9\u00c9","raw":"日本 🚀","nul":"a\u0000b"}
        """#)
        withExtendedLifetime(json) {
            let root = json.root
            XCTAssertEqual(root["e"]?.string, "café")
            XCTAssertEqual(root["rocket"]?.string, "🚀")
            XCTAssertEqual(root["rocket"]?.string?.unicodeScalars.map(\.value), [0x1F680])
            XCTAssertEqual(root["lone"]?.string, "\u{FFFD}")
            XCTAssertEqual(root["loneLow"]?.string, "x\u{FFFD}y")
            XCTAssertEqual(root["highThenText"]?.string, "\u{FFFD}A")
            XCTAssertEqual(root["highThenHigh"]?.string, "\u{FFFD}\u{FFFD}")
            XCTAssertEqual(root["simple"]?.string, "\"\\/\u{08}\u{0C}\n\r\t")
            XCTAssertEqual(root["upper"]?.string, "ÉÉ")
            XCTAssertEqual(root["raw"]?.string, "日本 🚀")
            XCTAssertEqual(root["nul"]?.string, "a\u{0}b")
            XCTAssertEqual(root["nul"]?.string?.utf8.count, 3)
        }
    }

    func testLongStringsCrossTheEightByteFastPath() throws {
        // Quotes, escapes and multi-byte characters at every position relative to the 8-byte word.
        for padding in 0..<17 {
            let pad = String(repeating: "x", count: padding)
            let text = #"{"k":"\#(pad)\"\#(pad)é\#(pad)\u00e9\#(pad)","next":\#(padding)}"#
            let json = try document(text)
            withExtendedLifetime(json) {
                XCTAssertEqual(json.root["k"]?.string, pad + "\"" + pad + "é" + pad + "é" + pad, "padding \(padding)")
                XCTAssertEqual(json.root["next"]?.int, padding)
            }
            // A control character after the same padding is caught, at its own offset.
            let bad = Array(#"[""#.utf8) + Array(pad.utf8) + [0x01] + Array(#""]"#.utf8)
            XCTAssertEqual(syntaxError(bad), JSONSyntaxError(.controlCharacterInString, at: 2 + padding))
        }
    }

    func testInvalidStrings() {
        XCTAssertEqual(syntaxError(#"["\x"]"#), JSONSyntaxError(.invalidEscape, at: 2))
        XCTAssertEqual(syntaxError(#"["\u12G4"]"#), JSONSyntaxError(.invalidEscape, at: 2))
        XCTAssertEqual(syntaxError(#"["\u12"#)?.reason, .unexpectedEnd(expected: "four hex digits after \\u"))
        XCTAssertEqual(syntaxError(#"["abc"#), JSONSyntaxError(.unexpectedEnd(expected: "'\"' to close the string"), at: 5))
        // Overlong encoding of '/', a UTF-8 encoded surrogate, a code point above U+10FFFF.
        XCTAssertEqual(syntaxError([0x5B, 0x22, 0xC0, 0xAF, 0x22, 0x5D]), JSONSyntaxError(.invalidUTF8, at: 2))
        XCTAssertEqual(syntaxError([0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D]), JSONSyntaxError(.invalidUTF8, at: 2))
        XCTAssertEqual(syntaxError([0x5B, 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22, 0x5D]), JSONSyntaxError(.invalidUTF8, at: 2))
        // A sequence cut by the end of the buffer.
        XCTAssertEqual(syntaxError([0x5B, 0x22, 0xE6, 0x97]), JSONSyntaxError(.invalidUTF8, at: 2))
        // Outside a string, a stray non-UTF-8 byte is reported as such, a valid é as an unexpected byte.
        XCTAssertEqual(syntaxError([0x5B, 0xFF, 0x5D]), JSONSyntaxError(.invalidUTF8, at: 1))
        XCTAssertEqual(syntaxError("[é]"), JSONSyntaxError(.unexpectedByte(expected: "a value or ']'"), at: 1))
    }

    // MARK: - Navigation

    static let nested = #"""
    {
      "name": "plan",
      "list": [1, "two", {"three": 3}, [4, [5]], null, true, false],
      "object": {"a": {"b": {"c": "deep"}}, "empty": {}, "emptyList": []},
      "after": "last"
    }
    """#

    func testSubscriptsMembersAndElements() throws {
        let json = try document(Self.nested)
        withExtendedLifetime(json) {
            let root = json.root
            XCTAssertEqual(root.kind, .object)
            XCTAssertEqual(root.members.map(\.key), ["name", "list", "object", "after"])
            XCTAssertEqual(root.count, 4)
            XCTAssertEqual(root["name"]?.string, "plan")
            XCTAssertNil(root["missing"])
            XCTAssertNil(root["name"]?["x"], "a string has no members")

            guard let list = root["list"] else { return XCTFail("list") }
            XCTAssertEqual(list.elements.map(\.kind), [.number, .string, .object, .array, .null, .bool, .bool])
            XCTAssertEqual(list.count, 7)
            XCTAssertEqual(list.elements[0].int, 1)
            XCTAssertEqual(list.elements[1].string, "two")
            XCTAssertEqual(list.elements[2]["three"]?.int, 3)
            XCTAssertEqual(list.elements[3].elements[1].elements.first?.int, 5)
            XCTAssertTrue(list.elements[4].isNull)
            XCTAssertEqual(list.elements[5].bool, true)
            XCTAssertEqual(list.elements[6].bool, false)
            XCTAssertTrue(list.members.isEmpty, "an array has no members")
            XCTAssertTrue(root.elements.isEmpty, "an object has no elements")

            XCTAssertEqual(root["object"]?["a"]?["b"]?["c"]?.string, "deep")
            XCTAssertEqual(root["object"]?["empty"]?.count, 0)
            XCTAssertEqual(root["object"]?["empty"]?.members.count, 0)
            XCTAssertEqual(root["object"]?["emptyList"]?.elements.count, 0)
            XCTAssertEqual(root["after"]?.string, "last")

            // Raw bytes of a container are exactly its text.
            let range = root["list"]!.elements[3].byteRange
            XCTAssertEqual(String(decoding: UnsafeRawBufferPointer(rebasing: json.bytes[range]), as: UTF8.self), "[4, [5]]")
            XCTAssertEqual(root["list"]!.elements[2].position, SourcePosition(line: 3, column: 22))
            XCTAssertEqual(root["after"]?.position, SourcePosition(line: 5, column: 12))
            XCTAssertEqual(json.containerCount, 10)
        }
    }

    func testContainersBeyondSixteenBitsAreSkippedExactly() throws {
        // The index keeps spans and nested-container counts in 16 bits, with exceptions for
        // bigger ones: spans around 65,535 bytes (12 extra) and counts around 65,535 must all land on the sibling.
        let padding = String(repeating: "x", count: 65_520)
        var members: [String] = []
        for extra in [0, 11, 12, 13, 20, 100_000] {
            members.append(#""span\#(extra)":["\#(padding)\#(String(repeating: "y", count: extra))"],"after\#(extra)":{"n":\#(extra)}"#)
        }
        for count in [65_533, 65_534, 65_535, 65_536, 70_000] {
            let inner = Array(repeating: "[]", count: count).joined(separator: ",")
            members.append(#""many\#(count)":[\#(inner)],"after\#(count)":{"n":\#(count)}"#)
        }
        let json = try document("{" + members.joined(separator: ",") + "}")
        withExtendedLifetime(json) {
            for number in [0, 11, 12, 13, 20, 100_000, 65_533, 65_534, 65_535, 65_536, 70_000] {
                XCTAssertEqual(json.root["after\(number)"]?["n"]?.int, number, "after \(number)")
            }
            XCTAssertEqual(json.root["many65535"]?.elements.count, 65_535)
        }
    }

    func testSkippingBigNestedContainersFindsTheNextSibling() throws {
        // A big subtree (many containers at many depths) before each sibling: skipping it
        // must land on the sibling, with the right container number for what follows.
        var big = ""
        for index in 0..<200 {
            big += (index == 0 ? "" : ",") + #"{"i":\#(index),"deep":[[[{"x":[\#(index)]}]]],"s":"]}\"["}"#
        }
        let deep = String(repeating: "[", count: 300) + "0" + String(repeating: "]", count: 300)
        let text = #"{"big":[\#(big)],"deep":\#(deep),"middle":{"k":[1,{"v":"found"}]},"bigAgain":[\#(big)],"tail":{"z":[true]}}"#
        let json = try document(text)
        withExtendedLifetime(json) {
            let root = json.root
            XCTAssertEqual(root.members.map(\.key), ["big", "deep", "middle", "bigAgain", "tail"])
            XCTAssertEqual(root["middle"]?["k"]?.elements.last?["v"]?.string, "found")
            XCTAssertEqual(root["tail"]?["z"]?.elements.first?.bool, true)
            let elements = root["bigAgain"]?.elements ?? []
            XCTAssertEqual(elements.count, 200)
            for (index, element) in elements.enumerated() where index % 37 == 0 || index == 199 {
                XCTAssertEqual(element["i"]?.int, index)
                XCTAssertEqual(element["deep"]?.elements.first?.elements.first?.elements.first?["x"]?.elements.first?.int, index)
                XCTAssertEqual(element["s"]?.string, "]}\"[")
            }
            var depth = 0
            var node = root["deep"]
            while let current = node, current.kind == .array {
                depth += 1
                node = current.elements.first
            }
            XCTAssertEqual(depth, 300)
            XCTAssertEqual(node?.int, 0)
            // 1 root + 2×200×6 + 300 + 2 (middle) + 1 (inner object) + 2 (big arrays) + 2 (tail).
            XCTAssertEqual(json.containerCount, 1 + 2 * 200 * 6 + 300 + 3 + 2 + 2)
        }
    }

    func testKeysWithEscapesAreFoundBySubscript() throws {
        let json = try document(#"{"k\u0065y":1,"a\"b":2,"\u00e9t\u00E9":3,"tab\t":4,"\ud83d\ude80":5,"plain":6,"sl\/ash":7}"#)
        withExtendedLifetime(json) {
            let root = json.root
            XCTAssertEqual(root["key"]?.int, 1)
            XCTAssertEqual(root["a\"b"]?.int, 2)
            XCTAssertEqual(root["été"]?.int, 3)
            XCTAssertEqual(root["tab\t"]?.int, 4)
            XCTAssertEqual(root["🚀"]?.int, 5)
            XCTAssertEqual(root["plain"]?.int, 6)
            XCTAssertEqual(root["sl/ash"]?.int, 7)
            XCTAssertNil(root["k\\u0065y"], "the escaped spelling is not the key")
            XCTAssertEqual(root.members.map(\.key), ["key", "a\"b", "été", "tab\t", "🚀", "plain", "sl/ash"])
        }
    }

    func testNumbersKeepTheirText() throws {
        let json = try document(#"[1.50,-0,1E+2,0,-12.5e-3,123456789012345678901234567890,0.1e1,2e0 ,3]"#)
        withExtendedLifetime(json) {
            let numbers = json.root.elements
            XCTAssertEqual(numbers.map { $0.numberText ?? "?" },
                           ["1.50", "-0", "1E+2", "0", "-12.5e-3", "123456789012345678901234567890", "0.1e1", "2e0", "3"])
            XCTAssertEqual(numbers[0].double, 1.5)
            XCTAssertEqual(numbers[2].int, 100)
            XCTAssertEqual(numbers[1].int, 0)
            XCTAssertNil(numbers[0].int, "1.50 is not an integer")
            XCTAssertNil(numbers[5].int, "beyond Int")
            XCTAssertEqual(numbers[6].int, 1)
            XCTAssertNil(numbers[0].string)
            XCTAssertEqual(TerraformValue.from(numbers[0]), .number("1.50"))
        }
        XCTAssertEqual(syntaxError("[01]"), JSONSyntaxError(.invalidNumber, at: 1))
        XCTAssertEqual(syntaxError("[1.]"), JSONSyntaxError(.invalidNumber, at: 1))
        XCTAssertEqual(syntaxError("[-]"), JSONSyntaxError(.invalidNumber, at: 1))
        XCTAssertEqual(syntaxError("[1e5x]"), JSONSyntaxError(.invalidNumber, at: 1))
        XCTAssertEqual(syntaxError("[1e400]"), JSONSyntaxError(.numberOutOfRange, at: 1))
        XCTAssertEqual(syntaxError("[" + String(repeating: "9", count: 400) + "]"), JSONSyntaxError(.numberOutOfRange, at: 1))
        XCTAssertNil(syntaxError("[1e-400]"), "underflow to zero is a finite number")
        XCTAssertEqual(syntaxError("-"), JSONSyntaxError(.unexpectedEnd(expected: "a digit"), at: 1))
    }

    func testLiteralsAndTopLevelScalars() {
        XCTAssertNil(syntaxError("true"))
        XCTAssertNil(syntaxError(" null "))
        XCTAssertNil(syntaxError("12"))
        XCTAssertNil(syntaxError(#""s""#))
        XCTAssertEqual(syntaxError("[tru]"), JSONSyntaxError(.unexpectedByte(expected: "a value ('true'?)"), at: 1))
        XCTAssertEqual(syntaxError("[truex]"), JSONSyntaxError(.unexpectedByte(expected: "a delimiter after 'true'"), at: 5))
        XCTAssertEqual(syntaxError("nul"), JSONSyntaxError(.unexpectedEnd(expected: "'null'"), at: 3))
    }

    // MARK: - Document-level errors

    func testDocumentLevelErrors() {
        XCTAssertEqual(syntaxError(""), JSONSyntaxError(.emptyDocument, at: 0))
        XCTAssertEqual(syntaxError([0xEF, 0xBB, 0xBF]), JSONSyntaxError(.emptyDocument, at: 3))
        XCTAssertNil(syntaxError([0xEF, 0xBB, 0xBF] + Array("{}".utf8)), "a leading UTF-8 BOM is skipped")
        XCTAssertEqual(syntaxError("{} {}"), JSONSyntaxError(.trailingData(looksLikeAnotherDocument: true), at: 3))
        XCTAssertEqual(syntaxError("{}\n[1]"), JSONSyntaxError(.trailingData(looksLikeAnotherDocument: true), at: 3))
        XCTAssertEqual(syntaxError("{} x"), JSONSyntaxError(.trailingData(looksLikeAnotherDocument: false), at: 3))
        XCTAssertEqual(syntaxError("[\u{0C}]"), JSONSyntaxError(.unexpectedByte(expected: "a value or ']'"), at: 1), "form feed is not JSON whitespace")
        XCTAssertEqual(syntaxError("[1}"), JSONSyntaxError(.unexpectedByte(expected: "',' or ']'"), at: 2))
        XCTAssertEqual(syntaxError(#"{"a" 1}"#), JSONSyntaxError(.unexpectedByte(expected: "':' after an object key"), at: 5))
        XCTAssertEqual(syntaxError(#"{"a":1,}"#), JSONSyntaxError(.unexpectedByte(expected: "a string key (no trailing comma before '}')"), at: 7))
        XCTAssertEqual(syntaxError("]"), JSONSyntaxError(.unexpectedByte(expected: "a value"), at: 0))
    }

    func testMaximumDepth() {
        let limit = JSONScanner.maximumDepth
        let atLimit = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        XCTAssertNil(syntaxError(atLimit))
        let beyond = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        XCTAssertEqual(syntaxError(beyond), JSONSyntaxError(.nestingTooDeep(limit: limit), at: limit))
        let objects = String(repeating: #"{"a":"#, count: limit + 1) + "1" + String(repeating: "}", count: limit + 1)
        XCTAssertEqual(syntaxError(objects), JSONSyntaxError(.nestingTooDeep(limit: limit), at: limit * 5))
    }

    // MARK: - Line and column

    func testLineAndColumnCountCharactersNotBytes() throws {
        // Line 2 is `  "é日🚀": tru}`: the bad literal starts after 2 + 1 + 3 + 1 + 2 = 9 characters
        // (but 2 + 1 + 9 + 1 + 2 = 15 bytes), so at column 10.
        let text = "{\"x\": 1,\n  \"é日🚀\": tru}"
        guard let error = syntaxError(text) else { return XCTFail("accepted") }
        XCTAssertEqual(error.reason, .unexpectedByte(expected: "a value ('true'?)"))
        XCTAssertEqual(error.offset, 9 + 15)
        XCTAssertEqual(position(text, error.offset), SourcePosition(line: 2, column: 10))

        let fine = "{\"é\":\n\t\"日本\", \"🚀\": [1,\r\n 2]}"
        let json = try document(fine)
        withExtendedLifetime(json) {
            XCTAssertEqual(json.root["é"]?.position, SourcePosition(line: 2, column: 2))
            XCTAssertEqual(json.root["🚀"]?.position, SourcePosition(line: 2, column: 13))
            XCTAssertEqual(json.root["🚀"]?.elements.last?.position, SourcePosition(line: 3, column: 2))
        }
        // The end of the buffer, and offsets past it, are the end position.
        XCTAssertEqual(position("ab\ncé", 6), SourcePosition(line: 2, column: 3))
        XCTAssertEqual(position("ab\ncé", 600), SourcePosition(line: 2, column: 3))
        XCTAssertEqual(position("", 0), SourcePosition(line: 1, column: 1))
        // Through the reader, the same count reaches the one-line error.
        XCTAssertThrowsError(try TerraformReader.read(text: text, file: "f.json")) { error in
            XCTAssertEqual((error as? InputError)?.description.hasPrefix("f.json:2:10: error: expected a value ('true'?)"), true, "\(error)")
        }
    }

    // MARK: - Duplicate keys

    static func object(keys: [String], value: (Int) -> String = { "\($0)" }) -> String {
        "{" + keys.enumerated().map { #""\#($1)":\#(value($0))"# }.joined(separator: ",") + "}"
    }

    /// Same length, same first and last eight bytes: `prefix__07__suffix`.
    static func collidingKey(_ number: Int) -> String {
        "prefix__" + (number < 10 ? "0" : "") + "\(number)" + "__suffix"
    }

    func testManyDistinctKeysAreAccepted() throws {
        // 40 keys: beyond the 24 checked linearly, the scanner switches to a hash set.
        let keys = (1...40).map { "key\($0)" }
        let json = try document(Self.object(keys: keys))
        withExtendedLifetime(json) {
            XCTAssertEqual(json.root.members.map(\.key), keys)
            XCTAssertEqual(json.root["key40"]?.int, 39)
        }
        // Keys that share length and their first and last eight bytes hash alike; the
        // collision is settled byte by byte, in the linear and in the hash-set phase.
        let colliding = (0..<40).map { Self.collidingKey($0) }
        let hashes = colliding.map { key in Array(key.utf8).withUnsafeBytes { JSONScanner.keyHash($0, 0, $0.count) } }
        XCTAssertEqual(Set(hashes).count, 1, "the keys are meant to collide")
        XCTAssertNil(syntaxError(Self.object(keys: colliding)))
        // 10,000 keys stay fast (hash set, not quadratic).
        XCTAssertNil(syntaxError(Self.object(keys: (0..<10_000).map { "resource_\($0)" })))
    }

    func testDuplicateAtKey40IsRejected() {
        var keys = (1...39).map { "key\($0)" }
        keys.append("key7")
        let text = Self.object(keys: keys)
        guard let error = syntaxError(text) else { return XCTFail("duplicate accepted") }
        XCTAssertEqual(error.reason, .duplicateKey("key7"))
        // The error points at the 40th key's opening quote.
        let offset = Array(text.utf8).count - #""key7":39}"#.utf8.count
        XCTAssertEqual(error.offset, offset)

        // The same with the duplicate spelled with an escape, and with colliding hashes.
        keys[39] = #"k\u0065y7"#
        XCTAssertEqual(syntaxError(Self.object(keys: keys))?.reason, .duplicateKey("key7"))
        var colliding = (0..<39).map { Self.collidingKey($0) }
        colliding.append(Self.collidingKey(3))
        XCTAssertEqual(syntaxError(Self.object(keys: colliding))?.reason, .duplicateKey("prefix__03__suffix"))
        // And in the linear phase (key 3), escaped the other way round.
        XCTAssertEqual(syntaxError(#"{"\u0061":1,"b":2,"a":3}"#), JSONSyntaxError(.duplicateKey("a"), at: 18))
    }

    func testCharacterCountMatchesACountByteByByte() {
        // Word-at-a-time tallies are summed every 255 words (2,040 bytes): lengths and starts
        // around those edges, with every kind of UTF-8 byte, must agree with the plain count.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let alphabet: [UInt8] = [0x41, 0x0A, 0x80, 0xBF, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0xFF]
        let bytes: [UInt8] = (0..<12_000).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return alphabet[Int(state >> 33) % alphabet.count]
        }
        bytes.withUnsafeBytes { buffer in
            for start in [0, 1, 7, 8] {
                for end in [start, start + 7, start + 8, start + 9, 2_040, 2_041, 2_048, 4_096, 4_103, 10_000, 12_000] where end >= start {
                    let expected = bytes[start..<end].filter { $0 & 0xC0 != 0x80 }.count
                    XCTAssertEqual(PositionTable.characters(buffer, from: start, to: end), expected, "\(start)..<\(end)")
                }
            }
        }
    }

    func testKeysInAscendingOrderStillCatchEveryDuplicate() {
        // Terraform writes attributes sorted; such objects are checked against the previous
        // key only, until a key breaks the order. Every way of breaking it is still checked.
        let sorted = (0..<10_000).map { String(format: "attr_%05d", $0) }
        XCTAssertNil(syntaxError(Self.object(keys: sorted)))
        XCTAssertEqual(syntaxError(Self.object(keys: sorted + ["attr_00000"]))?.reason, .duplicateKey("attr_00000"))
        XCTAssertEqual(syntaxError(Self.object(keys: sorted + ["attr_09999"]))?.reason, .duplicateKey("attr_09999"))
        XCTAssertEqual(syntaxError(#"{"a":1,"a":2}"#), JSONSyntaxError(.duplicateKey("a"), at: 7))
        XCTAssertEqual(syntaxError(#"{"a":1,"b":2,"c":3,"b":4}"#)?.reason, .duplicateKey("b"))
        XCTAssertEqual(syntaxError(#"{"a":1,"b":2,"\u0061":3}"#)?.reason, .duplicateKey("a"))
        // Prefixes: "ab" sorts after "a", and "a" after "ab" is out of order but distinct.
        XCTAssertNil(syntaxError(#"{"a":1,"ab":2,"abc":3}"#))
        XCTAssertNil(syntaxError(#"{"abc":1,"ab":2,"a":3}"#))
        XCTAssertEqual(syntaxError(#"{"a":1,"ab":2,"abc":3,"ab":4}"#)?.reason, .duplicateKey("ab"))
        // Keys longer than one eight-byte word, differing only after it.
        XCTAssertNil(syntaxError(#"{"eight_by_a":1,"eight_by_b":2}"#))
        XCTAssertEqual(syntaxError(#"{"eight_by_a":1,"eight_by_b":2,"eight_by_a":3}"#)?.reason, .duplicateKey("eight_by_a"))
        // Non-ASCII keys sort by their UTF-8 bytes.
        XCTAssertNil(syntaxError(#"{"z":1,"é":2,"日本":3}"#))
        XCTAssertEqual(syntaxError(#"{"z":1,"é":2,"日本":3,"é":4}"#)?.reason, .duplicateKey("é"))
        // Each object keeps its own order: an inner object's keys never count for the outer one.
        XCTAssertNil(syntaxError(#"{"a":{"x":1,"y":2},"b":{"a":1,"b":2},"c":3}"#))
    }

    func testKeySetsArePerObject() {
        // Sibling and nested objects beyond the linear limit each get their own key set: the
        // same 30 keys in two sibling objects, and an inner object with the outer's keys, are
        // fine; a duplicate in the outer object after a large inner one is still caught.
        let keys = (1...30).map { "k\($0)" }
        let inner = Self.object(keys: keys)
        XCTAssertNil(syntaxError("[\(inner),\(inner)]"))
        let outer = Self.object(keys: keys) { $0 == 15 ? inner : "\($0)" }
        XCTAssertNil(syntaxError(outer))
        let outerWithDuplicate = String(outer.dropLast()) + #","k2":0}"#
        XCTAssertEqual(syntaxError(outerWithDuplicate)?.reason, .duplicateKey("k2"))
        let innerWithDuplicate = "[" + String(inner.dropLast()) + #","k30":0},"# + inner + "]"
        XCTAssertEqual(syntaxError(innerWithDuplicate)?.reason, .duplicateKey("k30"))
        // Keys are only compared within one object, never across nesting levels.
        XCTAssertNil(syntaxError(#"{"a":{"a":{"a":1}},"b":{"a":2}}"#))
    }

    // MARK: - The structural index directly

    func testScanFromAnOffset() throws {
        let bytes = Array("xx[1,[2],{}]".utf8)
        let index = try bytes.withUnsafeBytes { try JSONScanner.scan($0, from: 2) }
        XCTAssertEqual(index.containerCount, 3)
        XCTAssertThrowsError(try bytes.withUnsafeBytes { try JSONScanner.scan($0, from: 0) })
    }
}
