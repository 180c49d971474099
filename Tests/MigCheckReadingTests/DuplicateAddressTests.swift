import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckTestSupport

/// A plan or state that lists one resource instance twice is bad input, reported at the
/// second entry with the address and the line of the first: its two copies could say
/// different things, and judging one could pass what Terraform applies from the other.
final class DuplicateAddressTests: XCTestCase {
    // MARK: - Helpers

    static func stateResource(_ address: String, deposedKey: String? = nil) -> String {
        let deposedField = deposedKey.map { #","deposed_key":"\#($0)""# } ?? ""
        return #"{"address":"\#(address)","mode":"managed","type":"aws_rds_cluster","name":"core","values":{}\#(deposedField)}"#
    }

    /// The error reading `text` must throw, checked for its position and message parts.
    @discardableResult
    func expectDuplicate(_ text: String, line: Int, column: Int = 1, saying fragments: [String],
                         sourceLine: UInt = #line) -> InputError? {
        do {
            _ = try TerraformReader.read(text: text, file: "input.json")
            XCTFail("accepted a repeated address", line: sourceLine)
            return nil
        } catch let error as InputError {
            XCTAssertEqual(error.position, SourcePosition(line: line, column: column), error.description, line: sourceLine)
            XCTAssertTrue(error.description.hasPrefix("input.json:\(line):\(column): error: "), error.description, line: sourceLine)
            for fragment in fragments + ["is listed twice"] {
                XCTAssertTrue(error.message.contains(fragment), "lacks \(fragment): \(error.message)", line: sourceLine)
            }
            return error
        } catch {
            XCTFail("threw \(error), not an InputError", line: sourceLine)
            return nil
        }
    }

    // MARK: - Plans

    func testRepeatedResourceChange() throws {
        let text = AddressPlans.plan(changes: [AddressPlans.change("aws_rds_cluster.core"), AddressPlans.change("aws_rds_cluster.old", name: "old"),
                                               AddressPlans.change("aws_rds_cluster.core")])
        // The changes start on line 9 (empty state sections take three lines each); the second copy is the third entry.
        expectDuplicate(text, line: 11, saying: ["resource_changes[2]", #""aws_rds_cluster.core""#,
                                                 "first at line 9 (resource_changes[0])"])
    }

    func testDeposedObjectsAreTheirOwnInstances() throws {
        // The current object and a deposed one share the address: both belong in the plan.
        let text = AddressPlans.plan(changes: [AddressPlans.change("aws_rds_cluster.core"), AddressPlans.change("aws_rds_cluster.core", deposed: "abc123")],
                                     planned: [Self.stateResource("aws_rds_cluster.core")],
                                     prior: [Self.stateResource("aws_rds_cluster.core"), Self.stateResource("aws_rds_cluster.core", deposedKey: "abc123")])
        XCTAssertEqual(try TerraformReader.read(text: text).first?.resourceChanges.count, 2)
        // The same deposed object twice is a repeat.
        let twice = AddressPlans.plan(changes: [AddressPlans.change("aws_rds_cluster.core", deposed: "abc123"),
                                                AddressPlans.change("aws_rds_cluster.core", deposed: "abc123")])
        expectDuplicate(twice, line: 10, saying: [#"deposed object "abc123""#, "first at line 9"])
    }

    func testRepeatedPlannedValue() throws {
        let text = AddressPlans.plan(planned: [Self.stateResource("aws_rds_cluster.core"), Self.stateResource("aws_rds_cluster.core")])
        expectDuplicate(text, line: 4, saying: ["planned_values.root_module.resources[1]", "first at line 3"])
    }

    func testRepeatedPlannedValueAcrossModulesAndEscapes() throws {
        // The same address in a child module's list, once spelled with an escape.
        let text = AddressPlans.plan(planned: [Self.stateResource("module.m.aws_rds_cluster.core")],
                                     plannedChild: [Self.stateResource(#"module.m.aws_rds_cluster.cor\u0065"#)])
        expectDuplicate(text, line: 5, saying: ["planned_values.root_module.child_modules[0].resources[0]",
                                                #""module.m.aws_rds_cluster.core""#, "first at line 3"])
    }

    func testRepeatedPriorStateValue() throws {
        let text = AddressPlans.plan(prior: [Self.stateResource("aws_rds_cluster.core"), Self.stateResource("aws_rds_cluster.core")])
        expectDuplicate(text, line: 7, saying: ["prior_state.values.root_module.resources[1]", "first at line 6"])
    }

    // MARK: - States

    func testRepeatedShowStateValue() throws {
        let text = """
        {"format_version":"1.0","values":{"root_module":{"resources":\(AddressPlans.lines([
            Self.stateResource("aws_rds_cluster.core"), Self.stateResource("aws_rds_cluster.other"), Self.stateResource("aws_rds_cluster.core"),
        ]))}}}
        """
        expectDuplicate(text, line: 4, saying: ["values.root_module.resources[2]", "first at line 2"])
    }

    static func rawState(_ resources: [String]) -> String {
        #"{"version":4,"terraform_version":"1.9.8","serial":1,"lineage":"x","outputs":{},"resources":"# + AddressPlans.lines(resources) + "}"
    }

    static func rawResource(name: String = "core", module: String? = nil, instances: [String]) -> String {
        let moduleField = module.map { #""module":"\#($0)","# } ?? ""
        return #"{\#(moduleField)"mode":"managed","type":"aws_rds_cluster","name":"\#(name)","provider":"p","instances":[\#(instances.joined(separator: ","))]}"#
    }

    func testRepeatedRawStateResource() throws {
        let text = Self.rawState([
            Self.rawResource(module: "module.m", instances: [#"{"index_key":0,"attributes":{}}"#]),
            Self.rawResource(instances: [#"{"attributes":{}}"#]),
            Self.rawResource(module: "module.m", instances: [#"{"index_key":1,"attributes":{}}"#]),
        ])
        expectDuplicate(text, line: 4, saying: ["resources[2]", #""module.m.aws_rds_cluster.core""#, "first at line 2"])
    }

    func testRepeatedRawStateInstanceKey() throws {
        // 0 and "0" are different keys ([0] and ["0"]); a deposed object shares its key.
        let distinct = Self.rawState([Self.rawResource(instances: [
            #"{"index_key":0,"attributes":{}}"#, #"{"index_key":"0","attributes":{}}"#,
            #"{"index_key":0,"deposed":"d1","attributes":{}}"#,
        ])])
        XCTAssertEqual(try TerraformReader.read(text: distinct).first?.plannedResources.count, 3)
        let text = Self.rawState([Self.rawResource(instances: [#"{"index_key":"a","attributes":{}}"#, #"{"index_key":"a","attributes":{}}"#])])
        expectDuplicate(text, line: 2, column: 120, saying: ["resources[0].instances[1]", #"aws_rds_cluster.core[\"a\"]"#, "first at line 2"])
    }

    // MARK: - The message

    func testTheAddressIsEscapedInTheError() throws {
        // Escapes, a C1 control and a right-to-left override in a for_each key.
        let address = #"aws_rds_cluster.core[\"\u001b[2J\u009b\u202e\"]"#
        let text = AddressPlans.plan(planned: [Self.stateResource(address), Self.stateResource(address)])
        let error = try XCTUnwrap(expectDuplicate(text, line: 4, saying: [#"\u001b[2J"#, #"\u202e"#]))
        XCTAssertFalse(error.description.unicodeScalars.contains {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.properties.generalCategory == .format
        }, error.description.debugDescription)
    }

}
