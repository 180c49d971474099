import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// A small builder for plans and states shaped exactly like `terraform show -json`
/// output, used by each rule's triggering and non-triggering examples.
public struct ExampleResource {
    public var address: String
    public var actions: [String]
    /// Attribute values before the change (nil: the plan creates the resource).
    public var before: JSONLiteral?
    /// Planned attribute values (nil: the plan destroys the resource).
    public var after: JSONLiteral?
    /// Top-level attributes known only after apply: absent from `after`, true in `after_unknown`.
    public var unknown: [String]
    /// Attributes Terraform marks sensitive: top-level names, or paths such as
    /// `master_user_secret[0].secret_arn` (the masks then take the value's shape).
    public var sensitive: [String]
    /// Configuration references per attribute, as Terraform lists them.
    public var references: [String: [String]]

    public init(_ address: String, actions: [String], before: JSONLiteral?, after: JSONLiteral?,
                unknown: [String] = [], sensitive: [String] = [], references: [String: [String]] = [:]) {
        self.address = address
        self.actions = actions
        // `cond ? nil : value` with a JSONLiteral value makes `.null`, not an absent value: treat both alike.
        self.before = before == .null ? nil : before
        self.after = after == .null ? nil : after
        self.unknown = unknown
        self.sensitive = sensitive
        self.references = references
    }

    package var parsedAddress: ResourceAddress {
        ResourceAddress.parse(address) ?? ResourceAddress(type: "invalid", name: "address")
    }
}

public struct ExamplePlan {
    public var resources: [ExampleResource]
    /// Module inputs: module name → input name → references.
    public var moduleInputs: [String: [String: [String]]]
    /// Outputs of modules called from the root: module name → output name → references.
    public var moduleOutputs: [String: [String: [String]]] = [:]

    public init(resources: [ExampleResource], moduleInputs: [String: [String: [String]]] = [:]) {
        self.resources = resources
        self.moduleInputs = moduleInputs
    }

    // MARK: - Editing

    /// Changes one attribute of a resource's planned value (and its prior value, unless
    /// `beforeToo` is false); a nil value removes the attribute.
    public func setting(_ address: String, _ attribute: String, to value: JSONLiteral?, beforeToo: Bool = false) -> ExamplePlan {
        var copy = self
        for index in copy.resources.indices where copy.resources[index].address == address {
            copy.resources[index].after?[attribute] = value
            copy.resources[index].unknown.removeAll { $0 == attribute }
            if beforeToo { copy.resources[index].before?[attribute] = value }
        }
        return copy
    }

    public func settingBefore(_ address: String, _ attribute: String, to value: JSONLiteral?) -> ExamplePlan {
        var copy = self
        for index in copy.resources.indices where copy.resources[index].address == address {
            copy.resources[index].before?[attribute] = value
        }
        return copy
    }

    public func markingUnknown(_ address: String, _ attribute: String) -> ExamplePlan {
        var copy = self
        for index in copy.resources.indices where copy.resources[index].address == address {
            copy.resources[index].after?[attribute] = nil
            if !copy.resources[index].unknown.contains(attribute) { copy.resources[index].unknown.append(attribute) }
        }
        return copy
    }

    /// Marks an attribute (a name or a path) sensitive in every mask Terraform writes for the resource.
    public func markingSensitive(_ address: String, _ path: String) -> ExamplePlan {
        var copy = self
        for index in copy.resources.indices where copy.resources[index].address == address
            && !copy.resources[index].sensitive.contains(path) {
            copy.resources[index].sensitive.append(path)
        }
        return copy
    }

    public func withActions(_ address: String, _ actions: [String]) -> ExamplePlan {
        var copy = self
        for index in copy.resources.indices where copy.resources[index].address == address {
            let resource = copy.resources[index]
            copy.resources[index].actions = actions
            if actions == ["delete"] {
                copy.resources[index].before = resource.before ?? resource.after
                copy.resources[index].after = nil
            } else if actions == ["create"] {
                copy.resources[index].before = nil
                copy.resources[index].after = resource.after ?? resource.before
            } else {
                copy.resources[index].before = resource.before ?? resource.after
                copy.resources[index].after = resource.after ?? resource.before
            }
        }
        return copy
    }

