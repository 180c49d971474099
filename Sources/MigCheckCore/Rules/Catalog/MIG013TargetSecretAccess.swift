/// MIG013: the services can read the target's credentials: some IAM policy in the plan
/// allows `secretsmanager:GetSecretValue` on the target cluster's master secret.
public struct TargetSecretAccessRule: Rule {
    public init() {}

    static let readAction = "secretsmanager:GetSecretValue"

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
            .state("state after cleanup", .cleanup, MigrationExamples.healthy(.cleanup)),
        ])

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
                // Granted by reference, or by a statement on every resource.
                if documents.contains(where: { $0.refersTo(target, in: picture) || $0.grantsEverySecret
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
                return [context.unverified("master_user_secret[0].secret_arn of \(target.addressText) is unknown until apply and no IAM policy "
                    + "refers to it in the configuration, so the services' access to it cannot be checked", about: target.resource)]
            }
            return [context.unverified("\(target.addressText) has no master_user_secret (manage_master_user_password is not true), "
                + "so the secret the services read cannot be identified", about: target.resource)]
        }

        if documents.contains(where: { $0.grants(arn) }) { return [] }
        let shownARN = secret?.isSensitive == true ? "(sensitive)" : JSONQuoting.quoted(arn, limit: 120)
        // A document that would allow it but denies it itself. (Denies in other documents are not
        // weighed: which principals each policy is attached to is not modelled.)
        if let denying = documents.first(where: { $0.document?.allowsIgnoringDenies(Self.readAction, on: arn) == true }) {
            return [context.finding("\(denying.resource.addressText) allows but also explicitly denies \(Self.readAction) on the target's master "
                + "secret \(shownARN); remove the deny so the services can read the target's credentials", about: denying.resource)]
        }

        // A document still unknown until apply may turn out to grant it.
        let unknown = documents.filter { $0.isUnknown }
        if !unknown.isEmpty {
            if unknown.contains(where: { $0.refersTo(target, in: picture) }) { return [] }
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
}

/// One IAM policy document found in a plan or state, with where it sits.
struct PolicyDocumentSource {
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
        grantsEverySecret || document?.allows(TargetSecretAccessRule.readAction, on: arn) == true
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
        let document = value?.unmaskedString.flatMap(IAMPolicyDocument.init(json:))?.keepingStatements(covering: TargetSecretAccessRule.readAction)
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
        return ConfigurationReferences.resources(of: config, in: picture.document.configuration, followingDataSources: true).contains(wanted)
    }
}

/// Reference resolution over every expression of a resource block.
enum ConfigurationReferences {
    /// Qualified addresses every expression of the block refers to; with `followingDataSources`,
    /// also what the data sources it refers to refer to (one step).
    static func resources(of config: ConfigResource, in configuration: Configuration, followingDataSources: Bool = false) -> Set<String> {
        var result = Set<String>()
        for expression in config.expressions.values {
            result.formUnion(configuration.resolvedResources(of: expression, in: config.modulePath))
        }
        guard followingDataSources else { return result }
        for address in result where address.hasPrefix("data.") || address.contains(".data.") {
            guard let data = configuration.resource(qualifiedAddress: address) else { continue }
            for expression in data.expressions.values {
                result.formUnion(configuration.resolvedResources(of: expression, in: data.modulePath))
            }
        }
        return result
    }
}

/// An IAM policy document, read just far enough to tell whether it allows an action on a resource.
/// Conditions are not evaluated: a conditional allow counts as an allow, a conditional deny as no deny.
struct IAMPolicyDocument {
    struct Statement {
        var allow: Bool
        var actions: [String]?
        var notActions: [String]?
        var resources: [String]?
        var notResources: [String]?
        /// `Principal.Service` entries (for trust policies).
        var services: [String]
        var hasCondition: Bool

        func coversAction(_ action: String) -> Bool {
            coversAction(lowercased: IAMPolicyDocument.lowercasedScalars(action))
        }

        /// `coversAction` with the action already lower-cased, once for all patterns.
        func coversAction(lowercased action: [Unicode.Scalar]) -> Bool {
            if let actions { return actions.contains { IAMPolicyDocument.actionMatches($0, lowercased: action) } }
            if let notActions { return !notActions.contains { IAMPolicyDocument.actionMatches($0, lowercased: action) } }
            return false
        }

        func coversResource(_ arn: String) -> Bool {
            if let resources { return resources.contains { IAMPolicyDocument.resourceMatches($0, arn) } }
            if let notResources { return !notResources.contains { IAMPolicyDocument.resourceMatches($0, arn) } }
            return false
        }
    }

    let statements: [Statement]

