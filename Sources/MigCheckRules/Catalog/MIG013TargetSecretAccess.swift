import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// MIG013: the services can read the target's credentials: some IAM policy in the plan
/// allows `secretsmanager:GetSecretValue` on the target cluster's master secret.
public struct TargetSecretAccessRule: Rule {
    public init() {}

    static let readAction = PolicyDocumentSource.readAction

    public static let description = RuleDescription(
        id: "MIG013",
        name: "target-secret-access",
        title: "The services may read the target cluster's master secret",
        rationale: "From the switchover on, every ECS task reads its database credentials from the target's "
            + "RDS-managed master secret; the task execution role must be allowed secretsmanager:GetSecretValue on "
            + "that secret, or the new tasks fail to start (ResourceInitializationError) the moment the services are "
            + "pointed at the target, while the old tasks on the source are already being replaced.",
        runbookStep: "prepare: schema-prep service and secret access; cutover: services point at the target",
        phases: [.prepare, .fullLoad, .cutover, .cleanup],
        judgedAttributes: [
            "aws_iam_policy.policy",
            "aws_rds_cluster.master_user_secret",
            "aws_rds_cluster.master_user_secret[0].secret_arn",
        ],
        triggeringExamples: [
            .plan("the policy grants the source's secret instead of the target's", .fullLoad,
                  MigrationExamples.healthy(.fullLoad)
                    .setting(MigrationExamples.secretsPolicy, "policy",
                             to: .string(MigrationExamples.secretsPolicy(MigrationExamples.sourceSecret)), beforeToo: true)),
            .plan("a wildcard that matches only the source's secrets", .cutover,
                  MigrationExamples.healthy(.cutover)
                    .setting(MigrationExamples.secretsPolicy, "policy",
                             to: .string(MigrationExamples.secretsPolicy("arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!cluster-legacy-*")),
                             beforeToo: true)),
            .plan("an explicit deny on the target's secret", .cutover,
                  MigrationExamples.healthy(.cutover)
                    .setting(MigrationExamples.secretsPolicy, "policy", to: .string(denyingPolicy), beforeToo: true)),
            .plan("target created in this plan, but the policy names only the source's exact secret ARN", .prepare,
                  MigrationExamples.healthy(.prepare)
                    .setting(MigrationExamples.secretsPolicy, "policy", to: .string(MigrationExamples.secretsPolicy(MigrationExamples.sourceSecret)))
                    .settingReferences(MigrationExamples.secretsPolicy, "policy", to: nil)),
            .plan("target created in this plan, but the policy grants only a name pattern no RDS-managed rds!cluster- secret can match", .prepare,
                  MigrationExamples.healthy(.prepare)
                    .setting(MigrationExamples.secretsPolicy, "policy",
                             to: .string(MigrationExamples.secretsPolicy("arn:aws:secretsmanager:eu-west-2:123456789012:secret:app/*")))
                    .settingReferences(MigrationExamples.secretsPolicy, "policy", to: nil)),
            .plan("the services' policy names only the source's secret; DMS's own role policy in its module grants the target's", .fullLoad,
                  MigrationExamples.healthy(.fullLoad)
                    .setting(MigrationExamples.secretsPolicy, "policy", to: .string(MigrationExamples.secretsPolicy(MigrationExamples.sourceSecret)))
                    .adding(dmsRolePolicy)),
            .plan("prepare: the policy refers to aws_rds_cluster.core.arn, the cluster's ARN, not its master secret", .prepare,
                  MigrationExamples.healthy(.prepare)
                    .settingReferences(MigrationExamples.secretsPolicy, "policy", to: ["\(MigrationExamples.target).arn", MigrationExamples.target])),
            .plan("cleanup: the policy is unknown until apply and refers to module.target[*].cluster_arn (listed as module.target), "
                  + "the module's one output that reaches the target: the cluster's ARN", .cleanup,
                  throughTargetModule(["module.target"], outputs: ["cluster_arn": "arn"])),
            .state("state after cleanup whose policy grants only the destroyed source's secret", .cleanup,
                   MigrationExamples.healthy(.cleanup)
                    .setting(MigrationExamples.secretsPolicy, "policy",
                             to: .string(MigrationExamples.secretsPolicy(MigrationExamples.sourceSecret)), beforeToo: true)),
        ],
        nonTriggeringExamples: [
            .plan("target created in this plan: the policy refers to its master secret in the configuration", .prepare,
                  MigrationExamples.healthy(.prepare)),
            .plan("the policy names the target's secret", .fullLoad, MigrationExamples.healthy(.fullLoad)),
            .plan("a wildcard covering the target's RDS-managed secret", .cutover,
                  MigrationExamples.healthy(.cutover)
                    .setting(MigrationExamples.secretsPolicy, "policy",
                             to: .string(MigrationExamples.secretsPolicy("arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!cluster-core-*")),
                             beforeToo: true)),
            .plan("no IAM policy in this stack (the grant lives elsewhere): open, not failed", .fullLoad,
                  MigrationExamples.healthy(.fullLoad).removing(MigrationExamples.secretsPolicy)),
            .plan("cleanup: the policy is unknown until apply and names the target's secret through a splat, "
                  + "module.target[*].master_secret_arn (which Terraform lists as module.target)", .cleanup,
                  throughTargetModule(["module.target"])),
            .plan("cleanup: the same through module.target[0].master_secret_arn", .cleanup,
                  throughTargetModule(["module.target[0].master_secret_arn", "module.target[0]"])),
            .plan("cleanup: the policy refers to module.target whole, whose outputs reach both the secret and the cluster's ARN: "
                  + "which one is granted is not in the plan: open, not failed", .cleanup,
                  throughTargetModule(["module.target"], outputs: ["cluster_arn": "arn", "master_secret_arn": "master_user_secret[0].secret_arn"])),
            .plan("cleanup: module.target[0].master_secret_arn, while the module also outputs the cluster's ARN", .cleanup,
                  throughTargetModule(["module.target[0].master_secret_arn", "module.target[0]"],
                                      outputs: ["cluster_arn": "arn", "master_secret_arn": "master_user_secret[0].secret_arn"])),
            .plan("cutover: the services' policy is unknown until apply and refers to the target's secret; DMS's own role policy "
                  + "in its module allows the target's secret (no deny anywhere)", .cutover,
                  MigrationExamples.healthy(.cutover).withActions(MigrationExamples.secretsPolicy, ["update"])
                    .markingUnknown(MigrationExamples.secretsPolicy, "policy").adding(dmsRolePolicy)),
            .state("state after cleanup", .cleanup, MigrationExamples.healthy(.cleanup)),
        ])

