import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG001: the target runs the same engine and version as the source, and every
/// parameter group family and instance agrees with its cluster.
public struct EngineVersionMatchRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        id: "MIG001",
        name: "engine-version-match",
        title: "Source and target run the same engine and engine version",
        rationale: "DMS replicates between like engines; a target on another major version changes planner and "
            + "catalog behaviour under the full load, and a parameter group whose family does not match its "
            + "cluster's engine and major version is rejected by AWS, so the apply stops halfway.",
        runbookStep: "prepare: target cluster; prepare: target parameter group",
        phases: [.prepare, .fullLoad, .cutover],
        judgedAttributes: [
            "aws_rds_cluster.engine",
            "aws_rds_cluster.engine_version",
            "aws_rds_cluster.db_cluster_parameter_group_name",
            "aws_rds_cluster_parameter_group.family",
            "aws_rds_cluster_instance.engine",
            "aws_rds_cluster_instance.engine_version",
        ],
        triggeringExamples: [
            .plan("target on an older engine version", .prepare,
                  MigrationExamples.healthy(.prepare).setting(MigrationExamples.target, "engine_version", to: "15.4")),
            .plan("target on another engine", .fullLoad,
                  MigrationExamples.healthy(.fullLoad).setting(MigrationExamples.target, "engine", to: "aurora-mysql", beforeToo: true)),
            .plan("target parameter group family of another major version", .prepare,
                  MigrationExamples.healthy(.prepare).setting(MigrationExamples.targetGroup, "family", to: "aurora-postgresql15")),
            .plan("an instance on another version than its cluster", .prepare,
                  MigrationExamples.healthy(.prepare).setting(MigrationExamples.targetInstances[0], "engine_version", to: "16.2")),
        ],
        nonTriggeringExamples: [
            .plan("same engine and version on both sides", .prepare, MigrationExamples.healthy(.prepare)),
            .plan("full load with matching versions", .fullLoad, MigrationExamples.healthy(.fullLoad)),
            .state("state after cutover", .cutover, MigrationExamples.healthy(.cutover)),
        ])

    public func evaluate(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        let picture = context.picture
        guard let source = picture.source else { return [context.missing(.source, needed: "the engine versions")] }
        guard let target = picture.target else { return [context.missing(.target, needed: "the engine versions")] }

        for attribute in ["engine", "engine_version"] {
            let sourceValue = source.resource.attribute(attribute)
            let targetValue = target.resource.attribute(attribute)
            guard let sourceShown = Self.comparable(sourceValue), let targetShown = Self.comparable(targetValue) else {
                let unknownSide = Self.comparable(sourceValue) == nil ? source : target
                findings.append(context.unverified("\(attribute) of \(unknownSide.addressText) is \(Self.describe(unknownSide.resource.attribute(attribute))), so it cannot be compared", about: unknownSide.resource))
                continue
            }
            // A sensitive side is compared as it is, and named only as sensitive.
            if Self.differ(sourceValue, targetValue) {
                findings.append(context.finding("target \(attribute) \(targetShown) differs from the source's \(sourceShown) (\(source.addressText)), so DMS replicates between mismatched engines; set the target's \(attribute) to the source's", about: target.resource))
            }
        }
        for cluster in [source, target] {
            findings += familyFindings(cluster, context)
            findings += instanceFindings(cluster, context)
        }
        return findings
    }

    private func familyFindings(_ cluster: ClusterView, _ context: RuleContext) -> [Finding] {
        // Sensitive values are judged as plain ones; a message then names the cluster's engine and version, not their values.
        let engineValue = cluster.resource.attribute("engine")
        let versionValue = cluster.resource.attribute("engine_version")
        guard let engine = engineValue?.unmaskedString, let version = versionValue?.unmaskedString,
              let major = version.split(separator: ".").first else { return [] }
        let expected = engine + major
        let clusterHidden = engineValue?.isSensitive == true || versionValue?.isSensitive == true
        let running = clusterHidden ? "its sensitive engine and version" : "\(engine) \(version)"
        if let group = cluster.parameterGroup {
            let familyValue = group.resource.attribute("family")
            guard let family = familyValue?.unmaskedString else {
                return [context.unverified("family of \(group.resource.addressText) is \(EngineVersionMatchRule.describe(familyValue)), so it cannot be compared", about: group.resource)]
            }
            if family != expected {
                let shownFamily = familyValue?.isSensitive == true ? "(sensitive)" : JSONQuoting.quoted(family)
                let shownExpected = clusterHidden ? "the family of the cluster's engine and major version" : JSONQuoting.quoted(expected)
                return [context.finding("parameter group family \(shownFamily) does not match \(cluster.addressText) (\(running)), so AWS refuses to attach the group; set family = \(shownExpected)", about: group.resource)]
            }
        } else {
            let nameValue = cluster.resource.attribute("db_cluster_parameter_group_name")
            guard let name = nameValue?.unmaskedString, name.hasPrefix("default.") else { return [] }
            let family = String(name.dropFirst("default.".count))
            if family != expected {
                let shownName = nameValue?.isSensitive == true ? "(sensitive)" : JSONQuoting.quoted(name)
                let shownExpected = clusterHidden ? "the default group of the cluster's engine and major version" : JSONQuoting.quoted("default." + expected)
                return [context.finding("default parameter group \(shownName) does not match \(running), so AWS refuses to attach it; use \(shownExpected) or a custom group of that family", about: cluster.resource)]
            }
        }
        return []
    }

    private func instanceFindings(_ cluster: ClusterView, _ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for instance in cluster.instances where instance.hasAfter {
            for attribute in ["engine", "engine_version"] {
                let expectedValue = cluster.resource.attribute(attribute)
                let actualValue = instance.attribute(attribute)
                guard let expected = expectedValue?.unmaskedString,
                      let actual = actualValue?.unmaskedString, !actual.isEmpty else { continue }
                // An instance may name just the major version; its cluster decides the rest.
                if actual != expected, !(attribute == "engine_version" && expected.hasPrefix(actual + ".")) {
                    let shownActual = actualValue?.isSensitive == true ? SensitiveValue.placeholder : JSONQuoting.quoted(actual)
                    let shownExpected = expectedValue?.isSensitive == true ? SensitiveValue.placeholder : JSONQuoting.quoted(expected)
                    findings.append(context.finding("instance \(attribute) \(shownActual) differs from its cluster \(cluster.addressText) (\(shownExpected)), so AWS refuses to add it to the cluster; set \(attribute) to the cluster's or leave it out", about: instance))
                }
            }
        }
        return findings
    }

    /// How a known string (or a sensitive one) is shown in a message; nil when it cannot be compared.
    package static func comparable(_ value: TerraformValue?) -> String? {
        switch value {
        case .sensitive(let hidden)?:
            return hidden.isUnknown ? nil : SensitiveValue.placeholder
        default:
            return value?.stringValue.map { JSONQuoting.quoted($0) }
        }
    }

    /// Whether two comparable values differ; a sensitive one is compared without being revealed.
    package static func differ(_ a: TerraformValue?, _ b: TerraformValue?) -> Bool {
        switch (a, b) {
        case (.sensitive(let hidden)?, let other?), (let other?, .sensitive(let hidden)?):
            if case .sensitive(let otherHidden) = other { return hidden != otherHidden }
            return !hidden.matches(other)
        default:
            return a != b
        }
    }

    package static func describe(_ value: TerraformValue?) -> String {
        switch value {
        case .none, .null?: return "not set"
        case .unknown?: return "unknown until apply"
        case .sensitive(let hidden)?: return hidden.isUnknown ? "unknown until apply" : "sensitive"
        default: return "not a string"
        }
    }
}
