import Foundation
import XCTest

/// Finds and runs the `migcheck` executable that `swift build` put beside the test bundle:
/// for the tests that need a real process (stdout and stderr apart, exit status, signals,
/// the working directory, /dev/full). Everything else runs in-process (`InProcess`).
enum MigCheckBinary {
    struct Result {
        let status: Int32
        let killedBySignal: Bool
        let stdout: String
        let stderr: String

        /// Standard error's lines, each ended by its line break (an unterminated last line is dropped).
        var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast() }
    }

    /// One run: the arguments and what it starts with.
    struct Invocation {
        var arguments: [String]
        /// Another program to run instead (an argument `MIGCHECK` becomes the binary's path).
        var executable: URL?
        var directory: URL?
        var output: FileHandle?
        var input: FileHandle?
        /// Changes to this process's environment (nil removes a variable).
        var environment: [String: String?] = ["NO_COLOR": "1"]
    }

    private final class Anchor {}

    static func locate(testCase: AnyClass = Anchor.self) throws -> URL {
        let bundle = Bundle(for: testCase).bundleURL
        var candidates = [bundle.deletingLastPathComponent().appendingPathComponent("migcheck"),
                          bundle.appendingPathComponent("migcheck")]
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("migcheck"))
        }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        throw XCTSkip("migcheck binary not built (looked for \(candidates.map(\.path).joined(separator: ", "))); run `swift build` first")
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("migcheck-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs the binary with a 20-second limit (a hang fails the test instead of stalling it).
    static func run(_ binary: URL, _ arguments: [String]) throws -> Result {
        try runAll(binary, [Invocation(arguments: arguments)])[0]
    }

    /// Runs the located binary (or `executable`) in `directory`, standard output to `output` or captured.
    static func run(_ arguments: [String], executable: URL? = nil, in directory: URL? = nil, output: FileHandle? = nil,
                    input: FileHandle? = nil, environment: [String: String?] = ["NO_COLOR": "1"]) throws -> Result {
        let invocation = Invocation(arguments: arguments, executable: executable, directory: directory, output: output,
                                    input: input, environment: environment)
        return try runAll(try locate(), [invocation])[0]
    }

    /// Runs several invocations at once (each is independent), then collects them in order.
    static func runAll(_ binary: URL, _ invocations: [[String]]) throws -> [Result] {
        try runAll(binary, invocations.map { Invocation(arguments: $0) })
    }

    static func runAll(_ binary: URL, _ invocations: [Invocation]) throws -> [Result] {
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var running: [(process: Process, out: FileHandle, err: FileHandle, outURL: URL, errURL: URL)] = []
        for (number, invocation) in invocations.enumerated() {
            let outURL = scratch.appendingPathComponent("stdout-\(number)"), errURL = scratch.appendingPathComponent("stderr-\(number)")
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
            let process = Process()
            process.executableURL = invocation.executable ?? binary
            process.arguments = invocation.executable == nil ? invocation.arguments
                : invocation.arguments.map { $0 == "MIGCHECK" ? binary.path : $0 }
            if let directory = invocation.directory { process.currentDirectoryURL = directory }
            process.standardInput = invocation.input ?? FileHandle.nullDevice
            process.standardOutput = invocation.output ?? out
            process.standardError = err
            var environment = ProcessInfo.processInfo.environment
            for (name, value) in invocation.environment { environment[name] = value }
            process.environment = environment
            try process.run()
            running.append((process, out, err, outURL, errURL))
        }
        let deadline = Date().addingTimeInterval(20)
        return try zip(invocations, running).map { invocation, entry in
            while entry.process.isRunning, Date() < deadline { usleep(2_000) }
            if entry.process.isRunning {
                entry.process.terminate()
                XCTFail("migcheck \(invocation.arguments) did not finish within 20 s")
            }
            entry.process.waitUntilExit()
            try entry.out.close()
            try entry.err.close()
            return Result(status: entry.process.terminationStatus, killedBySignal: entry.process.terminationReason == .uncaughtSignal,
                          stdout: String(decoding: try Data(contentsOf: entry.outURL), as: UTF8.self),
                          stderr: String(decoding: try Data(contentsOf: entry.errURL), as: UTF8.self))
        }
    }

    /// `FILE:LINE:COL: error: ` followed by a message.
    static func matchesErrorLine(_ line: String, file: String) -> Bool {
        guard line.hasPrefix(file + ":") else { return false }
        let rest = line.dropFirst(file.count + 1)
        let parts = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let lineNumber = Int(parts[0]), let column = Int(parts[1]), lineNumber >= 1, column >= 1 else { return false }
        return parts[2].hasPrefix(" error: ") && parts[2].count > " error: ".count
    }
}
