/// Streams one synthetic `terraform show -json` document. Top-level and
/// structural objects are written in the field order of Terraform's Go
/// structs (jsonplan / jsonstate / jsonconfig); attribute objects are sorted.
final class PlanWriter {
    private enum StateSection { case planned, prior }

    private let layout: PlanLayout
    private let sink: ByteSink
    private(set) var resourceChangeCount = 0

    /// Per section, per module instance: does the subtree contain any resource?
    /// Terraform leaves out module entries that would be empty.
    private var subtreeHasResources: [StateSection: [Bool]] = [:]

    init(layout: PlanLayout, sink: ByteSink) {
        self.layout = layout
        self.sink = sink
    }

    static let providerName = "registry.terraform.io/hashicorp/aws"
    static let timestamp = "2024-09-12T08:30:00Z"

    func writeDocument() {
        computeModulePresence()
        sink.raw("{\"format_version\":\"1.2\",\"terraform_version\":\"1.9.5\",\"variables\":")
        sink.value(PlanWriter.variables)
        sink.raw(",\"planned_values\":{\"outputs\":")
        sink.value(PlanWriter.plannedOutputs)
        sink.raw(",\"root_module\":")
        writeStateModule(0, section: .planned)
        sink.raw("},\"resource_changes\":[")
        writeResourceChanges()
        sink.raw("],\"output_changes\":")
        sink.value(PlanWriter.outputChanges)
        sink.raw(",\"prior_state\":{\"format_version\":\"1.0\",\"terraform_version\":\"1.9.5\",\"values\":{\"outputs\":")
        sink.value(PlanWriter.priorOutputs)
        sink.raw(",\"root_module\":")
        writeStateModule(0, section: .prior)
        sink.raw("}},\"configuration\":{\"provider_config\":")
        sink.value(PlanWriter.providerConfig)
        sink.raw(",\"root_module\":")
        writeConfigModule(call: 0)
        sink.raw("},\"relevant_attributes\":")
        sink.value(relevantAttributes())
        sink.raw(",\"timestamp\":")
        sink.string(PlanWriter.timestamp)
        sink.raw(",\"applyable\":true,\"complete\":true,\"errored\":false}\n")
        sink.flush()
    }

    // MARK: Resource instance data

    private func label(_ instance: ResourceInstance) -> String {
        let base = String(instance.block.name.map { $0 == "_" ? "-" : $0 })
        return "\(base)-\(instance.moduleInstance)-\(instance.ordinal)"
    }

    private func afterRevision(_ action: PlannedAction) -> Revision {
        switch action {
        case .update: return .updated
        case .deleteThenCreate, .createThenDelete: return .replaced
        default: return .prior
        }
    }

    private func unknownKeys(_ instance: ResourceInstance) -> [String] {
        if let part = instance.block.part { return part.unknownKeys }
        switch instance.action {
        case .create, .deleteThenCreate, .createThenDelete: return instance.block.kind.unknownOnCreate
        case .update: return instance.block.kind.unknownOnUpdate
        case .noOp, .delete: return []
        }
    }

    private func beforeValues(_ instance: ResourceInstance) -> [Attribute] {
        if let part = instance.block.part {
            return MigrationScenario.values(part, ordinal: instance.ordinal, before: true)
        }
        return instance.block.kind.attributes(seed: instance.seed, label: label(instance), revision: .prior)
    }

    /// Full after-apply attributes, and the `after` view without unknowns.
    private func afterValues(_ instance: ResourceInstance) -> (full: [Attribute], known: [Attribute]) {
        let full: [Attribute]
        if let part = instance.block.part {
            full = MigrationScenario.values(part, ordinal: instance.ordinal, before: false)
        } else {
            full = instance.block.kind.attributes(seed: instance.seed, label: label(instance),
                                                  revision: afterRevision(instance.action))
        }
        let unknown = unknownKeys(instance)
        if unknown.isEmpty { return (full, full) }
        return (full, full.filter { !unknown.contains($0.key) })
    }

