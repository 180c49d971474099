import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// Every rule migcheck knows, in ID order.
public enum RuleRegistry {
    public static let rules: [any Rule.Type] = [
        EngineVersionMatchRule.self,
        TargetReplicationRoleRule.self,
        SourceLogicalReplicationRule.self,
        TargetPromotionTierRule.self,
        InstanceCountRule.self,
        RotationWindowRule.self,
        DeletionProtectionRule.self,
        NoDataLossRule.self,
        FinalSnapshotRule.self,
        DMSTaskRule.self,
        CleanupCompleteRule.self,
        ConsumersSwitchedRule.self,
        TargetSecretAccessRule.self,
    ]

    /// The readiness rules (issue 14): judged over AWS CLI evidence (`ReadinessEvaluator`),
    /// never over a plan or state alone, so they are apart from `rules`.
    public static let readinessRules: [any ReadinessRule.Type] = [
        ParametersAppliedRule.self,
        DMSTaskReadyRule.self,
        SnapshotTakenRule.self,
        SecretRotationClearRule.self,
        LiveProtectionRule.self,
    ]

    public static var descriptions: [RuleDescription] { rules.map { $0.description } }

    public static var readinessDescriptions: [RuleDescription] { readinessRules.map { $0.description } }

    /// Every rule a finding can name: the rules above (plan rules, then readiness rules), then the engine's own (MIG900, an
    /// expired suppression; MIG901, a suppression that matches no resource; MIG902, a malformed
    /// inline suppression). What
    /// `migcheck rules` lists and the rule pages document.
    public static var allDescriptions: [RuleDescription] {
        descriptions + readinessDescriptions + [ExpiredSuppressionRule.description, UnmatchedSuppressionRule.description,
                        MalformedInlineSuppressionRule.description]
    }

    /// The description of a rule of `allDescriptions`, by ID (any case) or name.
    public static func description(id: String) -> RuleDescription? {
        allDescriptions.first { $0.id.caseInsensitiveEquals(id) || $0.name == id }
    }

    /// A rule the policy's `rules` can configure (a plan or readiness rule), by ID (any case) or name.
    public static func configurableDescription(id: String) -> RuleDescription? {
        (descriptions + readinessDescriptions).first { $0.id.caseInsensitiveEquals(id) || $0.name == id }
    }

    public static func rule(id: String) -> (any Rule.Type)? {
        rules.first { $0.description.id.caseInsensitiveEquals(id) || $0.description.name == id }
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        lowercased() == other.lowercased()
    }
}