    public func settingReferences(_ address: String, _ attribute: String, to references: [String]?) -> ExamplePlan {
        var copy = self
        for index in copy.resources.indices where copy.resources[index].address == address {
            copy.resources[index].references[attribute] = references
        }
        return copy
    }

    /// Sets the references of a module call's input (nil removes the input).
    public func settingModuleInput(_ module: String, _ input: String, to references: [String]?) -> ExamplePlan {
        var copy = self
        copy.moduleInputs[module, default: [:]][input] = references
        return copy
    }

    /// Sets the references of an output of a module called from the root (nil removes it).
    public func settingModuleOutput(_ module: String, _ output: String, to references: [String]?) -> ExamplePlan {
        var copy = self
        copy.moduleOutputs[module, default: [:]][output] = references
        return copy
    }

    public func removing(_ address: String) -> ExamplePlan {
        var copy = self
        copy.resources.removeAll { $0.address == address || $0.address.hasPrefix(address + "[") }
        return copy
    }

    public func adding(_ resource: ExampleResource) -> ExamplePlan {
        var copy = self
        copy.resources.append(resource)
        return copy
    }

    // MARK: - Rendering

    /// The plan as `terraform show -json tfplan` writes it.
    public var planJSON: String {
        var plan: JSONLiteral = [
            "format_version": "1.2",
            "terraform_version": "1.9.5",
        ]
        plan["planned_values"] = ["root_module": module(path: [], resources: resources.filter { $0.after != nil }, values: \.after)]
        plan["resource_changes"] = .array(resources.map(resourceChange))
        plan["prior_state"] = [
            "format_version": "1.0", "terraform_version": "1.9.5",
            "values": ["root_module": module(path: [], resources: resources.filter { $0.before != nil }, values: \.before)],
        ]
        plan["configuration"] = [
            "provider_config": ["aws": ["name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"]],
            "root_module": configurationModule(path: []),
        ]
        plan["timestamp"] = "2026-11-20T10:00:00Z"
        plan["applyable"] = true
        plan["complete"] = true
        plan["errored"] = false
        return plan.serialized
    }

    /// The planned values as a state from `terraform show -json` (what apply would leave).
    public var stateJSON: String {
        let state: JSONLiteral = [
            "format_version": "1.0",
            "terraform_version": "1.9.5",
            "values": ["root_module": module(path: [], resources: resources.filter { $0.after != nil }, values: \.after, knownOnly: true)],
        ]
        return state.serialized
    }

    private func resourceChange(_ resource: ExampleResource) -> JSONLiteral {
        let address = resource.parsedAddress
        var change: JSONLiteral = ["address": .string(resource.address)]
        if !address.modulePath.isEmpty { change["module_address"] = .string(address.moduleAddress) }
        change["mode"] = address.mode == .data ? "data" : "managed"
        change["type"] = .string(address.type)
        change["name"] = .string(address.name)
        if let key = address.key { change["index"] = key.literal }
        change["provider_name"] = "registry.terraform.io/hashicorp/aws"
        var unknown: JSONLiteral = [:]
        for attribute in resource.unknown { unknown[attribute] = true }
        var body: JSONLiteral = ["actions": .array(resource.actions.map(JSONLiteral.string))]
        body["before"] = resource.before ?? .null
        body["after"] = resource.after ?? .null
        body["after_unknown"] = resource.after == nil ? [:] : unknown
        body["before_sensitive"] = resource.before == nil ? false : sensitivity(resource.sensitive)
        body["after_sensitive"] = resource.after == nil ? false : sensitivity(resource.sensitive)
        change["change"] = body
        return change
    }

    private func sensitivity(_ attributes: [String]) -> JSONLiteral {
        var mask: JSONLiteral = [:]
        for attribute in attributes { mask = Self.marking(TerraformValue.pathSteps(attribute)[...], in: mask) }
        return mask
    }

    /// `mask` with `true` at the path, objects and lists made on the way as Terraform shapes them.
    private static func marking(_ steps: ArraySlice<PathStep>, in mask: JSONLiteral) -> JSONLiteral {
        // A part already marked whole stays marked whole.
        guard let step = steps.first, mask != true else { return true }
        switch step {
        case .attribute(let name), .key(let name):
            var object: JSONLiteral = { if case .object = mask { return mask } else { return [:] } }()
            object[name] = marking(steps.dropFirst(), in: object[name] ?? [:])
            return object
        case .index(let index):
            var items: [JSONLiteral] = { if case .array(let items) = mask { return items } else { return [] } }()
            while items.count <= index { items.append([:]) }
            items[index] = marking(steps.dropFirst(), in: items[index])
            return .array(items)
        }
    }

