import Foundation
import XCTest

/// Programs outside Swift the tests check against (python3 with jsonschema, xmllint, sha256sum):
/// each found on PATH, or the test skips with one line saying what is missing.
enum ExternalTools {
    struct ToolRun {
        let status: Int32
        let output: String
    }

    /// Runs a program found on PATH; nil when it cannot be started.
    static func run(_ arguments: [String], input: String? = nil) -> ToolRun? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ToolRun(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// `python3` with the given modules, or XCTSkip saying what is missing.
    static func requirePython(modules: [String]) throws {
        let probe = "import " + modules.joined(separator: ", ")
        guard let result = run(["python3", "-c", probe]), result.status == 0 else {
            let packages = modules.map { $0 == "sarif" ? "sarif-tools" : $0 }
            throw XCTSkip("python3 with \(modules.joined(separator: ", ")) not available (pip install \(packages.joined(separator: " "))); skipping")
        }
    }

    static func requireXmllint() throws {
        guard let result = run(["xmllint", "--version"]), result.status == 0 else {
            throw XCTSkip("xmllint not found (apt-get install libxml2-utils); skipping XSD validation")
        }
    }
}
