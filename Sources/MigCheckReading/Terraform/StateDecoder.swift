import MigCheckFoundation

/// Types the state representations: `values` of `terraform show -json` (also used by a
/// plan's `planned_values` and `prior_state`) and the raw `terraform.tfstate` version 4.
enum StateDecoder {
    static func showState(json: JSONDocument, topLevel: [String: JSONNode], format: FormatVersion, file: String,
                          notes: [String], number: Int?) throws -> TerraformDocument {
        let root = try TypedFields(json.root, file: file)
        let instances = try moduleTree(root.object("values")?.object("root_module"), file: file, checkingDuplicates: true)
        return TerraformDocument(file: file, kind: .state, json: json, formatVersion: format,
                                 terraformVersion: try root.string("terraform_version"),
                                 producer: producer(providerNames: instances.prefix(16).compactMap(\.providerName), configuration: nil),
                                 resourceChanges: [], resourceDrift: [], outputChanges: [],
                                 plannedResources: instances, priorResources: instances, configurationNode: nil,
                                 notes: notes, documentNumber: number)
    }

    /// Resources of a `root_module` and, recursively, its `child_modules`. A tree checked
    /// while reading (a plan's state sections) needs no second check for repeated addresses.
    static func moduleTree(_ rootModule: TypedFields?, file: String, checkingDuplicates: Bool = false) throws -> [ResourceInstance] {
        guard let rootModule else { return [] }
        var result: [ResourceInstance] = []
        var strings = StringInterner()
        var seen: DuplicateAddresses<InstanceName>? = checkingDuplicates ? DuplicateAddresses() : nil
        try collect(rootModule, modulePath: [], into: &result, strings: &strings, seen: &seen, file: file, depth: 0)
        return result
    }

    private static func collect(_ module: TypedFields, modulePath: [ModuleStep], into result: inout [ResourceInstance],
                                strings: inout StringInterner, seen: inout DuplicateAddresses<InstanceName>?,
                                file: String, depth: Int) throws {
        try module.forEachElement("resources") { element in
            let made = try instance(element, modulePath: modulePath, strings: &strings, file: file)
            try seen?.note(InstanceName(address: made.addressText, deposed: made.deposed), at: element, file: file) {
                (made.addressText, made.deposed)
            }
            result.append(made)
        }
        try forEachChildModule(of: module, file: file) { fields, childPath in
            try collect(fields, modulePath: childPath, into: &result, strings: &strings, seen: &seen, file: file, depth: depth + 1)
        }
    }

    /// Each of a module's `child_modules` with its parsed module path.
    private static func forEachChildModule(of module: TypedFields, file: String,
                                           _ body: (TypedFields, [ModuleStep]) throws -> Void) throws {
        try module.forEachElement("child_modules") { child in
            let fields = try TypedFields(child, file: file)
            let moduleText = try fields.string("address") ?? ""
            guard let childPath = ResourceAddress.parseModulePath(moduleText) else {
                throw InputError(file: file, position: child.position,
                                 message: "\(fields.path(of: "address")): expected a module address such as module.a[\"k\"], found \(JSONQuoting.quoted(moduleText))")
            }
            try body(fields, childPath)
        }
    }

    /// One instance of a `resources` list of `terraform show -json` output.
    static func instance(_ element: JSONNode, modulePath: [ModuleStep], strings: inout StringInterner,
                         file: String) throws -> ResourceInstance {
        let fields = try TypedFields(element, file: file)
        let addressText = try fields.requiredString("address")
        let mode: ResourceMode = try fields.string("mode") == "data" ? .data : .managed
        let address = ResourceAddress(modulePath: modulePath, mode: mode,
                                      type: try fields.requiredString("type", interning: &strings),
                                      name: try fields.requiredString("name", interning: &strings),
                                      key: try fields.instanceKey("index"))
        return ResourceInstance(
            address: address, addressText: addressText,
            providerName: try fields.string("provider_name", interning: &strings),
            attributes: try fields.objectNode("values"), sensitiveMask: try fields.objectNode("sensitive_values", allowingBool: true),
            sensitivePaths: [], deposed: try fields.string("deposed_key"), node: element)
    }

