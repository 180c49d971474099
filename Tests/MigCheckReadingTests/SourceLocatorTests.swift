import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckTestSupport

final class SourceLocatorTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "migcheck-locator-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/infra/modules/dms", withIntermediateDirectories: true)
        try """
        # The source cluster
        resource "aws_rds_cluster" "legacy" {
          engine = "aurora-postgresql"
          tags = { Name = "resource \\"fake\\" \\"x\\"" }
        }

        locals {
          doc = <<-EOT
            resource "aws_rds_cluster" "core" {
          EOT
        }

        module "dms" {
          source = "./modules/dms"
          target_host = aws_rds_cluster.core.endpoint
        }

        module "vpc" {
          source  = "terraform-aws-modules/vpc/aws"
          version = "5.0.0"
        }
        """.write(toFile: root + "/infra/main.tf", atomically: true, encoding: .utf8)
        try """
        /* resource "aws_rds_cluster" "core" { */
          resource "aws_rds_cluster" "core" {
          engine = "aurora-postgresql"
        }
        """.write(toFile: root + "/infra/rds.tf", atomically: true, encoding: .utf8)
        try """
        variable "target_host" {}

        resource aws_dms_endpoint target {
          server_name = var.target_host
        }
        """.write(toFile: root + "/infra/modules/dms/main.tf", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func locate(_ text: String) throws -> SourceLocation? {
        var locator = TerraformSourceLocator(root: root + "/infra", configuration: nil)
        return locator.location(of: try XCTUnwrap(ResourceAddress.parse(text)))
    }

    func testResourcesAreFoundInTheFileThatDeclaresThem() throws {
        let legacy = try XCTUnwrap(try locate("aws_rds_cluster.legacy"))
        XCTAssertEqual(legacy.file, root + "/infra/main.tf")
        XCTAssertEqual(legacy.start, SourcePosition(line: 2, column: 1))
        let core = try XCTUnwrap(try locate("aws_rds_cluster.core"))
        XCTAssertEqual(core.file, root + "/infra/rds.tf", "the heredoc and the comment do not count")
        XCTAssertEqual(core.start, SourcePosition(line: 2, column: 3))
        XCTAssertNil(try locate("aws_rds_cluster.missing"))
    }

    func testLocalModuleSourcesAreFollowed() throws {
        let endpoint = try XCTUnwrap(try locate(#"module.dms.aws_dms_endpoint.target"#))
        XCTAssertEqual(endpoint.file, root + "/infra/modules/dms/main.tf")
        XCTAssertEqual(endpoint.start.line, 3)
    }

    func testRegistryModulesPointAtTheirModuleBlock() throws {
        let subnet = try XCTUnwrap(try locate(#"module.vpc.aws_subnet.private["a"]"#))
        XCTAssertEqual(subnet.file, root + "/infra/main.tf")
        XCTAssertEqual(subnet.start.line, 18)
    }

    func testPathsAreJoinedRelativeToTheGivenDirectory() {
        XCTAssertEqual(TerraformSourceLocator.join("infra", "./modules/dms"), "infra/modules/dms")
        XCTAssertEqual(TerraformSourceLocator.join("infra/envs/prod", "../../modules/db"), "infra/modules/db")
        XCTAssertEqual(TerraformSourceLocator.join(".", "./main.tf"), "main.tf")
        XCTAssertEqual(TerraformSourceLocator.labels(#"resource "aws_rds_cluster" "core" {"#), ["resource", "aws_rds_cluster", "core"])
        XCTAssertEqual(TerraformSourceLocator.labels("resource aws_dms_endpoint target {"), ["resource", "aws_dms_endpoint", "target"])
    }
}
