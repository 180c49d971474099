import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckTestSupport

/// The two-thread scan must be indistinguishable from one sequential pass: the same
/// structural index for every valid document and the same error (reason and offset) for
/// every invalid one, wherever the split falls. These tests force the split at every
/// offset of small documents, including offsets no heuristic would choose.
final class JSONScannerSplitTests: XCTestCase {
    enum Outcome: Equatable {
        case index(StructuralIndex)
        case error(JSONSyntaxError)

        var isIndex: Bool {
            if case .index = self { return true }
            return false
        }
    }

    static func outcome(_ bytes: [UInt8], splitAt split: Int?) -> Outcome {
        bytes.withUnsafeBytes { buffer in
            do {
                return .index(try JSONScanner.scan(buffer, from: 0, splitAt: split))
            } catch let error as JSONSyntaxError {
                return .error(error)
            } catch {
                return .error(JSONSyntaxError(.emptyDocument, at: -1))
            }
        }
    }

    /// Compares every split offset (or `samples` of them, evenly spread) with the sequential scan.
    /// Returns how many splits the first scanner adopted, so tests can show the fast path ran.
    @discardableResult
    func assertEverySplitMatches(_ bytes: [UInt8], samples: Int? = nil, name: String,
                                 file: StaticString = #filePath, line: UInt = #line) -> Int {
        let sequential = Self.outcome(bytes, splitAt: nil)
        let offsets: [Int]
        if let samples, bytes.count > samples {
            // Spread evenly, each moved to just after the next comma, where real splits fall.
            offsets = (1...samples).map { sample in
                let spot = sample * bytes.count / (samples + 1)
                return (bytes[spot...].firstIndex(of: UInt8(ascii: ",")) ?? spot - 1) + 1
            }
        } else {
            offsets = Array(0...bytes.count)
        }
        var adopted = 0
        for split in offsets {
            let outcome = Self.outcome(bytes, splitAt: split)
            if outcome != sequential {
                XCTFail("\(name): split at \(split) gives \(outcome), sequential gives \(sequential)", file: file, line: line)
                return adopted
            }
        }
        // Count adoptions separately: the outcome alone cannot tell them from fallbacks.
        for split in offsets where split > 0 && split < bytes.count {
            if bytes.withUnsafeBytes({ Self.adopts($0, split: split) }) { adopted += 1 }
        }
        return adopted
    }

    /// Whether the head scanner takes over the tail scanner's work at `split`.
    static func adopts(_ bytes: UnsafeRawBufferPointer, split: Int) -> Bool {
        var head = JSONScanner(bytes: bytes, from: 0, expectedContainers: 16)
        var tail = JSONScanner(bytes: bytes, from: split, expectedContainers: 16)
        tail.startAsTail()
        guard (try? head.begin()) != nil, (try? head.run(until: split)) == .reachedLimit,
              (try? tail.run(until: Int.max)) == .finished else { return false }
        return head.adopt(tail)
    }

    static let validDocuments: [String] = [
        #"{"a":[1,2,{"b":3,"c":[4,5]}],"d":{"e":"f,{\"g","h":[[],{}],"i":"x"},"j":[true,false,null,-1.5e3]}"#,
        #"[{"address":"aws_rds_cluster.a","values":{"x":1}},{"address":"b","values":{"y":[1,{"z":2}]}},{"address":"c"}]"#,
        #"{ "a" : [ 1 , 2 ] ,"b" : { "c" : 3 , "d" : [ { } , [ ] ] } , "e" : "\u00e9\n" }"#,
        "{\n  \"a\": [\n    {\"k\": \"v\"},\n    {\"k\": \"w\"}\n  ],\n  \"b\": 2\n}\n",
        #"["a\",{\"b\":1",2,3,"x,{\"y",{"z":"\\"}]"#,
        #"{"x":{"a":1,"b":2},"y":{"a":1,"b":2},"a":{"x":{"y":1}},"b":1}"#,
        #"[[[[1,2],[3,4]],[[5,6],[7,8]]],[[[9]]]]"#,
        #"{"é":1,"\u00e9x":2,"\"":3,"\\":4}"#,
        JSONScannerTests.object(keys: (1...40).map { "key\($0)" }),
        JSONScannerTests.object(keys: (10...50).map { "key\($0)" }),  // ascending, as Terraform writes values
    ]

    static let invalidDocuments: [String] = [
        #"{"a":1,"b":2,"c":3,"a":4}"#,               // duplicate in the root, across any split
        #"{"x":{"a":1,"b":2,"a":3},"y":1}"#,         // duplicate in a nested object
        #"{"a":1,"\u0061":2}"#,                      // duplicate only after unescaping
        #"{"a":1,"b":2}{"c":3}"#,                    // a second document
        #"{"a":1,"b":2} x"#,                          // trailing garbage
        #"{"a":[1,2,3"#,                              // truncated
        #"{"a":[1,2},"b":3}"#,                        // mismatched bracket
        #"[1,2}"#,
        #"[1,"a":2]"#,                                // a key in an array
        #"{"a":1,"b"}"#,                              // a value where a key belongs
        #"{"a":1,"b":2,}"#,                           // trailing comma
        #"[1,2,]"#,
        #"[1,2]]"#,                                   // one bracket too many
        #"{"a":[1,2],"b":[3,4]]}"#,
        #"[1,2,"unterminated]"#,
        #"[1,2,01]"#,
        #"[1,2,1e400]"#,
        "[1,2,\"\u{1}\"]",
        JSONScannerTests.object(keys: (1...40).map { "key\($0)" } + ["key7"]),
        JSONScannerTests.object(keys: (10...50).map { "key\($0)" } + ["key12"]),  // ascending, then a repeat
    ]

