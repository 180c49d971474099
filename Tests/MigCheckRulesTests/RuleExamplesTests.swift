import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// Runs every example every rule carries: a triggering example must produce a failing
/// finding of that rule, a non-triggering one must produce none. Findings of severity note are
/// informational (e.g. MIG003's reboot reminder) and count as neither.
final class RuleExamplesTests: XCTestCase {
    func testEveryRuleCarriesExamples() {
        for description in RuleRegistry.descriptions {
            XCTAssertFalse(description.triggeringExamples.isEmpty, "\(description.id) has no triggering example")
            XCTAssertFalse(description.nonTriggeringExamples.isEmpty, "\(description.id) has no non-triggering example")
        }
    }

    func testTriggeringExamplesTrigger() throws {
        for description in RuleRegistry.descriptions {
            for example in description.triggeringExamples {
                let findings = try RuleHarness.findings(of: description, in: example)
                XCTAssertTrue(findings.contains { $0.kind == .fail && $0.severity != .note },
                              "\(description.id) example \"\(example.name)\" should fail; findings: \(findings.map(\.message))")
            }
        }
    }

    func testNonTriggeringExamplesPass() throws {
        for description in RuleRegistry.descriptions {
            for example in description.nonTriggeringExamples {
                let findings = try RuleHarness.findings(of: description, in: example)
                XCTAssertFalse(findings.contains { $0.kind == .fail && $0.severity != .note },
                               "\(description.id) example \"\(example.name)\" should pass; findings: \(findings.map(\.message))")
            }
        }
    }

    func testExamplePlansReadAsRealPlans() throws {
        for phase in Phase.allCases {
            let documents = try TerraformReader.read(text: MigrationExamples.healthy(phase).planJSON, file: "\(phase).json", expecting: .plan)
            XCTAssertEqual(documents.count, 1)
            let picture = try PictureBuilder.build(try XCTUnwrap(documents.first))
            XCTAssertEqual(picture.source?.addressText, MigrationExamples.source, "\(phase): \(picture.roleReasons)")
            XCTAssertEqual(picture.target?.addressText, MigrationExamples.target, "\(phase): \(picture.roleReasons)")
            XCTAssertEqual(picture.target?.instances.map(\.addressText).sorted(), MigrationExamples.targetInstances.sorted(), "\(phase)")
            XCTAssertEqual(picture.target?.parameterGroup?.resource.addressText, MigrationExamples.targetGroup, "\(phase)")
            XCTAssertEqual(picture.target?.rotations.map(\.addressText), [MigrationExamples.targetRotation], "\(phase)")
            XCTAssertEqual(PhaseInference.infer(picture).phase, phase, "\(phase): \(PhaseInference.infer(picture).reason)")
        }
    }
}
