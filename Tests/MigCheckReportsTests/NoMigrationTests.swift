import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckTestSupport

/// A plan with nothing of a migration in it (a monorepo's unrelated stack, a `terraform_data`-only
/// plan, another cloud's plan) gets one line that says so, and passes under every `--fail-on`;
/// naming a phase or a cluster still judges it as a migration, so a broken one cannot hide.
final class NoMigrationTests: XCTestCase {
    /// The same Terraform and hashicorp/aws 5.100.0: a `terraform_data` and an Aurora MySQL cluster.
    static let auroraMySQLPlan = #"""
{"format_version":"1.2","terraform_version":"1.11.4","planned_values":{"root_module":{"resources":[{"address":"aws_rds_cluster.reports","mode":"managed","type":"aws_rds_cluster","name":"reports","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":1,"values":{"allow_major_version_upgrade":null,"backtrack_window":null,"cluster_identifier":"reports","copy_tags_to_snapshot":false,"db_cluster_instance_class":null,"db_instance_parameter_group_name":null,"delete_automated_backups":true,"deletion_protection":null,"domain":null,"domain_iam_role_name":null,"enable_global_write_forwarding":false,"enable_http_endpoint":false,"enable_local_write_forwarding":false,"enabled_cloudwatch_logs_exports":null,"engine":"aurora-mysql","engine_mode":"provisioned","final_snapshot_identifier":null,"global_cluster_identifier":null,"iam_database_authentication_enabled":null,"iops":null,"manage_master_user_password":null,"master_password":null,"master_password_wo":null,"master_password_wo_version":null,"performance_insights_enabled":null,"replication_source_identifier":null,"restore_to_point_in_time":[],"s3_import":[],"scaling_configuration":[],"serverlessv2_scaling_configuration":[],"skip_final_snapshot":false,"snapshot_identifier":null,"source_region":null,"tags":null,"timeouts":null},"sensitive_values":{"availability_zones":[],"cluster_members":[],"iam_roles":[],"master_password":true,"master_password_wo":true,"master_user_secret":[],"restore_to_point_in_time":[],"s3_import":[],"scaling_configuration":[],"serverlessv2_scaling_configuration":[],"tags_all":{},"vpc_security_group_ids":[]}},{"address":"terraform_data.release","mode":"managed","type":"terraform_data","name":"release","provider_name":"terraform.io/builtin/terraform","schema_version":0,"values":{"input":"v1","triggers_replace":null},"sensitive_values":{}}]}},"resource_changes":[{"address":"aws_rds_cluster.reports","mode":"managed","type":"aws_rds_cluster","name":"reports","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["create"],"before":null,"after":{"allow_major_version_upgrade":null,"backtrack_window":null,"cluster_identifier":"reports","copy_tags_to_snapshot":false,"db_cluster_instance_class":null,"db_instance_parameter_group_name":null,"delete_automated_backups":true,"deletion_protection":null,"domain":null,"domain_iam_role_name":null,"enable_global_write_forwarding":false,"enable_http_endpoint":false,"enable_local_write_forwarding":false,"enabled_cloudwatch_logs_exports":null,"engine":"aurora-mysql","engine_mode":"provisioned","final_snapshot_identifier":null,"global_cluster_identifier":null,"iam_database_authentication_enabled":null,"iops":null,"manage_master_user_password":null,"master_password":null,"master_password_wo":null,"master_password_wo_version":null,"performance_insights_enabled":null,"replication_source_identifier":null,"restore_to_point_in_time":[],"s3_import":[],"scaling_configuration":[],"serverlessv2_scaling_configuration":[],"skip_final_snapshot":false,"snapshot_identifier":null,"source_region":null,"tags":null,"timeouts":null},"after_unknown":{"allocated_storage":true,"apply_immediately":true,"arn":true,"availability_zones":true,"backup_retention_period":true,"ca_certificate_identifier":true,"ca_certificate_valid_till":true,"cluster_identifier_prefix":true,"cluster_members":true,"cluster_resource_id":true,"cluster_scalability_type":true,"database_insights_mode":true,"database_name":true,"db_cluster_parameter_group_name":true,"db_subnet_group_name":true,"db_system_id":true,"endpoint":true,"engine_lifecycle_support":true,"engine_version":true,"engine_version_actual":true,"hosted_zone_id":true,"iam_roles":true,"id":true,"kms_key_id":true,"master_user_secret":true,"master_user_secret_kms_key_id":true,"master_username":true,"monitoring_interval":true,"monitoring_role_arn":true,"network_type":true,"performance_insights_kms_key_id":true,"performance_insights_retention_period":true,"port":true,"preferred_backup_window":true,"preferred_maintenance_window":true,"reader_endpoint":true,"restore_to_point_in_time":[],"s3_import":[],"scaling_configuration":[],"serverlessv2_scaling_configuration":[],"storage_encrypted":true,"storage_type":true,"tags_all":true,"vpc_security_group_ids":true},"before_sensitive":false,"after_sensitive":{"availability_zones":[],"cluster_members":[],"iam_roles":[],"master_password":true,"master_password_wo":true,"master_user_secret":[],"restore_to_point_in_time":[],"s3_import":[],"scaling_configuration":[],"serverlessv2_scaling_configuration":[],"tags_all":{},"vpc_security_group_ids":[]}}},{"address":"terraform_data.release","mode":"managed","type":"terraform_data","name":"release","provider_name":"terraform.io/builtin/terraform","change":{"actions":["create"],"before":null,"after":{"input":"v1","triggers_replace":null},"after_unknown":{"id":true,"output":true},"before_sensitive":false,"after_sensitive":{}}}],"configuration":{"provider_config":{"aws":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws","expressions":{"skip_credentials_validation":{"constant_value":true},"skip_metadata_api_check":{"constant_value":true},"skip_requesting_account_id":{"constant_value":true}}},"terraform":{"name":"terraform","full_name":"terraform.io/builtin/terraform"}},"root_module":{"resources":[{"address":"aws_rds_cluster.reports","mode":"managed","type":"aws_rds_cluster","name":"reports","provider_config_key":"aws","expressions":{"cluster_identifier":{"constant_value":"reports"},"engine":{"constant_value":"aurora-mysql"}},"schema_version":1},{"address":"terraform_data.release","mode":"managed","type":"terraform_data","name":"release","provider_config_key":"terraform","expressions":{"input":{"constant_value":"v1"}},"schema_version":0}]}},"timestamp":"2026-12-04T19:30:30Z","applyable":true,"complete":true,"errored":false}
"""#

    static func evaluations(_ text: String, file: String = "plan.json", phase: Phase? = nil, policy: Policy = .builtInDefault,
                            source: String? = nil) throws -> [Evaluation] {
        try TerraformReader.read(text: text, file: file).map { document in
            Evaluator.evaluate(try PictureBuilder.build(document, source: source), phase: phase, policy: policy)
        }
    }

    func testATerraformDataPlanIsNoMigrationAndPassesEveryThreshold() throws {
        let evaluation = try XCTUnwrap(Self.evaluations(TerraformSamples.terraformDataPlan).first)
        XCTAssertFalse(evaluation.isMigration)
        XCTAssertEqual(evaluation.findings, [])
        XCTAssertEqual(evaluation.rulesRun.count, 0)
        let note = try XCTUnwrap(evaluation.noMigration)
        XCTAssertTrue(note.hasPrefix("no migration in this plan: no Aurora PostgreSQL cluster (aws_rds_cluster with engine aurora-postgresql), "
            + "no AWS DMS resource (aws_dms_*) and no cluster parameter group setting rds.logical_replication or session_replication_role"), note)
        for threshold in FailThreshold.allCases {
            XCTAssertFalse(ReportInput(evaluations: [evaluation], failOn: threshold).fails, "\(threshold)")
        }
        XCTAssertEqual(evaluation.considered, [])
    }

    func testAnAuroraMySQLClusterIsNotAMigrationAndTheLineSaysWhy() throws {
        let evaluation = try XCTUnwrap(Self.evaluations(Self.auroraMySQLPlan).first)
        let note = try XCTUnwrap(evaluation.noMigration)
        XCTAssertTrue(note.contains("(aws_rds_cluster.reports runs another engine)"), note)
        XCTAssertFalse(ReportInput(evaluations: [evaluation], failOn: .warning).fails)
    }

    func testEveryReportFormatSaysSo() throws {
        let evaluation = try XCTUnwrap(Self.evaluations(TerraformSamples.terraformDataPlan, file: "stack/plan.json").first)
        let input = ReportInput(evaluations: [evaluation], failOn: .warning, timestamp: "2026-12-01T10:00:00", hostname: "ci")
        let text = Reports.render(.text, input)
        XCTAssertEqual(text.split(separator: "\n").filter { $0.contains("no migration in this plan: ") }.count, 1, text)
        XCTAssertTrue(text.hasSuffix("0 errors, 0 warnings, 0 unverified in 1 resource; no migration\n"), text)
        XCTAssertFalse(text.contains("phase prepare"), text)

        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(Reports.render(.json, input).utf8)) as? [String: Any])
        XCTAssertEqual(json["result"] as? String, "pass")
        let document = try XCTUnwrap((json["documents"] as? [[String: Any]])?.first)
        XCTAssertEqual(document["migration"] as? Bool, false)
        XCTAssertTrue(document["phase"] is NSNull)
        XCTAssertTrue((document["note"] as? String)?.hasPrefix("no migration in this plan: ") == true, "\(document)")

        let sarif = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(Reports.render(.sarif, input).utf8)) as? [String: Any])
        let run = try XCTUnwrap((sarif["runs"] as? [[String: Any]])?.first)
        XCTAssertEqual((run["results"] as? [Any])?.count, 0)
        XCTAssertEqual((run["properties"] as? [String: Any])?["migration"] as? Bool, false)
        let notifications = ((run["invocations"] as? [[String: Any]])?.first?["toolExecutionNotifications"] as? [[String: Any]]) ?? []
        XCTAssertEqual(notifications.compactMap { ($0["descriptor"] as? [String: Any])?["id"] as? String }, ["migcheck/no-migration"])
        XCTAssertEqual((run["automationDetails"] as? [String: Any])?["id"] as? String, "migcheck/no-migration/stack/plan.json/")

        let junit = Reports.render(.junit, input)
        XCTAssertTrue(junit.contains("<testsuite name=\"migcheck no-migration\""), junit)
        XCTAssertTrue(junit.contains("tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\""), junit)
        XCTAssertTrue(junit.contains("<skipped message=\"no migration in this plan: "), junit)
        XCTAssertFalse(junit.contains("MIG0"), "no rule suite for a plan that is no migration")

        let markdown = Reports.render(.markdown, input)
        XCTAssertTrue(markdown.contains("| no migration | 0 | 0 | 0 | 0 | 0 | 1 | ✅ passes |"), markdown)
        XCTAssertTrue(markdown.contains("No migration in this plan: "), markdown)

        let github = Reports.render(.github, input)
        XCTAssertTrue(github.hasPrefix("::notice file=stack/plan.json,title=migcheck%3A no migration::stack/plan.json: no migration in this plan: "), github)
    }

    func testANamedPhaseOrClusterStillJudgesItAsAMigration() throws {
        let named = try XCTUnwrap(Self.evaluations(TerraformSamples.terraformDataPlan, phase: .cutover).first)
        XCTAssertTrue(named.isMigration)
        XCTAssertTrue(ReportInput(evaluations: [named], failOn: .warning).fails, "the findings that say what is missing")
        XCTAssertTrue(named.findings.contains { $0.kind == .open && $0.message.contains("no source cluster") }, "\(named.findings.map(\.message))")

        var policy = Policy.builtInDefault
        policy.phase = .fullLoad
        let fromPolicy = try XCTUnwrap(Self.evaluations(TerraformSamples.terraformDataPlan, policy: policy).first)
        XCTAssertTrue(fromPolicy.isMigration)
        XCTAssertTrue(ReportInput(evaluations: [fromPolicy], failOn: .warning).fails)

        var sourceOnly = Policy.builtInDefault
        sourceOnly.source = "aws_rds_cluster.reports"
        let declared = try XCTUnwrap(Self.evaluations(Self.auroraMySQLPlan, policy: sourceOnly, source: "aws_rds_cluster.reports").first)
        XCTAssertTrue(declared.isMigration, "a named source is a migration, whatever its engine")
        XCTAssertTrue(ReportInput(evaluations: [declared], failOn: .warning).fails)
    }

    /// Independent of migcheck: a public fixture whose bytes never name an RDS cluster or a DMS resource.
    static func holdsNoAuroraCluster(_ url: URL) -> Bool {
        guard let data = try? Data(contentsOf: url) else { return false }
        let text = String(decoding: data, as: UTF8.self)
        return !text.contains("aws_rds_cluster") && !text.contains("aws_dms_") && !text.contains("session_replication_role")
    }

    func testPublicFixturesWithoutAnAuroraClusterNeverFailWithoutADeclaredPhase() throws {
        let directory = try SharedFixtures.publicFixtures()
        let files = (FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { ["json", "tfstate"].contains($0.pathExtension) }.sorted { $0.path < $1.path }
        var checked = 0
        for url in files where Self.holdsNoAuroraCluster(url) {
            guard let documents = try? TerraformReader.read(path: url.path), !documents.isEmpty else { continue }  // bad input: exit 2, tested elsewhere
            for document in documents {
                let picture = try PictureBuilder.build(document)
                let inferred = Evaluator.evaluate(picture, phase: nil)
                XCTAssertFalse(inferred.isMigration, "\(url.lastPathComponent): \(inferred.phaseReason)")
                XCTAssertFalse(ReportInput(evaluations: [inferred], failOn: .warning).fails,
                               "\(url.lastPathComponent) fails --fail-on warning without a declared phase: \(inferred.findings.map(\.message))")
                let cutover = Evaluator.evaluate(picture, phase: .cutover)
                XCTAssertTrue(ReportInput(evaluations: [cutover], failOn: .warning).fails,
                              "\(url.lastPathComponent) with --phase cutover must still report what is missing")
                XCTAssertTrue(cutover.findings.contains { $0.kind == .open }, url.lastPathComponent)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 30, "public fixtures without an Aurora cluster")
    }

    func testAMigrationIsStillAMigration() throws {
        let root = PackagePaths.packageRoot.appendingPathComponent("Fixtures")
        for path in ["prepare/plan.json", "cleanup/terraform.tfstate", "rules/MIG010-target-endpoint-on-source.full-load.plan.json"] {
            let document = try XCTUnwrap(TerraformReader.read(path: root.appendingPathComponent(path).path).first)
            let evaluation = Evaluator.evaluate(try PictureBuilder.build(document), phase: nil)
            XCTAssertTrue(evaluation.isMigration, path)
            XCTAssertFalse(evaluation.rulesRun.isEmpty, path)
        }
        // A DMS endpoint alone (the clusters in another stack) is a migration too.
        var plan = MigrationExamples.healthy(.fullLoad)
        let clusterTypes: Set = ["aws_rds_cluster", "aws_rds_cluster_instance", "aws_rds_cluster_parameter_group"]
        plan.resources.removeAll { clusterTypes.contains($0.parsedAddress.type) }
        let evaluation = try XCTUnwrap(Self.evaluations(plan.planJSON).first)
        XCTAssertTrue(evaluation.isMigration, evaluation.phaseReason)
    }

    func testTheNoMigrationSARIFAndJUnitAreValid() throws {
        let evaluation = try XCTUnwrap(Self.evaluations(TerraformSamples.terraformDataPlan, file: "stack/plan.json").first)
        let input = ReportInput(evaluations: [evaluation], failOn: .warning, timestamp: "2026-12-01T10:00:00", hostname: "ci")
        try ReportFixtures.assertValidSARIF(Reports.render(.sarif, input), named: "no-migration.sarif")
        try ReportFixtures.assertValidJUnit(Reports.render(.junit, input), named: "no-migration.xml")
    }
}