    /// What checking a module tree noted on the way: the first provider names (they tell
    /// OpenTofu's output apart) and where its data sources are (a plan's `prior_state` holds
    /// the data sources read during planning, which checks look up by type).
    struct TreeOutline {
        var providerNames: [String] = []
        var dataSources: [(element: JSONNode, modulePath: [ModuleStep])] = []
        /// The instances whose `sensitive_values` mark something, with those marks.
        var sensitiveValues: [(address: String, deposed: String?, marks: JSONNode)] = []
        static let marked = Array("true".utf8)

        /// The data-source instances of one type.
        func dataSources(ofType type: String, file: String) -> [ResourceInstance] {
            let wanted = Array(type.utf8)
            var strings = StringInterner()
            // Checked while reading, so building cannot fail.
            return dataSources.filter { $0.element["type"]?.stringEquals(wanted) == true }.compactMap {
                try? StateDecoder.instance($0.element, modulePath: $0.modulePath, strings: &strings, file: file)
            }
        }
    }

    /// Checks every type `moduleTree` relies on, in the same order and with the same errors,
    /// without building anything: a plan's `planned_values` and `prior_state` must be well
    /// formed, but the checks seldom read them, so their instances are built on first use.
    static func validateModuleTree(_ rootModule: TypedFields?, file: String) throws -> TreeOutline {
        var outline = TreeOutline()
        var seen = DuplicateAddresses<InstanceBytes>()
        if let rootModule { try validate(rootModule, modulePath: [], file: file, outline: &outline, seen: &seen) }
        return outline
    }

    private static func validate(_ module: TypedFields, modulePath: [ModuleStep], file: String, outline: inout TreeOutline,
                                 seen: inout DuplicateAddresses<InstanceBytes>) throws {
        try module.forEachElement("resources") { element in
            let fields = try TypedFields(element, file: file)
            try fields.requireString("address")
            if try fields.string("mode") == "data" { outline.dataSources.append((element, modulePath)) }
            try fields.requireString("type")
            try fields.requireString("name")
            _ = try fields.instanceKey("index")
            if outline.providerNames.count < 16 {
                if let name = try fields.string("provider_name") { outline.providerNames.append(name) }
            } else {
                try fields.checkString("provider_name")
            }
            _ = try fields.objectNode("values")
            let marks = try fields.objectNode("sensitive_values", allowingBool: true)
            try fields.checkString("deposed_key")
            // Typed above: the address is a string, the deposed key a string when present.
            if let address = fields.node("address") {
                let deposed = fields.node("deposed_key")
                try seen.note(InstanceBytes(address: address, deposed: deposed), at: element, file: file) {
                    (address.string ?? "", deposed?.string)
                }
            }
            // Most instances mark nothing (`{}`): only those that do are noted, for their changes.
            if let marks, marks.rawBytesContain(TreeOutline.marked) {
                outline.sensitiveValues.append((address: try fields.requiredString("address"),
                                                deposed: try fields.string("deposed_key"), marks: marks))
            }
        }
        try forEachChildModule(of: module, file: file) { fields, childPath in
            try validate(fields, modulePath: childPath, file: file, outline: &outline, seen: &seen)
        }
    }

    // MARK: - terraform.tfstate