    private init(statements: [Statement]) {
        self.statements = statements
    }

    /// The same document for questions about `action` alone: every query below looks only at the
    /// statements that cover the action it is asked about.
    func keepingStatements(covering action: String) -> IAMPolicyDocument {
        let lowercased = IAMPolicyDocument.lowercasedScalars(action)
        return IAMPolicyDocument(statements: statements.filter { $0.coversAction(lowercased: lowercased) })
    }

    init?(json text: String) {
        guard let parsed = try? JSONDocument(text: text) else { return nil }
        // Read from the JSON directly: only a few members of each statement matter, not the whole value.
        let root = parsed.root
        guard root.kind == .object else { return nil }
        let raw: [JSONNode]
        switch root["Statement"] {
        case let statement? where statement.kind == .array: raw = statement.elements
        case let statement? where statement.kind == .object: raw = [statement]
        default: raw = []
        }
        statements = raw.compactMap { item in
            guard item.kind == .object else { return nil }
            var effect, action, notAction, resource, notResource, principal, condition: JSONNode?
            item.forEachMember { key, value in
                if key.equals("Effect") { effect = value }
                else if key.equals("Action") { action = value }
                else if key.equals("NotAction") { notAction = value }
                else if key.equals("Resource") { resource = value }
                else if key.equals("NotResource") { notResource = value }
                else if key.equals("Principal") { principal = value }
                else if key.equals("Condition") { condition = value }
                return true
            }
            return Statement(allow: effect?.string != "Deny",
                             actions: IAMPolicyDocument.strings(action),
                             notActions: IAMPolicyDocument.strings(notAction),
                             resources: IAMPolicyDocument.strings(resource),
                             notResources: IAMPolicyDocument.strings(notResource),
                             services: IAMPolicyDocument.strings(principal?["Service"]) ?? [],
                             hasCondition: condition.map { !$0.isNull } ?? false)
        }
    }

    /// A string, or the strings of an array (other elements skipped); nil for anything else.
    private static func strings(_ node: JSONNode?) -> [String]? {
        guard let node else { return nil }
        switch node.kind {
        case .string: return node.string.map { [$0] }
        case .array: return node.elements.compactMap(\.string)
        default: return nil
        }
    }

    /// Allowed by some statement and not denied by an unconditional one.
    func allows(_ action: String, on arn: String) -> Bool {
        statements.contains { $0.allow && $0.coversAction(action) && $0.coversResource(arn) } && !denies(action, on: arn)
    }

    func allowsIgnoringDenies(_ action: String, on arn: String) -> Bool {
        statements.contains { $0.allow && $0.coversAction(action) && $0.coversResource(arn) }
    }

    func denies(_ action: String, on arn: String) -> Bool {
        statements.contains { !$0.allow && !$0.hasCondition && $0.coversAction(action) && $0.coversResource(arn) }
    }

    /// Whether a statement allows the action on `"*"` and nothing denies it.
    func allowsOnEveryResource(_ action: String) -> Bool {
        statements.contains { $0.allow && $0.coversAction(action) && ($0.resources?.contains("*") == true) }
            && !statements.contains { !$0.allow && !$0.hasCondition && $0.coversAction(action) }
    }

    /// Whether some statement allows the action on anything.
    func allowsAction(_ action: String) -> Bool {
        statements.contains { $0.allow && $0.coversAction(action) }
    }

    /// The `Resource` entries of the statements allowing the action (wildcards as written).
    func allowedResources(for action: String) -> [String] {
        statements.filter { $0.allow && $0.coversAction(action) }.flatMap { $0.resources ?? ["*"] }
    }

    /// Whether a trust policy lets the service (e.g. `dms.amazonaws.com`) assume the role.
    func trusts(servicePrefix prefix: String) -> Bool {
        statements.contains { statement in
            statement.allow && statement.services.contains { $0.hasPrefix(prefix + ".") && $0.hasSuffix(".amazonaws.com") }
        }
    }

    // MARK: - Matching

    /// What every RDS-managed master secret of a cluster looks like: `rds!cluster-` and an ID,
    /// in any partition, region and account.
    static let managedClusterSecretPattern = "arn:<partition>:secretsmanager:<region>:<account>:secret:rds!cluster-…"