    /// The cleanup plan whose policy is unknown until apply (a policy document read only at apply)
    /// and refers to the target through `module.target`, whose outputs pass on the target's
    /// attributes named in `outputs` (output → attribute; by default its secret as master_secret_arn).
    static func throughTargetModule(_ references: [String],
                                    outputs: [String: String] = ["master_secret_arn": "master_user_secret[0].secret_arn"]) -> ExamplePlan {
        let target = MigrationExamples.target
        var plan = MigrationExamples.healthy(.cleanup)
            .withActions(MigrationExamples.secretsPolicy, ["update"])
            .markingUnknown(MigrationExamples.secretsPolicy, "policy")
            .settingReferences(MigrationExamples.secretsPolicy, "policy", to: references)
            .settingModuleOutput("target", "name", to: ["var.name"])
        for (output, attribute) in outputs.sorted(by: { $0.key < $1.key }) {
            // Terraform lists the reference and each shorter prefix of it.
            var current = "\(target).\(attribute)"
            var prefixes = [current]
            while let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }), current[..<cut].count > target.count {
                current = String(current[..<cut])
                prefixes.append(current)
            }
            plan = plan.settingModuleInput("target", output, to: prefixes + [target]).settingModuleOutput("target", output, to: ["var.\(output)"])
        }
        return plan
    }

    /// DMS's access to the endpoint secrets, as the DMS module grants it to its own role.
    static var dmsRolePolicy: ExampleResource {
        let value: JSONLiteral = ["name": "dms-secrets-access", "role": "dms-secrets-access",
                                  "policy": .string(MigrationExamples.secretsPolicy(MigrationExamples.targetSecret))]
        return ExampleResource("module.dms.aws_iam_role_policy.secrets_access", actions: ["no-op"], before: value, after: value)
    }

    static var denyingPolicy: String {
        let policy: JSONLiteral = ["Version": "2012-10-17", "Statement": [
            ["Effect": "Allow", "Action": "secretsmanager:*", "Resource": "*"],
            ["Effect": "Deny", "Action": ["secretsmanager:GetSecretValue"], "Resource": .string(MigrationExamples.targetSecret)],
        ]]
        return policy.serialized
    }

    public func evaluate(_ context: RuleContext) -> [Finding] {
        let picture = context.picture
        guard let target = picture.target else { return [context.missing(.target, needed: "access to the target's master secret")] }
        let documents = PolicyDocumentSource.all(in: picture)
        let kind = picture.isPlan ? "plan" : "state"
        if documents.isEmpty {
            return [context.unverified("no IAM policy (aws_iam_policy, aws_iam_role_policy, aws_iam_policy_document, …) in this \(kind), "
                + "so access to \(target.addressText)'s master secret cannot be checked; the grant may live in another stack", about: target.resource)]
        }

        // Policies that let someone read secrets, leaving out DMS's own access to its endpoint secrets.
        let dmsSecrets = Set(picture.dmsEndpoints.compactMap { $0.attribute("secrets_manager_arn")?.unmaskedString })
        let dmsModules = MigrationOnly.dmsModules(picture)
        // DMS's own role policy (in its module) may grant the target's secret to DMS: that is not
        // the services' access, so it neither covers the secret nor counts as a reference to it.
        let servicesDocuments = documents.filter { !MigrationOnly.isInDMSModule($0.resource, dmsModules) }
        let secretGranting = documents.filter { source in
            guard let document = source.document, document.allowsAction(Self.readAction) else { return false }
            if MigrationOnly.isInDMSModule(source.resource, dmsModules) { return false }
            let granted = document.allowedResources(for: Self.readAction)
            // DMS's own access to its endpoint secrets is not the services' access.
            if !granted.isEmpty, granted.allSatisfy(dmsSecrets.contains) { return false }
            return true
        }

        let secret = target.masterSecretARN
        // A sensitive ARN is matched as a plain one, and never quoted.
        guard let arn = secret?.unmaskedString, !arn.isEmpty else {
            if secret == .unknown || secret?.isSensitive == true {
                return unnamedSecretFindings(target, documents: servicesDocuments, granting: secretGranting, context)
            }
            return [context.unverified("\(target.addressText) has no master_user_secret (manage_master_user_password is not true), "
                + "so the secret the services read cannot be identified", about: target.resource)]
        }

        if servicesDocuments.contains(where: { $0.grants(arn) }) { return [] }
        let shownARN = secret?.isSensitive == true ? "(sensitive)" : JSONQuoting.quoted(arn, limit: 120)
        // A document that would allow it but denies it itself. (Denies in other documents are not
        // weighed: which principals each policy is attached to is not modelled.)
        // (DMS's own role policy allows it without a deny: it is no services' grant, and no deny either.)
        if let denying = documents.first(where: { source in
            guard let document = source.document else { return false }
            return document.allowsIgnoringDenies(Self.readAction, on: arn) && !document.allows(Self.readAction, on: arn)
        }) {
            return [context.finding("\(denying.resource.addressText) allows but also explicitly denies \(Self.readAction) on the target's master "
                + "secret \(shownARN); remove the deny so the services can read the target's credentials", about: denying.resource)]
        }

        // A document still unknown until apply may turn out to grant it.
        // (A policy that is only a known policy document's JSON is decided by that document.)
        let unknown = servicesDocuments.filter { $0.isUnknown && !$0.isCopy(ofKnown: documents) }
        if !unknown.isEmpty {
            let references = Self.references(of: unknown, to: target, in: picture)
            if references.contains(where: { $0.reference == .secret }) { return [] }
            if let finding = Self.referenceFinding(references, target, context) { return [finding] }
            let first = unknown[0]
            return [context.unverified("\(first.attribute) of \(first.resource.addressText) is unknown until apply and does not refer to "
                + "\(target.addressText) in the configuration, so whether it grants the target's master secret cannot be checked", about: first.resource)]
        }

        guard let first = secretGranting.first else {
            return [context.unverified("no IAM policy in this \(kind) allows \(Self.readAction), so access to \(target.addressText)'s master secret "
                + "cannot be checked; the grant may live in another stack", about: target.resource)]
        }
        let names = secretGranting.prefix(3).map(\.resource.addressText).joined(separator: ", ")
            + (secretGranting.count > 3 ? " and \(secretGranting.count - 3) more" : "")
        return [context.finding("no policy that allows \(Self.readAction) (\(names)) covers the target's master secret "
            + "\(shownARN); add \(target.addressText).master_user_secret[0].secret_arn to the ECS execution role's policy",
            about: first.resource)]
    }

    /// The target's secret ARN is unknown until apply (or sensitive and unknown): covered by a
    /// reference or a grant on every resource, or provably not by what the policies name.
    private func unnamedSecretFindings(_ target: ClusterView, documents: [PolicyDocumentSource], granting secretGranting: [PolicyDocumentSource],
                                       _ context: RuleContext) -> [Finding] {
        let references = Self.references(of: documents, to: target, in: context.picture)
        // Granted by reference, or by a statement on every resource.
        if references.contains(where: { $0.reference == .secret }) || documents.contains(where: { $0.grantsEverySecret
            || $0.document?.allowsOnEveryResource(Self.readAction) == true }) {
            return []
        }
        // A managed secret's ARN ends in a random suffix: policies that name only exact ARNs cannot cover it.
        if !secretGranting.isEmpty, !documents.contains(where: { $0.isUnknown }),
           secretGranting.allSatisfy({ source in
               let granted = source.document?.allowedResources(for: Self.readAction) ?? []
               return !granted.isEmpty && granted.allSatisfy { !$0.contains("*") && !$0.contains("?") }
           }) {
            let names = secretGranting.prefix(3).map(\.resource.addressText).joined(separator: ", ")
            return [context.finding("the policies allowing \(Self.readAction) (\(names)) name only exact ARNs, but "
                + "\(target.addressText)'s secret ARN ends in a random suffix, so ECS cannot read it; grant "
                + "\(target.addressText).master_user_secret[0].secret_arn to the ECS execution role", about: secretGranting[0].resource)]
        }
        // An RDS-managed master secret is always named rds!cluster-…: patterns that can match no such name cannot
        // cover it, whatever its ARN turns out to be.
        let patterns = secretGranting.flatMap { $0.document?.allowedResources(for: Self.readAction) ?? [] }
        if !secretGranting.isEmpty, !documents.contains(where: { $0.isUnknown }), !patterns.isEmpty,
           patterns.allSatisfy({ !IAMPolicyDocument.canMatchManagedClusterSecret($0) }) {
            let names = secretGranting.prefix(3).map(\.resource.addressText).joined(separator: ", ")
            let shown = secretGranting.contains(where: \.isSensitive) ? "(sensitive)"
                : patterns.prefix(3).map { JSONQuoting.quoted($0, limit: 120) }.joined(separator: ", ")
            return [context.finding("the policies allowing \(Self.readAction) (\(names)) grant only \(shown), which no "
                + "RDS-managed rds!cluster-… name matches, so ECS cannot read \(target.addressText)'s secret; grant \(target.addressText).master_user_secret[0].secret_arn to the ECS execution role", about: secretGranting[0].resource)]
        }
        if let finding = Self.referenceFinding(references.filter(\.source.isUnknown), target, context) { return [finding] }
        return [context.unverified("master_user_secret[0].secret_arn of \(target.addressText) is unknown until apply and no IAM policy "
            + "refers to it in the configuration, so the services' access to it cannot be checked", about: target.resource)]
    }

    /// How each document's configuration refers to the target (the clusters' reads resolved once for all).
    private static func references(of documents: [PolicyDocumentSource], to target: ClusterView, in picture: MigrationPicture)
        -> [(source: PolicyDocumentSource, reference: PolicyDocumentSource.ClusterReference)] {
        let reads = ClusterAttributeReads(configuration: picture.document.configuration,
                                          clusters: Set(picture.clusters.map(\.resource.configurationAddress)))
        return documents.map { ($0, $0.reference(to: target, using: reads)) }
    }

    /// A document unknown until apply that refers to the target, but not to its secret: through a
    /// reference the plan does not resolve to an attribute (open), or only through other attributes (failed).
    private static func referenceFinding(_ references: [(source: PolicyDocumentSource, reference: PolicyDocumentSource.ClusterReference)],
                                         _ target: ClusterView, _ context: RuleContext) -> Finding? {
        let secret = "\(target.addressText).master_user_secret[0].secret_arn"
        for (source, reference) in references {
            guard case .unresolved(let why) = reference else { continue }
            return context.unverified("\(source.attribute) of \(source.resource.addressText) is unknown until apply and reaches "
                + "\(target.addressText) via \(why): which it grants is not in the plan; name one (master_user_secret[0].secret_arn, "
                + "module.NAME[0].OUTPUT)",
                about: source.resource)
        }
        for (source, reference) in references {
            guard case .attributes(let names) = reference else { continue }
            let shown = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? " and \(names.count - 3) more" : "")
            return context.finding("\(source.attribute) of \(source.resource.addressText) is unknown until apply and refers to "
                + "\(target.addressText) only through its \(shown), not its master secret, so it grants \(shown) instead and the services "
                + "cannot read the target's credentials; grant \(secret)", about: source.resource)
        }
        return nil
    }
}
