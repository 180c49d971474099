import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckTestSupport

/// The AWS CLI evidence reader on the recorded fixtures (Fixtures/evidence) and on bad input.
final class EvidenceReaderTests: XCTestCase {
    func testEveryRecordedFileReadsAsTheKindItsNameSays() throws {
        let scenarios = try FileManager.default.contentsOfDirectory(atPath: EvidenceFixtures.root.path).filter { !$0.hasSuffix(".md") }.sorted()
        XCTAssertEqual(scenarios, ["cleanup-gate", "cleanup-ready", "cutover-checked", "cutover-gate", "cutover-ready", "drifted",
                                   "errored-tables", "failed-task", "members-degraded", "pending-reboot", "secret-rotated",
                                   "snapshot-not-ready"])
        var count = 0
        for scenario in scenarios {
            for document in try EvidenceFixtures.scenario(scenario) {
                let name = URL(fileURLWithPath: document.file).lastPathComponent
                let command = String(name.prefix { $0 != "." })
                XCTAssertEqual(document.kind?.rawValue, command, "\(scenario)/\(name)")
                count += 1
            }
        }
        XCTAssertEqual(count, 131)
    }

    func testRecordedFactsCarryTheirValuesAndPositions() throws {
        let documents = try EvidenceFixtures.scenario("cutover-gate")
        guard case .clusters(let clusters)? = documents.first(where: { $0.file.hasSuffix("/describe-db-clusters.json") })?.content,
              let source = clusters.first else { return XCTFail("no source cluster") }
        XCTAssertEqual(source.identifier, "app-production-aurora")
        XCTAssertEqual(source.members.map(\.instance), ["app-production-aurora-1", "app-production-aurora-2"])
        XCTAssertEqual(source.members.map(\.parameterGroupStatus), ["in-sync", "in-sync"])
        XCTAssertEqual(source.members.map(\.isWriter), [true, false])
        XCTAssertEqual(source.deletionProtection, true)
        XCTAssertEqual(source.location.start, SourcePosition(line: 3, column: 9))
        XCTAssertEqual(source.members[1].location.start.line, 35)
        guard case .tasks(let tasks)? = documents.first(where: { $0.kind == .replicationTasks })?.content, let task = tasks.first
        else { return XCTFail("no task") }
        XCTAssertEqual(task.status, "running")
        XCTAssertEqual(task.migrationType, "full-load-and-cdc")
        XCTAssertEqual(task.fullLoadProgressPercent, 100)
        XCTAssertNil(task.fullLoadFinished, "moto ends no full load while the task runs")
        guard case .instances(let instances)? = documents.first(where: { $0.kind == .dbInstances })?.content else {
            return XCTFail("no instances")
        }
        XCTAssertEqual(instances.map(\.identifier), ["app-production-aurora-1", "app-production-aurora-2",
                                                      "app-production-core-primary-1", "app-production-core-primary-2"])
        XCTAssertEqual(instances.map(\.status), ["available", "available", "available", "available"])
        XCTAssertEqual(instances.map(\.engineVersion), ["16.4", "16.4", "16.4", "16.4"])
        XCTAssertEqual(instances.map(\.cluster), ["app-production-aurora", "app-production-aurora", "app-production-core", "app-production-core"])
        XCTAssertEqual(instances[1].location.start, SourcePosition(line: 57, column: 9))
        XCTAssertEqual(task.started, EvidenceInstant(seconds: 1_795_166_040, nanoseconds: 250_000_000))
        guard case .failed(let failure)? = documents.first(where: { $0.kind == .tableStatistics })?.content else {
            return XCTFail("describe-table-statistics.error.txt should read as a failed call")
        }
        XCTAssertEqual(failure.code, "500")
        XCTAssertTrue(failure.message.hasPrefix("An error occurred (500) when calling the DescribeTableStatistics operation"))
    }

    func testTimestampsInEveryFormTheCLIPrints() {
        let nine = EvidenceInstant(seconds: 1_795_165_200)
        XCTAssertEqual(EvidenceInstant.iso8601("2026-11-20T09:00:00Z"), nine)
        XCTAssertEqual(EvidenceInstant.iso8601("2026-11-20T09:00:00.000000Z"), nine)
        XCTAssertEqual(EvidenceInstant.iso8601("2026-11-20T09:00:00+00:00"), nine)
        XCTAssertEqual(EvidenceInstant.iso8601("2026-11-20T10:30:00+01:30"), nine)
        XCTAssertEqual(EvidenceInstant.iso8601("2026-11-20T04:00:00-05:00"), nine)
        XCTAssertEqual(EvidenceInstant.iso8601("2026-11-20T09:00:00.123456789+00:00"), EvidenceInstant(seconds: 1_795_165_200, nanoseconds: 123_456_789))
        XCTAssertEqual(EvidenceInstant.epoch("1795165200"), nine)
        XCTAssertEqual(EvidenceInstant.epoch("1795165200.25"), EvidenceInstant(seconds: 1_795_165_200, nanoseconds: 250_000_000))
        XCTAssertEqual(EvidenceInstant.iso8601("2024-02-29T00:00:00Z")?.description, "2024-02-29T00:00:00Z")
        XCTAssertEqual(nine.description, "2026-11-20T09:00:00Z")
        for bad in ["2026-11-20T09:00:00", "2026-11-20", "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-20T24:00:00Z",
                    "2026-11-20T09:00:00.Z", "2026-11-20T09:00:00+0100", "x026-11-20T09:00:00Z", "2026-11-20T09:00:00Zjunk"] {
            XCTAssertNil(EvidenceInstant.iso8601(bad), bad)
        }
        for bad in ["-1", "1e9", "1.", ".5", "123456789012", ""] { XCTAssertNil(EvidenceInstant.epoch(bad), bad) }
        XCTAssertEqual(nine.seconds(until: EvidenceInstant(seconds: 1_795_165_260, nanoseconds: 1)), 60)
        XCTAssertEqual(EvidenceInstant(seconds: 10, nanoseconds: 5).seconds(until: EvidenceInstant(seconds: 20, nanoseconds: 4)), 9)
    }

