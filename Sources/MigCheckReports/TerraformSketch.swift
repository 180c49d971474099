import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// Example plans as Terraform-like text: the resources an example adds, changes or removes
/// relative to a reference plan, with the values Terraform would plan for them.
enum TerraformSketch {
    /// How many resources (and module calls) differ between two plans.
    static func differences(_ reference: ExamplePlan, _ plan: ExamplePlan) -> Int {
        var count = 0
        for resource in plan.resources {
            if let old = reference.resources.first(where: { $0.address == resource.address }) {
                if !same(old, resource) { count += 1 }
            } else {
                count += 1
            }
        }
        count += reference.resources.filter { old in !plan.resources.contains { $0.address == old.address } }.count
        let modules = Set(reference.moduleInputs.keys).union(plan.moduleInputs.keys)
        count += modules.filter { referencesText(reference.moduleInputs[$0] ?? [:]) != referencesText(plan.moduleInputs[$0] ?? [:]) }.count
        return count
    }

    static func same(_ lhs: ExampleResource, _ rhs: ExampleResource) -> Bool {
        lhs.actions == rhs.actions && lhs.before?.serialized == rhs.before?.serialized && lhs.after?.serialized == rhs.after?.serialized
            && lhs.unknown.sorted() == rhs.unknown.sorted() && lhs.sensitive.sorted() == rhs.sensitive.sorted()
            && referencesText(lhs.references) == referencesText(rhs.references)
    }

    /// A module input drawn from its references: the first, or, for the examples' conditionals
    /// (`var.x` and two branches, each listed with its prefixes), `var.x ? A : B`.
    static func inputText(_ references: [String]) -> String? {
        let outermost = references.filter { reference in
            !references.contains { $0 != reference && ($0.hasPrefix(reference + ".") || $0.hasPrefix(reference + "[")) }
        }
        var distinct: [String] = []
        for reference in outermost where !distinct.contains(reference) { distinct.append(reference) }
        if distinct.count == 3, distinct[0].hasPrefix("var.") { return "\(distinct[0]) ? \(distinct[1]) : \(distinct[2])" }
        return references.first
    }

    static func referencesText(_ references: [String: [String]]) -> String {
        references.keys.sorted().map { "\($0)=\(references[$0] ?? [])" }.joined(separator: ";")
    }

    /// The lines of the sketch; empty when the plans do not differ.
    static func changes(from reference: ExamplePlan, to plan: ExamplePlan, isState: Bool) -> [String] {
        var blocks: [[String]] = []
        for resource in plan.resources {
            let old = reference.resources.first { $0.address == resource.address }
            if let old, same(old, resource) { continue }
            if isState, resource.after == nil, old?.after == nil { continue }
            blocks.append(sketch(resource, reference: old, isState: isState))
        }
        for old in reference.resources where !plan.resources.contains(where: { $0.address == old.address }) {
            if isState, old.after == nil { continue }
            blocks.append(["# \(old.address): left out (the reference plan has it)"])
        }
        for name in Set(reference.moduleInputs.keys).union(plan.moduleInputs.keys).union(plan.moduleOutputs.keys).sorted() {
            let old = reference.moduleInputs[name] ?? [:]
            let new = plan.moduleInputs[name] ?? [:]
            let outputs = plan.moduleOutputs[name] ?? [:]
            guard referencesText(old) != referencesText(new) || referencesText(outputs) != referencesText(reference.moduleOutputs[name] ?? [:]) else { continue }
            var lines = ["module \"\(name)\" {"]
            for input in Set(old.keys).union(new.keys).sorted() {
                let now = new[input].flatMap(inputText).map { "  \(input) = \($0)" } ?? "  # \(input): not set"
                let before = old[input].flatMap(inputText) ?? "not set"
                lines.append(old[input] == new[input] ? now : now + "  # reference plan: \(before)")
            }
            for output in outputs.keys.sorted() {
                lines.append("  # output \(output) = \(outputs[output].flatMap(inputText) ?? "null")")
            }
            lines.append("}")
            blocks.append(lines)
        }
        return blocks.enumerated().flatMap { index, block in index == 0 ? block : [""] + block }
    }

