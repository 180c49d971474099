import Foundation
import MigCheckReading

// MARK: - The independent reader (Foundation only, no migcheck code)

enum Independent {
    struct Facts {
        var formatVersion: String?
        var terraformVersion: String?
        var changes: [(address: String, actions: String)] = []
        var drift: [String] = []
        var planned: [String] = []
        var prior: [String] = []
        var stateInstances: [String] = []
        var actionCounts: [String: Int] = [:]
    }

    static func load(_ url: URL) throws -> Any {
        let data = try Data(contentsOf: url)
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            guard let text = String(data: data, encoding: .utf16) else { throw CocoaError(.fileReadCorruptFile) }
            return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        }
        return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    /// One JSON value per non-empty line (a terragrunt `run-all show -json` stream).
    static func loadLines(_ url: URL) throws -> [Any] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(whereSeparator: \.isNewline)
            .filter { !$0.allSatisfy(\.isWhitespace) }
            .map { try JSONSerialization.jsonObject(with: Data($0.utf8)) }
    }

    /// The JSON object a migcheck node spans, parsed again by Foundation.
    static func object(at range: Range<Int>, of document: TerraformDocument) throws -> [String: Any]? {
        let bytes = document.json.bytes
        let data = Data(bytes[range])
        return try JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    static func jsonString(_ text: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [text], options: [])
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }

    static func facts(_ json: Any, kind: DocumentKind) throws -> Facts {
        guard let root = json as? [String: Any] else { throw CocoaError(.propertyListReadCorrupt) }
        var facts = Facts(formatVersion: root["format_version"] as? String, terraformVersion: root["terraform_version"] as? String)
        switch kind {
        case .plan:
            for entry in root["resource_changes"] as? [[String: Any]] ?? [] {
                let actions = ((entry["change"] as? [String: Any])?["actions"] as? [String] ?? []).joined(separator: ",")
                facts.changes.append((changeAddress(entry), actions))
                facts.actionCounts[actions, default: 0] += 1
            }
            facts.drift = (root["resource_drift"] as? [[String: Any]] ?? []).map(changeAddress)
            facts.planned = moduleTree((root["planned_values"] as? [String: Any])?["root_module"])
            facts.prior = moduleTree(((root["prior_state"] as? [String: Any])?["values"] as? [String: Any])?["root_module"])
        case .state:
            facts.stateInstances = moduleTree((root["values"] as? [String: Any])?["root_module"])
        case .tfstate:
            facts.formatVersion = nil
            for resource in root["resources"] as? [[String: Any]] ?? [] {
                for instance in resource["instances"] as? [[String: Any]] ?? [] {
                    facts.stateInstances.append(address(module: resource["module"] as? String, mode: resource["mode"] as? String,
                                                        type: resource["type"] as? String ?? "", name: resource["name"] as? String ?? "",
                                                        key: instance["index_key"]))
                }
            }
        }
        return facts
    }

    /// `address`, or rebuilt from its parts as format-0.1 drift entries need.
    static func changeAddress(_ entry: [String: Any]) -> String {
        if let address = entry["address"] as? String { return address }
        return address(module: entry["module_address"] as? String, mode: entry["mode"] as? String,
                       type: entry["type"] as? String ?? "", name: entry["name"] as? String ?? "", key: entry["index"])
    }

    /// `address` of every resource of a values-representation module and its child modules.
    static func moduleTree(_ module: Any?) -> [String] {
        guard let module = module as? [String: Any] else { return [] }
        var result = (module["resources"] as? [[String: Any]] ?? []).compactMap { $0["address"] as? String }
        for child in module["child_modules"] as? [[String: Any]] ?? [] { result += moduleTree(child) }
        return result
    }

    static func address(module: String?, mode: String?, type: String, name: String, key: Any?) -> String {
        var text = ""
        if let module, !module.isEmpty { text += module + "." }
        if mode == "data" { text += "data." }
        text += type + "." + name
        if let key = key as? String {
            text += "[" + hclQuoted(key) + "]"
        } else if let key = key as? Int {
            text += "[\(key)]"
        }
        return text
    }

    /// Terraform's quoting of a string instance key.
    static func hclQuoted(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = "\""
        for (index, scalar) in scalars.enumerated() {
            let next: Unicode.Scalar? = index + 1 < scalars.count ? scalars[index + 1] : nil
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "$" where next == "{": out += "$$"
            case "%" where next == "{": out += "%%"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Paths (strings and ints) where `mask` holds `true`. With `requireValue`, only paths
    /// `value` has (a JSON null counts); the root path is always a candidate.
    static func truePaths(_ mask: Any?, within value: Any?, requireValue: Bool = true) -> [[Any]] {
        var result: [[Any]] = []
        func walk(_ mask: Any?, _ value: Any?, _ path: [Any]) {
            if let object = mask as? [String: Any] {
                let values = value as? [String: Any]
                for (key, inner) in object {
                    if requireValue && values?[key] == nil { continue }
                    walk(inner, values?[key], path + [key])
                }
            } else if let array = mask as? [Any] {
                let values = value as? [Any]
                for (index, inner) in array.enumerated() {
                    let element = values.flatMap { $0.indices.contains(index) ? $0[index] : nil }
                    if requireValue && element == nil { continue }
                    walk(inner, element, path + [index])
                }
            } else if mask as? Bool == true {
                result.append(path)
            }
        }
        walk(mask, value, [])
        return result
    }

    /// `sensitive_attributes` of a raw state instance as paths: a list of paths, each a list of
    /// `{"type": "get_attr", "value": NAME}` / `{"type": "index", "value": {"value": KEY, "type": T}}` steps.
    /// A step that names no attribute, index or key (a set element) ends the path there.
    static func sensitiveAttributePaths(_ node: Any?) -> [[Any]] {
        (node as? [Any] ?? []).map { path in
            var steps: [Any] = []
            for step in (path as? [Any]) ?? [path] {
                guard let step = step as? [String: Any] else { break }
                var value = step["value"]
                if let wrapped = value as? [String: Any] { value = wrapped["value"] }
                if let name = value as? String { steps.append(name) } else if let index = value as? Int { steps.append(index) } else { break }
            }
            return steps
        }
    }
}