    private func writeIdentity(_ instance: ResourceInstance, includeModuleAddress: Bool) {
        sink.raw("{\"address\":")
        sink.string(instance.address)
        if includeModuleAddress && !instance.moduleAddress.isEmpty {
            sink.raw(",\"module_address\":")
            sink.string(instance.moduleAddress)
        }
        sink.raw(",\"mode\":\"managed\",\"type\":")
        sink.string(instance.block.kind.typeName)
        sink.raw(",\"name\":")
        sink.string(instance.block.name)
        switch instance.key {
        case .none: break
        case .int(let index):
            sink.raw(",\"index\":")
            sink.int(index)
        case .string(let key):
            sink.raw(",\"index\":")
            sink.string(key)
        }
        sink.raw(",\"provider_name\":")
        sink.string(PlanWriter.providerName)
    }

    // MARK: planned_values / prior_state modules

    private func belongs(_ instance: ResourceInstance, to section: StateSection) -> Bool {
        section == .planned ? instance.action.hasAfter : instance.action.hasBefore
    }

    private func computeModulePresence() {
        for section in [StateSection.planned, .prior] {
            var present = [Bool](repeating: false, count: layout.moduleInstances.count)
            // Children always come after their parent, so walk backwards.
            for index in layout.moduleInstances.indices.reversed() {
                let ownResources = layout.resourceInstances(in: index).contains { belongs($0, to: section) }
                present[index] = ownResources || layout.moduleInstances[index].children.contains { present[$0] }
            }
            subtreeHasResources[section] = present
        }
    }

    private func writeStateModule(_ moduleIndex: Int, section: StateSection) {
        let module = layout.moduleInstances[moduleIndex]
        let resources = layout.resourceInstances(in: moduleIndex).filter { belongs($0, to: section) }
        let present = subtreeHasResources[section] ?? []
        let children = module.children.filter { $0 < present.count && present[$0] }
        var needsComma = false
        sink.byte(UInt8(ascii: "{"))
        if !resources.isEmpty {
            sink.raw("\"resources\":[")
            for (position, instance) in resources.enumerated() {
                if position > 0 { sink.byte(UInt8(ascii: ",")) }
                writeStateResource(instance, section: section)
                sink.flushIfNeeded()
            }
            sink.byte(UInt8(ascii: "]"))
            needsComma = true
        }
        if !module.address.isEmpty {
            if needsComma { sink.byte(UInt8(ascii: ",")) }
            sink.raw("\"address\":")
            sink.string(module.address)
            needsComma = true
        }
        if !children.isEmpty {
            if needsComma { sink.byte(UInt8(ascii: ",")) }
            sink.raw("\"child_modules\":[")
            for (position, child) in children.enumerated() {
                if position > 0 { sink.byte(UInt8(ascii: ",")) }
                writeStateModule(child, section: section)
            }
            sink.byte(UInt8(ascii: "]"))
        }
        sink.byte(UInt8(ascii: "}"))
    }

    private func writeStateResource(_ instance: ResourceInstance, section: StateSection) {
        let kind = instance.block.kind
        let values = section == .planned ? afterValues(instance).known : beforeValues(instance)
        writeIdentity(instance, includeModuleAddress: false)
        sink.raw(",\"schema_version\":")
        sink.int(kind.schemaVersion)
        sink.raw(",\"values\":")
        sink.object(values)
        sink.raw(",\"sensitive_values\":")
        sink.value(ValueMask.mask(values, flagged: kind.sensitiveKeys))
        sink.byte(UInt8(ascii: "}"))
    }

    // MARK: resource_changes

    private func writeResourceChanges() {
        var first = true
        for moduleIndex in layout.moduleInstances.indices {
            for instance in layout.resourceInstances(in: moduleIndex) {
                if !first { sink.byte(UInt8(ascii: ",")) }
                first = false
                writeResourceChange(instance)
                resourceChangeCount += 1
                sink.flushIfNeeded()
            }
        }
    }