    static func sketch(_ resource: ExampleResource, reference old: ExampleResource?, isState: Bool) -> [String] {
        let address = resource.parsedAddress
        var lines: [String] = []
        var header = "# \(resource.address)"
        if !isState {
            header += ": " + RuleDocs.actionText(resource.actions)
            if let old, old.actions != resource.actions { header += " (reference plan: \(RuleDocs.actionText(old.actions)))" }
        }
        if old == nil { header += ", not in the reference plan" }
        // A destroyed resource has no planned values: show what it was.
        let showsBefore = resource.after == nil
        let values = (showsBefore ? resource.before : resource.after) ?? [:]
        let oldValues = old.flatMap { showsBefore ? $0.before : $0.after }
        if showsBefore { header += "; its values before the change" }
        lines.append(header)
        lines.append("\(address.mode == .data ? "data" : "resource") \"\(address.type)\" \"\(address.name)\" {")
        var attributes: [(String, JSONLiteral)] = []
        if case .object(let fields) = values { attributes = fields }
        var names = attributes.map(\.0)
        for name in resource.unknown where !names.contains(name) { names.append(name) }
        for name in resource.references.keys.sorted() where !names.contains(name) { names.append(name) }
        for name in names {
            let value = values[name]
            var line: String
            var block: [String] = []
            if resource.sensitive.contains(name) {
                line = "  \(name) = (sensitive value)"
            } else if value == nil, resource.unknown.contains(name) {
                line = "  \(name) = \(resource.references[name]?.first ?? "(known after apply)")"
            } else if let value {
                var sameShape: [JSONLiteral]?
                if old != nil, case .array(let oldItems)? = oldValues?[name], case .array(let items) = value, oldItems.count == items.count {
                    sameShape = oldItems
                }
                if let rendered = HCLValue.blocks(name, value, indent: "  ", reference: sameShape) {
                    block = rendered
                    line = ""
                } else {
                    line = "  \(name) = " + HCLValue.expression(value, indent: "  ")
                }
            } else {
                continue
            }
            var notes: [String] = []
            if let reference = resource.references[name]?.first, value != nil { notes.append("from \(reference)") }
            if value == nil, resource.unknown.contains(name) { notes.append("known after apply") }
            if let old {
                let oldValue = oldValues?[name]
                let annotatedInside = !block.isEmpty && oldValue.map { old -> Bool in
                    if case .array(let oldItems) = old, case .array(let items)? = value { return oldItems.count == items.count }
                    return false
                } == true
                if value?.serialized != oldValue?.serialized, !(value == nil && oldValue == nil), !annotatedInside {
                    notes.append("reference plan: " + (oldValue.map { HCLValue.short($0) } ?? (old.unknown.contains(name) ? "known after apply" : "not set")))
                }
                let oldReference = old.references[name]?.first
                if oldReference != resource.references[name]?.first {
                    notes.append("reference plan: " + (oldReference.map { "from \($0)" } ?? "no reference"))
                }
            }
            if block.isEmpty {
                lines.append(line + (notes.isEmpty ? "" : "  # " + notes.joined(separator: "; ")))
            } else {
                if !notes.isEmpty { lines.append("  # \(name): " + notes.joined(separator: "; ")) }
                lines += block
            }
        }
        if let oldValues, case .object(let oldFields) = oldValues {
            for (name, oldValue) in oldFields where values[name] == nil && !resource.unknown.contains(name) && !resource.sensitive.contains(name) {
                lines.append("  # \(name): not set (reference plan: \(HCLValue.short(oldValue)))")
            }
        }
        // An update whose prior state differs from the reference plan's: what the prior state holds.
        if !showsBefore, !isState, let before = resource.before, let old, let oldBefore = old.before, case .object(let fields) = before {
            for (name, value) in fields where oldBefore[name]?.serialized != value.serialized {
                lines.append("  # in the prior state: \(name) = \(HCLValue.short(value)) (reference plan: "
                    + (oldBefore[name].map { HCLValue.short($0) } ?? "not set") + ")")
            }
        }
        lines.append("}")
        if let key = address.key {
            lines[1] += "  # instance [\(key.literal.serialized)]"
        }
        if !address.modulePath.isEmpty {
            lines[1] += "  # in \(address.moduleAddress)"
        }
        return lines
    }
}

