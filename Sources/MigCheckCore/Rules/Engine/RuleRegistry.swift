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

    public static var descriptions: [RuleDescription] { rules.map { $0.description } }

    public static func rule(id: String) -> (any Rule.Type)? {
        rules.first { $0.description.id.caseInsensitiveEquals(id) || $0.description.name == id }
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        lowercased() == other.lowercased()
    }
}
