import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// The policy file is read as strictly as the plan: every value typed and ranged, every path
/// able to match, every suppression aimed at something, every error `FILE:LINE:COL: error:`.
final class PolicyValidationTests: XCTestCase {
    /// Reading `text` fails at `line`:`column` with a message containing `contains`.
    private func assertRefused(_ text: String, at line: Int, _ column: Int, _ contains: String,
                               file: StaticString = #filePath, sourceLine: UInt = #line) {
        XCTAssertThrowsError(try PolicyReader.read(text: text, file: "migcheck.json"), text, file: file, line: sourceLine) { error in
            guard let error = error as? InputError else { return XCTFail("not an InputError: \(error)", file: file, line: sourceLine) }
            XCTAssertTrue(error.description.hasPrefix("migcheck.json:\(line):\(column): error: "), "\(text): \(error.description)",
                          file: file, line: sourceLine)
            XCTAssertTrue(error.message.contains(contains), "\(text): \(error.message)", file: file, line: sourceLine)
        }
    }

    private func assertAccepted(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNoThrow(try PolicyReader.read(text: text), text, file: file, line: line)
    }

    /// `{"policyVersion":1,` then `body`: columns in the body start at 20.
    private func policy(_ body: String) -> String { "{\"policyVersion\":1," + body + "}" }

    private func rotationDays(_ value: String) -> String {
        policy("\"rules\":{\"MIG006\":{\"parameters\":{\"minimumRotationDays\":\(value)}}}")
    }

    func testMinimumRotationDaysIsAWholeNumberOfDaysFromOneTo1000() {
        // Column 75: the value after `"minimumRotationDays":`.
        for bad in ["-5", "0", "10.5", "400.0", "4e2", "1001", "\"400\""] {
            assertRefused(rotationDays(bad), at: 1, 75, "minimumRotationDays: expected a whole number of days from 1 to 1000")
        }
        for good in ["1", "400", "1000"] {
            assertAccepted(rotationDays(good))
        }
        XCTAssertEqual(try PolicyReader.read(text: rotationDays("30")).rules["MIG006"]?.parameters["minimumRotationDays"], .number("30"))
    }

    /// Every parameter a rule declares is typed and ranged, and its default passes that check.
    func testEveryRuleParameterHasAKindAndItsDefaultPasses() throws {
        for description in RuleRegistry.descriptions + RuleRegistry.readinessDescriptions {
            for (name, value) in description.parameters {
                XCTAssertNotNil(PolicySyntax.parameterKinds[name], "\(description.id).\(name) has no kind in PolicySyntax.parameterKinds")
                let text = policy("\"rules\":{\"\(description.id)\":{\"parameters\":{\"\(name)\":\(value.serialized)}}}")
                XCTAssertEqual(try PolicyReader.read(text: text).rules[description.id]?.parameters[name], value)
            }
        }
    }

