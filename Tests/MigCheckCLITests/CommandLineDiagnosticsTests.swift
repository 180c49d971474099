import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckCLI
@testable import MigCheckTestSupport

/// Everything that exits 2, through the command line in-process: bad documents, repeated
/// addresses, role errors, a missing policy, refused outputs, hostile and repeated flags.
/// Each is one visible line on standard error and nothing on standard output.
final class CommandLineDiagnosticsTests: XCTestCase {
    private var cleanPlan: URL { PackagePaths.packageRoot.appendingPathComponent("Fixtures/full-load/plan.json") }

    /// A representative subset through the CLI: exit 2, nothing on stdout, and exactly one
    /// stderr line `FILE:LINE:COL: error: …` (or `FILE: error: …` when there is no position).
    func testEveryBadInputExitsTwoWithOneLine() throws {
        let directory = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        struct Case {
            let name: String
            let bytes: [UInt8]?  // nil: do not create the file
            var arguments: [String] = []
            let position: String?
            let fragment: String
        }
        let cases: [Case] = [
            Case(name: "missing.json", bytes: nil, position: nil, fragment: "no such file"),
            Case(name: "empty.json", bytes: [], position: "1:1", fragment: "no content"),
            Case(name: "hello.json", bytes: Array("hello".utf8), position: "1:1", fragment: "expected a value"),
            Case(name: "truncated.json", bytes: Array(TerraformSamples.prettyPlan.prefix(120).utf8), position: nil, fragment: "truncated JSON"),
            Case(name: "array.json", bytes: Array("[]".utf8), position: "1:1", fragment: "found an array"),
            Case(name: "deep.json", bytes: Array(String(repeating: "[", count: 100_000).utf8), position: "1:513", fragment: "nested deeper"),
            Case(name: "errored.json", bytes: Array(#"{"format_version":"1.2","errored":true}"#.utf8), position: "1:35", fragment: "the plan failed"),
            Case(name: "types.json", bytes: Array(#"{"format_version":"1.2","resource_changes":{}}"#.utf8), position: "1:44", fragment: "resource_changes: expected an array"),
            Case(name: "duplicate.json", bytes: Array(#"{"format_version":"1.2","format_version":"1.2"}"#.utf8), position: "1:25", fragment: "duplicate object key"),
            Case(name: "v2.json", bytes: Array(#"{"format_version":"2.0"}"#.utf8), position: "1:19", fragment: "not supported"),
            Case(name: "encrypted.json", bytes: Array(#"{"serial":1,"lineage":"x","meta":{},"encrypted_data":"abc","encryption_version":"v0"}"#.utf8),
                 position: "1:1", fragment: "encrypted"),
            Case(name: "wrapper.json", bytes: Array(("[command]/usr/bin/terraform show -json tfplan\n" + TerraformSamples.minimalPlan).utf8),
                 position: "1:1", fragment: "terraform_wrapper: false"),
            Case(name: "state.json", bytes: Array(TerraformSamples.emptyShowState.utf8), arguments: ["--input", "plan"], position: "1:1",
                 fragment: "but this is a state"),
        ]
        for testCase in cases {
            if let bytes = testCase.bytes { try Data(bytes).write(to: directory.appendingPathComponent(testCase.name)) }
        }
        let results = InProcess.runAll(cases.map { $0.arguments + [directory.appendingPathComponent($0.name).path] })
        for (testCase, result) in zip(cases, results) {
            let file = directory.appendingPathComponent(testCase.name)
            XCTAssertEqual(result.status, 2, "\(testCase.name): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "\(testCase.name): nothing on stdout")
            let lines = result.stderr.split(separator: "\n").map(String.init)
            XCTAssertEqual(lines.count, 1, "\(testCase.name): \(result.stderr)")
            guard let line = lines.first else { continue }
            if let position = testCase.position {
                XCTAssertTrue(line.hasPrefix("\(file.path):\(position): error: "), "\(testCase.name): \(line)")
            } else if testCase.bytes == nil {
                // Nothing could be read: the position is where reading would have begun.
                XCTAssertTrue(line.hasPrefix("\(file.path):1:1: error: "), "\(testCase.name): \(line)")
            } else {
                XCTAssertTrue(MigCheckBinary.matchesErrorLine(line, file: file.path), "\(testCase.name): \(line)")
            }
            XCTAssertTrue(line.contains(testCase.fragment), "\(testCase.name): \(line)")
        }

        // A directory, and a directory plus a good file: still exit 2, one error line, the good file summarised.
        let good = directory.appendingPathComponent("good.json")
        try Data(TerraformSamples.minimalPlan.utf8).write(to: good)
        let mixed = InProcess.run([directory.path, good.path])
        XCTAssertEqual(mixed.status, 2, mixed.stderr)
        XCTAssertEqual(mixed.stderr, "\(directory.path):1:1: error: is a directory (expected a plan or state JSON file)\n")
        XCTAssertTrue(mixed.stdout.contains("\(good.path): plan"), mixed.stdout)

        // Accepted inputs exit 0: UTF-16 with a note, a terragrunt stream.
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in TerraformSamples.minimalPlan.utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let utf16File = directory.appendingPathComponent("utf16.json")
        try Data(utf16).write(to: utf16File)
        let converted = InProcess.run([utf16File.path])
        XCTAssertEqual(converted.status, 0, converted.stderr)
        XCTAssertTrue(converted.stderr.hasPrefix("migcheck: note: \(utf16File.path) is UTF-16LE"), converted.stderr)
        let stream = directory.appendingPathComponent("stream.json")
        try Data(Array(repeating: TerraformSamples.minimalPlan, count: 3).joined(separator: "\n").utf8).write(to: stream)
        let streamed = InProcess.run([stream.path])
        XCTAssertEqual(streamed.status, 0, streamed.stderr)
        XCTAssertTrue(streamed.stdout.contains("\(stream.path) (document 3): plan"), streamed.stdout)
    }

    func testARepeatedAddressExitsTwoWithOneLine() throws {
        let directory = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("twice.json")
        try Data(AddressPlans.plan(changes: [AddressPlans.change("aws_rds_cluster.core"), AddressPlans.change("aws_rds_cluster.core")]).utf8).write(to: file)
        let run = InProcess.run([file.path])
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertEqual(run.stdout, "")
        XCTAssertTrue(run.stderr.hasPrefix("\(file.path):10:1: error: resource_changes[1]: \"aws_rds_cluster.core\" is listed twice, first at line 9"),
                      run.stderr)
        XCTAssertEqual(run.stderr.filter { $0 == "\n" }.count, 1, run.stderr)
    }

    /// Through the command line: one line on standard error, exit 2, in each of the three forms.
    func testEachRoleErrorIsOneCompleteLine() throws {
        let scratch = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let plan = PackagePaths.packageRoot.appendingPathComponent("Fixtures/full-load/plan.json").path
        let policyPath = scratch.appendingPathComponent("migcheck.json").path
        try "{\n  \"policyVersion\": 1,\n  \"source\": \"aws_rds_cluster.old\"\n}\n".write(toFile: policyPath, atomically: true, encoding: .utf8)
        let ambiguous = ExamplePlan(resources: ["a", "b"].map {
            ExampleResource("aws_rds_cluster.\($0)", actions: ["no-op"], before: ["cluster_identifier": .string($0)],
                            after: ["cluster_identifier": .string($0)])
        })
        let ambiguousPath = scratch.appendingPathComponent("ambiguous.json").path
        try ambiguous.planJSON.write(toFile: ambiguousPath, atomically: true, encoding: .utf8)
        let runs = InProcess.runAll([
            ["--source", "aws_rds_cluster.nope", plan],
            ["--policy", policyPath, plan],
            [ambiguousPath],
        ])
        XCTAssertEqual(runs.map(\.status), [2, 2, 2], runs.map(\.stderr).joined())
        for run in runs { XCTAssertEqual(run.stderr.filter { $0 == "\n" }.count, 1, run.stderr) }
        XCTAssertTrue(runs[0].stderr.hasPrefix("migcheck: error: --source aws_rds_cluster.nope names no aws_rds_cluster in \(plan)"),
                      runs[0].stderr)
        XCTAssertTrue(runs[1].stderr.hasPrefix("\(policyPath):3:13: error: \"source\": aws_rds_cluster.old names no aws_rds_cluster in \(plan)"),
                      runs[1].stderr)
        let position = try XCTUnwrap(TerraformReader.read(text: ambiguous.planJSON).first?.resourceChanges.last?.node.position)
        XCTAssertTrue(runs[2].stderr.hasPrefix("\(ambiguousPath):\(position.line):\(position.column): error: cannot tell"), runs[2].stderr)
    }

    func testAMissingPolicyOrADirectoryIsNamedAsThePolicy() throws {
        let missing = "/nonexistent-\(UUID().uuidString)/migcheck.json"
        let directory = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plan = PackagePaths.packageRoot.appendingPathComponent("Fixtures/full-load/plan.json").path
        let runs = InProcess.runAll([["--policy", missing, plan], ["--policy", directory.path, plan]])
        XCTAssertEqual(runs.map(\.status), [2, 2])
        XCTAssertEqual(runs[0].stderr, "\(missing):1:1: error: policy file not found\n")
        XCTAssertFalse(runs[0].stderr.contains("terraform show"), runs[0].stderr)
        XCTAssertTrue(runs[1].stderr.hasPrefix("\(directory.path):1:1: error: is a directory"), runs[1].stderr)
    }

    /// `--source`/`--target` (or the policy's) that names no cluster: the flag's value is echoed in one line.
    func testAnUnknownClusterFromAFlagIsEchoedVisibly() throws {
        let root = try XCTUnwrap(PackagePaths.root)
        let result = InProcess.run(["--source", "aws_rds_cluster.x\u{202E}\n::error::flag-pwned",
                                                     root.appendingPathComponent("Fixtures/prepare/plan.json").path])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("aws_rds_cluster.x\\u202e\\u000a::error::flag-pwned"), result.stderr)
    }

    func testAnErrorLineOnStandardErrorEscapesBidiControls() throws {
        let scratch = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let policy = scratch.appendingPathComponent("migcheck.json")
        try Data("{\"policyVersion\": 1, \"ph\u{202E}ase\\n::error::x\": \"cutover\"}".utf8).write(to: policy)
        let root = try XCTUnwrap(PackagePaths.root)
        let result = InProcess.run(["--policy", policy.path, root.appendingPathComponent("Fixtures/prepare/plan.json").path])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("\\u202e"), result.stderr)
        XCTAssertFalse(result.stderr.unicodeScalars.contains { HostileText.bidiControls.contains($0) }, result.stderr)
    }

    func testAnOutputThatIsADirectoryOrALinkIsRefused() throws {
        let directory = try scratchDirectory()
        let manager = FileManager.default
        let elsewhere = directory.appendingPathComponent("elsewhere.txt")
        try "someone's file".write(to: elsewhere, atomically: true, encoding: .utf8)
        try manager.createSymbolicLink(atPath: directory.appendingPathComponent("link.sarif").path, withDestinationPath: elsewhere.path)
        try manager.createSymbolicLink(atPath: directory.appendingPathComponent("dangling.sarif").path, withDestinationPath: "nowhere")
        let cases: [(String, String)] = [
            (directory.path, "is a directory"), ("\(directory.path)/link.sarif", "symbolic link"),
            ("\(directory.path)/dangling.sarif", "symbolic link to nothing"), ("\(directory.path)/missing/x.sarif", "No such file or directory"),
        ]
        for (path, reason) in cases {
            let result = InProcess.run(["--output", "sarif=\(path)", cleanPlan.path])
            XCTAssertEqual(result.status, 2, "\(path): \(result.stderr)")
            XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
            XCTAssertTrue(result.stderr.hasPrefix("\(path): error: cannot write the sarif report: ") && result.stderr.contains(reason), result.stderr)
            XCTAssertEqual(result.stdout, "", "refused before anything is written")
        }
        XCTAssertEqual(try String(contentsOf: elsewhere, encoding: .utf8), "someone's file")
        XCTAssertFalse(manager.fileExists(atPath: directory.appendingPathComponent("nowhere").path))
        // A device is written as it is, never replaced.
        let toDevice = InProcess.run(["--output", "sarif=/dev/null", cleanPlan.path])
        XCTAssertEqual(toDevice.status, 0, toDevice.stderr)
    }

    func testHostileValuesInEveryFlagGiveOneVisibleLine() throws {
        let plan = cleanPlan.path
        let hostile = ["x\n::error::pwned", "x\r\n::warning title=a::pwned", "\u{1B}[31mred\u{1B}[0m", "a\u{202E}dcb", "n\u{85}::error::nel",
                       "l\u{2028}::error::ls", " ::error::lead", "::error::lead"]
        var invocations: [[String]] = []
        for value in hostile {
            invocations += [
                ["--phase", value, plan], ["--format", value, plan], ["--fail-on", value, plan], ["--input", value, plan],
                // A category may not hold a blank: the trailing one makes sure the value is refused and echoed.
                ["--sarif-category", value + " ", plan], ["--output", value, plan], ["--output", "\(value)=r.json", plan],
                ["--output", "json=/nonexistent \(value)/r.json", plan], ["--source", value, plan], ["--target", value, plan],
                ["--policy", "/nonexistent/\(value)", plan], ["--source-dir", value, plan], ["explain", value], ["--\(value)", plan],
                ["-\(value)", plan], [value], ["--", value], ["--phase=\(value)", plan],
            ]
        }
        invocations.append(["-", "-"])
        for arguments in invocations {
            let result = InProcess.run(arguments)
            let described = arguments.map { $0.debugDescription }.joined(separator: " ")
            XCTAssertEqual(result.status, 2, "\(described): \(result.stderr)")
            XCTAssertEqual(result.stderrLines.count, 1, "\(described): \(result.stderr.debugDescription)")
            XCTAssertTrue(result.stderr.hasSuffix("\n"), described)
            for line in result.stderr.split(separator: "\n") {
                XCTAssertFalse(line.drop(while: { $0.isWhitespace }).hasPrefix("::"), "\(described): a workflow command: \(line)")
            }
            let raw = result.stderr.dropLast().unicodeScalars.filter {
                $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || [0x2028, 0x2029, 0x202E].contains($0.value)
            }
            XCTAssertEqual(raw.count, 0, "\(described): raw control characters in \(result.stderr.debugDescription)")
        }
        let twice = InProcess.run(["-", "-"])
        XCTAssertEqual(twice.stderr, "migcheck: error: standard input ('-') can be read only once\n")
    }

    func testASingleValueFlagGivenTwiceIsAUsageError() throws {
        let plan = cleanPlan.path
        let policy = PackagePaths.packageRoot.appendingPathComponent("Policies/migcheck.json").path
        let directory = try scratchDirectory()
        let repeated: [[String]] = [
            ["--fail-on", "warning", "--fail-on", "never"], ["--fail-on=warning", "--fail-on", "never"], ["--phase", "cutover", "--phase", "cleanup"],
            ["--format", "json", "--format", "sarif"], ["--source", "aws_rds_cluster.legacy", "--source", "aws_rds_cluster.legacy"],
            ["--target", "aws_rds_cluster.primary", "--target", "aws_rds_cluster.primary"], ["--policy", policy, "--policy", policy],
            ["--input", "plan", "--input", "plan"], ["--sarif-category", "a", "--sarif-category", "b"],
            ["--source-dir", directory.path, "--source-dir", directory.path],
        ]
        for flags in repeated {
            let result = InProcess.run(flags + [plan])
            XCTAssertEqual(result.status, 2, "\(flags): \(result.stderr)")
            let flag = flags[0].split(separator: "=")[0]
            XCTAssertEqual(result.stderr, "migcheck: error: \(flag) given twice; it takes one value\n", "\(flags)")
            XCTAssertEqual(result.stdout, "")
        }
        let missing = InProcess.run(["--source-dir", "\(directory.path)/nope", plan])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "migcheck: error: --source-dir '\(directory.path)/nope': no such directory\n")
        let file = InProcess.run(["--source-dir", plan, plan])
        XCTAssertEqual(file.status, 2)
        XCTAssertEqual(file.stderr, "migcheck: error: --source-dir '\(plan)': not a directory\n")
        let several = InProcess.run(["--output", "json=\(directory.path)/a.json", "--output", "sarif=\(directory.path)/a.sarif", plan])
        XCTAssertEqual(several.status, 0, "--output stays repeatable: \(several.stderr)")
    }
}