    private func writeResourceChange(_ instance: ResourceInstance) {
        let kind = instance.block.kind
        let action = instance.action
        writeIdentity(instance, includeModuleAddress: true)
        sink.raw(",\"change\":{\"actions\":")
        sink.raw(action.actionsJSON)

        let before = action.hasBefore ? beforeValues(instance) : nil
        sink.raw(",\"before\":")
        if let before { sink.object(before) } else { sink.raw("null") }

        let after = action.hasAfter ? afterValues(instance) : nil
        sink.raw(",\"after\":")
        if let after { sink.object(after.known) } else { sink.raw("null") }

        // Wholly known (or deleted) objects get an empty `after_unknown`.
        sink.raw(",\"after_unknown\":")
        let unknown = unknownKeys(instance)
        if let after, !unknown.isEmpty {
            sink.value(ValueMask.mask(after.full, flagged: unknown))
        } else {
            sink.raw("{}")
        }

        sink.raw(",\"before_sensitive\":")
        if let before { sink.value(ValueMask.mask(before, flagged: kind.sensitiveKeys)) } else { sink.raw("false") }
        sink.raw(",\"after_sensitive\":")
        if let after { sink.value(ValueMask.mask(after.known, flagged: kind.sensitiveKeys)) } else { sink.raw("false") }

        if action.isReplace && instance.actionReason == "replace_because_cannot_update" {
            sink.raw(",\"replace_paths\":[[")
            sink.string(kind.forceNewKey)
            sink.raw("]]")
        }
        sink.byte(UInt8(ascii: "}"))
        if let reason = instance.actionReason {
            sink.raw(",\"action_reason\":")
            sink.string(reason)
        }
        sink.byte(UInt8(ascii: "}"))
    }

    // MARK: configuration

    private func writeConfigModule(call: Int) {
        var needsComma = false
        func separator() {
            if needsComma { sink.byte(UInt8(ascii: ",")) }
            needsComma = true
        }
        sink.byte(UInt8(ascii: "{"))
        if call == 0 {
            separator()
            sink.raw("\"outputs\":")
            sink.value(PlanWriter.configOutputs)
        }
        let blocks = layout.blocksByCall[call]
        if !blocks.isEmpty {
            separator()
            sink.raw("\"resources\":[")
            var earlierBlocks: [ResourceKind: String] = [:]
            for (position, blockIndex) in blocks.enumerated() {
                if position > 0 { sink.byte(UInt8(ascii: ",")) }
                let block = layout.blocks[blockIndex]
                writeConfigResource(block, earlierBlocks: earlierBlocks)
                // Random blocks refer only to random blocks, never to the migration's
                // resources: those must not gain instances, endpoints or rotations by chance.
                if block.part == nil { earlierBlocks[block.kind] = block.name }
                sink.flushIfNeeded()
            }
            sink.byte(UInt8(ascii: "]"))
        }
        // module_calls is a Go map: keys sorted.
        let childCalls = PlanLayout.calls.indices
            .filter { PlanLayout.calls[$0].parent == call }
            .sorted { PlanLayout.calls[$0].name < PlanLayout.calls[$1].name }
        if !childCalls.isEmpty {
            separator()
            sink.raw("\"module_calls\":{")
            for (position, child) in childCalls.enumerated() {
                if position > 0 { sink.byte(UInt8(ascii: ",")) }
                sink.string(PlanLayout.calls[child].name)
                sink.byte(UInt8(ascii: ":"))
                writeModuleCall(child)
            }
            sink.byte(UInt8(ascii: "}"))
        }
        separator()
        sink.raw("\"variables\":")
        if call == 0 {
            sink.value(PlanWriter.configVariables)
        } else if call == MigrationScenario.moduleCall {
            sink.value(MigrationScenario.moduleVariables)
        } else {
            sink.value(PlanWriter.moduleVariables)
        }
        sink.byte(UInt8(ascii: "}"))
    }

    private func writeModuleCall(_ call: Int) {
        let moduleCall = PlanLayout.calls[call]
        sink.raw("{\"source\":")
        sink.string(moduleCall.source)
        sink.raw(",\"expressions\":")
        if call == MigrationScenario.moduleCall {
            sink.value(MigrationScenario.moduleCallExpressions)
        } else {
            sink.value(.obj([
                ("environment", .obj([("references", .strings(["var.environment"]))])),
                ("name", .obj([("constant_value", .string(moduleCall.name))])),
                ("vpc_id", .obj([("references", .strings(["var.vpc_id"]))])),
            ]))
        }
        writeExpansionExpression(moduleCall.expansion, name: moduleCall.name)
        sink.raw(",\"module\":")
        writeConfigModule(call: call)
        if let version = moduleCall.versionConstraint {
            sink.raw(",\"version_constraint\":")
            sink.string(version)
        }
        sink.byte(UInt8(ascii: "}"))
    }

