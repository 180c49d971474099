import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules

/// A splat over a module (`module.target[*].master_secret_arn`) is listed in the plan as the
/// bare `module.target`, which names no output: it refers to what the module's outputs refer
/// to. MIG013 judges a policy that reaches the target's secret that way, and stays open when
/// the module's outputs reach other clusters or other attributes too (which output is used is not in the plan).
final class WholeModuleReferenceTests: XCTestCase {
    private let target = MigrationExamples.target
    private let source = MigrationExamples.source

    private func mig013(_ plan: ExamplePlan) throws -> [Finding] {
        let document = try XCTUnwrap(TerraformReader.read(text: plan.planJSON, file: "plan.json").first)
        let picture = try PictureBuilder.build(document, source: source, target: target)
        return Evaluator.evaluate(picture, phase: .cleanup).findings.filter { $0.ruleID == "MIG013" }
    }

    func testASplatOverTheTargetModuleReachesTheTargetsSecret() throws {
        XCTAssertEqual(try mig013(TargetSecretAccessRule.throughTargetModule(["module.target"])).map(\.message), [])
        XCTAssertEqual(try mig013(TargetSecretAccessRule.throughTargetModule(["module.target[0].master_secret_arn", "module.target[0]"])).map(\.message), [])
    }

    func testTheConfigurationExpandsOnlyABareModuleReference() throws {
        let plan = TargetSecretAccessRule.throughTargetModule(["module.target"])
            .settingModuleInput("target", "name", to: ["aws_db_subnet_group.core.name", "aws_db_subnet_group.core"])
        let document = try XCTUnwrap(TerraformReader.read(text: plan.planJSON, file: "plan.json").first)
        let configuration = document.configuration
        let splat = Expression(constantValue: nil, references: ["module.target"], blocks: [])
        XCTAssertEqual(configuration.resolvedResources(of: splat, in: []), [target, "aws_db_subnet_group.core"])
        XCTAssertEqual(configuration.resolvedResources(of: splat, in: [], expandingWholeModules: false), [])
        // `module.target[0]` beside `module.target[0].master_secret_arn` is that output's step, not the whole module.
        let indexed = Expression(constantValue: nil, references: ["module.target[0].master_secret_arn", "module.target[0]"], blocks: [])
        XCTAssertEqual(configuration.resolvedResources(of: indexed, in: []), [target])
    }

    /// A module whose outputs reach the source as well: a splat over it does not say which
    /// secret the policy names, so MIG013 stays open (never a pass by guess).
    func testASplatOverAModuleReachingBothClustersStaysOpen() throws {
        let plan = TargetSecretAccessRule.throughTargetModule(["module.target"])
            .settingModuleInput("target", "name", to: ["\(source).master_user_secret[0].secret_arn", source])
        let findings = try mig013(plan)
        XCTAssertEqual(findings.map(\.kind), [.open], "\(findings.map(\.message))")
        XCTAssertTrue(findings.first?.message.contains("module.target, a splat") == true, "\(findings.map(\.message))")
    }
}

/// Found on the end-to-end cleanup-unprotect plan: the services' policy document is read only at
/// apply (unknown), and DMS's own role policy allows the target's secret without any deny; MIG013
/// said that role "allows but also explicitly denies" it.
final class DMSRolePolicyIsNoDenyTests: XCTestCase {
    func testAnAllowWithoutADenyIsNotReportedAsADeny() throws {
        let plan = MigrationExamples.healthy(.cutover).withActions(MigrationExamples.secretsPolicy, ["update"])
            .markingUnknown(MigrationExamples.secretsPolicy, "policy").adding(TargetSecretAccessRule.dmsRolePolicy)
        let document = try XCTUnwrap(TerraformReader.read(text: plan.planJSON, file: "plan.json").first)
        let findings = Evaluator.evaluate(try PictureBuilder.build(document), phase: .cutover).findings.filter { $0.ruleID == "MIG013" }
        XCTAssertEqual(findings.map(\.message), [])
        // A document that really denies it still fails.
        let denying = plan.setting(MigrationExamples.secretsPolicy, "policy", to: .string(TargetSecretAccessRule.denyingPolicy), beforeToo: true)
        let denied = try XCTUnwrap(TerraformReader.read(text: denying.planJSON, file: "plan.json").first)
        let failures = Evaluator.evaluate(try PictureBuilder.build(denied), phase: .cutover).findings.filter { $0.ruleID == "MIG013" && $0.kind == .fail }
        XCTAssertTrue(failures.first?.message.contains("explicitly denies") == true, "\(failures.map(\.message))")
    }
}
