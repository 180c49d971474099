import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// What a cluster's parameter group says about one parameter, shared by the rules that read
/// `session_replication_role` (MIG002) and `rds.logical_replication` (MIG003).
enum ParameterReading {
    /// The group sets the parameter.
    case set(ParameterGroupView.Parameter, ParameterGroupView)
    /// The parameter stays at its default, for the reason given.
    case unset(String, ResourceView)
    /// It cannot be told from this document; the finding says why.
    case unverified(Finding)

    static func read(_ parameterName: String, of cluster: ClusterView, _ context: RuleContext) -> ParameterReading {
        guard let group = cluster.parameterGroup else {
            let nameAttribute = "db_cluster_parameter_group_name"
            let name = cluster.resource.attribute(nameAttribute)
            // A sensitive name is judged as a plain one, and shown only as sensitive.
            let shown = name?.isSensitive == true ? "with a sensitive name" : name?.unmaskedString.map { JSONQuoting.quoted($0) } ?? ""
            switch name?.unmasked {
            case .string(let text)? where !text.isEmpty:
                if text.hasPrefix("default.") {
                    return .unset("\(cluster.addressText) uses the default parameter group \(shown)", cluster.resource)
                }
                return .unverified(context.unverified("\(cluster.addressText) uses cluster parameter group \(shown), "
                    + "which is not in this \(context.isPlan ? "plan" : "state"), so its \(parameterName) cannot be checked",
                    about: cluster.resource))
            case .unknown?, .sensitive?:
                // Unknown because the configuration leaves it unset: AWS attaches the default group.
                if let config = cluster.resource.config, config.expression(nameAttribute) == nil {
                    return .unset("\(cluster.addressText) sets no \(nameAttribute) (the default parameter group applies)", cluster.resource)
                }
                return .unverified(context.unverified("\(nameAttribute) of \(cluster.addressText) is "
                    + "\(name == .unknown ? "unknown until apply" : "sensitive") and names no parameter group in this plan, "
                    + "so its \(parameterName) cannot be checked", about: cluster.resource))
            default:
                return .unset("\(cluster.addressText) sets no \(nameAttribute) (the default parameter group applies)", cluster.resource)
            }
        }
        guard let parameters = group.parameters else {
            return .unverified(context.unverified("the parameter set of \(group.resource.addressText) is unknown until apply, "
                + "so its \(parameterName) cannot be checked", about: group.resource))
        }
        if let parameter = parameters[parameterName] {
            return .set(parameter, group)
        }
        // An entry whose name cannot be read (unknown or sensitive) might be the parameter.
        if case .list(let items)? = group.resource.current["parameter"]?.unmasked, items.contains(where: { $0["name"]?.unmaskedString == nil }) {
            return .unverified(context.unverified("\(group.resource.addressText) has parameters whose names are unknown until apply, "
                + "so whether it sets \(parameterName) cannot be checked", about: group.resource))
        }
        return .unset("\(group.resource.addressText) does not set it", group.resource)
    }
}

extension TerraformValue {
    /// Sensitive and unknown until apply at once: how MIG002 and MIG003 tell a parameter value
    /// that cannot be known from one that is merely hidden.
    var isHiddenUnknown: Bool {
        if case .sensitive(let hidden) = self { return hidden.isUnknown }
        return false
    }
}
