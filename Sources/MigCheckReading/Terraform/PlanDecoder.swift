import MigCheckFoundation

/// Types the fields of `terraform show -json tfplan` that migcheck uses.
enum PlanDecoder {
    static func plan(json: JSONDocument, topLevel: [String: JSONNode], format: FormatVersion, file: String,
                     notes: [String], number: Int?) throws -> TerraformDocument {
        let root = try TypedFields(json.root, file: file)
        // planned_values and prior_state are type-checked on a second thread while this one
        // types the changes; errors are still reported in the order one thread would meet them.
        // So is the configuration tree, which is then parsed there too.
        typealias Sections = (planned: TypedFields?, plannedOutline: StateDecoder.TreeOutline,
                              prior: TypedFields?, priorOutline: StateDecoder.TreeOutline,
                              configurationNode: JSONNode?, configuration: Configuration?)
        let states = BackgroundThread { () -> Result<Sections, Error> in
            Result {
                let plannedModule = try root.object("planned_values")?.object("root_module")
                let plannedOutline = try StateDecoder.validateModuleTree(plannedModule, file: file)
                let priorModule = try root.object("prior_state")?.object("values")?.object("root_module")
                let priorOutline = try StateDecoder.validateModuleTree(priorModule, file: file)
                let configurationNode = try root.objectNode("configuration")
                if let configurationNode { try ConfigurationChecker.check(configurationNode, file: file) }
                return (plannedModule, plannedOutline, priorModule, priorOutline, configurationNode, configurationNode.map { Configuration($0) })
            }
        }
        let terraformVersion: String?
        var changes: [ResourceChange]
        let drift: [ResourceChange]
        var outputs: [OutputChange] = []
        do {
            terraformVersion = try root.string("terraform_version")
            changes = try resourceChanges(root, key: "resource_changes", file: file)
            drift = try resourceChanges(root, key: "resource_drift", file: file)
            outputs = try outputChanges(root, file: file)
        } catch {
            _ = states.join()
            throw error
        }
        let (plannedModule, plannedOutline, priorModule, priorOutline, configuration, parsedConfiguration) = try states.join().get()
        // The line table is counted on the second core once it is free, while the picture is built.
        json.preparePositionsInBackground()
        // A mark in planned_values or prior_state counts as much as one in the change's masks.
        addSensitiveValues(plannedOutline.sensitiveValues, to: &changes, side: \.plannedSensitiveValues, changeMask: \.afterSensitive)
        addSensitiveValues(priorOutline.sensitiveValues, to: &changes, side: \.priorSensitiveValues, changeMask: \.beforeSensitive)
        // Checked above, so building cannot fail; the sensitivity of each instance comes from its change.
        let planned = deferredInstances(plannedModule, plannedOutline, changes: changes, side: \.after, file: file)
        let prior = deferredInstances(priorModule, priorOutline, changes: changes, side: \.before, file: file)
        let producer = StateDecoder.producer(providerNames: changes.prefix(16).compactMap(\.providerName)
            + plannedOutline.providerNames, configuration: configuration)
        return TerraformDocument(file: file, kind: .plan, json: json, formatVersion: format, terraformVersion: terraformVersion,
                                 producer: producer, resourceChanges: changes, resourceDrift: drift, outputChanges: outputs,
                                 planned: planned, prior: prior, configurationNode: configuration,
                                 configuration: parsedConfiguration, notes: notes, documentNumber: number)
    }

    /// A state section's instances, built on first use with the sensitivity their changes mark
    /// (`side` picks `after_sensitive` for planned values, `before_sensitive` for the prior state).
    /// Checked while reading, so building cannot fail.
    private static func deferredInstances(_ module: TypedFields?, _ outline: StateDecoder.TreeOutline, changes: [ResourceChange],
                                          side: KeyPath<SensitivityMasks, [InstanceName: JSONNode]>, file: String) -> InstanceList {
        InstanceList(deferred: {
            var instances = (try? StateDecoder.moduleTree(module, file: file)) ?? []
            applyMasks(sensitivityMasks(from: changes)[keyPath: side], to: &instances)
            return instances
        }, dataSources: { type in
            var instances = outline.dataSources(ofType: type, file: file)
            let ofType = changes.filter { $0.address.mode == .data && $0.address.type == type }
            applyMasks(sensitivityMasks(from: ofType)[keyPath: side], to: &instances)
            return instances
        })
    }

    private static func outputChanges(_ root: TypedFields, file: String) throws -> [OutputChange] {
        var outputs: [OutputChange] = []
        guard let outputChanges = try root.object("output_changes") else { return outputs }
        var failure: Error?
        outputChanges.node.forEachMember { key, value in
            do {
                let name = key.string
                let fields = try TypedFields(value, file: file)
                outputs.append(OutputChange(name: name, change: try change(fields)))
            } catch {
                failure = error
                return false
            }
            return true
        }
        if let failure { throw failure }
        return outputs
    }

