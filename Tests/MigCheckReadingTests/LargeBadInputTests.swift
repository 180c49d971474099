import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Huge files that are not JSON (a byte, then gigabytes of NULs, as a sparse file or a
/// disk image gives) fail at the first byte that proves it, in bounded memory: nothing of
/// the rest is read, copied, transcoded or counted.
final class LargeBadInputTests: XCTestCase {
    static let gibibyte = 1 << 30

    /// A sparse file: `size` bytes, `prefix` then zeros, taking no disk space.
    func sparseFile(_ name: String, in directory: URL, size: Int, prefix: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(prefix.utf8).write(to: url)
        guard truncate(url.path, off_t(size)) == 0 else { throw XCTSkip("cannot make a sparse \(size)-byte file here: errno \(errno)") }
        return url
    }

    /// A run of `migcheck` with its own peak memory, taken from `wait4` rather than from
    /// every child the test runner has had.
    struct MeasuredRun {
        let status: Int32
        let stderr: String
        let seconds: Double
        let peakBytes: Int
    }

    func runMeasured(_ binary: URL, _ arguments: [String], in directory: URL) throws -> MeasuredRun {
        let errPath = directory.appendingPathComponent("stderr-\(UUID().uuidString)").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([binary.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?] = [strdup("NO_COLOR=1"), nil]
        defer { envp.forEach { free($0) } }
        let started = Date()
        var pid = pid_t()
        let spawned = posix_spawn(&pid, binary.path, &actions, nil, argv, envp)
        guard spawned == 0 else { throw XCTSkip("cannot start \(binary.path): \(spawned)") }
        var status: Int32 = 0
        var usage = rusage()
        var killed = false
        while wait4(pid, &status, WNOHANG, &usage) == 0 {
            // A hang (or the old, whole-file behaviour) fails the test instead of stalling it.
            if !killed, Date().timeIntervalSince(started) > 30 {
                kill(pid, SIGKILL)
                killed = true
            }
            usleep(2_000)
        }
        let seconds = Date().timeIntervalSince(started)
        let stderr = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data(), as: UTF8.self)
        // Exited normally: the low seven bits are zero and the exit code is the next eight.
        let exitStatus: Int32 = status & 0x7F == 0 ? (status >> 8) & 0xFF : -1
        // ru_maxrss is in KiB on Linux, in bytes on Darwin.
        #if canImport(Darwin)
        let peak = Int(usage.ru_maxrss)
        #else
        let peak = Int(usage.ru_maxrss) * 1024
        #endif
        return MeasuredRun(status: exitStatus, stderr: stderr, seconds: seconds, peakBytes: peak)
    }

    /// This process's own peak: posix_spawn starts the child in the parent's memory (vfork),
    /// so the child's peak as the kernel reports it is at least this.
    func ownPeakBytes() -> Int {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        #if canImport(Darwin)
        return Int(usage.ru_maxrss)
        #else
        return Int(usage.ru_maxrss) * 1024
        #endif
    }

    func testMostlyNULFilesFailAtTheFirstBadByteInBoundedMemory() throws {
        let binary = try MigCheckBinary.locate(testCase: Self.self)
        let directory = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        struct Case {
            let name: String
            let size: Int
            let prefix: String
            let position: String
            let fragment: String
        }
        let gib = Self.gibibyte
        // Valid past the first stretch the head checks alone, then NULs: the middle is searched only briefly.
        let longPrefix = #"{"format_version":"1.2","resource_changes":["# + String(repeating: #"{"a":1},"#, count: 20_000)
        let cases = [
            // The zero bytes beside an ASCII first byte look like UTF-16: nothing is transcoded past the first NUL.
            Case(name: "x-3g.json", size: 3 * gib, prefix: "x", position: "1:1", fragment: "expected a value"),
            Case(name: "brace-3g.json", size: 3 * gib, prefix: "{", position: "1:2", fragment: "expected a string key or '}'"),
            // Valid for a while, then NULs: no split point is searched for far into them, no line table counted.
            Case(name: "format-3g.json", size: 3 * gib, prefix: #"{"format_version":"1.2", "#, position: "1:26", fragment: "expected a string key"),
            Case(name: "long-3g.json", size: 3 * gib, prefix: longPrefix, position: "1:\(longPrefix.utf8.count + 1)", fragment: "expected a value"),
            Case(name: "x-5g.json", size: 5 * gib, prefix: "x", position: "1:1",
                 fragment: "larger than \(JSONScanner.maximumDocumentSizeText)"),
        ]
        for testCase in cases {
            let file = try sparseFile(testCase.name, in: directory, size: testCase.size, prefix: testCase.prefix)
            let bound = max(200 << 20, ownPeakBytes() + (20 << 20))
            let run = try runMeasured(binary, [file.path], in: directory)
            XCTAssertEqual(run.status, 2, "\(testCase.name): \(run.stderr)")
            let lines = run.stderr.split(separator: "\n").map(String.init)
            XCTAssertEqual(lines.count, 1, "\(testCase.name): \(run.stderr)")
            XCTAssertTrue(run.stderr.hasPrefix("\(file.path):\(testCase.position): error: "), "\(testCase.name): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(testCase.fragment), "\(testCase.name): \(run.stderr)")
            XCTAssertLessThan(run.peakBytes, bound, "\(testCase.name): peak memory \(run.peakBytes >> 20) MB")
            // Generous: it takes milliseconds; the whole-file behaviour took tens of seconds.
            XCTAssertLessThan(run.seconds, 10, "\(testCase.name)")
        }
    }

    /// The zero bytes beside an ASCII first byte make a mostly-NUL buffer look like UTF-16;
    /// transcoding stops just after the first NUL character, which JSON never holds.
    func testUTF16TranscodingStopsAtTheFirstNUL() throws {
        var bytes = [UInt8](repeating: 0, count: 1 << 20)
        bytes[0] = UInt8(ascii: "x")
        let detected = bytes.withUnsafeBytes { TextEncoding.detect($0) }
        XCTAssertEqual(detected, .utf16(littleEndian: true, hasBOM: false))
        let result = bytes.withUnsafeBytes { TextEncoding.transcodeUTF16($0, littleEndian: true, skipBOM: false) }
        XCTAssertEqual(try result.get(), [UInt8(ascii: "x"), 0])
        XCTAssertThrowsError(try TerraformReader.read(storage: ByteStorage(copying: bytes), file: "f.json", expecting: nil)) { error in
            XCTAssertEqual((error as? InputError)?.description, "f.json:1:1: error: expected a value")
        }
        // Text without a NUL is transcoded whole; an odd byte at the end is half a code unit.
        var text: [UInt8] = [0xFF, 0xFE]
        for unit in #"{"a":"é"}"#.utf16 { text += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        XCTAssertEqual(try text.withUnsafeBytes { TextEncoding.transcodeUTF16($0, littleEndian: true, skipBOM: true) }.get(),
                       Array(#"{"a":"é"}"#.utf8))
        let odd = text + [0x7D]
        guard case .failure(let malformed) = odd.withUnsafeBytes({ TextEncoding.transcodeUTF16($0, littleEndian: true, skipBOM: true) }) else {
            return XCTFail("an odd byte at the end was accepted")
        }
        XCTAssertEqual(malformed.offset, odd.count - 1)
    }

    /// The head's first stretch, validated alone before the second thread starts, changes no
    /// result: a large document gives the index or the error one sequential pass gives,
    /// wherever the error lies (before, at and after the checkpoint, near the split, at the end).
    func testTheCheckedFirstStretchMatchesOneSequentialPass() throws {
        let element = #"{"address":"aws_rds_cluster.core","values":{"port":5432,"tags":["a","b"]}},"#
        let valid = Array(("[" + String(repeating: element, count: (1 << 20) / element.utf8.count + 1) + #"{"end":true}]"#).utf8)
        XCTAssertGreaterThanOrEqual(valid.count, JSONScanner.splitThreshold)
        func outcome(_ bytes: [UInt8], sequential: Bool) -> JSONScannerSplitTests.Outcome {
            bytes.withUnsafeBytes { buffer in
                do {
                    return .index(sequential ? try JSONScanner.scanSequentially(buffer, from: 0) : try JSONScanner.scan(buffer))
                } catch let error as JSONSyntaxError {
                    return .error(error)
                } catch {
                    return .error(JSONSyntaxError(.emptyDocument, at: -1))
                }
            }
        }
        XCTAssertTrue(outcome(valid, sequential: false).isIndex)
        let checkpoint = JSONScanner.checkpointOffset
        for spot in [10, checkpoint - 3, checkpoint + 40, checkpoint * 2 + 5, valid.count / 2 + 7, valid.count - 3] {
            for bad: UInt8 in [0, UInt8(ascii: "]")] {
                var bytes = valid
                bytes[spot] = bad
                XCTAssertEqual(outcome(bytes, sequential: false), outcome(bytes, sequential: true), "byte \(bad) at \(spot)")
            }
        }
        XCTAssertEqual(outcome(valid, sequential: false), outcome(valid, sequential: true))
    }

    /// The position of an error is counted up to it: the same answer as the whole-file table.
    func testAnErrorPositionIsCountedOnlyUpToIt() throws {
        let text = "\u{FEFF}{\n  \"é\": [1,\n 2]\r\n}\n"
        let bytes = Array(text.utf8)
        let document = try JSONDocument(bytes: bytes)
        for offset in 0...bytes.count {
            let counted = bytes.withUnsafeBytes { SourcePosition.of(offset, in: $0) }
            XCTAssertEqual(counted, document.position(of: offset), "offset \(offset)")
        }
    }

    /// Every message about the size limit, and the README, state the limit the code enforces.
    func testTheSizeLimitIsStatedAsEnforced() throws {
        XCTAssertEqual(JSONScanner.maximumDocumentSize, 4_294_967_295)
        XCTAssertTrue(JSONScanner.maximumDocumentSizeText.contains("4294967295 bytes"))
        let limitText = "larger than \(JSONScanner.maximumDocumentSizeText), the most migcheck reads"
        XCTAssertTrue(ByteStorage.ReadError.tooLarge(limit: JSONScanner.maximumDocumentSize).message.hasPrefix(limitText))
        XCTAssertTrue(JSONSyntaxError(.documentTooLarge(limit: JSONScanner.maximumDocumentSize), at: 0).message.hasPrefix(limitText))
        guard let root = PackagePaths.root else { throw XCTSkip("package root not found") }
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        XCTAssertTrue(readme.contains("files up to \(JSONScanner.maximumDocumentSizeText)"), "README's strict JSON section")
        XCTAssertTrue(readme.contains("nothing larger than \(JSONScanner.maximumDocumentSizeText) is read"), "README's inputs table")
    }
}