    func testEverySplitOfSmallDocumentsMatchesTheSequentialScan() {
        var adopted = 0
        for text in Self.validDocuments + Self.invalidDocuments {
            adopted += assertEverySplitMatches(Array(text.utf8), name: text)
        }
        // Most splits just after a comma are adopted; the fast path is exercised, not only the fallback.
        XCTAssertGreaterThan(adopted, 50)
    }

    func testInvalidUTF8AndDuplicatesStraddlingTheSplit() {
        assertEverySplitMatches([UInt8](#"{"a":1,"b":"#.utf8) + [0xC3, 0x28] + [UInt8](#""}"#.utf8), name: "invalid UTF-8")
        let keys = (1...30).map { "k\($0)" }
        let big = JSONScannerTests.object(keys: keys)
        let withDuplicate = "[" + big + "," + String(big.dropLast()) + #","k3":0}]"#
        assertEverySplitMatches(Array(withDuplicate.utf8), name: "duplicate in a large object")
    }

    func testNestingLimitAcrossTheSplit() {
        let limit = JSONScanner.maximumDepth
        // Innermost arrays hold commas, so splits fall at every depth.
        let deepest = String(repeating: "[", count: limit - 2) + "[1,[2],3]" + String(repeating: "]", count: limit - 2)
        let tooDeep = String(repeating: "[", count: limit - 2) + "[1,[[2]],3]" + String(repeating: "]", count: limit - 2)
        let adopted = assertEverySplitMatches(Array(deepest.utf8), name: "depth \(limit)")
        XCTAssertGreaterThan(adopted, 0)
        assertEverySplitMatches(Array(tooDeep.utf8), name: "depth \(limit + 1)")
        XCTAssertEqual(Self.outcome(Array(deepest.utf8), splitAt: nil).isIndex, true)
        guard case .error(let error) = Self.outcome(Array(tooDeep.utf8), splitAt: limit + 1) else {
            return XCTFail("depth \(limit + 1) accepted")
        }
        XCTAssertEqual(error.reason, .nestingTooDeep(limit: limit))
    }

    func testShippedFixturesAtSampledSplits() throws {
        guard let root = PackagePaths.root?.appendingPathComponent("Fixtures") else {
            return XCTFail("no package root")
        }
        let files = try FileManager.default.subpathsOfDirectory(atPath: root.path)
            .filter { $0.hasSuffix(".json") || $0.hasSuffix(".tfstate") }
            .sorted()
        XCTAssertGreaterThan(files.count, 20)
        for path in files {
            let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent(path)))
            let adopted = assertEverySplitMatches(bytes, samples: 8, name: path)
            XCTAssertGreaterThan(adopted, 0, "\(path): no split adopted")
        }
    }

    func testJSONTestSuiteAtEverySplit() throws {
        for testCase in try JSONTestSuiteTests.loadCases() {
            let embedded = JSONTestSuiteTests.embedded(testCase.bytes)
            assertEverySplitMatches(embedded, samples: embedded.count > 4096 ? 64 : nil, name: testCase.name)
        }
    }

    func testLargeDocumentsSplitOnTheirOwnAndMatch() throws {
        // Shaped like resource_changes: objects with escaped JSON strings, past the split threshold.
        var text = #"{"format_version":"1.2","resource_changes":["#
        var number = 0
        while text.utf8.count < JSONScanner.splitThreshold + 200_000 {
            if number > 0 { text += "," }
            text += #"{"address":"aws_ecs_task_definition.t[\#(number)]","change":{"actions":["create"],"#
                + #""after":{"container_definitions":"[{\"name\":\"app\",\"env\":[{\"k\":\"v,{\\\"x\"}]}]","n":\#(number)}}}"#
            number += 1
        }
        text += #"],"configuration":{"root_module":{}}}"#
        let bytes = Array(text.utf8)
        let split = try XCTUnwrap(bytes.withUnsafeBytes { JSONScanner.splitPoint(in: $0, from: 0) })
        XCTAssertEqual(bytes[split - 1], UInt8(ascii: ","))
        XCTAssertTrue(bytes.withUnsafeBytes { Self.adopts($0, split: split) })
        XCTAssertEqual(Self.outcome(bytes, splitAt: split), Self.outcome(bytes, splitAt: nil))
        let automatic = try bytes.withUnsafeBytes { try JSONScanner.scan($0) }
        XCTAssertEqual(.index(automatic), Self.outcome(bytes, splitAt: nil))
        // Below the threshold nothing is split.
        XCTAssertNil(Array(#"[1,{"a":2}]"#.utf8).withUnsafeBytes { JSONScanner.splitPoint(in: $0, from: 0) })
    }
}
