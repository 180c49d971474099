import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckCLI
@testable import MigCheckTestSupport

/// The shell never destroys, loses or misreports: an output is never an input, a failed
/// write is exit 2, report files are replaced atomically, every error is one visible line,
/// a flag given twice is refused. Through the built binary (the flag-only cases run in-process, in
/// CommandLineDiagnosticsTests).
final class CommandLineSafetyTests: XCTestCase {
    private var fixtures: URL { PackagePaths.packageRoot.appendingPathComponent("Fixtures") }
    private var cleanPlan: URL { fixtures.appendingPathComponent("full-load/plan.json") }

    private func run(_ arguments: [String], executable: URL? = nil, in directory: URL? = nil, output: FileHandle? = nil,
                     input: FileHandle? = nil, environment: [String: String?] = ["NO_COLOR": "1"]) throws -> MigCheckBinary.Result {
        try MigCheckBinary.run(arguments, executable: executable, in: directory, output: output, input: input, environment: environment)
    }

    // MARK: - Item 1: an output may never be an input

    func testAnOutputThatIsAnInputIsRefusedBeforeAnythingIsWritten() throws {
        let directory = try scratchDirectory()
        let manager = FileManager.default
        let plan = directory.appendingPathComponent("p.json"), second = directory.appendingPathComponent("q.json")
        try manager.copyItem(at: cleanPlan, to: plan)
        try manager.copyItem(at: cleanPlan, to: second)
        try manager.createSymbolicLink(atPath: directory.appendingPathComponent("link.json").path, withDestinationPath: "p.json")
        try manager.linkItem(at: plan, to: directory.appendingPathComponent("hard.json"))
        let policyText = try String(contentsOf: PackagePaths.packageRoot.appendingPathComponent("Policies/migcheck.json"), encoding: .utf8)
        try policyText.write(to: directory.appendingPathComponent("pol.json"), atomically: true, encoding: .utf8)
        try manager.createDirectory(at: directory.appendingPathComponent("infra"), withIntermediateDirectories: true)
        try manager.createDirectory(at: directory.appendingPathComponent("modules/db"), withIntermediateDirectories: true)
        try "module \"db\" {\n  source = \"../modules/db\"\n}\n".write(to: directory.appendingPathComponent("infra/main.tf"),
                                                                      atomically: true, encoding: .utf8)
        try "{\"variable\": {}}\n".write(to: directory.appendingPathComponent("infra/vars.tf.json"), atomically: true, encoding: .utf8)
        try "resource \"aws_rds_cluster\" \"core\" {\n}\n".write(to: directory.appendingPathComponent("modules/db/main.tf"),
                                                                 atomically: true, encoding: .utf8)
        func snapshot() throws -> [String: Data] {
            var files: [String: Data] = [:]
            for name in ["p.json", "q.json", "pol.json", "infra/main.tf", "infra/vars.tf.json", "modules/db/main.tf"] {
                files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
            }
            return files
        }
        let before = try snapshot()
        let cases: [(arguments: [String], names: [String])] = [
            (["--output", "json=p.json", "p.json"], ["json=p.json", "the input p.json"]),
            (["--output", "json=./p.json", "p.json"], ["json=./p.json", "the input p.json"]),
            (["--output", "json=\(plan.path)", "p.json"], ["json=\(plan.path)", "the input p.json"]),
            (["--output", "json=link.json", "p.json"], ["json=link.json", "the input p.json"]),
            (["--output", "json=hard.json", "p.json"], ["json=hard.json", "the input p.json"]),
            (["--output", "sarif=q.json", "p.json", "q.json"], ["sarif=q.json", "the input q.json"]),
            (["--policy", "pol.json", "--output", "json=pol.json", "p.json"], ["json=pol.json", "the policy pol.json"]),
            (["--source-dir", "infra", "--output", "text=infra/main.tf", "p.json"], ["text=infra/main.tf", "infra/main.tf (--source-dir)"]),
            (["--source-dir", "infra", "--output", "text=infra/vars.tf.json", "p.json"], ["text=infra/vars.tf.json", "infra/vars.tf.json"]),
            (["--source-dir", "infra", "--output", "text=modules/db/main.tf", "p.json"], ["text=modules/db/main.tf", "modules/db/main.tf"]),
            (["--output", "json=new.json", "--output", "sarif=./new.json", "p.json"], ["json=new.json", "sarif=./new.json", "the same file"]),
        ]
        for (arguments, names) in cases {
            let result = try run(arguments, in: directory)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderrLines.count, 1, "\(arguments): \(result.stderr)")
            for name in names { XCTAssertTrue(result.stderr.contains(name), "\(arguments): \(result.stderr) should name \(name)") }
            XCTAssertEqual(result.stdout, "", "\(arguments): nothing is written, not even standard output")
        }
        // Standard input that is the plan, and the implicit ./migcheck.json policy.
        let fromStandardInput = try run(["--output", "json=p.json", "-"], in: directory, input: try FileHandle(forReadingFrom: plan))
        XCTAssertEqual(fromStandardInput.status, 2, fromStandardInput.stderr)
        XCTAssertTrue(fromStandardInput.stderr.contains("standard input"), fromStandardInput.stderr)
        try policyText.write(to: directory.appendingPathComponent("migcheck.json"), atomically: true, encoding: .utf8)
        let implicitPolicy = try run(["--output", "json=migcheck.json", "p.json"], in: directory)
        XCTAssertEqual(implicitPolicy.status, 2, implicitPolicy.stderr)
        XCTAssertTrue(implicitPolicy.stderr.contains("the policy migcheck.json"), implicitPolicy.stderr)
        XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent("migcheck.json")), Data(policyText.utf8))

        XCTAssertEqual(try snapshot(), before, "an input was changed")
        XCTAssertFalse(manager.fileExists(atPath: directory.appendingPathComponent("new.json").path))
        let leftovers = try manager.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [])
        // A report beside the sources, not one of them, is written.
        let beside = try run(["--source-dir", "infra", "--output", "text=infra/report.txt", "p.json"], in: directory)
        XCTAssertEqual(beside.status, 0, beside.stderr)
        XCTAssertTrue(try String(contentsOf: directory.appendingPathComponent("infra/report.txt"), encoding: .utf8).contains("phase full-load"))
    }

    // MARK: - Item 2: write errors are errors

    func testAFailedWriteToStandardOutputIsExitTwo() throws {
        guard let full = FileHandle(forWritingAtPath: "/dev/full") else { throw XCTSkip("/dev/full not available") }
        defer { try? full.close() }
        for arguments in [["--format", "sarif", cleanPlan.path], [cleanPlan.path], ["rules"], ["--help"], ["default-policy"], ["summary", cleanPlan.path]] {
            let result = try run(arguments, output: full)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderr, "migcheck: error: cannot write standard output: No space left on device\n", "\(arguments)")
        }
        let toFile = try run(["--output", "json=/dev/full", cleanPlan.path])
        XCTAssertEqual(toFile.status, 2, toFile.stderr)
        XCTAssertEqual(toFile.stderr, "/dev/full: error: cannot write the json report: No space left on device\n")
    }

    /// A file name that is not UTF-8 exists, but `CommandLine.arguments` would have made it
    /// another name: the argument is refused as what it is, its bytes shown, before anything runs.
    func testAnArgumentThatIsNotUTF8IsNamedNotMisread() throws {
        let scratch = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        // The shell makes the bytes: Foundation's Process takes arguments as Strings only.
        let script = #"name="$1/$(printf 'p\376.json')"; cp "$2" "$name" && exec "$0" --format json "$name""#
        let result = try run(["-c", script, "MIGCHECK", scratch.path, cleanPlan.path], executable: URL(fileURLWithPath: "/bin/sh"))
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, "migcheck: error: argument 3 is not UTF-8 (\(scratch.path)/p\\xFE.json): migcheck takes file names "
            + "and values spelled in UTF-8; rename the file, or pass a link to it whose name is\n")
        let named = try run(["-c", #"exec "$0" --format json "$1/$(printf 'p\376.json')" --fail-on never"#, "MIGCHECK", scratch.path],
                            executable: URL(fileURLWithPath: "/bin/sh"))
        XCTAssertEqual(named.status, 2, "the option after it is not read either: \(named.stderr)")
    }

    func testAReaderThatWentAwayIsReportedNotASilentDeath() throws {
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let result = try run(["--format", "sarif", cleanPlan.path], output: pipe.fileHandleForWriting)
        try? pipe.fileHandleForWriting.close()
        XCTAssertFalse(result.killedBySignal, "killed by SIGPIPE without a word")
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertEqual(result.stderr, "migcheck: error: cannot write standard output: Broken pipe\n")
    }

    // MARK: - Item 3: reports are written atomically

    func testAFullDiskLeavesThePreviousReportIntact() throws {
        let directory = try scratchDirectory()
        let report = directory.appendingPathComponent("report.sarif")
        let previous = "the previous report\n"
        try previous.write(to: report, atomically: true, encoding: .utf8)
        // A real limit: files may not grow past 1 block of 512 bytes; SIGXFSZ ignored, so a
        // write beyond it fails with EFBIG. Standard output is /dev/null, which no limit affects.
        let script = "trap '' XFSZ; ulimit -f 1 && exec \"$0\" \"$@\" >/dev/null"
        let result = try run(["-c", script, "MIGCHECK", "--output", "sarif=\(report.path)", cleanPlan.path],
                             executable: URL(fileURLWithPath: "/bin/sh"))
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertEqual(result.stderr, "\(report.path): error: cannot write the sarif report: File too large\n")
        XCTAssertEqual(try String(contentsOf: report, encoding: .utf8), previous, "the previous report was cut")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["report.sarif"], "the temporary file is left")
    }

    func testReportFilesAreReplacedWholeWithTheirPermissions() throws {
        let directory = try scratchDirectory()
        let manager = FileManager.default
        let kept = directory.appendingPathComponent("kept.json")
        try "old".write(to: kept, atomically: true, encoding: .utf8)
        try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: kept.path)
        let script = "umask 022 && exec \"$0\" \"$@\""
        let result = try run(["-c", script, "MIGCHECK", "--output", "json=\(kept.path)", "--output", "sarif=\(directory.path)/new.sarif",
                              cleanPlan.path], executable: URL(fileURLWithPath: "/bin/sh"))
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: kept)) as? [String: Any]
        XCTAssertEqual(json?["schemaVersion"] as? Int, 1)
        XCTAssertEqual(try manager.attributesOfItem(atPath: kept.path)[.posixPermissions] as? Int, 0o600)
        XCTAssertEqual(try manager.attributesOfItem(atPath: "\(directory.path)/new.sarif")[.posixPermissions] as? Int, 0o644)
        XCTAssertEqual(try manager.contentsOfDirectory(atPath: directory.path).sorted(), ["kept.json", "new.sarif"])
    }

    // MARK: - Item 16: NO_COLOR set but empty

    func testNoColorSetButEmptyTurnsColourOff() throws {
        let binary = try MigCheckBinary.locate(testCase: Self.self)
        let script = URL(fileURLWithPath: "/usr/bin/script")
        guard FileManager.default.isExecutableFile(atPath: script.path) else {
            throw XCTSkip("util-linux script not found: no terminal to test colour on")
        }
        // `script` gives migcheck a terminal as standard output, the one place colour is used.
        func coloured(_ noColor: String?) throws -> Bool {
            let result = try run(["-q", "-e", "-c", "'\(binary.path)' rules", "/dev/null"], executable: script, environment: ["NO_COLOR": noColor])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertTrue(result.stdout.contains("MIG013"), result.stdout)
            return result.stdout.contains("\u{1B}[")
        }
        XCTAssertTrue(try coloured(nil), "a terminal without NO_COLOR gets colour (else this test proves nothing)")
        XCTAssertFalse(try coloured(""), "NO_COLOR set but empty still turns colour off")
        XCTAssertFalse(try coloured("1"))
    }
}