    /// MIG016's maximum age is whole hours; MIG017's planned window is null or ISO 8601 with an offset.
    func testReadinessParametersAreTypedAndRanged() throws {
        func age(_ value: String) -> String { policy("\"rules\":{\"MIG016\":{\"parameters\":{\"maximumSnapshotAgeHours\":\(value)}}}") }
        // Column 79: the value after `"maximumSnapshotAgeHours":`.
        for bad in ["0", "-1", "1.5", "8761", "\"24\"", "null"] {
            assertRefused(age(bad), at: 1, 79, "maximumSnapshotAgeHours: expected a whole number of hours from 1 to 8760")
        }
        XCTAssertEqual(try PolicyReader.read(text: age("48")).rules["MIG016"]?.parameters["maximumSnapshotAgeHours"], .number("48"))
        func end(_ value: String) -> String { policy("\"rules\":{\"MIG017\":{\"parameters\":{\"plannedEnd\":\(value)}}}") }
        // Column 66: the value after `"plannedEnd":`.
        for bad in ["\"2026-12-04\"", "\"2026-12-04T18:00:00\"", "\"2026-13-01T00:00:00Z\"", "1795176000", "true"] {
            assertRefused(end(bad), at: 1, 66, "plannedEnd: expected null (not planned) or an instant as ISO 8601 with its offset")
        }
        for good in ["null", "\"2026-12-04T18:00:00Z\"", "\"2026-12-04T19:00:00+01:00\""] { assertAccepted(end(good)) }
        XCTAssertEqual(try PolicyReader.read(text: end("null")).rules["MIG017"]?.parameters["plannedEnd"], .null)
        assertRefused(policy("\"rules\":{\"MIG017\":{\"parameters\":{\"plannedFinish\":null}}}"), at: 1, 53, "unknown key \"plannedFinish\"")
        // A readiness rule is configured like a plan rule; the built-in policy lists every one.
        let disabled = try PolicyReader.read(text: policy("\"rules\":{\"MIG018\":{\"enabled\":false}}"))
        XCTAssertEqual(disabled.rules["MIG018"]?.enabled, false)
        XCTAssertEqual(Policy.builtInDefault.rules.keys.sorted(), (RuleRegistry.descriptions + RuleRegistry.readinessDescriptions).map(\.id))
    }

    func testListParametersHoldAddressesAndMarkers() {
        let prefix = "\"rules\":{\"MIG011\":{\"parameters\":{\"migrationOnlyAddresses\":"
        assertRefused(policy(prefix + "[\"module.dms\", 7]}}}"), at: 1, 93, "expected a resource or module address")
        assertRefused(policy(prefix + "[\"\"]}}}"), at: 1, 79, "expected a resource or module address")
        assertRefused(policy(prefix + "[\"module.dms.*\"]}}}"), at: 1, 79, "globs are not supported")
        assertRefused(policy(prefix + "\"module.dms\"}}}"), at: 1, 78, "expected an array of strings")
        assertAccepted(policy(prefix + "[\"module.dms\", \"aws_ecs_service.prep\", \"module.a[\\\"k\\\"].aws_s3_bucket.b\"]}}}"))
        let markers = "\"rules\":{\"MIG011\":{\"parameters\":{\"schemaPrepMarkers\":"
        assertRefused(policy(markers + "[\"SERVER_TYPE\"]}}}"), at: 1, 74, "NAME=value")
        assertRefused(policy(markers + "[\"=none\"]}}}"), at: 1, 74, "NAME=value")
        assertAccepted(policy(markers + "[\"SERVER_TYPE=none\", \"ROLE=\"]}}}"))
        let ignored = "\"rules\":{\"MIG012\":{\"parameters\":{\"ignoreAddresses\":"
        assertRefused(policy(ignored + "[true]}}}"), at: 1, 72, "expected a resource or module address")
    }

    func testPolicyVersionIsRequired() {
        assertRefused("{\"phase\":\"prepare\"}", at: 1, 1, "missing \"policyVersion\"")
        assertRefused("{}", at: 1, 1, "missing \"policyVersion\"")
        for written in ["\"1\"", "1.0", "1e0"] {
            assertRefused("{\"policyVersion\":\(written)}", at: 1, 18, "expected policyVersion 1")
        }
        assertAccepted("{\"policyVersion\":1}")
    }

    func testSourceAndTargetNameTwoDifferentClusters() {
        assertRefused(policy("\"source\":\"aws_rds_cluster.a\",\"target\":\"aws_rds_cluster.a\""), at: 1, 58,
                      "\"target\" names the same cluster as \"source\"")
        assertRefused(policy("\"source\":\"\""), at: 1, 29, "expected an aws_rds_cluster address")
        assertRefused(policy("\"target\":\"aws_rds_cluster_instance.a\""), at: 1, 29, "expected an aws_rds_cluster address")
        assertRefused(policy("\"target\":\"aws_rds_cluster.*\""), at: 1, 29, "expected an aws_rds_cluster address")
        assertAccepted(policy("\"source\":\"module.old.aws_rds_cluster.this[0]\",\"target\":\"aws_rds_cluster.core\""))
    }