/// JSON values written the way HCL writes them.
enum HCLValue {
    /// `name { … }` blocks for a list of objects (how the AWS provider's nested blocks appear in a plan).
    /// With `reference` (the same blocks in the reference plan, as many), each line whose value differs says what it was.
    static func blocks(_ name: String, _ value: JSONLiteral, indent: String, reference: [JSONLiteral]? = nil) -> [String]? {
        guard case .array(let items) = value, !items.isEmpty else { return nil }
        var lines: [String] = []
        for (index, item) in items.enumerated() {
            guard case .object(let fields) = item else { return nil }
            let old = reference.flatMap { index < $0.count ? $0[index] : nil }
            lines.append("\(indent)\(name) {")
            for (key, field) in fields {
                let oldField = old?[key]
                var oldItems: [JSONLiteral]?
                if case .array(let elements)? = oldField, case .array(let newElements) = field, elements.count == newElements.count {
                    oldItems = elements
                }
                if let nested = blocks(key, field, indent: indent + "  ", reference: oldItems) {
                    lines += nested
                } else {
                    var line = "\(indent)  \(key) = " + expression(field, indent: indent + "  ")
                    if old != nil, oldField?.serialized != field.serialized {
                        line += "  # reference plan: " + (oldField.map(short) ?? "not set")
                    }
                    lines.append(line)
                }
            }
            lines.append("\(indent)}")
        }
        return lines
    }

    static func expression(_ value: JSONLiteral, indent: String) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text): return text
        case .string(let text):
            if let json = jsonValue(text) { return "jsonencode(" + expression(json, indent: indent) + ")" }
            return quoted(text)
        case .array(let items):
            if items.isEmpty { return "[]" }
            let parts = items.map { expression($0, indent: indent + "  ") }
            let inline = "[" + parts.joined(separator: ", ") + "]"
            if inline.count <= 80, !inline.contains("\n") { return inline }
            return "[\n" + parts.map { "\(indent)  \($0),\n" }.joined() + "\(indent)]"
        case .object(let fields):
            if fields.isEmpty { return "{}" }
            let parts = fields.map { "\(key($0.0)) = \(expression($0.1, indent: indent + "  "))" }
            let inline = "{ " + parts.joined(separator: ", ") + " }"
            if inline.count <= 80, !inline.contains("\n") { return inline }
            return "{\n" + parts.map { "\(indent)  \($0)\n" }.joined() + "\(indent)}"
        }
    }

    /// A value in a line's comment: short, on one line.
    static func short(_ value: JSONLiteral) -> String {
        let text = expression(value, indent: "")
        return text.contains("\n") || text.count > 60 ? "another value" : text
    }

    static func key(_ name: String) -> String {
        let simple = !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            && !(name.first?.isNumber ?? false)
        return simple ? name : quoted(name)
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        var previous: Character = " "
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "{" where previous == "$" || previous == "%":
                out.append(previous) // `${` and `%{` start templates in HCL: `$${` and `%%{` are literal
                out.append(character)
            default:
                if character.unicodeScalars.contains(where: { TextEscaping.isControl($0) }) {
                    out += character.unicodeScalars.map { TextEscaping.escaped($0.value) }.joined()
                } else {
                    out.append(character)
                }
            }
            previous = character
        }
        return out + "\""
    }

    /// A string that holds a JSON object or array (a policy, container definitions), as a value.
    static func jsonValue(_ text: String) -> JSONLiteral? {
        guard let first = text.first, first == "{" || first == "[" else { return nil }
        guard let document = try? JSONDocument(text: text) else { return nil }
        return JSONLiteral(document.root)
    }

}