    private func module(path: [String], resources: [ExampleResource], values: KeyPath<ExampleResource, JSONLiteral?>,
                        knownOnly: Bool = false) -> JSONLiteral {
        let here = resources.filter { $0.parsedAddress.modulePath.map(\.name) == path }
        var module: JSONLiteral = [:]
        if !path.isEmpty { module["address"] = .string(path.map { "module.\($0)" }.joined(separator: ".")) }
        module["resources"] = .array(here.map { resource in
            let address = resource.parsedAddress
            var entry: JSONLiteral = ["address": .string(resource.address), "mode": address.mode == .data ? "data" : "managed",
                                      "type": .string(address.type), "name": .string(address.name)]
            if let key = address.key { entry["index"] = key.literal }
            entry["provider_name"] = "registry.terraform.io/hashicorp/aws"
            entry["schema_version"] = 0
            entry["values"] = resource[keyPath: values] ?? [:]
            entry["sensitive_values"] = sensitivity(resource.sensitive)
            return entry
        })
        let children = Set(resources.compactMap { resource -> String? in
            let names = resource.parsedAddress.modulePath.map(\.name)
            guard names.count > path.count, Array(names.prefix(path.count)) == path else { return nil }
            return names[path.count]
        }).union(path.isEmpty ? Set(moduleOutputs.keys) : []).sorted()
        if !children.isEmpty {
            module["child_modules"] = .array(children.map { self.module(path: path + [$0], resources: resources, values: values, knownOnly: knownOnly) })
        }
        return module
    }

    private func configurationModule(path: [String]) -> JSONLiteral {
        var seen = Set<String>()
        var blocks: [JSONLiteral] = []
        for resource in resources where resource.parsedAddress.modulePath.map(\.name) == path {
            let address = resource.parsedAddress
            let configAddress = (address.mode == .data ? "data." : "") + address.type + "." + address.name
            guard seen.insert(configAddress).inserted else { continue }
            var expressions: JSONLiteral = [:]
            for (attribute, references) in resource.references.sorted(by: { $0.key < $1.key }) {
                expressions[attribute] = ["references": .array(references.map(JSONLiteral.string))]
            }
            var block: JSONLiteral = ["address": .string(configAddress), "mode": address.mode == .data ? "data" : "managed", "type": .string(address.type),
                                      "name": .string(address.name), "provider_config_key": "aws", "expressions": expressions,
                                      "schema_version": 0]
            if case .string? = address.key.map({ $0.literal }) { block["for_each_expression"] = ["references": ["local.instances"]] }
            blocks.append(block)
        }
        var module: JSONLiteral = ["resources": .array(blocks)]
        let children = Set(resources.compactMap { resource -> String? in
            let names = resource.parsedAddress.modulePath.map(\.name)
            guard names.count > path.count, Array(names.prefix(path.count)) == path else { return nil }
            return names[path.count]
        }).union(path.isEmpty ? Set(moduleOutputs.keys) : []).sorted()
        if !children.isEmpty {
            var calls: JSONLiteral = [:]
            for child in children {
                var expressions: JSONLiteral = [:]
                for (input, references) in (moduleInputs[child] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    expressions[input] = ["references": .array(references.map(JSONLiteral.string))]
                }
                var module = configurationModule(path: path + [child])
                if path.isEmpty, let outputs = moduleOutputs[child] {
                    var entries: JSONLiteral = [:]
                    for (name, references) in outputs.sorted(by: { $0.key < $1.key }) {
                        entries[name] = ["expression": ["references": .array(references.map(JSONLiteral.string))]]
                    }
                    module["outputs"] = entries
                }
                calls[child] = ["source": .string("./modules/\(child)"), "expressions": expressions, "module": module]
            }
            module["module_calls"] = calls
        }
        return module
    }
}

extension InstanceKey {
    package var literal: JSONLiteral {
        switch self {
        case .int(let value): return .number(String(value))
        case .string(let value): return .string(value)
        }
    }
}
