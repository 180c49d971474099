import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckCLI
@testable import MigCheckTestSupport

/// The README's quick start runs as shown: every command line of its Quick start block that
/// starts `migcheck `, with a shipped fixture in place of `plan.json`, exits 0 or 1, never 2.
final class ReadmeQuickStartTests: XCTestCase {
    /// The shipped plan that stands in for `plan.json`; the `--source`/`--target` example names its clusters.
    static let fixture = "Fixtures/full-load/plan.json"

    /// The lines of the README's Quick start code block that start `migcheck `, comments removed.
    static func quickStartCommands() throws -> [String] {
        let readme = try String(contentsOf: PackagePaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.components(separatedBy: "\n")
        guard let heading = lines.firstIndex(of: "## Quick start"),
              let open = lines[heading...].firstIndex(where: { $0.hasPrefix("```") }),
              let close = lines[(open + 1)...].firstIndex(where: { $0.hasPrefix("```") }) else {
            XCTFail("README.md has no Quick start code block")
            return []
        }
        return lines[(open + 1)..<close].filter { $0.hasPrefix("migcheck ") }.map { line in
            let command = line.range(of: " #").map { String(line[..<$0.lowerBound]) } ?? line
            return command.trimmingCharacters(in: .whitespaces)
        }
    }

    func testEveryQuickStartCommandRunsAgainstAShippedFixture() throws {
        let commands = try Self.quickStartCommands()
        XCTAssertGreaterThanOrEqual(commands.count, 8, "the Quick start block should hold the migcheck examples: \(commands)")
        XCTAssertTrue(commands.contains { $0.contains("--source ") && $0.contains("--target ") }, "the --source/--target example")
        let directory = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // `--source-dir infra`: the Terraform directory beside the plan, as in a repository.
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("infra"), withIntermediateDirectories: true)
        let plan = PackagePaths.packageRoot.appendingPathComponent(Self.fixture).path
        for command in commands {
            // Single quotes keep addresses with [index] from the shell's globbing; no word has a space.
            var words = command.split(separator: " ").map { $0.replacingOccurrences(of: "'", with: "") }.dropFirst()
                .map { $0 == "plan.json" ? plan : $0 }
            var redirect: String?
            if let index = words.firstIndex(of: ">"), index + 1 < words.count {
                redirect = words[index + 1]
                words.removeSubrange(index...(index + 1))
            }
            let result = try MigCheckBinary.run(words, in: directory)
            XCTAssertTrue(result.status == 0 || result.status == 1, "`\(command)` exited \(result.status): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("error:"), "`\(command)`: \(result.stderr)")
            XCTAssertFalse(result.stdout.isEmpty, "`\(command)` printed nothing")
            if let redirect {
                XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)), "`\(command)` should print the \(redirect) JSON")
            }
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("migcheck.xml").path),
                      "the --output junit=migcheck.xml example writes its report")
    }
}