    private func assertBad(_ text: String, _ expected: String, line: Int, column: Int, file: StaticString = #filePath, testLine: UInt = #line) {
        XCTAssertThrowsError(try EvidenceReader.read(text: text, file: "e.json"), file: file, line: testLine) { error in
            guard let error = error as? InputError else { return XCTFail("\(error)", file: file, line: testLine) }
            XCTAssertEqual(error.position, SourcePosition(line: line, column: column), error.description, file: file, line: testLine)
            XCTAssertTrue(error.description.contains(expected), error.description, file: file, line: testLine)
            XCTAssertTrue(error.description.hasPrefix("e.json:\(line):\(column): error: "), error.description, file: file, line: testLine)
        }
    }

    func testBadAndPartialEvidenceIsOneLineWithItsPosition() {
        assertBad("{\"DBClusters\": [{\"DBClusterIdentifier\": 7}]}", "DBClusters[0].DBClusterIdentifier: expected a string, found a number",
                  line: 1, column: 41)
        assertBad("{\"DBClusters\": [\n  {\"Status\": \"available\"}]}", "DBClusters[0] has no DBClusterIdentifier", line: 2, column: 3)
        assertBad("{\"DBClusters\": {}}", "DBClusters: expected an array, found an object", line: 1, column: 16)
        assertBad("{\"ReplicationTasks\": [{\"ReplicationTaskArn\": \"a\", \"ReplicationTaskStats\": {\"FullLoadFinishDate\": \"yesterday\"}}]}",
                  "ReplicationTasks[0].ReplicationTaskStats.FullLoadFinishDate: expected an ISO 8601 timestamp", line: 1, column: 98)
        assertBad("{\"format_version\": \"1.2\"}", "not AWS CLI evidence migcheck reads", line: 1, column: 1)
        assertBad("[]", "expected a JSON object at the top", line: 1, column: 1)
        assertBad("{\"DBInstances\": [}", "expected", line: 1, column: 18)
        assertBad("", "expected a JSON document", line: 1, column: 1)
    }

    func testErrorResponsesAndEmptyListsAreEvidenceNotErrors() throws {
        let response = try EvidenceReader.read(text: #"{"Error": {"Code": "AccessDenied", "Message": "not allowed"}}"#, file: "e.json")
        guard case .failed(let failure) = response.content else { return XCTFail("\(response.content)") }
        XCTAssertEqual(failure.code, "AccessDenied")
        XCTAssertTrue(response.isEmpty)
        let text = try EvidenceReader.read(text: "\nAn error occurred (DBClusterNotFoundFault) when calling the DescribeDBClusters operation: "
            + "DBCluster app-production-aurora not found.\n", file: "e.json")
        XCTAssertEqual(text.kind, .dbClusters)
        XCTAssertTrue(text.isEmpty)
        let empty = try EvidenceReader.read(text: #"{"ReplicationTasks": []}"#, file: "e.json")
        XCTAssertEqual(empty.kind, .replicationTasks)
        XCTAssertTrue(empty.isEmpty)
    }

    /// Every sensitive field of the fixtures holds a canary; no decoded fact carries one.
    func testSensitiveValuesAreDroppedAtReadTime() throws {
        var canaries = 0
        for scenario in ["cutover-ready", "pending-reboot"] {
            let directory = EvidenceFixtures.root.appendingPathComponent(scenario)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
                let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                canaries += text.components(separatedBy: "CANARY").count - 1
            }
            let read = try EvidenceFixtures.scenario(scenario)
            XCTAssertFalse(String(describing: read).contains("CANARY"), scenario)
        }
        XCTAssertEqual(canaries, 2 + 4, "two endpoint passwords each; two master passwords in pending-reboot")
        let planted = try EvidenceReader.read(text: #"{"Endpoints": [{"EndpointArn": "a", "Password": "CANARY-1", "ServerName": "CANARY-ok", "#
            + #""PostgreSQLSettings": {"Password": "CANARY-2", "SecretsManagerSecretId": "s"}}]}"#, file: "e.json")
        guard case .endpoints(let endpoints) = planted.content else { return XCTFail() }
        XCTAssertEqual(endpoints.first?.secretID, "s")
        XCTAssertFalse(String(describing: planted).contains("CANARY-1"))
        XCTAssertFalse(String(describing: planted).contains("CANARY-2"))
    }
}
