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
        // A policy document data source read at apply may still know its statements now.
        if value == .unknown, view.type == "aws_iam_policy_document", let statements = IAMPolicyDocument(policyDocumentData: view) {
            return PolicyDocumentSource(resource: view, attribute: "statement", isUnknown: false,
                                        document: statements.keepingStatements(covering: readAction), grantsEverySecret: false)
        }
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

    /// Unknown until apply, but only the JSON of policy documents known now
    /// (`policy = data.aws_iam_policy_document.x.json`, its statements known): they decide.
    func isCopy(ofKnown documents: [PolicyDocumentSource]) -> Bool {
        guard isUnknown, let config = resource.config, let expression = config.expression(attribute) else { return false }
        let prefix = config.modulePath.map { "module.\($0)." }.joined()
        let references = ClusterAttributeReads.longest(expression.references)
        return !references.isEmpty && references.allSatisfy { reference in
            let parts = Configuration.splitReference(reference)
            guard parts.count == 4, parts[0] == "data", parts[1] == "aws_iam_policy_document",
                  parts[3] == "json" || parts[3] == "minified_json" else { return false }
            let address = prefix + "data.aws_iam_policy_document.\(parts[2])"
            let instances = documents.filter { $0.resource.configurationAddress == address }
            return !instances.isEmpty && instances.allSatisfy { !$0.isUnknown && $0.document != nil }
        }
    }

    /// How the document's configuration refers to the cluster: through its master secret, through
    /// other attributes only, in a way the plan does not resolve to an attribute, or not at all.
    enum ClusterReference: Equatable {
        case none, secret
        case attributes([String])
        case unresolved(String)
    }

    func reference(to cluster: ClusterView, using reads: ClusterAttributeReads) -> ClusterReference {
        guard let config = resource.config else { return .none }
        let wanted = cluster.resource.configurationAddress
        let kinds = reads.reads(of: config).filter { $0.cluster == wanted }.map(\.kind)
        if kinds.isEmpty { return .none }
        // Read directly, the secret is granted whatever else the document names (other statements).
        if kinds.contains(.secret) { return .secret }
        for case .unresolved(let why) in kinds { return .unresolved(why) }
        var names: [String] = []
        for case .attribute(let name) in kinds where !names.contains(name) { names.append(name) }
        return .attributes(names)
    }
}
