import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckTestSupport

/// Reads the 60 real plan/state files other projects published (`../shared/fixtures/public`,
/// described in its SOURCES.md) and checks migcheck against counts and addresses worked out
/// independently here with Foundation's JSONSerialization.
final class PublicFixturesTests: XCTestCase {

    // MARK: - The table: every file in the folder and what reading it must give

    enum Outcome: Sendable {
        /// One document of this kind; instance counts and addresses are compared with the
        /// independent count. `note`: a substring one of the document's notes must contain.
        case reads(DocumentKind, note: String? = nil)
        /// A stream of `count` documents (one JSON value per line), each of `kind`, each with `note`.
        case stream(count: Int, DocumentKind, note: String)
        /// Rejected with an InputError whose message contains every substring, at this line and column.
        case rejected([String], at: SourcePosition)
    }

    static let table: [(file: String, outcome: Outcome)] = [
        ("Halimer__opa-oci-cis-benchmark-rules/tfplan.json", .reads(.plan)),
        ("Halimer__opa-oci-cis-benchmark-rules/tfplan_large.json", .reads(.plan)),
        ("aquasecurity__trivy/pkg__iac__scanners__terraformplan__tfjson__testdata__module_call.json", .reads(.plan)),
        ("arnoutc-arch__dms-terraform-project/terraform.tfstate", .reads(.tfstate)),
        ("awakchaure99__tf-opa-aws-secretmanager/tfplan.json", .reads(.plan)),
        ("borchero__terraform-plan-comment/tests__fixtures__basic__1-modify__plan.json", .reads(.plan)),
        ("borchero__terraform-plan-comment/tests__fixtures__basic__3-remove__plan.json", .reads(.plan)),
        ("borchero__terraform-plan-comment/tests__fixtures__basic__6-terragrunt-multiplan__plan.json",
         .stream(count: 3, .plan, note: "holds 3 JSON documents, one per line")),
        ("borchero__terraform-plan-comment/tests__fixtures__basic__7-create-hundreds__plan.json", .reads(.plan)),
        ("borchero__terraform-plan-comment/tests__fixtures__import__0-import__plan.json", .reads(.plan)),
        ("borchero__terraform-plan-comment/tests__fixtures__move__1-move__plan.json", .reads(.plan)),
        ("bridgecrewio__checkov/tests__common__runner_registry__plan_with_for_each_for_enrichment__tf_plan.json", .reads(.plan)),
        ("bridgecrewio__checkov/tests__terraform__checks__data__aws__example_GithubActionsOIDCTrustPolicy__tfplan.json", .reads(.plan)),
        ("bridgecrewio__checkov/tests__terraform__checks__resource__aws__example_SecretManagerSecretEncrypted__tfplan.json", .reads(.plan)),
        ("bridgecrewio__checkov/tests__terraform__parser__resources__plan_encodings__tfplan_win_utf16.json",
         .reads(.plan, note: "is UTF-16LE with a byte-order mark")),
        ("bridgecrewio__checkov/tests__terraform__parser__resources__plan_vpc_endpoint__tfplan.json",
         .rejected(["missing format_version", "terraform show -json tfplan"], at: SourcePosition(line: 1, column: 1))),
        // A state under a plan's name: read as what it is (and refused with --input plan, see below).
        ("bridgecrewio__checkov/tests__terraform__runner__resources__plan__corrupted-tfplan.json", .reads(.state)),
        ("bridgecrewio__checkov/tests__terraform__runner__resources__plan__tfplan.json", .reads(.plan)),
        ("bridgecrewio__checkov/tests__terraform__runner__resources__plan_with_deleted_resources__tfplan.json", .reads(.plan)),
        ("dineshba__tf-summarize/example__tfplan.json", .reads(.plan)),
        ("fugue__regula/pkg__loader__test_inputs__data__tfplan.0.15.json", .reads(.plan)),
        ("fugue__regula/rego__tests__rules__tf__aws__cloudtrail__inputs__issue355_infra.json", .reads(.plan)),
        // Despite its name, a standard show -json plan (format 1.2) with an extra provider_schemas.
        ("hashicorp__terraform/internal__cloud__testdata__plan-import-config-gen__plan-redacted.json", .reads(.plan)),
        ("hashicorp__terraform/internal__cloud__testdata__plan-json-full__plan-redacted.json",
         .rejected(["HCP Terraform redacted plan", "plan_format_version", "terraform show -json tfplan"], at: SourcePosition(line: 1, column: 24))),
        ("hashicorp__terraform/internal__command__testdata__show-json-state__modules__output.json", .reads(.state)),
        ("hashicorp__terraform/internal__command__testdata__show-json-state__modules__terraform.tfstate", .reads(.tfstate)),
        ("hashicorp__terraform/internal__command__testdata__show-json__conditions__output.json", .reads(.plan)),
        ("hashicorp__terraform/internal__command__testdata__show-json__drift__output.json", .reads(.plan)),
        ("hashicorp__terraform/internal__command__testdata__show-json__modules__output.json", .reads(.plan)),
        ("hashicorp__terraform/internal__command__testdata__show-json__plan-error__output.json",
         .rejected(["the plan failed (errored: true)"], at: SourcePosition(line: 36, column: 16))),
        ("hashicorp__terraform/internal__states__statefile__testdata__roundtrip__v3-simple.in.tfstate",
         .rejected(["legacy version-3 state", "does not read"], at: SourcePosition(line: 2, column: 16))),
        ("hashicorp__terraform/internal__states__statefile__testdata__roundtrip__v4-future.in.tfstate", .reads(.tfstate)),
        ("hashicorp__terraform/testing__equivalence-tests__outputs__drift_relevant_attributes__plan.json", .reads(.plan)),
        ("hashicorp__terraform/testing__equivalence-tests__outputs__fully_populated_complex_update__plan.json", .reads(.plan)),
        ("hashicorp__terraform/testing__equivalence-tests__outputs__fully_populated_complex_update__state.json", .reads(.state)),
        ("hashicorp__terraform/testing__equivalence-tests__outputs__variables_and_outputs__plan.json", .reads(.plan)),
        ("hashicorp__terraform-json/testdata__110_sensitive_values__plan.json", .reads(.plan)),
        ("hashicorp__terraform-json/testdata__110_sensitive_values__state.json", .reads(.state)),
        ("hashicorp__terraform-json/testdata__110_sensitive_values__terraform.tfstate", .reads(.tfstate)),
        ("hashicorp__terraform-json/testdata__120_basic__plan.json", .reads(.plan)),
        ("hashicorp__terraform-json/testdata__action_reason__plan.json", .reads(.plan)),
        ("hashicorp__terraform-json/testdata__actions__plan.json", .reads(.plan)),
        ("hashicorp__terraform-json/testdata__has_checks__plan.json", .reads(.plan)),
        ("hashicorp__terraform-json/testdata__has_checks__state.json", .reads(.state)),
        ("hashicorp__terraform-json/testdata__identity__plan.json", .reads(.plan)),
        ("hashicorp__terraform-json/testdata__identity__state.json", .reads(.state)),
        // Unbalanced braces close the top-level object early; the `,` after them is at 676:29.
        ("hashicorp__terraform-json/testdata__invalid__plan.json",
         .rejected(["expected end of file after the JSON document"], at: SourcePosition(line: 676, column: 29))),
        ("hashicorp__terraform-json/testdata__numerics__plan.json", .reads(.plan)),
        ("infracost__infracost/cmd__infracost__testdata__plan_with_terraform_wrapper.json",
         .rejected(["[command]", "setup-terraform", "terraform_wrapper: false"], at: SourcePosition(line: 1, column: 1))),
        ("infracost__infracost/cmd__infracost__testdata__terraform_v0.14_plan.json", .reads(.plan)),
        ("infracost__infracost/cmd__infracost__testdata__terraform_v0.14_state.json", .reads(.state)),
        ("opentofu__opentofu/internal__command__testdata__show-json__basic-create__output.json", .reads(.plan)),
        ("opentofu__opentofu/internal__command__testdata__show-json__plan-error__output.json",
         .rejected(["the plan failed (errored: true)"], at: SourcePosition(line: 34, column: 16))),
        ("snyk__driftctl/pkg__iac__terraform__state__test__aws_rds_cluster__terraform.tfstate", .reads(.tfstate)),
        ("snyk__policy-engine/pkg__input__golden_test__tfplan__resource-changes__plan.json", .reads(.plan)),
        ("snyk__policy-engine/pkg__input__golden_test__tfplan__sensitive__plan.json", .reads(.plan)),
        // A raw v4 tfstate under a plan's name.
        ("snyk__policy-engine/pkg__input__golden_test__tfstate__ids-01__plan.json", .reads(.tfstate)),
        ("terraform-compliance__cli/tests__functional__test_issue-438__plan.out.json", .reads(.plan)),
        ("terraform-compliance__cli/tests__functional__test_issue_522__plan.out.json", .reads(.plan)),
        ("terraform-compliance__cli/tests__functional__test_issue_796__plan.out.json", .reads(.plan)),
    ]

