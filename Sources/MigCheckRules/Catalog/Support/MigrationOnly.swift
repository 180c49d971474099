import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// What exists only for the migration, recognised without resource names.
enum MigrationOnly {
    static func isDMS(_ resource: ResourceView) -> Bool { resource.type.hasPrefix("aws_dms_") }

    /// Module instances (never the root) that hold DMS resources and no Aurora cluster or
    /// instance: the DMS module, whose every resource is migration-only.
    static func dmsModules(_ picture: MigrationPicture) -> Set<[ModuleStep]> {
        var withDMS = Set<[ModuleStep]>()
        var withClusters = Set<[ModuleStep]>()
        for resource in picture.resources where !resource.address.modulePath.isEmpty {
            if isDMS(resource) { withDMS.insert(resource.address.modulePath) }
            if resource.type == "aws_rds_cluster" || resource.type == "aws_rds_cluster_instance" {
                withClusters.insert(resource.address.modulePath)
            }
        }
        return withDMS.subtracting(withClusters)
    }

    static func isInDMSModule(_ resource: ResourceView, _ modules: Set<[ModuleStep]>) -> Bool {
        !resource.address.modulePath.isEmpty && modules.contains(resource.address.modulePath)
    }

    /// A policy parameter holding a list of strings.
    static func strings(_ literal: JSONLiteral?) -> [String] {
        guard case .array(let items)? = literal else { return [] }
        return items.compactMap { item in
            if case .string(let text) = item { return text }
            return nil
        }
    }

    /// An address equal to an entry, or inside it (`module.x` covers `module.x.aws_y.z` and `module.x["k"]…`).
    static func matches(_ resource: ResourceView, _ entries: [String]) -> Bool {
        let address = resource.addressText
        return entries.contains { entry in
            !entry.isEmpty && (address == entry || resource.configurationAddress == entry
                || address.hasPrefix(entry + ".") || address.hasPrefix(entry + "["))
        }
    }

    /// The schema-prep service: ECS task definitions whose containers carry a marker
    /// (`NAME=value` environment entries, by default the runbook's `SERVER_TYPE=none`) or
    /// only idle (`sleep infinity`, `tail -f /dev/null`) so that someone can shell in; the ECS
    /// services running them; the rest of a module instance built around one of them; and
    /// security group rules that refer to any of these.
    static func schemaPrepResources(_ picture: MigrationPicture, markers: [String]) -> [ResourceView] {
        // A byte search first: only candidates have their container definitions parsed.
        let needles = (markers.compactMap { $0.split(separator: "=").first.map(String.init) } + ["sleep", "tail"]).map { Array($0.utf8) }
        let definitions = picture.resources.filter { definition in
            guard definition.type == "aws_ecs_task_definition", definition.isManaged else { return false }
            if let node = definition.afterNode, !needles.contains(where: { node.rawBytesContain($0) }) { return false }
            return isSchemaPrep(definition, markers: markers)
        }
        guard !definitions.isEmpty else { return [] }
        var result = definitions
        var addresses = Set(definitions.map(\.addressText))
        let configuration = picture.document.configuration
        func add(_ resource: ResourceView) {
            if addresses.insert(resource.addressText).inserted { result.append(resource) }
        }

        let families = Set(definitions.compactMap { $0.attribute("family")?.unmaskedString })
        let definitionConfigs = Set(definitions.map(\.configurationAddress))
        for service in picture.resources where service.type == "aws_ecs_service" && service.isManaged {
            var runs = false
            if let config = service.config {
                runs = !configuration.resolvedResources(ofAttribute: "task_definition", of: config).isDisjoint(with: definitionConfigs)
            }
            if !runs, let value = service.attribute("task_definition")?.unmaskedString {
                runs = families.contains(family(ofTaskDefinition: value))
            }
            if runs { add(service) }
        }

        // A module instance whose only task definition is the schema-prep one is the schema-prep service.
        let modules = Set(definitions.map(\.address.modulePath).filter { !$0.isEmpty })
        for module in modules {
            let members = picture.resources.filter { $0.address.modulePath == module && $0.isManaged }
            let otherDefinitions = members.filter { $0.type == "aws_ecs_task_definition" && !addresses.contains($0.addressText) }
            let holdsDatabase = members.contains { $0.type.hasPrefix("aws_rds_") || isDMS($0) }
            guard otherDefinitions.isEmpty, !holdsDatabase else { continue }
            members.forEach(add)
        }

        let prepConfigs = Set(result.map(\.configurationAddress))
        let ruleTypes: Set<String> = ["aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"]
        for rule in picture.resources where ruleTypes.contains(rule.type) && rule.isManaged {
            guard let config = rule.config else { continue }
            if !ConfigurationReferences.resources(of: config, in: configuration).isDisjoint(with: prepConfigs) { add(rule) }
        }
        return result
    }

    static func isSchemaPrep(_ definition: ResourceView, markers: [String]) -> Bool {
        // Sensitive definitions are read all the same: only the verdict comes out of them.
        guard let text = definition.attribute("container_definitions")?.unmaskedString,
              let parsed = try? JSONDocument(text: text), case .list(let containers) = TerraformValue.from(parsed.root) else { return false }
        for container in containers {
            if case .list(let environment)? = container["environment"] {
                for entry in environment {
                    guard let name = entry["name"]?.stringValue else { continue }
                    let value = entry["value"]?.scalarText ?? ""
                    if markers.contains("\(name)=\(value)") { return true }
                }
            }
            for key in ["command", "entryPoint"] {
                guard case .list(let parts)? = container[key] else { continue }
                let line = parts.compactMap(\.stringValue).joined(separator: " ")
                if line.contains("sleep infinity") || line.contains("tail -f /dev/null") { return true }
            }
        }
        return false
    }

    /// `arn:aws:ecs:…:task-definition/app-prep:3`, `app-prep:3` or `app-prep` → `app-prep`.
    static func family(ofTaskDefinition value: String) -> String {
        var text = Substring(value)
        if let slash = text.lastIndex(of: "/") { text = text[text.index(after: slash)...] }
        if let colon = text.lastIndex(of: ":"), text[text.index(after: colon)...].allSatisfy(\.isNumber) { text = text[..<colon] }
        return String(text)
    }
}