    /// Whether an IAM `Resource` pattern can match some ARN of an RDS-managed cluster master
    /// secret (`arn:*:secretsmanager:*:*:secret:rds!cluster-*`, each `*` within its segment):
    /// the two patterns' languages intersect. Worked out on pairs of positions, no ARN guessed.
    static func canMatchManagedClusterSecret(_ pattern: String) -> Bool {
        if pattern == "*" { return true }
        enum Token: Equatable { case character(Unicode.Scalar), one, any(crossesColons: Bool) }
        func tokens(_ text: [Unicode.Scalar], iamRules: Bool) -> [Token] {
            text.enumerated().map { index, character in
                switch character {
                case "*":
                    // IAM: a `*` ending a segment may run past colons (see `resourceMatches`).
                    return .any(crossesColons: iamRules && (index + 1 == text.count || text[index + 1] == ":"))
                case "?": return .one
                default: return .character(character)
                }
            }
        }
        let left = tokens(Array(pattern.unicodeScalars), iamRules: true)
        let template = "arn:*:secretsmanager:*:*:secret:rds!cluster-*"
        let right = tokens(Array(template.unicodeScalars), iamRules: false)
        // What one character both sides accept may be: a literal, or any non-colon one (a colon only where both allow it).
        func step(_ a: Token, _ b: Token) -> Bool {
            switch (a, b) {
            case (.character(let x), .character(let y)): return x == y
            case (.character(let x), .one), (.one, .character(let x)): return x != ":"
            case (.character(let x), .any(let crosses)), (.any(let crosses), .character(let x)): return x != ":" || crosses
            default: return true
            }
        }
        var seen = Set<Int>()
        var queue = [0]
        let width = right.count + 1
        while let state = queue.popLast() {
            guard seen.insert(state).inserted else { continue }
            let i = state / width, j = state % width
            if i == left.count, j == right.count { return true }
            var next: [Int] = []
            if i < left.count, case .any = left[i] { next.append((i + 1) * width + j) }
            if j < right.count, case .any = right[j] { next.append(i * width + j + 1) }
            if i < left.count, j < right.count, step(left[i], right[j]) {
                let stayLeft: Bool = { if case .any = left[i] { return true } else { return false } }()
                let stayRight: Bool = { if case .any = right[j] { return true } else { return false } }()
                next.append((stayLeft ? i : i + 1) * width + (stayRight ? j : j + 1))
            }
            queue += next.filter { !seen.contains($0) }
        }
        return false
    }

    /// IAM action matching: case-insensitive, `*` and `?` anywhere.
    static func actionMatches(_ pattern: String, _ action: String) -> Bool {
        actionMatches(pattern, lowercased: lowercasedScalars(action))
    }

    static func actionMatches(_ pattern: String, lowercased action: [Unicode.Scalar]) -> Bool {
        glob(lowercasedScalars(pattern), action, colonAware: false)
    }

    /// `Array(text.lowercased().unicodeScalars)`; ASCII text (every IAM action) is lower-cased byte by byte.
    static func lowercasedScalars(_ text: String) -> [Unicode.Scalar] {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return Array(text.lowercased().unicodeScalars) }
        return text.utf8.map { byte in
            Unicode.Scalar(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte)
        }
    }

    /// IAM resource matching: case-sensitive; `*` and `?` stay within one colon-separated ARN
    /// segment, except that a `*` ending a segment may run past colons (as IAM documents it).
    static func resourceMatches(_ pattern: String, _ arn: String) -> Bool {
        if pattern == "*" { return true }
        return glob(Array(pattern.unicodeScalars), Array(arn.unicodeScalars), colonAware: true)
    }

    private static func glob(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar], colonAware: Bool) -> Bool {
        // The characters before the first wildcard match one for one: most patterns fail there,
        // before the table below is built.
        var literal = 0
        while literal < pattern.count, pattern[literal] != "*", pattern[literal] != "?" {
            guard literal < text.count, pattern[literal] == text[literal] else { return false }
            literal += 1
        }
        if literal == pattern.count { return literal == text.count }
        let width = text.count + 1
        // matches[i * width + j]: pattern[i...] matches text[j...].
        var matches = [Bool](repeating: false, count: (pattern.count + 1) * width)
        matches[pattern.count * width + text.count] = true
        var i = pattern.count - 1
        while i >= 0 {
            let character = pattern[i]
            let crossesColons = !colonAware || i + 1 == pattern.count || pattern[i + 1] == ":"
            var j = text.count
            while j >= 0 {
                let here: Bool
                switch character {
                case "*":
                    here = matches[(i + 1) * width + j]
                        || (j < text.count && (crossesColons || text[j] != ":") && matches[i * width + j + 1])
                case "?":
                    here = j < text.count && (!colonAware || text[j] != ":") && matches[(i + 1) * width + j + 1]
                default:
                    here = j < text.count && text[j] == character && matches[(i + 1) * width + j + 1]
                }
                matches[i * width + j] = here
                j -= 1
            }
            i -= 1
        }
        return matches[0]
    }
}