    /// Action counts SOURCES.md states by hand, to check the independent counter itself.
    static let actionCountsFromSources: [String: [String: Int]] = [
        "Halimer__opa-oci-cis-benchmark-rules/tfplan.json": ["create": 110, "read": 10],
        "Halimer__opa-oci-cis-benchmark-rules/tfplan_large.json": ["no-op": 141, "update": 2],
        "borchero__terraform-plan-comment/tests__fixtures__basic__1-modify__plan.json": ["delete,create": 2, "no-op": 1],
        "borchero__terraform-plan-comment/tests__fixtures__basic__3-remove__plan.json": ["forget": 1],
        "borchero__terraform-plan-comment/tests__fixtures__basic__7-create-hundreds__plan.json": ["create": 300],
        "bridgecrewio__checkov/tests__terraform__runner__resources__plan_with_deleted_resources__tfplan.json": ["create,delete": 1],
        "infracost__infracost/cmd__infracost__testdata__terraform_v0.14_plan.json": ["create": 12, "no-op": 13, "update": 1],
        "terraform-compliance__cli/tests__functional__test_issue_522__plan.out.json": ["create": 5, "delete": 2, "no-op": 7, "update": 1],
    ]

    // MARK: - Files

    private func fixturesDirectory() throws -> URL {
        try SharedFixtures.publicFixtures()
    }

    private func path(_ file: String) throws -> String {
        try fixturesDirectory().appendingPathComponent(file).path
    }

    private func read(_ file: String, expecting: DocumentKind? = nil) throws -> [TerraformDocument] {
        try TerraformReader.read(path: path(file), expecting: expecting)
    }

    private func readOne(_ file: String) throws -> TerraformDocument {
        let documents = try read(file)
        XCTAssertEqual(documents.count, 1, file)
        return try XCTUnwrap(documents.first)
    }