    private func writeExpansionExpression(_ expansion: Expansion, name: String) {
        switch expansion {
        case .single: break
        case .count(let count):
            sink.raw(",\"count_expression\":{\"constant_value\":")
            sink.int(count)
            sink.byte(UInt8(ascii: "}"))
        case .forEach:
            sink.raw(",\"for_each_expression\":{\"references\":[")
            sink.string("local.\(name)_instances")
            sink.raw("]}")
        }
    }

    private func writeConfigResource(_ block: ResourceBlock, earlierBlocks: [ResourceKind: String]) {
        let kind = block.kind
        let expressions: JSONValue
        if let part = block.part {
            expressions = MigrationScenario.configExpressions(part)
        } else {
            let sample = kind.attributes(seed: SplitMix64.seed(block.index, -1, 0, 2),
                                         label: String(block.name.map { $0 == "_" ? "-" : $0 }), revision: .updated)
            var list: [Attribute] = []
            for key in kind.configKeys {
                if let references = kind.configReferences(for: key, earlierBlocks: earlierBlocks) {
                    list.append((key, .obj([("references", .strings(references))])))
                } else if let value = sample.first(where: { $0.key == key })?.value {
                    list.append((key, PlanWriter.expression(value)))
                }
            }
            expressions = .obj(list)
        }
        sink.raw("{\"address\":")
        sink.string("\(kind.typeName).\(block.name)")
        sink.raw(",\"mode\":\"managed\",\"type\":")
        sink.string(kind.typeName)
        sink.raw(",\"name\":")
        sink.string(block.name)
        sink.raw(",\"provider_config_key\":\"aws\",\"expressions\":")
        sink.value(expressions)
        sink.raw(",\"schema_version\":")
        sink.int(kind.schemaVersion)
        writeExpansionExpression(block.expansion, name: block.name)
        sink.byte(UInt8(ascii: "}"))
    }

    /// Nested blocks become lists of expression objects; everything else a constant.
    private static func expression(_ value: JSONValue) -> JSONValue {
        if case .array(let items) = value, !items.isEmpty {
            var blocks: [JSONValue] = []
            for item in items {
                guard case .object(let attributes) = item else {
                    return .obj([("constant_value", value)])
                }
                blocks.append(.object(attributes.map { ($0.key, expression($0.value)) }))
            }
            return .array(blocks)
        }
        return .obj([("constant_value", value)])
    }

    private func relevantAttributes() -> JSONValue {
        var entries: [JSONValue] = []
        for block in layout.blocks where block.kind == .rdsCluster || block.kind == .dmsEndpoint {
            guard let moduleIndex = layout.instancesByCall[block.call].first,
                  let key = block.expansion.keys.first else { continue }
            let moduleAddress = layout.moduleInstances[moduleIndex].address
            let local = "\(block.kind.typeName).\(block.name)\(key.addressSuffix)"
            let address = moduleAddress.isEmpty ? local : "\(moduleAddress).\(local)"
            let attribute = block.kind == .rdsCluster ? "endpoint" : "endpoint_arn"
            entries.append(.object([("resource", .string(address)), ("attribute", .strings([attribute]))]))
            if entries.count == 8 { break }
        }
        return .array(entries)
    }

    // MARK: Fixed sections (variables, outputs, provider)

    static let variables: JSONValue = .obj([
        ("buckets", .obj([("value", .obj([
            ("a\"b", .obj([("days", .int(30)), ("versioning", .bool(true))])),
            ("back\\slash", .obj([("days", .int(-1)), ("versioning", .bool(false))])),
            ("Grüße", .obj([("days", .number("1.5e3")), ("versioning", .null)])),
        ]))])),
        ("db_password", .obj([("value", .string("hunter2 \"quoted\" ü <&>"))])),
        ("environment", .obj([("value", .string(MigrationScenario.environment))])),
        ("feature_flags", .obj([("value", .obj([("beta", .bool(false)), ("legacy", .null),
                                                ("new_ui", .bool(true))]))])),
        ("region", .obj([("value", .string(MigrationScenario.region))])),
        // The migration's replication instance (the DMS task's replication_instance_arn).
        ("replication_instance_arn", .obj([("value", .string(MigrationScenario.model.replicationInstanceARN))])),
        ("scale_factor", .obj([("value", .number("1.5e3"))])),
        ("thresholds", .obj([("value", .array([.number("-40.125"), .number("0.5"), .number("2.5E-3"),
                                               .number("1e+21"), .int(0), .number("-0")]))])),
        ("vpc_id", .obj([("value", .string("vpc-0a1b2c3d4e5f67890"))])),
    ])