    static func rawState(json: JSONDocument, root rootNode: JSONNode, topLevel: [String: JSONNode], file: String,
                         notes: [String], number: Int?) throws -> TerraformDocument {
        let root = try TypedFields(rootNode, file: file)
        var instances: [ResourceInstance] = []
        var seenResources = DuplicateAddresses<String>()
        try root.forEachElement("resources") { resource in
            let fields = try TypedFields(resource, file: file)
            let mode: ResourceMode = try fields.string("mode") == "data" ? .data : .managed
            let type = try fields.requiredString("type")
            let name = try fields.requiredString("name")
            var modulePath: [ModuleStep] = []
            if let moduleText = try fields.string("module") {
                guard let parsed = ResourceAddress.parseModulePath(moduleText) else {
                    throw InputError(file: file, position: resource.position,
                                     message: "\(fields.path(of: "module")): expected a module address, found \(JSONQuoting.quoted(moduleText))")
                }
                modulePath = parsed
            }
            let provider = try fields.string("provider")
            // One entry per resource (mode, type, name and module), one instance per key within it.
            let resourceAddress = ResourceAddress(modulePath: modulePath, mode: mode, type: type, name: name, key: nil).description
            try seenResources.note(resourceAddress, at: resource, file: file) { (resourceAddress, nil) }
            var seenInstances = DuplicateAddresses<InstanceName>()
            try fields.forEachElement("instances") { instance in
                let instanceFields = try TypedFields(instance, file: file)
                let address = ResourceAddress(modulePath: modulePath, mode: mode, type: type, name: name,
                                              key: try instanceFields.instanceKey("index_key"))
                var sensitivePaths: [[PathStep]] = []
                if let paths = try instanceFields.array("sensitive_attributes") {
                    sensitivePaths = paths.map(pathSteps)
                }
                // Terraform 0.11-era `attributes_flat` has no typed values; it is kept as the attribute node.
                let attributes = try instanceFields.objectNode("attributes") ?? instanceFields.objectNode("attributes_flat")
                let deposed = try instanceFields.string("deposed")
                let addressText = address.description
                try seenInstances.note(InstanceName(address: addressText, deposed: deposed), at: instance, file: file) {
                    (addressText, deposed)
                }
                instances.append(ResourceInstance(
                    address: address, addressText: addressText, providerName: provider,
                    attributes: attributes, sensitiveMask: nil, sensitivePaths: sensitivePaths,
                    deposed: deposed, node: instance))
            }
        }
        return TerraformDocument(file: file, kind: .tfstate, json: json, formatVersion: nil,
                                 terraformVersion: try root.string("terraform_version"),
                                 producer: producer(providerNames: instances.prefix(16).compactMap(\.providerName), configuration: nil),
                                 resourceChanges: [], resourceDrift: [], outputChanges: [],
                                 plannedResources: instances, priorResources: instances, configurationNode: nil,
                                 notes: notes, documentNumber: number)
    }

    /// A path as `replace_paths` writes it (`["parameter", 0, "value"]`) or as
    /// `sensitive_attributes` does (`[{"type":"get_attr","value":"password"}]`).
    static func pathSteps(_ node: JSONNode) -> [PathStep] {
        // Terraform 1.10+ writes each sensitive path as one object { "type": …, "value": … } list, older as a list of lists.
        let steps = node.kind == .array ? node.elements : [node]
        var result: [PathStep] = []
        for step in steps {
            // A step no path can name (a set element: its index step holds the element itself)
            // ends the path there, so the parent is masked: hiding more, never less.
            guard let parsed = pathStep(step) else { break }
            result.append(parsed)
        }
        return result
    }

    private static func pathStep(_ step: JSONNode) -> PathStep? {
        switch step.kind {
        case .string: return step.string.map(PathStep.attribute)
        case .number: return step.int.map(PathStep.index)
        case .object:
            let type = step["type"]?.string
            guard var value = step["value"] else { return nil }
            if type == "get_attr" { return value.string.map(PathStep.attribute) }
            // An index step holds a ctyjson dynamic value: {"value": 0, "type": "number"}.
            if value.kind == .object, let wrapped = value["value"] { value = wrapped }
            if let index = value.int, value.kind == .number { return .index(index) }
            return value.string.map(PathStep.key)
        default: return nil
        }
    }

    static func producer(providerNames: [String], configuration: JSONNode?) -> Producer {
        var names = providerNames
        configuration?["provider_config"]?.forEachMember { _, provider in
            if let fullName = provider["full_name"]?.string { names.append(fullName) }
            return true
        }
        return names.contains { $0.contains("registry.opentofu.org") } ? .openTofu : .terraform
    }
}
