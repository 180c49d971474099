import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// One IAM policy document found in a plan or state, with where it sits.
struct PolicyDocumentSource {
    /// The action that reads a secret: the one question MIG013 asks of every document.
    static let readAction = "secretsmanager:GetSecretValue"

    let resource: ResourceView
    /// The attribute holding the JSON, e.g. `policy`, `json` or `inline_policy[0].policy`.
    let attribute: String
    /// Unknown until apply: the JSON text itself is not kept once parsed.
    let isUnknown: Bool
    /// The parsed document, sensitive or not (nil when unknown or not JSON).
    let document: IAMPolicyDocument?
    /// An AWS managed policy attached whole (`SecretsManagerReadWrite`, …): grants every secret.
    let grantsEverySecret: Bool
    /// The document is marked sensitive: judged, but nothing it says is quoted.
    var isSensitive = false

    func grants(_ arn: String) -> Bool {
        grantsEverySecret || document?.allows(Self.readAction, on: arn) == true
    }

    /// AWS managed policies that allow reading every secret.
    static let managedPoliciesGrantingSecrets = ["SecretsManagerReadWrite", "AdministratorAccess", "PowerUserAccess"]

    static let documentAttributes: [String: String] = [
        "aws_iam_policy": "policy", "aws_iam_role_policy": "policy", "aws_iam_user_policy": "policy",
        "aws_iam_group_policy": "policy", "aws_secretsmanager_secret_policy": "policy", "aws_iam_policy_document": "json",
    ]

    static let attachmentTypes: Set<String> = [
        "aws_iam_role_policy_attachment", "aws_iam_policy_attachment", "aws_iam_user_policy_attachment",
        "aws_iam_group_policy_attachment", "aws_iam_role_policy_attachments_exclusive",
    ]

    /// Every policy document that exists after this deploy, data sources included (in a plan,
    /// also those read during planning, which only `prior_state` holds).
    static func all(in picture: MigrationPicture) -> [PolicyDocumentSource] {
        var views = picture.resources.filter { $0.hasAfter }
        if picture.isPlan {
            let document = picture.document
            let readDocuments = document.priorDataSources(ofType: "aws_iam_policy_document").filter { $0.deposed == nil }
            // The addresses already seen are collected only when there is something to compare.
            let seen = readDocuments.isEmpty ? [] : Set(views.map(\.addressText))
            for instance in readDocuments where !seen.contains(instance.addressText) {
                let configurationAddress = instance.address.configurationAddress
                let config = document.configuration.resource(qualifiedAddress: configurationAddress)
                views.append(ResourceView.from(instance, file: document.file, configurationAddress: configurationAddress, config: config))
            }
        }
        var result: [PolicyDocumentSource] = []
        for view in views {
            if let attribute = documentAttributes[view.type] {
                result.append(source(view, attribute, view.attribute(attribute)))
            } else if view.type == "aws_iam_role" {
                if case .list(let policies)? = view.attribute("inline_policy")?.unmasked {
                    for (index, policy) in policies.enumerated() where policy["policy"] != nil && policy["policy"] != .null {
                        result.append(source(view, "inline_policy[\(index)].policy", policy["policy"]))
                    }
                }
                if case .list(let arns)? = view.attribute("managed_policy_arns")?.unmasked, arns.contains(where: isGrantingManagedPolicy) {
                    result.append(PolicyDocumentSource(resource: view, attribute: "managed_policy_arns", isUnknown: false, document: nil, grantsEverySecret: true))
                }
            } else if attachmentTypes.contains(view.type) {
                let arns: [TerraformValue] = [view.attribute("policy_arn")].compactMap { $0 }
                    + { if case .list(let items)? = view.attribute("policy_arns")?.unmasked { return items } else { return [] } }()
                if arns.contains(where: isGrantingManagedPolicy) {
                    result.append(PolicyDocumentSource(resource: view, attribute: "policy_arn", isUnknown: false, document: nil, grantsEverySecret: true))
                }
            }
        }
        return result
    }

    private static func source(_ view: ResourceView, _ attribute: String, _ value: TerraformValue?) -> PolicyDocumentSource {
        // Every question this rule asks is about the read action: the other statements are not kept.
        // A sensitive document is read all the same: findings name the resource, never what the document says.
        let document = value?.unmaskedString.flatMap(IAMPolicyDocument.init(json:))?.keepingStatements(covering: readAction)
        let unknown = value == .unknown || (value?.isSensitive == true && value?.isKnownSensitive == false)
        return PolicyDocumentSource(resource: view, attribute: attribute, isUnknown: unknown,
                                    document: document, grantsEverySecret: false, isSensitive: value?.isSensitive == true)
    }

    private static func isGrantingManagedPolicy(_ value: TerraformValue) -> Bool {
        // The cheap suffix test first: most plans attach none of these policies.
        guard let arn = value.unmaskedString, arn.hasPrefix("arn:"),
              managedPoliciesGrantingSecrets.contains(where: { arn.hasSuffix("/" + $0) }) else { return false }
        return arn.contains(":iam::aws:policy/")
    }

    /// Whether the document's configuration refers to the cluster, following data sources
    /// (`policy = data.aws_iam_policy_document.x.json`) one step and module inputs all the way.
    func refersTo(_ cluster: ClusterView, in picture: MigrationPicture) -> Bool {
        guard let config = resource.config else { return false }
        let wanted = cluster.resource.configurationAddress
        let configuration = picture.document.configuration
        let named = ConfigurationReferences.resources(of: config, in: configuration, followingDataSources: true, expandingWholeModules: false)
        if named.contains(wanted) { return true }
        // Through a whole module (`module.target[*].master_secret_arn` is listed as `module.target`,
        // whichever output is used): only when the one cluster its outputs reach is this one.
        let reached = ConfigurationReferences.resources(of: config, in: configuration, followingDataSources: true)
        guard reached.contains(wanted) else { return false }
        return !picture.clusters.contains { other in
            let address = other.resource.configurationAddress
            return address != wanted && reached.contains(address) && !named.contains(address)
        }
    }
}