    static let configVariables: JSONValue = .obj([
        ("buckets", .object([("description", .string("Buckets keyed by name (keys may contain \" and \\)"))])),
        ("db_password", .object([("description", .string("Master password")), ("sensitive", .bool(true))])),
        ("environment", .object([("default", .string(MigrationScenario.environment)),
                                 ("description", .string("Deployment environment"))])),
        ("feature_flags", .object([("description", .string("Feature toggles"))])),
        ("region", .object([("default", .string(MigrationScenario.region))])),
        ("replication_instance_arn", .object([])),
        ("scale_factor", .object([("default", .number("1.5e3"))])),
        ("thresholds", .object([("default", .array([.number("-1"), .number("2.5E-3")]))])),
        ("vpc_id", .object([])),
    ])

    static let moduleVariables: JSONValue = .obj([
        ("environment", .object([("description", .string("Inherited environment"))])),
        ("name", .object([])),
        ("vpc_id", .object([])),
    ])

    static let plannedOutputs: JSONValue = .obj([
        ("bucket_names", .object([("sensitive", .bool(false)), ("type", .strings(["list", "string"])),
                                  ("value", .strings(["logs", "a\"b", "Grüße"]))])),
        ("db_endpoint", .object([("sensitive", .bool(false))])),
        ("db_password", .object([("sensitive", .bool(true)), ("type", .string("string")),
                                 ("value", .string("hunter2 \"quoted\" ü <&>"))])),
    ])

    static let priorOutputs: JSONValue = .obj([
        ("bucket_names", .object([("sensitive", .bool(false)), ("value", .strings(["logs", "a\"b", "Grüße"])),
                                  ("type", .strings(["list", "string"]))])),
        ("db_endpoint", .object([("sensitive", .bool(false)),
                                 ("value", .string("core.cluster-abc.eu-central-1.rds.amazonaws.com")),
                                 ("type", .string("string"))])),
        ("db_password", .object([("sensitive", .bool(true)), ("value", .string("hunter2 \"quoted\" ü <&>")),
                                 ("type", .string("string"))])),
    ])

    static let outputChanges: JSONValue = .obj([
        ("bucket_names", .object([
            ("actions", .strings(["no-op"])), ("before", .strings(["logs", "a\"b", "Grüße"])),
            ("after", .strings(["logs", "a\"b", "Grüße"])), ("after_unknown", .bool(false)),
            ("before_sensitive", .bool(false)), ("after_sensitive", .bool(false)),
        ])),
        ("db_endpoint", .object([
            ("actions", .strings(["update"])),
            ("before", .string("core.cluster-abc.eu-central-1.rds.amazonaws.com")), ("after", .null),
            ("after_unknown", .bool(true)), ("before_sensitive", .bool(false)), ("after_sensitive", .bool(false)),
        ])),
        ("db_password", .object([
            ("actions", .strings(["no-op"])), ("before", .string("hunter2 \"quoted\" ü <&>")),
            ("after", .string("hunter2 \"quoted\" ü <&>")), ("after_unknown", .bool(false)),
            ("before_sensitive", .bool(true)), ("after_sensitive", .bool(true)),
        ])),
    ])

    static let configOutputs: JSONValue = .obj([
        ("bucket_names", .object([("expression", .obj([("references", .strings(["var.buckets"]))])),
                                  ("description", .string("All bucket names"))])),
        ("db_endpoint", .object([("expression", .obj([("references", .strings([
            "module.data[\"primary\"].module.rds.endpoint", "module.data[\"primary\"].module.rds",
            "module.data",
        ]))]))])),
        ("db_password", .object([("sensitive", .bool(true)),
                                 ("expression", .obj([("references", .strings(["var.db_password"]))]))])),
    ])

    static let providerConfig: JSONValue = .obj([
        ("aws", .object([
            ("name", .string("aws")), ("full_name", .string(providerName)),
            ("version_constraint", .string("~> 5.60")),
            ("expressions", .obj([
                ("default_tags", .array([.obj([("tags", .obj([("constant_value", .obj([
                    ("ManagedBy", .string("terraform")), ("Repository", .string("github.com/acme/infra")),
                ]))]))])])),
                ("region", .obj([("references", .strings(["var.region"]))])),
            ])),
        ])),
    ])
}