    /// Gives each change the `sensitive_values` of its state-section instance where they mark what
    /// the change's own mask does not. Only instances that mark anything were noted while checking.
    private static func addSensitiveValues(_ marked: [(address: String, deposed: String?, marks: JSONNode)], to changes: inout [ResourceChange],
                                           side: WritableKeyPath<Change, JSONNode?>, changeMask: KeyPath<Change, JSONNode?>) {
        guard !marked.isEmpty else { return }
        var marksByInstance: [InstanceName: JSONNode] = [:]
        for entry in marked { marksByInstance[InstanceName(address: entry.address, deposed: entry.deposed)] = entry.marks }
        for index in changes.indices {
            guard let marks = marksByInstance[InstanceName(address: changes[index].addressText, deposed: changes[index].deposed)],
                  !SensitivityMark.covers(changes[index].change[keyPath: changeMask], marks) else { continue }
            changes[index].change[keyPath: side] = marks
        }
    }

    private struct SensitivityMasks {
        var before: [InstanceName: JSONNode] = [:]
        var after: [InstanceName: JSONNode] = [:]
    }

    /// The `before_sensitive`/`after_sensitive` of each change that marks anything, by instance.
    private static func sensitivityMasks(from changes: [ResourceChange]) -> SensitivityMasks {
        let marked = Array("true".utf8)
        var before: [InstanceName: JSONNode] = [:]
        var after: [InstanceName: JSONNode] = [:]
        for change in changes {
            if let node = change.change.afterSensitive, node.rawBytesContain(marked) {
                after[InstanceName(address: change.addressText, deposed: change.deposed)] = node
            }
            if let node = change.change.beforeSensitive, node.rawBytesContain(marked) {
                before[InstanceName(address: change.addressText, deposed: change.deposed)] = node
            }
        }
        return SensitivityMasks(before: before, after: after)
    }

    /// Gives each planned/prior instance the sensitivity its resource change marks: `sensitive_values`
    /// can leave out schema-sensitive attributes (a password) that `after_sensitive` marks.
    private static func applyMasks(_ masks: [InstanceName: JSONNode], to instances: inout [ResourceInstance]) {
        guard !masks.isEmpty else { return }
        for index in instances.indices {
            if let mask = masks[InstanceName(address: instances[index].addressText, deposed: instances[index].deposed)] {
                instances[index].changeSensitiveMask = mask
            }
        }
    }

    private static func resourceChanges(_ root: TypedFields, key: StaticString, file: String) throws -> [ResourceChange] {
        var result: [ResourceChange] = []
        if let changes = root.node(key), changes.kind == .array { result.reserveCapacity(changes.count) }
        // Thousands of resources share a handful of module addresses: parse each once.
        var parsedModules: [String: [ModuleStep]] = [:]
        var strings = StringInterner()
        var seen = DuplicateAddresses<InstanceName>(expectedCount: result.capacity)
        try root.forEachElement(key) { element in
            let fields = try TypedFields(element, file: file)
            let type = try fields.requiredString("type", interning: &strings)
            let name = try fields.requiredString("name", interning: &strings)
            let mode: ResourceMode = try fields.string("mode") == "data" ? .data : .managed
            let key = try fields.instanceKey("index")
            var modulePath: [ModuleStep] = []
            if let moduleText = try fields.string("module_address") {
                guard let parsed = parsedModules[moduleText] ?? ResourceAddress.parseModulePath(moduleText) else {
                    throw InputError(file: file, position: fields.node("module_address")?.position,
                                     message: "\(fields.path(of: "module_address")): expected a module address such as module.a[\"k\"].module.b, found \(JSONQuoting.quoted(moduleText))")
                }
                modulePath = parsed
                parsedModules[moduleText] = parsed
            }
            guard let changeFields = try fields.object("change") else {
                throw fields.missing("change", expected: "an object")
            }
            let address = ResourceAddress(modulePath: modulePath, mode: mode, type: type, name: name, key: key)
            // Format 0.1 drift entries (Terraform 0.15.4 to 1.0) carry no `address`; it is rebuilt from the parts.
            let addressText = try fields.string("address") ?? address.description
            let previousAddress = try fields.string("previous_address")
            let deposed = try fields.string("deposed")
            let instance = InstanceName(address: addressText, deposed: deposed)
            try seen.note(instance, at: element, file: file) { (addressText, deposed) }
            result.append(ResourceChange(
                address: address,
                addressText: addressText,
                previousAddress: previousAddress,
                deposed: deposed,
                providerName: try fields.string("provider_name", interning: &strings),
                actionReason: try fields.string("action_reason", interning: &strings),
                change: try change(changeFields),
                node: element))
        }
        return result
    }