    func testTableListsEveryFixtureExactlyOnce() throws {
        let directory = try fixturesDirectory()
        var present = Set<String>()
        for relative in try FileManager.default.subpathsOfDirectory(atPath: directory.path) where relative != "SOURCES.md" {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent(relative).path, isDirectory: &isDirectory),
               !isDirectory.boolValue {
                present.insert(relative)
            }
        }
        let listed = Self.table.map(\.file)
        XCTAssertEqual(listed.count, Set(listed).count, "the table lists a file twice")
        let unlisted = present.subtracting(listed).sorted()
        let missing = Set(listed).subtracting(present).sorted()
        XCTAssertTrue(unlisted.isEmpty, "fixtures the table does not list (add them with their expected outcome): \(unlisted)")
        XCTAssertTrue(missing.isEmpty, "the table lists fixtures that are not in \(directory.path): \(missing)")
        XCTAssertEqual(present.count, 60, "SOURCES.md describes 60 files")
    }

    func testEveryFixtureHasItsExpectedOutcome() throws {
        for (file, outcome) in Self.table {
            let fullPath = try path(file)
            guard FileManager.default.fileExists(atPath: fullPath) else { continue } // reported by the test above
            switch outcome {
            case .reads(let kind, let note):
                let documents: [TerraformDocument]
                do {
                    documents = try TerraformReader.read(path: fullPath)
                } catch {
                    XCTFail("\(file): expected to read as \(kind), got \(error)")
                    continue
                }
                XCTAssertEqual(documents.count, 1, file)
                guard let document = documents.first else { continue }
                XCTAssertEqual(document.kind, kind, file)
                XCTAssertNil(document.documentNumber, file)
                if let note {
                    XCTAssertTrue(document.notes.contains { $0.contains(note) }, "\(file): notes \(document.notes) lack \(note)")
                } else {
                    XCTAssertEqual(document.notes, [], file)
                }
                let facts = try Independent.facts(Independent.load(URL(fileURLWithPath: fullPath)), kind: kind)
                compare(document, with: facts, file: file)
                if let stated = Self.actionCountsFromSources[file] {
                    XCTAssertEqual(facts.actionCounts, stated, "\(file): the independent count disagrees with SOURCES.md")
                }
            case .stream(let count, let kind, let note):
                let documents = try TerraformReader.read(path: fullPath)
                XCTAssertEqual(documents.count, count, file)
                let independent = try Independent.loadLines(URL(fileURLWithPath: fullPath))
                XCTAssertEqual(independent.count, count, "\(file): the independent reader splits it differently")
                for (index, (document, json)) in zip(documents, independent).enumerated() {
                    XCTAssertEqual(document.kind, kind, "\(file) #\(index + 1)")
                    XCTAssertEqual(document.documentNumber, index + 1, file)
                    XCTAssertTrue(document.notes.contains { $0.contains(note) }, "\(file): notes \(document.notes) lack \(note)")
                    compare(document, with: try Independent.facts(json, kind: kind), file: "\(file) #\(index + 1)")
                }
            case .rejected(let substrings, let position):
                do {
                    let documents = try TerraformReader.read(path: fullPath)
                    XCTFail("\(file): expected rejection containing \(substrings), read \(documents.map(\.kind))")
                } catch let error as InputError {
                    XCTAssertEqual(error.file, fullPath, file)
                    for substring in substrings {
                        XCTAssertTrue(error.message.contains(substring), "\(file): message \(error.message.debugDescription) lacks \(substring.debugDescription)")
                    }
                    XCTAssertEqual(error.position, position, file)
                    XCTAssertTrue(error.description.hasPrefix("\(fullPath):\(position): error: "), error.description)
                }
            }
        }
    }

    // MARK: - Comparison with the independent count

    private func compare(_ document: TerraformDocument, with facts: Independent.Facts, file: String) {
        XCTAssertEqual(document.formatVersion?.text, facts.formatVersion, "\(file): format_version")
        XCTAssertEqual(document.terraformVersion, facts.terraformVersion, "\(file): terraform_version")
        switch document.kind {
        case .plan:
            let changes = document.resourceChanges
            XCTAssertEqual(changes.count, facts.changes.count, "\(file): resource_changes count")
            XCTAssertEqual(changes.map(\.addressText).sorted(), facts.changes.map(\.address).sorted(), "\(file): resource_changes addresses")
            XCTAssertEqual(Set(document.instanceAddresses), Set(facts.changes.map(\.address)), "\(file): instanceAddresses")
            XCTAssertEqual(changes.map { "\($0.addressText) \(Self.actionsText($0.action))" }.sorted(),
                           facts.changes.map { "\($0.address) \($0.actions)" }.sorted(), "\(file): actions per address")
            var counts: [String: Int] = [:]
            for (action, count) in document.actionCounts { counts[Self.actionsText(action), default: 0] += count }
            XCTAssertEqual(counts, facts.actionCounts, "\(file): actionCounts")
            XCTAssertEqual(document.resourceDrift.count, facts.drift.count, "\(file): resource_drift count")
            XCTAssertEqual(document.resourceDrift.map(\.addressText).sorted(), facts.drift.sorted(), "\(file): resource_drift addresses")
            XCTAssertEqual(document.plannedResources.count, facts.planned.count, "\(file): planned_values count")
            XCTAssertEqual(document.plannedResources.map(\.addressText).sorted(), facts.planned.sorted(), "\(file): planned_values addresses")
            XCTAssertEqual(document.priorResources.count, facts.prior.count, "\(file): prior_state count")
            XCTAssertEqual(document.priorResources.map(\.addressText).sorted(), facts.prior.sorted(), "\(file): prior_state addresses")
            // The parsed address prints exactly as Terraform printed it.
            for change in changes + document.resourceDrift {
                XCTAssertEqual(change.address.description, change.addressText, "\(file): ResourceAddress.description")
            }
            for instance in document.plannedResources + document.priorResources {
                XCTAssertEqual(instance.address.description, instance.addressText, "\(file): ResourceAddress.description")
            }
        case .state, .tfstate:
            XCTAssertEqual(document.plannedResources.count, facts.stateInstances.count, "\(file): instance count")
            XCTAssertEqual(document.plannedResources.map(\.addressText).sorted(), facts.stateInstances.sorted(), "\(file): instance addresses")
            XCTAssertEqual(document.priorResources.map(\.addressText).sorted(), facts.stateInstances.sorted(), "\(file): priorResources")
            XCTAssertEqual(document.instanceAddresses.sorted(), facts.stateInstances.sorted(), "\(file): instanceAddresses")
            XCTAssertEqual(document.resourceChanges.count, 0, file)
            XCTAssertEqual(document.actionCounts.count, 0, file)
            for instance in document.plannedResources {
                XCTAssertEqual(instance.address.description, instance.addressText, "\(file): ResourceAddress.description")
            }
        }
    }

    /// The `actions` array a ChangeAction stands for, joined with commas (test-side mapping).
    static func actionsText(_ action: ChangeAction) -> String {
        switch action {
        case .noOp: return "no-op"
        case .create: return "create"
        case .read: return "read"
        case .update: return "update"
        case .delete: return "delete"
        case .deleteThenCreate: return "delete,create"
        case .createThenDelete: return "create,delete"
        case .forget: return "forget"
        case .createThenForget: return "create,forget"
        case .other(let actions): return actions.joined(separator: ",")
        }
    }

    func testIndependentAddressFormattingAgreesOnAwkwardKeys() throws {
        // No public fixture has a key that needs quoting, so build a raw state that does.
        let keys = ["plain", "quote\"d", "back\\slash", "new\nline", "tab\there", "${interp}", "%{directive}", "$${kept}", "50% {x}", "ünï"]
        let instances = keys.map { #"{"index_key": \#(Independent.jsonString($0)), "attributes": {}}"# }.joined(separator: ",")
        let text = #"""
        {"version": 4, "terraform_version": "1.9.0", "resources": [
          {"module": "module.m[\"a\\\"b\"]", "mode": "data", "type": "t_x", "name": "n", "instances": [\#(instances)]}]}
        """#
        let document = try XCTUnwrap(TerraformReader.read(text: text).first)
        let facts = try Independent.facts(JSONSerialization.jsonObject(with: Data(text.utf8)), kind: .tfstate)
        XCTAssertEqual(facts.stateInstances.count, keys.count)
        XCTAssertEqual(document.plannedResources.map(\.addressText), facts.stateInstances)
        XCTAssertEqual(facts.stateInstances[1], #"module.m["a\"b"].data.t_x.n["quote\"d"]"#)
        XCTAssertEqual(facts.stateInstances[5], #"module.m["a\"b"].data.t_x.n["$${interp}"]"#)
        XCTAssertEqual(facts.stateInstances[7], #"module.m["a\"b"].data.t_x.n["$$${kept}"]"#)
        XCTAssertEqual(facts.stateInstances[8], #"module.m["a\"b"].data.t_x.n["50% {x}"]"#)
        for (instance, key) in zip(document.plannedResources, keys) {
            XCTAssertEqual(instance.address.key, .string(key))
            XCTAssertEqual(ResourceAddress.parse(instance.addressText), instance.address, "round trip of \(instance.addressText)")
        }
    }

    // MARK: - The deliberately odd files

    func testStateUnderAPlanNameIsAStateAndRefusedWhenAPlanIsExpected() throws {
        let file = "bridgecrewio__checkov/tests__terraform__runner__resources__plan__corrupted-tfplan.json"
        XCTAssertEqual(try readOne(file).kind, .state)
        XCTAssertEqual(try read(file, expecting: .state).first?.kind, .state)
        XCTAssertThrowsError(try read(file, expecting: .plan)) { error in
            guard let error = error as? InputError else { return XCTFail("\(error)") }
            XCTAssertTrue(error.message.contains("expected a plan (terraform show -json tfplan)"), error.message)
            XCTAssertTrue(error.message.contains("but this is a state (terraform show -json)"), error.message)
            XCTAssertEqual(error.position, SourcePosition(line: 1, column: 1))
        }
    }

    func testRawStateUnderAPlanNameIsATfstate() throws {
        let file = "snyk__policy-engine/pkg__input__golden_test__tfstate__ids-01__plan.json"
        let document = try readOne(file)
        XCTAssertEqual(document.kind, .tfstate)
        XCTAssertEqual(document.terraformVersion, "1.1.9")
        XCTAssertEqual(document.plannedResources.map(\.addressText).sorted(),
                       ["aws_s3_bucket.bucket1", "aws_s3_bucket_acl.acl1", "aws_s3_bucket_logging.logging1"])
        XCTAssertThrowsError(try read(file, expecting: .plan)) { error in
            XCTAssertTrue((error as? InputError)?.message.contains("but this is a raw state (terraform.tfstate, version 4)") == true, "\(error)")
        }
    }

    func testFutureV4StateWithFlatAttributesReads() throws {
        let document = try readOne("hashicorp__terraform/internal__states__statefile__testdata__roundtrip__v4-future.in.tfstate")
        XCTAssertEqual(document.kind, .tfstate)
        XCTAssertEqual(document.terraformVersion, "999.0.0")
        XCTAssertEqual(document.plannedResources.map(\.addressText), ["null_resource.bar", "null_resource.foo[0]", "null_resource.foo[1]"])
        // attributes_flat is kept as the attribute object (flatmap keys, string values).
        let bar = try XCTUnwrap(document.plannedResources.first)
        XCTAssertEqual(bar.value["id"], .string("5388490630832483079"))
        XCTAssertEqual(bar.value["triggers.whaaat"], .string("0,1"))
    }

    func testUTF16PlanReadsWithANote() throws {
        let document = try readOne("bridgecrewio__checkov/tests__terraform__parser__resources__plan_encodings__tfplan_win_utf16.json")
        XCTAssertEqual(document.kind, .plan)
        XCTAssertEqual(document.formatVersion?.text, "1.1")
        XCTAssertEqual(document.notes.count, 1)
        XCTAssertTrue(document.notes[0].contains("UTF-16LE"), document.notes[0])
        XCTAssertTrue(document.notes[0].contains("utf8NoBOM"), document.notes[0])
        XCTAssertEqual(document.actionCounts.map { Self.actionsText($0.action) }, ["create"])
    }

    func testImportConfigGenIsAnOrdinaryPlanWithAnImport() throws {
        let document = try readOne("hashicorp__terraform/internal__cloud__testdata__plan-import-config-gen__plan-redacted.json")
        XCTAssertEqual(document.kind, .plan)
        XCTAssertEqual(document.formatVersion?.text, "1.2")
        XCTAssertEqual(document.terraformVersion, "1.5.0")
        XCTAssertEqual(document.resourceChanges.map(\.addressText), ["terraform_data.foo"])
        XCTAssertEqual(document.resourceChanges.first?.action, .noOp)
        XCTAssertEqual(document.resourceChanges.first?.change.isImport, true)
    }

    func testOpenTofuGoldenFileReadsAsAnOpenTofuPlan() throws {
        let document = try readOne("opentofu__opentofu/internal__command__testdata__show-json__basic-create__output.json")
        XCTAssertEqual(document.kind, .plan)
        XCTAssertEqual(document.producer, .openTofu)
        XCTAssertNil(document.terraformVersion)
        XCTAssertEqual(document.resourceChanges.count, 3)
        XCTAssertTrue(document.resourceChanges.allSatisfy { $0.action == .create })
        XCTAssertTrue(document.resourceChanges.allSatisfy { $0.providerName?.hasPrefix("registry.opentofu.org/") == true })
        // Its Terraform counterpart is not mistaken for OpenTofu.
        XCTAssertEqual(try readOne("hashicorp__terraform/internal__command__testdata__show-json__modules__output.json").producer, .terraform)
    }

    // MARK: - Sensitive and unknown values

    /// Materialises every value of the document and asserts no printed form reveals `secrets`.
    private func assertNeverPrinted(_ secrets: [String], in document: TerraformDocument, file: String) {
        var values: [(String, TerraformValue)] = []
        for change in document.resourceChanges + document.resourceDrift {
            values.append(("\(change.addressText) after", change.change.afterValue))
            values.append(("\(change.addressText) before", change.change.beforeValue))
        }
        for output in document.outputChanges {
            values.append(("output \(output.name) after", output.change.afterValue))
            values.append(("output \(output.name) before", output.change.beforeValue))
        }
        for instance in document.plannedResources + document.priorResources {
            values.append(("\(instance.addressText) value", instance.value))
        }
        XCTAssertFalse(values.isEmpty, file)
        for (label, value) in values {
            var dumped = ""
            dump(value, to: &dumped)
            for text in [String(describing: value), String(reflecting: value), dumped, "\(value)"] {
                for secret in secrets {
                    XCTAssertFalse(text.contains(secret), "\(file): \(label) prints a sensitive value")
                }
            }
        }
    }

    private func sensitiveContent(_ value: TerraformValue?) -> SensitiveValue? {
        if case .sensitive(let content)? = value { return content }
        return nil
    }

    func testPlaintextSecretInAPlanIsMaskedEverywhere() throws {
        let file = "awakchaure99__tf-opa-aws-secretmanager/tfplan.json"
        // The secret really is in the file, in clear.
        let raw = try String(contentsOfFile: path(file), encoding: .utf8)
        XCTAssertTrue(raw.contains("sUp3rs3cr3t"))
        let document = try readOne(file)
        assertNeverPrinted(["sUp3rs3cr3t"], in: document, file: file)

        let version = try XCTUnwrap(document.resourceChanges.first { $0.addressText == "aws_secretsmanager_secret_version.first" })
        let after = version.change.afterValue
        let secret = try XCTUnwrap(sensitiveContent(after["secret_string"]), "secret_string is not .sensitive: \(after)")
        XCTAssertTrue(secret.matches(.string("sUp3rs3cr3t")))
        XCTAssertFalse(secret.matches(.string("something else")))
        XCTAssertEqual(sensitiveContent(after["secret_binary"])?.matches(.null), true)
        // after_unknown: unknown, never null.
        XCTAssertEqual(after["id"], .unknown)
        XCTAssertEqual(after["version_stages"], .unknown)
        XCTAssertEqual(version.change.beforeValue, .null, "before is null for a create")

        // planned_values does not mark secret_string (Terraform 1.5 leaves schema sensitivity out of
        // sensitive_values), but the plan's after_sensitive does: the planned instance must be masked too.
        let planned = try XCTUnwrap(document.plannedResources.first { $0.addressText == "aws_secretsmanager_secret_version.first" })
        XCTAssertEqual(sensitiveContent(planned.value["secret_string"])?.matches(.string("sUp3rs3cr3t")), true,
                       "planned secret_string is not masked")
        XCTAssertEqual(planned.value["secret_binary"]?.isSensitive, true)
        // …and nothing the change does not mark.
        let secret2 = try XCTUnwrap(document.plannedResources.first { $0.addressText == "aws_secretsmanager_secret.example" })
        XCTAssertEqual(secret2.value["name"], .string("example"))
        XCTAssertEqual(secret2.value["recovery_window_in_days"], .number("30"))

        // A data source read at apply: sensitive and unknown at once.
        let read = try XCTUnwrap(document.resourceChanges.first { $0.addressText == "data.aws_secretsmanager_secret_version.second" })
        XCTAssertEqual(sensitiveContent(read.change.afterValue["secret_string"])?.isUnknown, true)
        XCTAssertEqual(read.change.afterValue["arn"], .unknown)
        XCTAssertEqual(read.change.afterValue["version_stage"], .null, "a known null stays null")
    }

    func testSensitiveOutputIsMaskedAndUnknownOutputsAreUnknown() throws {
        let file = "hashicorp__terraform-json/testdata__110_sensitive_values__plan.json"
        let document = try readOne(file)
        let outputs = Dictionary(uniqueKeysWithValues: document.outputChanges.map { ($0.name, $0.change) })
        XCTAssertEqual(outputs.count, 8)
        let foo = try XCTUnwrap(outputs["foo"])
        XCTAssertEqual(sensitiveContent(foo.afterValue)?.matches(.string("bar")), true)
        XCTAssertEqual(sensitiveContent(foo.beforeValue)?.matches(.null), true)
        var dumped = ""
        dump(foo.afterValue, to: &dumped)
        for text in [String(describing: foo.afterValue), String(reflecting: foo.afterValue), dumped] {
            XCTAssertFalse(text.contains("bar"), text)
            XCTAssertTrue(text.contains(SensitiveValue.placeholder), text)
        }
        for name in ["interpolated", "interpolated_deep", "referenced", "referenced_deep"] {
            XCTAssertEqual(outputs[name]?.afterValue, .unknown, name)
        }
        XCTAssertEqual(outputs["list"]?.afterValue, .list([.string("foo"), .string("bar")]))
        // `triggers: true` in after_unknown with after `{}`: unknown, not null or missing.
        let bar = try XCTUnwrap(document.resourceChanges.first { $0.addressText == "null_resource.bar" })
        XCTAssertEqual(bar.change.afterValue["triggers"], .unknown)
        XCTAssertEqual(bar.change.afterValue["id"], .unknown)
        // Empty masks ({"triggers": {}}) hide nothing.
        let foo2 = try XCTUnwrap(document.resourceChanges.first { $0.addressText == "null_resource.foo" })
        XCTAssertEqual(foo2.change.afterValue["triggers"], .object(["foo": .string("bar")]))
        let plannedFoo = try XCTUnwrap(document.plannedResources.first { $0.addressText == "null_resource.foo" })
        XCTAssertEqual(plannedFoo.value["triggers"], .object(["foo": .string("bar")]))
    }

    func testSensitiveValuesStateAndTfstateHideNothingTheyDoNotMark() throws {
        let state = try readOne("hashicorp__terraform-json/testdata__110_sensitive_values__state.json")
        let bar = try XCTUnwrap(state.plannedResources.first { $0.addressText == "null_resource.bar" })
        XCTAssertEqual(bar.value["triggers"], .object(["foo_id": .string("7914344597979736746")]))
        let tfstate = try readOne("hashicorp__terraform-json/testdata__110_sensitive_values__terraform.tfstate")
        XCTAssertEqual(tfstate.plannedResources.count, 7)
        for instance in state.plannedResources + tfstate.plannedResources {
            XCTAssertFalse(String(describing: instance.value).contains(SensitiveValue.placeholder), instance.addressText)
            XCTAssertEqual(instance.value["id"]?.stringValue?.isEmpty, false, instance.addressText)
        }
    }

    func testRawStateSecretsAreMasked() throws {
        let file = "arnoutc-arch__dms-terraform-project/terraform.tfstate"
        let secret = "Super$ecretPassw0rd"
        XCTAssertTrue(try String(contentsOfFile: path(file), encoding: .utf8).contains(secret))
        let document = try readOne(file)
        assertNeverPrinted([secret], in: document, file: file)
        let byAddress = Dictionary(document.plannedResources.map { ($0.addressText, $0) }, uniquingKeysWith: { first, _ in first })
        for address in ["module.dms.aws_dms_endpoint.source", "module.dms.aws_dms_endpoint.target"] {
            let value = try XCTUnwrap(byAddress[address]?.value)
            XCTAssertEqual(sensitiveContent(value["password"])?.matches(.string(secret)), true, address)
            XCTAssertEqual(value["engine_name"]?.isSensitive, false, address)
        }
        let cluster = try XCTUnwrap(byAddress["module.source_account.aws_rds_cluster.source"]?.value)
        XCTAssertEqual(sensitiveContent(cluster["master_password"])?.matches(.string(secret)), true)
        let version = try XCTUnwrap(byAddress["module.dms.aws_secretsmanager_secret_version.aurora_password"]?.value)
        XCTAssertEqual(version["secret_string"]?.isSensitive, true)
        XCTAssertEqual(version["secret_string_wo"]?.isSensitive, true, "a write-only null is still marked")
        XCTAssertEqual(byAddress["module.dms.aws_instance.postgres_bootstrap"]?.value["user_data"]?.isSensitive, true)
    }

    func testSensitiveIndexStepsOfRawStateAreFollowed() throws {
        // Index steps hold a ctyjson value ({"value": 0, "type": "number"}); a set element's step
        // holds the element itself, which an address cannot name: mask its whole parent then.
        let text = #"""
        {"version": 4, "terraform_version": "1.9.0", "resources": [{"mode": "managed", "type": "t", "name": "n",
          "instances": [{"attributes": {"list": [{"secret": "s-list-0"}, {"secret": "plain"}], "map": {"k": "s-map", "other": "ok"},
                                        "set": [{"password": "s-set"}], "name": "visible"},
            "sensitive_attributes": [
              [{"type": "get_attr", "value": "list"}, {"type": "index", "value": {"value": 0, "type": "number"}}, {"type": "get_attr", "value": "secret"}],
              [{"type": "get_attr", "value": "map"}, {"type": "index", "value": {"value": "k", "type": "string"}}],
              [{"type": "get_attr", "value": "set"}, {"type": "index", "value": {"value": {"password": "s-set"}, "type": ["object", {"password": "string"}]}}, {"type": "get_attr", "value": "password"}]
            ]}]}]}
        """#
        let document = try XCTUnwrap(TerraformReader.read(text: text).first) // keeps the bytes the instance points into alive
        let value = try XCTUnwrap(document.plannedResources.first).value
        XCTAssertEqual(sensitiveContent(value["list"]?[0]?["secret"])?.matches(.string("s-list-0")), true, "\(value)")
        XCTAssertEqual(value["list"]?[1]?["secret"], .string("plain"))
        XCTAssertEqual(sensitiveContent(value["map"]?["k"])?.matches(.string("s-map")), true, "\(value)")
        XCTAssertEqual(value["map"]?["other"], .string("ok"))
        XCTAssertEqual(value["set"]?.isSensitive, true, "\(value)")
        XCTAssertEqual(value["name"], .string("visible"))
        for secret in ["s-list-0", "s-map", "s-set"] {
            XCTAssertFalse(String(describing: value).contains(secret), "\(value)")
        }
    }

    /// Every path Terraform marks sensitive in any fixture (after_sensitive, before_sensitive,
    /// sensitive_values, sensitive_attributes) is `.sensitive` in what migcheck materialises.
    func testEveryPathMarkedSensitiveIsMaskedInEveryFixture() throws {
        var checked = 0
        for (file, outcome) in Self.table {
            guard case .reads(let kind, _) = outcome else { continue }
            let document = try readOne(file)
            let json = try XCTUnwrap(Independent.load(URL(fileURLWithPath: path(file))) as? [String: Any])
            let assertMasked = { (value: TerraformValue, path: [Any], label: String) in
                checked += 1
                switch Self.maskState(value, at: path) {
                case .masked: break
                case .missing: XCTFail("\(file): \(label) \(path): marked sensitive but missing from the value")
                case .clear: XCTFail("\(file): \(label) \(path): marked sensitive but not masked")
                }
            }
            switch kind {
            case .plan:
                var afterMasks: [String: Any] = [:], beforeMasks: [String: Any] = [:]
                for (isDrift, changes) in [(false, document.resourceChanges), (true, document.resourceDrift)] {
                    for change in changes {
                        let raw = try XCTUnwrap(Independent.object(at: change.node.byteRange, of: document))
                        let fields = raw["change"] as? [String: Any] ?? [:]
                        for path in Independent.truePaths(fields["after_sensitive"], within: fields["after"]) {
                            assertMasked(change.change.afterValue, path, "\(change.addressText) after")
                        }
                        for path in Independent.truePaths(fields["before_sensitive"], within: fields["before"]) {
                            assertMasked(change.change.beforeValue, path, "\(change.addressText) before")
                        }
                        if !isDrift {
                            let key = change.addressText + "|" + (raw["deposed"] as? String ?? "")
                            afterMasks[key] = fields["after_sensitive"]
                            beforeMasks[key] = fields["before_sensitive"]
                        }
                    }
                }
                let outputChanges = json["output_changes"] as? [String: Any] ?? [:]
                for output in document.outputChanges {
                    let fields = outputChanges[output.name] as? [String: Any] ?? [:]
                    for path in Independent.truePaths(fields["after_sensitive"], within: fields["after"]) {
                        assertMasked(output.change.afterValue, path, "output \(output.name) after")
                    }
                }
                for (instances, masks, label) in [(document.plannedResources, afterMasks, "planned"), (document.priorResources, beforeMasks, "prior")] {
                    for instance in instances {
                        let raw = try XCTUnwrap(Independent.object(at: instance.node.byteRange, of: document))
                        let values = raw["values"]
                        let key = instance.addressText + "|" + (raw["deposed_key"] as? String ?? "")
                        for path in Independent.truePaths(raw["sensitive_values"], within: values)
                            + Independent.truePaths(masks[key], within: values) {
                            assertMasked(instance.value, path, "\(instance.addressText) \(label)")
                        }
                    }
                }
            case .state:
                for instance in document.plannedResources {
                    let raw = try XCTUnwrap(Independent.object(at: instance.node.byteRange, of: document))
                    for path in Independent.truePaths(raw["sensitive_values"], within: raw["values"]) {
                        assertMasked(instance.value, path, instance.addressText)
                    }
                }
            case .tfstate:
                for instance in document.plannedResources {
                    let raw = try XCTUnwrap(Independent.object(at: instance.node.byteRange, of: document))
                    for path in Independent.sensitiveAttributePaths(raw["sensitive_attributes"]) {
                        assertMasked(instance.value, path, instance.addressText)
                    }
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 900, "959 marked paths when written: did the walk stop finding them?")
    }

    /// Every part `after_unknown` marks is `.unknown` in `afterValue` (or hidden inside a sensitive value).
    func testEveryUnknownAfterApplyIsUnknownNeverNull() throws {
        var checked = 0
        for (file, outcome) in Self.table {
            guard case .reads(.plan, _) = outcome else { continue }
            let document = try readOne(file)
            let json = try XCTUnwrap(Independent.load(URL(fileURLWithPath: path(file))) as? [String: Any])
            var changes: [(String, TerraformValue, Any?)] = []
            for change in document.resourceChanges + document.resourceDrift {
                let raw = try XCTUnwrap(Independent.object(at: change.node.byteRange, of: document))
                changes.append((change.addressText, change.change.afterValue, (raw["change"] as? [String: Any])?["after_unknown"]))
            }
            let outputChanges = json["output_changes"] as? [String: Any] ?? [:]
            for output in document.outputChanges {
                changes.append(("output \(output.name)", output.change.afterValue, (outputChanges[output.name] as? [String: Any])?["after_unknown"]))
            }
            for (label, value, mask) in changes {
                for path in Independent.truePaths(mask, within: nil, requireValue: false) {
                    checked += 1
                    guard let (part, steps) = Self.walk(value, path) else {
                        XCTFail("\(file): \(label) \(path) is unknown until apply but missing from afterValue")
                        continue
                    }
                    if steps < path.count { continue } // inside a sensitive value: hidden, cannot be walked
                    if case .sensitive(let hidden) = part {
                        XCTAssertTrue(hidden.isUnknown, "\(file): \(label) \(path)")
                    } else {
                        XCTAssertEqual(part, .unknown, "\(file): \(label) \(path) is unknown until apply")
                    }
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 4000, "4178 unknown paths when written: did the walk stop finding them?")
    }

    enum MaskState { case masked, clear, missing }

    static func maskState(_ value: TerraformValue, at path: [Any]) -> MaskState {
        guard let (part, _) = walk(value, path) else { return .missing }
        return part.isSensitive ? .masked : .clear
    }

    /// The part at `path` and the number of steps taken: fewer than `path.count` when a
    /// sensitive value (whose inside cannot be walked) was reached first; nil when missing.
    static func walk(_ value: TerraformValue, _ path: [Any]) -> (part: TerraformValue, steps: Int)? {
        var current = value
        for (depth, step) in path.enumerated() {
            if current.isSensitive { return (current, depth) }
            let next: TerraformValue?
            if let index = step as? Int { next = current[index] } else { next = current[step as? String ?? ""] }
            guard let next else { return nil }
            current = next
        }
        return (current, path.count)
    }

    // MARK: - Configuration references across modules

    func testModuleInputResolvesToTheCallersDataSource() throws {
        let document = try readOne("bridgecrewio__checkov/tests__common__runner_registry__plan_with_for_each_for_enrichment__tf_plan.json")
        let configuration = document.configuration
        let group = try XCTUnwrap(configuration.resource(qualifiedAddress: "module.sg.aws_security_group.bad"))
        XCTAssertEqual(group.modulePath, ["sg"])
        XCTAssertEqual(group.expressions["vpc_id"]?.references, ["var.vpc_id"])
        XCTAssertEqual(configuration.resolvedResources(ofAttribute: "vpc_id", of: group), ["data.aws_vpc.sandbox"])
        // `each.value` through `name` is no resource.
        XCTAssertEqual(configuration.resolvedResources(ofAttribute: "name", of: group), [])
    }

    func testModuleOutputResolvesToTheResourceInsideTheNestedModule() throws {
        let document = try readOne("terraform-compliance__cli/tests__functional__test_issue_796__plan.out.json")
        let configuration = document.configuration
        let permission = try XCTUnwrap(configuration.resource(qualifiedAddress: "module.outer.aws_lambda_permission.example"))
        XCTAssertEqual(configuration.resolvedResources(ofAttribute: "source_arn", of: permission),
                       ["module.outer.module.inner.aws_cloudwatch_event_rule.example"])
        XCTAssertEqual(configuration.resolvedResources(ofAttribute: "principal", of: permission), [], "a constant refers to nothing")
    }

    func testModuleInputThroughAnotherModulesOutputResolves() throws {
        // module.lz_keys.oci_kms_key.these.management_endpoint = var.vault_mgmt_endPoint,
        // which the root sets to module.lz_vault.vault.management_endpoint, whose output is oci_kms_vault.this.
        let document = try readOne("Halimer__opa-oci-cis-benchmark-rules/tfplan.json")
        let configuration = document.configuration
        let key = try XCTUnwrap(configuration.resource(qualifiedAddress: "module.lz_keys.oci_kms_key.these"))
        XCTAssertEqual(configuration.resolvedResources(ofAttribute: "management_endpoint", of: key),
                       ["module.lz_vault.oci_kms_vault.this"])
        // compartment_id comes from a local in the root, which the plan does not export.
        XCTAssertEqual(configuration.resolvedResources(ofAttribute: "compartment_id", of: key), [])
    }

    func testShowJSONModulesGoldenFileConfiguration() throws {
        let document = try readOne("hashicorp__terraform/internal__command__testdata__show-json__modules__output.json")
        let configuration = document.configuration
        XCTAssertEqual(configuration.allResources.map(\.qualifiedAddress).sorted(),
                       ["module.module_test_bar.test_instance.test", "module.module_test_foo.test_instance.test"])
        XCTAssertEqual(configuration.rootModule.moduleCalls["module_test_foo"]?.source, "./foo")
        XCTAssertEqual(configuration.module(at: ["module_test_foo"])?.outputs["test"]?.references, ["var.test_var"])
        // var.test_var is a constant ("baz") in the call: it resolves to no resource.
        let foo = try XCTUnwrap(configuration.resource(qualifiedAddress: "module.module_test_foo.test_instance.test"))
        XCTAssertEqual(foo.countExpression?.constantValue?.int, 3)
        XCTAssertEqual(configuration.resolvedResources(ofAttribute: "ami", of: foo), [])
        XCTAssertEqual(Set(document.resourceChanges.map { $0.address.configurationAddress }),
                       Set(configuration.allResources.map(\.qualifiedAddress)))
    }
}
