import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckTestSupport

/// The typed model of plans and states: addresses, actions, unknown and sensitive
/// values, and configuration references across module boundaries.
final class TerraformModelTests: XCTestCase {
    // MARK: - Addresses

    func testStringKeysAreQuotedTheWayTerraformPrintsThem() {
        XCTAssertEqual(InstanceKey.string("primary-1").description, #"["primary-1"]"#)
        XCTAssertEqual(InstanceKey.string(#"a"b\c"#).description, #"["a\"b\\c"]"#)
        XCTAssertEqual(InstanceKey.string("line\nbreak\ttab").description, #"["line\nbreak\ttab"]"#)
        XCTAssertEqual(InstanceKey.string("${var.x} and %{if}").description, #"["$${var.x} and %%{if}"]"#)
        XCTAssertEqual(InstanceKey.string("cost $5 100%").description, #"["cost $5 100%"]"#)
        XCTAssertEqual(InstanceKey.string("bell\u{7}").description, #"["bell\u0007"]"#)
        XCTAssertEqual(InstanceKey.string("Grüße 🚀").description, #"["Grüße 🚀"]"#)
        XCTAssertEqual(InstanceKey.int(3).description, "[3]")
    }

    func testAddressesRoundTripThroughTheParser() throws {
        let texts = [
            "aws_rds_cluster.core",
            #"aws_rds_cluster_instance.core["primary-1"]"#,
            "aws_rds_cluster_instance.legacy[0]",
            #"module.dms_custom_kms_migration.aws_dms_endpoint.source"#,
            #"module.a["k\"1"].module.b[0].data.aws_iam_policy_document.x["y$${z}"]"#,
        ]
        for text in texts {
            let address = try XCTUnwrap(ResourceAddress.parse(text), text)
            XCTAssertEqual(address.description, text)
        }
        let nested = try XCTUnwrap(ResourceAddress.parse(#"module.a["k\"1"].module.b[0].data.aws_iam_policy_document.x["y"]"#))
        XCTAssertEqual(nested.modulePath, [ModuleStep(name: "a", key: .string(#"k"1"#)), ModuleStep(name: "b", key: .int(0))])
        XCTAssertEqual(nested.mode, .data)
        XCTAssertEqual(nested.type, "aws_iam_policy_document")
        XCTAssertEqual(nested.configurationAddress, "module.a.module.b.data.aws_iam_policy_document.x")
        XCTAssertNil(ResourceAddress.parse("aws_rds_cluster"))
        XCTAssertNil(ResourceAddress.parse(#"aws_rds_cluster.core["unterminated]"#))
        XCTAssertNil(ResourceAddress.parse("aws_rds_cluster.core[0]trailing"))
    }

    // MARK: - Plans

    func testPlanActionsAddressesAndModulesAreModelled() throws {
        let document = try readSingle(TerraformSamples.planWithEveryAction)
        XCTAssertEqual(document.kind, .plan)
        XCTAssertEqual(document.formatVersion?.text, "1.2")
        XCTAssertEqual(document.terraformVersion, "1.9.5")
        XCTAssertEqual(document.resourceChanges.map(\.addressText), [
            "aws_s3_bucket.logs",
            #"module.dms["eu"].aws_dms_endpoint.this["source"]"#,
            "data.aws_caller_identity.current",
            "aws_rds_cluster.legacy",
            "aws_rds_cluster.old",
            "aws_ecs_task_definition.app[0]",
            "aws_ecs_task_definition.app[1]",
            "aws_iam_role.unused",
            "aws_security_group.imported",
        ])
        XCTAssertEqual(document.resourceChanges.map(\.action), [
            .noOp, .create, .read, .update, .delete, .deleteThenCreate, .createThenDelete, .forget, .noOp,
        ])
        let endpoint = document.resourceChanges[1]
        XCTAssertEqual(endpoint.address.modulePath, [ModuleStep(name: "dms", key: .string("eu"))])
        XCTAssertEqual(endpoint.address.key, .string("source"))
        XCTAssertEqual(endpoint.address.description, endpoint.addressText)
        XCTAssertEqual(document.resourceChanges[2].address.mode, .data)
        XCTAssertEqual(document.resourceChanges[2].actionReason, "read_because_config_unknown")
        XCTAssertEqual(document.resourceChanges[5].actionReason, "replace_because_cannot_update")
        XCTAssertEqual(document.resourceChanges[5].change.replacePaths, [[.attribute("container_definitions")]])
        XCTAssertEqual(document.resourceChanges[4].previousAddress, "aws_rds_cluster.older")
        XCTAssertTrue(document.resourceChanges[8].change.isImport)
        XCTAssertEqual(document.resourceDrift.map(\.addressText), ["aws_rds_cluster.legacy"])
        XCTAssertEqual(document.outputChanges.map(\.name), ["target_endpoint"])
        XCTAssertEqual(document.plannedResources.map(\.addressText), ["aws_s3_bucket.logs", #"module.dms["eu"].aws_dms_endpoint.this["source"]"#])
        XCTAssertEqual(document.priorResources.map(\.addressText), ["aws_rds_cluster.old"])
        let counts = Dictionary(uniqueKeysWithValues: document.actionCounts.map { ($0.action, $0.count) })
        XCTAssertEqual(counts[.noOp], 2)
        XCTAssertEqual(counts[.deleteThenCreate], 1)
        XCTAssertEqual(counts[.createThenDelete], 1)
        XCTAssertTrue(ChangeAction.createThenDelete.destroysExisting)
        XCTAssertFalse(ChangeAction.update.destroysExisting)
    }

    func testUnknownValuesAreTheirOwnCaseNeverNull() throws {
        let document = try readSingle(TerraformSamples.planWithEveryAction)
        let endpoint = document.resourceChanges[1].change.afterValue
        XCTAssertEqual(endpoint["server_name"], .unknown, "absent from after, true in after_unknown")
        XCTAssertEqual(endpoint["endpoint_arn"], .unknown)
        XCTAssertEqual(endpoint["tags"]?["Name"], .string("source"))
        XCTAssertEqual(endpoint["extra_connection_attributes"], .null, "a real null stays null")
        XCTAssertEqual(endpoint["certificate_arns"], .list([.string("arn:aws:acm:one"), .unknown]))
        XCTAssertTrue(endpoint.containsUnknown)
    }

    func testSensitiveValuesCompareButNeverPrint() throws {
        let document = try readSingle(TerraformSamples.planWithEveryAction)
        let after = document.resourceChanges[1].change.afterValue
        guard case .sensitive(let password)? = after["password"] else {
            return XCTFail("password should be sensitive, found \(String(describing: after["password"]))")
        }
        XCTAssertTrue(password.matches(.string("CANARY-hunter2")))
        XCTAssertFalse(password.matches(.string("something else")))
        guard case .sensitive(let unknownSecret)? = after["secrets_manager_arn"] else {
            return XCTFail("secrets_manager_arn is sensitive and unknown")
        }
        XCTAssertTrue(unknownSecret.isUnknown)

        var dumped = ""
        dump(after, to: &dumped)
        for rendering in [after.description, String(describing: after), String(reflecting: after), dumped,
                          "\(password)", String(reflecting: password)] {
            XCTAssertFalse(rendering.contains("CANARY"), "leaked in: \(rendering)")
        }
        XCTAssertTrue(after.description.contains(SensitiveValue.placeholder))

        let before = document.resourceChanges[3].change.beforeValue
        XCTAssertTrue(before["master_password"]?.isSensitive == true)
        XCTAssertFalse(String(reflecting: before).contains("CANARY"))
    }

    // MARK: - Configuration

    func testReferencesResolveAcrossModuleInputsAndOutputs() throws {
        let document = try readSingle(Self.planWithModules)
        let configuration = document.configuration
        let endpoint = try XCTUnwrap(configuration.resource(qualifiedAddress: "module.dms.aws_dms_endpoint.target"))
        XCTAssertEqual(endpoint.expressions["server_name"]?.references, ["var.target_host"])
        XCTAssertEqual(configuration.resolvedResources(ofAttribute: "server_name", of: endpoint), ["aws_rds_cluster.core"])

        let instance = try XCTUnwrap(configuration.resource(qualifiedAddress: "aws_rds_cluster_instance.reader"))
        XCTAssertEqual(configuration.resolvedResources(ofAttribute: "cluster_identifier", of: instance), ["module.db.aws_rds_cluster.this"])

        let direct = try XCTUnwrap(configuration.resource(qualifiedAddress: #"aws_rds_cluster_instance.core"#))
        XCTAssertEqual(configuration.resolvedResources(ofAttribute: "cluster_identifier", of: direct), ["aws_rds_cluster.core"])

        let rotation = try XCTUnwrap(configuration.resource(qualifiedAddress: "aws_secretsmanager_secret_rotation.target"))
        XCTAssertEqual(rotation.expressions["rotation_rules"]?.blocks.first?["schedule_expression"]?.constantValue?.string, "rate(400 days)")
        XCTAssertEqual(configuration.resolvedResources(ofAttribute: "secret_id", of: rotation), ["aws_rds_cluster.core"])
        XCTAssertEqual(configuration.resolvedResources(ofAttribute: "no_such_attribute", of: rotation), [])
        XCTAssertEqual(Configuration.splitReference(#"aws_rds_cluster.core.master_user_secret[0].secret_arn"#),
                       ["aws_rds_cluster", "core", "master_user_secret", "secret_arn"])
        XCTAssertEqual(Configuration.splitReference(#"module.x["a.b"].out"#), ["module", "x", "out"])
    }

    // MARK: - States

    func testRawStateBuildsAddressesFromCountForEachModulesAndData() throws {
        let document = try readSingle(Self.rawState)
        XCTAssertEqual(document.kind, .tfstate)
        XCTAssertEqual(document.terraformVersion, "1.9.5")
        XCTAssertEqual(document.plannedResources.map(\.addressText), [
            #"aws_rds_cluster_instance.core["primary-1"]"#,
            #"aws_rds_cluster_instance.core["primary-2"]"#,
            "module.dms.aws_dms_endpoint.source[0]",
            "data.aws_caller_identity.current",
        ])
        let endpoint = document.plannedResources[2].value
        XCTAssertTrue(endpoint["password"]?.isSensitive == true)
        XCTAssertEqual(endpoint["server_name"], .string("old.cluster-abc.eu-west-2.rds.amazonaws.com"))
        XCTAssertFalse(String(reflecting: endpoint).contains("CANARY"))
    }

    func testShowJSONStateWalksChildModules() throws {
        let document = try readSingle(TerraformSamples.showState)
        XCTAssertEqual(document.kind, .state)
        XCTAssertEqual(document.plannedResources.map(\.addressText), [
            "aws_rds_cluster.core", #"module.dms["eu"].aws_dms_endpoint.this["target"]"#, #"module.dms["eu"].module.inner.aws_s3_bucket.b"#,
        ])
        XCTAssertEqual(document.plannedResources[2].address.modulePath.count, 2)
        XCTAssertTrue(document.plannedResources[1].value["password"]?.isSensitive == true)
    }

    func testExplicitInputKindMustMatch() throws {
        XCTAssertNoThrow(try TerraformReader.read(text: TerraformSamples.showState, expecting: .state))
        XCTAssertThrowsError(try TerraformReader.read(text: TerraformSamples.showState, expecting: .plan)) { error in
            let message = (error as? InputError)?.message ?? ""
            XCTAssertTrue(message.contains("expected a plan"), message)
            XCTAssertTrue(message.contains("this is a state"), message)
        }
        XCTAssertThrowsError(try TerraformReader.read(text: Self.rawState, expecting: .state))
    }

    private func readSingle(_ text: String) throws -> TerraformDocument {
        let documents = try TerraformReader.read(text: text, file: "test.json")
        XCTAssertEqual(documents.count, 1)
        return try XCTUnwrap(documents.first)
    }

    // MARK: - Documents

    static let planWithModules = #"""
    {"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"resource_changes":[],
     "configuration":{"provider_config":{"aws":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws"}},"root_module":{
      "resources":[
       {"address":"aws_rds_cluster.core","mode":"managed","type":"aws_rds_cluster","name":"core","provider_config_key":"aws","expressions":{"engine":{"constant_value":"aurora-postgresql"}},"schema_version":0},
       {"address":"aws_rds_cluster_instance.core","mode":"managed","type":"aws_rds_cluster_instance","name":"core","provider_config_key":"aws","expressions":{"cluster_identifier":{"references":["aws_rds_cluster.core.id","aws_rds_cluster.core"]},"promotion_tier":{"constant_value":1}},"schema_version":0,"for_each_expression":{"references":["local.instances"]}},
       {"address":"aws_rds_cluster_instance.reader","mode":"managed","type":"aws_rds_cluster_instance","name":"reader","provider_config_key":"aws","expressions":{"cluster_identifier":{"references":["module.db.cluster_id","module.db"]}},"schema_version":0},
       {"address":"aws_secretsmanager_secret_rotation.target","mode":"managed","type":"aws_secretsmanager_secret_rotation","name":"target","provider_config_key":"aws","expressions":{"rotate_immediately":{"constant_value":false},"rotation_rules":[{"schedule_expression":{"constant_value":"rate(400 days)"}}],"secret_id":{"references":["aws_rds_cluster.core.master_user_secret[0].secret_arn","aws_rds_cluster.core.master_user_secret[0]","aws_rds_cluster.core.master_user_secret","aws_rds_cluster.core"]}},"schema_version":0}],
      "module_calls":{
       "dms":{"source":"./modules/dms","expressions":{"target_host":{"references":["aws_rds_cluster.core.endpoint","aws_rds_cluster.core"]}},"module":{
         "resources":[{"address":"aws_dms_endpoint.target","mode":"managed","type":"aws_dms_endpoint","name":"target","provider_config_key":"aws","expressions":{"endpoint_type":{"constant_value":"target"},"server_name":{"references":["var.target_host"]}},"schema_version":0}],
         "variables":{"target_host":{}}}},
       "db":{"source":"./modules/db","module":{
         "outputs":{"cluster_id":{"expression":{"references":["aws_rds_cluster.this.id","aws_rds_cluster.this"]}}},
         "resources":[{"address":"aws_rds_cluster.this","mode":"managed","type":"aws_rds_cluster","name":"this","provider_config_key":"aws","expressions":{},"schema_version":0}]}}}}}}
    """#

    static let rawState = #"""
    {"version":4,"terraform_version":"1.9.5","serial":7,"lineage":"3f0c6d5e-0000-4000-8000-000000000000","outputs":{},
     "resources":[
      {"mode":"managed","type":"aws_rds_cluster_instance","name":"core","provider":"provider[\"registry.terraform.io/hashicorp/aws\"]","instances":[
        {"index_key":"primary-1","schema_version":0,"attributes":{"promotion_tier":1},"sensitive_attributes":[]},
        {"index_key":"primary-2","schema_version":0,"attributes":{"promotion_tier":1},"sensitive_attributes":[]}]},
      {"module":"module.dms","mode":"managed","type":"aws_dms_endpoint","name":"source","provider":"provider[\"registry.terraform.io/hashicorp/aws\"]","instances":[
        {"index_key":0,"schema_version":0,"attributes":{"password":"CANARY-raw","server_name":"old.cluster-abc.eu-west-2.rds.amazonaws.com"},"sensitive_attributes":[[{"type":"get_attr","value":"password"}]]}]},
      {"mode":"data","type":"aws_caller_identity","name":"current","provider":"provider[\"registry.terraform.io/hashicorp/aws\"]","instances":[{"schema_version":0,"attributes":{"account_id":"123456789012"},"sensitive_attributes":[]}]}],
     "check_results":null}
    """#
}