    private func assertion(_ fields: String) -> String {
        policy("\"assertions\":[{\"id\":\"ORG001\",\"title\":\"t\",\"resourceType\":\"aws_rds_cluster\"," + fields + "}]")
    }

    /// Column of the attribute's value in `assertion(...)` when `attribute` comes first.
    private let attributeColumn = 106

    func testAssertionAttributesArePathsThatCanMatch() {
        let refused: [(path: String, contains: String)] = [
            ("", "a non-empty path"),
            ("rotation_rules.0", "write a list element as rotation_rules[0]"),
            (".engine", "an empty step"),
            ("engine.", "an empty step"),
            ("master_user_secret..secret_arn", "an empty step"),
            ("[0].secret_arn", "must start with an attribute name"),
            ("rotation_rules[", "unclosed ["),
            ("rotation_rules[]", "an empty step"),
            ("rotation_rules[-1]", "an index is a whole number"),
            ("rotation_rules]", "unexpected ]"),
            ("tags[\"Name]", "unclosed ["),
            ("tags[\"Name\"]x", "expected . or [ after ]"),
            ("tags[Name]", "write a map key in quotes"),
        ]
        for (path, contains) in refused {
            let attribute = JSONLiteral.string(path).serialized
            assertRefused(assertion("\"attribute\":\(attribute),\"equals\":1"), at: 1, attributeColumn, contains)
        }
        for path in ["engine", "rotation_rules[0].schedule_expression", "tags[\"Name\"]", "tags.Name", "tags[\"kubernetes.io/role\"]",
                     "master_user_secret[0].kms-key_id"] {
            assertAccepted(assertion("\"attribute\":\(JSONLiteral.string(path).serialized),\"equals\":1"))
        }
    }

    func testQuotedMapKeysMatchLikeTerraformWritesThem() throws {
        let policy = try PolicyReader.read(text: assertion("\"attribute\":\"tags[\\\"team\\\"]\",\"equals\":\"data\",\"role\":\"target\""))
        let plan = MigrationExamples.healthy(.prepare).setting(MigrationExamples.target, "tags", to: ["team": "data"])
        let picture = try PictureBuilder.build(try XCTUnwrap(TerraformReader.read(text: plan.planJSON).first))
        let findings = Evaluator.evaluate(picture, phase: .prepare, policy: policy).findings.filter { $0.ruleID == "ORG001" }
        XCTAssertEqual(findings, [], "tags[\"team\"] is \"data\"")
    }

    /// A path the grammar allows can still miss the value's shape: that is said, not reported as unset.
    func testAPathThatMissesTheValuesShapeSaysSo() throws {
        let policy = try PolicyReader.read(text: self.policy("""
        "assertions":[{"id":"ORG001","title":"t","resourceType":"aws_secretsmanager_secret_rotation","role":"target",
                       "attribute":"rotation_rules.schedule_expression","equals":"rate(400 days)"},
                      {"id":"ORG002","title":"t","resourceType":"aws_secretsmanager_secret_rotation","role":"target",
                       "attribute":"rotation_rules[0].schedule_expression","equals":"rate(400 days)"}]
        """))
        let picture = try PictureBuilder.build(try XCTUnwrap(TerraformReader.read(text: MigrationExamples.healthy(.prepare).planJSON).first))
        let findings = Evaluator.evaluate(picture, phase: .prepare, policy: policy).findings.filter { $0.ruleID.hasPrefix("ORG") }
        XCTAssertEqual(findings.map(\.ruleID), ["ORG001"], "\(findings)")
        let message = try XCTUnwrap(findings.first?.message)
        XCTAssertTrue(message.contains("rotation_rules is a list, so a step .schedule_expression never matches; write rotation_rules[0]"),
                      message)
        XCTAssertEqual(findings.first?.kind, .fail)
    }

