import MigCheckFoundation
import MigCheckReading

/// Whether a document holds anything of an Aurora PostgreSQL migration at all. A monorepo's
/// unrelated stack, a `terraform_data`-only plan or another cloud's plan has no source or target
/// to judge: inferring a phase for it would only produce findings about things it never meant
/// to have. When the user names a phase or a cluster, this is not asked (a broken migration
/// must not hide as "no migration").
public enum MigrationPresence {
    /// The engine of the clusters a migration is about.
    package static let engine = "aurora-postgresql"

    /// nil when the document holds an Aurora PostgreSQL cluster (or one whose engine cannot be
    /// read), a cluster instance of that engine, an AWS DMS resource, or a cluster parameter
    /// group that sets `rds.logical_replication` or `session_replication_role`; otherwise the
    /// sentence that says what was looked for, starting `no migration in this plan: …`.
    public static func absence(in picture: MigrationPicture) -> String? {
        for cluster in picture.clusters where mayBeAuroraPostgreSQL(cluster.resource) { return nil }
        var otherClusters: [String] = []
        for view in picture.resources where view.isManaged {
            if view.type.hasPrefix("aws_dms_") { return nil }
            if view.type == "aws_rds_cluster_instance", isAuroraPostgreSQL(view) { return nil }
            if view.type == "aws_rds_cluster" { otherClusters.append(view.addressText) }
        }
        for group in picture.parameterGroups {
            for parameters in [group.parameters, group.parametersBefore] {
                guard let parameters else { continue }
                if parameters["rds.logical_replication"] != nil || parameters["session_replication_role"] != nil { return nil }
            }
        }
        let kind = picture.isPlan ? "plan" : "state"
        let count = picture.resources.count
        var text = "no migration in this \(kind): no Aurora PostgreSQL cluster (aws_rds_cluster with engine \(engine)), "
            + "no AWS DMS resource (aws_dms_*) and no cluster parameter group setting rds.logical_replication or "
            + "session_replication_role among its \(count) resource\(count == 1 ? "" : "s")"
        if !otherClusters.isEmpty {
            let shown = otherClusters.prefix(3).joined(separator: ", ") + (otherClusters.count > 3 ? " and \(otherClusters.count - 3) more" : "")
            text += " (\(shown) run\(otherClusters.count == 1 ? "s" : "") another engine)"
        }
        return text + "; nothing was checked. Name the phase (--phase or the policy) or the clusters (--source/--target) to check it as a migration"
    }

    /// Engine aurora-postgresql before or after the change, or an engine that cannot be read
    /// (unknown, sensitive, absent): only a known other engine rules a cluster out.
    static func mayBeAuroraPostgreSQL(_ view: ResourceView) -> Bool {
        var known: [String] = []
        for side in [view.before, view.after] {
            guard let side else { continue }
            guard let engine = side["engine"], let text = engine.unmaskedString else { return true }
            known.append(text)
        }
        return known.isEmpty || known.contains(engine)
    }

    private static func isAuroraPostgreSQL(_ view: ResourceView) -> Bool {
        [view.before, view.after].contains { $0?["engine"]?.unmaskedString == engine }
    }
}
