import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckTestSupport

/// `docs/json-report.schema.json` describes the JSON report as emitted: every shipped fixture's
/// report, a document with no migration in it and the hostile synthetic evaluation validate
/// against it, and since every object of the schema is closed, a field the report gains without
/// the schema documenting it fails here.
final class JSONReportSchemaTests: XCTestCase {
    private static let validator = """
    import json, sys, jsonschema
    schema = json.load(open(sys.argv[1]))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    failed = 0
    for path in sys.argv[2:]:
        errors = list(validator.iter_errors(json.load(open(path))))
        failed += bool(errors)
        for error in errors[:10]: print(path, list(error.absolute_path), error.message[:300])
    print(len(sys.argv) - 2, "reports checked,", failed, "invalid")
    sys.exit(1 if failed else 0)
    """

    private func packageRoot() throws -> URL {
        try XCTUnwrap(PackagePaths.root, "no Package.swift above \(#filePath)")
    }

    /// Every plan and state under `Fixtures/` (not the expected reports, not the tools' inputs).
    private func fixtureFiles() throws -> [URL] {
        let fixtures = try packageRoot().appendingPathComponent("Fixtures")
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(at: fixtures, includingPropertiesForKeys: nil))
        var files: [URL] = []
        for case let url as URL in enumerator {
            let relative = url.path.dropFirst(fixtures.path.count + 1)
            guard !relative.hasPrefix("expected/"), !relative.hasPrefix("tools/"), !relative.hasPrefix("evidence/") else { continue }
            if url.pathExtension == "json" || url.pathExtension == "tfstate" { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }

    private func evaluations(of file: URL) throws -> [Evaluation] {
        try TerraformReader.read(path: file.path).map { document in
            Evaluator.evaluate(try PictureBuilder.build(document), phase: nil, policy: ReportFixtures.policy, today: ReportFixtures.today)
        }
    }

    func testTheJSONReportsOfEveryFixtureAndOfNoMigrationMatchTheSchema() throws {
        try ExternalTools.requirePython(modules: ["jsonschema"])
        let schema = try packageRoot().appendingPathComponent("docs/json-report.schema.json")
        var reports: [URL] = []
        var all: [Evaluation] = []
        let files = try fixtureFiles()
        XCTAssertGreaterThanOrEqual(files.count, 30, "the shipped fixtures were not found")
        for (index, file) in files.enumerated() {
            let evaluations = try evaluations(of: file)
            all += evaluations
            let input = ReportFixtures.input(evaluations, failOn: index.isMultiple(of: 2) ? .error : .warning)
            reports.append(try ReportFixtures.temporaryFile("schema-\(index).json", Reports.render(.json, input)))
        }
        let noMigration = try XCTUnwrap(NoMigrationTests.evaluations(TerraformSamples.terraformDataPlan, file: "stack/plan.json").first)
        XCTAssertFalse(noMigration.isMigration)
        let extra: [(String, [Evaluation])] = [
            ("no-migration", [noMigration]),
            ("all-fixtures", all + [noMigration]),
            ("synthetic", [try ReportFixtures.syntheticEvaluation()]),
        ]
        for (name, evaluations) in extra {
            reports.append(try ReportFixtures.temporaryFile("schema-\(name).json", Reports.render(.json, ReportFixtures.input(evaluations))))
        }
        let result = try XCTUnwrap(ExternalTools.run(["python3", "-c", Self.validator, schema.path] + reports.map(\.path)))
        XCTAssertEqual(result.status, 0, result.output)
    }

    func testTheSchemaIsClosed() throws {
        let schema = try packageRoot().appendingPathComponent("docs/json-report.schema.json")
        let text = try String(contentsOf: schema, encoding: .utf8)
        XCTAssertTrue(text.contains("\"$schema\": \"https://json-schema.org/draft/2020-12/schema\""))
        XCTAssertFalse(text.contains("\"additionalProperties\": true"))
        let objects = text.components(separatedBy: "\"type\": \"object\"").count - 1
        let closed = text.components(separatedBy: "\"additionalProperties\": false").count - 1
        XCTAssertEqual(objects, closed, "every object of the JSON report is closed: a new field is documented first")
    }
}