    func testComparisonsAreKnownAndNonEmpty() {
        assertRefused(assertion("\"attribute\":\"engine\",\"oneOf\":[]"), at: 1, 123, "oneOf: expected a non-empty array")
        assertRefused(assertion("\"attribute\":\"engine\",\"greaterThan\":1"), at: 1, 115, "unknown key \"greaterThan\"")
        assertRefused(assertion("\"attribute\":\"engine\",\"atLeast\":\"5\""), at: 1, 125, "expected a number")
    }

    func testAssertionFieldsThatCanNeverMatchAreRefused() {
        let base = "\"attribute\":\"engine\",\"equals\":1"
        assertRefused(policy("\"assertions\":[{\"id\":\"ORG001\",\"title\":\" \",\"resourceType\":\"aws_rds_cluster\"," + base + "}]"),
                      at: 1, 57, "a non-empty title")
        assertRefused(policy("\"assertions\":[{\"id\":\"ORG001\",\"title\":\"t\",\"resourceType\":\"\"," + base + "}]"),
                      at: 1, 76, "expected a Terraform resource type")
        assertRefused(policy("\"assertions\":[{\"id\":\"ORG001\",\"title\":\"t\",\"resourceType\":\"AWS RDS\"," + base + "}]"),
                      at: 1, 76, "expected a Terraform resource type")
        // A role narrows the subjects to the cluster and what hangs off it: other types never match.
        assertRefused(policy("\"assertions\":[{\"id\":\"ORG001\",\"title\":\"t\",\"resourceType\":\"aws_s3_bucket\",\"role\":\"target\"," + base + "}]"),
                      at: 1, 76, "a role's resources are aws_rds_cluster")
    }

    func testSuppressionAddressesAreExactAddressesNotGlobs() {
        func suppression(_ address: String) -> String {
            policy("\"suppressions\":[{\"rule\":\"MIG005\",\"address\":\(JSONLiteral.string(address).serialized),\"reason\":\"r\",\"expires\":\"2099-01-01\"}]")
        }
        // Column 63: the address value.
        assertRefused(suppression("aws_rds_cluster_instance.core[*]"), at: 1, 63, "globs are not supported")
        assertRefused(suppression("aws_rds_cluster.*"), at: 1, 63, "globs are not supported")
        assertRefused(suppression("module.db.*"), at: 1, 63, "globs are not supported")
        assertRefused(suppression(""), at: 1, 63, "expected a resource address")
        assertRefused(suppression("legacy"), at: 1, 63, "expected a resource address")
        assertAccepted(suppression("aws_rds_cluster_instance.core[\"a*b\"]"))
        assertAccepted(suppression("module.db[0].aws_rds_cluster.this"))
    }

    func testSuppressionsMayNameTheFilesOwnAssertions() throws {
        let text = policy("""
        "suppressions":[{"rule":"ORG001","reason":"accepted","expires":"2099-01-01"}],
        "assertions":[{"id":"ORG001","title":"t","resourceType":"aws_rds_cluster","attribute":"engine","equals":"x"}]
        """)
        XCTAssertEqual(try PolicyReader.read(text: text).suppressions.map(\.rule), ["ORG001"])
        assertRefused(policy("\"suppressions\":[{\"rule\":\"ORG002\",\"reason\":\"r\",\"expires\":\"2099-01-01\"}]"), at: 1, 44,
                      "unknown rule \"ORG002\"")
    }

    // MARK: - The policy file itself

    func testAMissingPolicyOrADirectoryIsNamedAsThePolicy() throws {
        let missing = "/nonexistent-\(UUID().uuidString)/migcheck.json"
        XCTAssertThrowsError(try PolicyReader.read(path: missing)) { error in
            XCTAssertEqual((error as? InputError)?.description, "\(missing):1:1: error: policy file not found")
        }
        let directory = try MigCheckBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        XCTAssertThrowsError(try PolicyReader.read(path: directory.path)) { error in
            let line = (error as? InputError)?.description ?? "\(error)"
            XCTAssertTrue(line.hasPrefix("\(directory.path):1:1: error: is a directory, not a policy file"), line)
        }

    }
}