    static func change(_ fields: TypedFields) throws -> Change {
        guard let actions = try fields.stringArray("actions") else {
            throw fields.missing("actions", expected: "an array of strings")
        }
        var replacePaths: [[PathStep]] = []
        if let paths = try fields.array("replace_paths") {
            // Typed like every other field: each path an array of attribute names or keys (strings) and
            // list indices (whole numbers from 0), so a finding can name the change that forces a replacement.
            replacePaths = try paths.map { path in
                guard path.kind == .array else {
                    throw TypedFields.error(file: fields.file, node: path, expected: "an array of path steps (strings and indices)")
                }
                return try path.elements.map { step in
                    switch step.kind {
                    case .string:
                        if let name = step.string { return .attribute(name) }
                    case .number:
                        if let index = step.int, index >= 0 { return .index(index) }
                        throw InputError(file: fields.file, position: step.position,
                                         message: "\(step.document.path(to: step.offset)): expected a list index (a whole number from 0), found \(step.numberText.map { String($0.prefix(40)) } ?? "a number")")
                    default:
                        break
                    }
                    throw TypedFields.error(file: fields.file, node: step, expected: "a string (attribute or key) or a number (list index)")
                }
            }
        }
        let action = ChangeAction(actions)
        if case .other = action {
            // An action no rule knows would pass every check unseen: refuse it instead.
            let found = "[" + actions.map { JSONQuoting.quoted($0) }.joined(separator: ",") + "]"
            throw InputError(file: fields.file, position: fields.node("actions")?.position,
                             message: "\(fields.path(of: "actions")): expected one of the action lists Terraform writes "
                                + "(\(ChangeAction.knownLists)), found \(found); if a newer Terraform wrote it, check for a newer migcheck")
        }
        return Change(
            action: action,
            before: fields.anyNode("before"),
            after: fields.anyNode("after"),
            afterUnknown: fields.anyNode("after_unknown"),
            beforeSensitive: fields.anyNode("before_sensitive"),
            afterSensitive: fields.anyNode("after_sensitive"),
            replacePaths: replacePaths,
            isImport: fields.has("importing"))
    }
}

/// Checks the shape of the `configuration` tree up front, so that a wrong type is an
/// input error with its position rather than a silently empty picture later.
enum ConfigurationChecker {
    static func check(_ node: JSONNode, file: String) throws {
        let configuration = try TypedFields(node, file: file)
        if let rootModule = try configuration.object("root_module") { try checkModule(rootModule, file: file, depth: 0) }
    }

    private static func checkModule(_ module: TypedFields, file: String, depth: Int) throws {
        try module.forEachElement("resources") { resource in
            let fields = try TypedFields(resource, file: file)
            _ = try fields.requiredString("address")
            _ = try fields.object("expressions")
        }
        if let calls = try module.object("module_calls") {
            var failure: Error?
            calls.node.forEachMember { key, call in
                do {
                    let fields = try TypedFields(call, file: file)
                    _ = try fields.object("expressions")
                    if let inner = try fields.object("module") { try checkModule(inner, file: file, depth: depth + 1) }
                } catch {
                    failure = error
                    return false
                }
                return true
            }
            if let failure { throw failure }
        }
    }
}

/// Shares one copy of strings that thousands of resources repeat (types, provider names,
/// reasons, common names): a repeat is recognised from the file's bytes, so it costs a
/// hash and a comparison instead of a new heap string.
struct StringInterner {
    private var table: [UInt64: [String]] = [:]

    mutating func intern(_ text: String?) -> String? {
        guard let text else { return nil }
        var bytes = text
        return bytes.withUTF8 { utf8 in intern(UnsafeRawBufferPointer(utf8), 0, utf8.count) { text } }
    }

    /// The string whose UTF-8 is `bytes[start..<end]`; `make` builds it the first time.
    mutating func intern(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, make: () -> String) -> String {
        let hash = JSONScanner.keyHash(bytes, start, end)
        if let candidates = table[hash] {
            for var candidate in candidates where candidate.withUTF8({ Self.equal($0, bytes, start, end) }) {
                return candidate
            }
        }
        let made = make()
        table[hash, default: []].append(made)
        return made
    }

    private static func equal(_ utf8: UnsafeBufferPointer<UInt8>, _ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        guard utf8.count == end - start else { return false }
        for index in 0..<utf8.count where utf8[index] != bytes[start + index] { return false }
        return true
    }
}

/// Sensitivity masks (`after_sensitive`, `sensitive_values`): `true` where a part is sensitive.
enum SensitivityMark {
    /// Whether `mask` marks everything `other` marks (so adding `other` changes nothing).
    static func covers(_ mask: JSONNode?, _ other: JSONNode) -> Bool {
        if mask?.bool == true { return true }
        switch other.kind {
        case .bool:
            return other.bool != true
        case .object:
            var covered = true
            other.forEachMember { key, inner in
                covered = covers(mask?.kind == .object ? mask?[key.string] : nil, inner)
                return covered
            }
            return covered
        case .array:
            let elements = mask?.kind == .array ? mask?.elements ?? [] : []
            for (index, inner) in other.elements.enumerated() where !covers(elements.indices.contains(index) ? elements[index] : nil, inner) {
                return false
            }
            return true
        default:
            return true
        }
    }
}
