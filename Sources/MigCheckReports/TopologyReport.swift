import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// `migcheck topology`: the picture as migcheck sees it.
public enum TopologyReport {
    public static func render(_ picture: MigrationPicture, style: TextStyle) -> String {
        var lines: [String] = [style.bold(TextEscaping.visible(TextReport.header(picture.document)))]
        func line(_ text: String) { lines.append(TextEscaping.visible(text)) }
        for cluster in picture.clusters {
            let role = picture.source?.addressText == cluster.addressText ? "source" : picture.target?.addressText == cluster.addressText ? "target" : "cluster"
            let reason = (role == "source" ? picture.roleReasons[.source] : role == "target" ? picture.roleReasons[.target] : nil).map { " – \($0)" } ?? ""
            line("\(role): \(cluster.addressText) [\(cluster.resource.action)]\(reason)")
            let engine = [cluster.resource.attribute("engine"), cluster.resource.attribute("engine_version")]
                .map { $0.map(describe) ?? "not set" }.joined(separator: " ")
            line("  engine: \(engine)")
            for instance in cluster.instances {
                line("  instance: \(instance.addressText) [\(instance.action)] promotion_tier \(instance.attribute("promotion_tier").map(describe) ?? "not set")")
            }
            if let group = cluster.parameterGroup {
                line("  parameter group: \(group.resource.addressText) [\(group.resource.action)] (\(cluster.parameterGroupMatch ?? "matched"))")
                for (name, parameter) in (group.parameters ?? [:]).sorted(by: { $0.key < $1.key }) {
                    line("    \(name) = \(describe(parameter.value)) (\(parameter.applyMethod.map(describe) ?? "no apply_method"))")
                }
                if group.parametersUnknown { line("    (parameters unknown until apply)") }
            } else {
                line("  parameter group: \(cluster.resource.attribute("db_cluster_parameter_group_name").map(describe) ?? "none") (not in this document)")
            }
            line("  secret: \(cluster.masterSecretARN.map(describe) ?? "none")")
            for rotation in cluster.rotations {
                let schedule = rotation.attribute("rotation_rules[0].schedule_expression").map(describe) ?? "not set"
                line("  rotation: \(rotation.addressText) [\(rotation.action)] schedule \(schedule)")
            }
        }
        if picture.clusters.isEmpty { line("no aws_rds_cluster in this document") }
        for instance in picture.unmatchedInstances {
            line("instance not matched to a cluster: \(instance.addressText)")
        }
        for (label, views) in [("DMS replication instance", picture.dmsReplicationInstances), ("DMS endpoint", picture.dmsEndpoints),
                               ("DMS task", picture.dmsTasks)] {
            for view in views {
                var text = "\(label): \(view.addressText) [\(view.action)]"
                if label == "DMS endpoint" {
                    let match = picture.clusterAddressed(byEndpoint: view)
                    text += " \(picture.endpointType(view) ?? "?") → \(match.cluster?.addressText ?? "no cluster") (\(match.how))"
                }
                if label == "DMS task" { text += " migration_type \(view.attribute("migration_type").map(describe) ?? "not set")" }
                line(text)
            }
        }
        if picture.dmsTasks.isEmpty { line("no DMS replication task in this document") }
        return lines.joined(separator: "\n")
    }

    package static func describe(_ value: TerraformValue) -> String {
        switch value {
        case .string(let text): return text
        default: return value.description
        }
    }
}
