import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// The rule pages, `docs/rules/MIG0NN.md` and their index `docs/rules/README.md`, written from
/// each `RuleDescription` (`migcheck rules --markdown-dir docs/rules`): title, why, the steps
/// of `docs/migration.md` it guards, phases, parameters with their policy defaults, and every
/// example as Terraform (what differs from the reference plan of its phase) with the findings
/// migcheck really reports on it. A test regenerates them and fails when a committed page is stale.
public enum RuleDocs {
    /// Where the pages live in the repository.
    public static let directory = MigCheckVersion.rulesDirectory
    /// The index page's file name.
    public static let indexFile = "README.md"
    /// What writes the pages.
    public static let command = "swift run migcheck rules --markdown-dir \(directory)"
    /// The migration document the rules' runbook steps name headings of, relative to the repository.
    public static let migrationDocument = "docs/migration.md"

    // MARK: - URLs

    /// A rule's page under `base` (`--rules-url`, else `MigCheckVersion.rulesURL`); a rule the
    /// pages do not cover (a custom assertion) points at the index's section on them.
    public static func pageURL(of id: String, base: String) -> String {
        guard let description = RuleRegistry.description(id: id) else { return base + "/" + indexFile + "#custom-assertions" }
        return base + "/" + fileName(of: description)
    }

    public static func fileName(of description: RuleDescription) -> String { description.id + ".md" }

    /// Checks `--rules-url`: an absolute https URL with a host and no query or fragment (the
    /// page names are appended to it). The URL without a trailing slash, or the reason, with the
    /// text escaped so it cannot break the error line.
    public static func parseBaseURL(_ text: String) -> (url: String?, error: String?) {
        func refuse(_ why: String) -> (url: String?, error: String?) {
            (nil, "--rules-url: \(why); expected the https URL of the rule pages, e.g. "
                + "https://github.com/ORG/migcheck/blob/main/\(directory), found \(JSONQuoting.quoted(text))")
        }
        let scheme = "https://"
        guard text.lowercased().hasPrefix(scheme) else { return refuse("not an https URL") }
        var rest = Substring(text.dropFirst(scheme.count))
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        let host = rest.prefix { $0 != "/" }
        let hostAllowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:")
        guard !host.isEmpty, host.first != ".", host.first != ":", host.allSatisfy(hostAllowed.contains) else {
            return refuse("no valid host name")
        }
        let pathAllowed = hostAllowed.union("/_~!$&'()*+,;=@%")
        guard rest.allSatisfy(pathAllowed.contains) else {
            return refuse("a character a URL path cannot hold (a space, a control character, ? or #)")
        }
        return (scheme + String(rest), nil)
    }

    // MARK: - Pages

    /// Every page: the index first, then one per rule, as (file name, text).
    public static func pages() -> [(name: String, text: String)] {
        [(indexFile, index())] + RuleRegistry.allDescriptions.map { (fileName(of: $0), page($0)) }
    }

    static let generatedNote = "<!-- Written by `\(command)` from the rules' descriptions. Do not edit: `swift test` fails when it is stale. -->"

    /// The step names in a rule's `runbookStep` (several are separated by `; `).
    public static func steps(of description: RuleDescription) -> [String] {
        description.runbookStep.split(separator: ";").map { String($0).trimmedSpaces }.filter { !$0.isEmpty }
    }

    /// The anchor GitHub gives a heading: lower case, punctuation other than `-` and `_` dropped, spaces as `-`.
    public static func anchor(_ heading: String) -> String {
        var out = ""
        for character in heading.lowercased() {
            if character == " " {
                out += "-"
            } else if character.isLetter || character.isNumber || character == "-" || character == "_" {
                out.append(character)
            }
        }
        return out
    }

    static func stepLinks(_ description: RuleDescription) -> String {
        steps(of: description).map { "[\($0)](../migration.md#\(anchor($0)))" }.joined(separator: ", ")
    }

    static func cell(_ text: String) -> String {
        text.replacing("|", with: "\\|").replacing("\n", with: " ")
    }

    /// The index: every rule, custom assertions, the reference plans the examples start from.
    public static func index() -> String {
        var lines = [generatedNote, "", "# migcheck rules", ""]
        lines.append("One page per rule: why it matters, the steps of [the migration](../migration.md) it guards, its phases and "
            + "parameters, and examples that fail and pass it with the findings migcheck reports on them. "
            + "`migcheck explain ID` prints a rule in the terminal, `migcheck explain ID --format markdown` its page. "
            + "SARIF reports link each rule here (`helpUri`; `--rules-url URL` points them at a fork's copy).")
        lines.append("")
        lines.append("| ID | name | what must hold | default severity | phases | migration steps |")
        lines.append("|---|---|---|---|---|---|")
        for description in RuleRegistry.allDescriptions {
            lines.append("| [\(description.id)](\(fileName(of: description))) | \(description.name) | \(cell(description.title)) | "
                + "\(description.defaultSeverity.rawValue) | \(description.sortedPhases.map(\.rawValue).joined(separator: ", ")) | "
                + "\(stepLinks(description)) |")
        }
        lines += ["", "## Custom assertions", ""]
        lines.append("A team's own checks, the `assertions` of the policy file (see the README's section on the policy file), "
            + "are reported under the IDs the policy gives them. They have no page here; SARIF reports link them to this section.")
        lines += ["", "## The reference plans", ""]
        lines.append("Every example starts from the reference plan of a phase: the migration of `aws_rds_cluster.legacy` "
            + "(source) to `aws_rds_cluster.core` (target) done right, built by `MigrationExamples.healthy` "
            + "(`Sources/MigCheckRules/Engine/MigrationExamples.swift`). A page shows only what an example changes. "
            + "The reference plans' resources and what each deploy does to them:")
        lines.append("")
        lines.append("| resource | " + Phase.allCases.map(\.rawValue).joined(separator: " | ") + " |")
        lines.append("|---|" + Phase.allCases.map { _ in "---|" }.joined())
        let plans = Phase.allCases.map { MigrationExamples.healthy($0) }
        var addresses: [String] = []
        for plan in plans {
            for resource in plan.resources where !addresses.contains(resource.address) { addresses.append(resource.address) }
        }
        for address in addresses {
            let actions = plans.map { plan in
                plan.resources.first { $0.address == address }.map { actionText($0.actions) } ?? "(absent)"
            }
            lines.append("| `\(cell(address))` | " + actions.joined(separator: " | ") + " |")
        }
        lines += ["", "## Writing these pages", ""]
        lines.append("`\(command)` rewrites them from the rules' descriptions (`Sources/MigCheckRules/Catalog/`, "
            + "MIG900 in `Sources/MigCheckRules/Policy/ExpiredSuppressionRule.swift`); `swift test` fails while a "
            + "committed page differs from what it would write.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One rule's page.
    public static func page(_ description: RuleDescription) -> String {
        var lines = [generatedNote, "", "# \(description.id) \(description.name)", "", "**\(description.title)**", ""]
        lines.append("| | |")
        lines.append("|---|---|")
        lines.append("| default severity | \(description.defaultSeverity.rawValue) |")
        lines.append("| phases | \(description.sortedPhases.map(\.rawValue).joined(separator: ", ")) |")
        lines.append("| migration steps | \(stepLinks(description)) |")
        lines += ["", "## Why", "", description.rationale, "", "## Parameters", ""]
        if description.parameters.isEmpty {
            lines.append("None.")
        } else {
            lines.append("Set in the policy file under `rules.\(description.id).parameters`; the built-in policy "
                + "(`migcheck default-policy`) has the defaults.")
            lines.append("")
            lines.append("| parameter | default |")
            lines.append("|---|---|")
            let defaults = Policy.builtInDefault.rules[description.id]?.parameters ?? description.parameters
            for name in description.parameters.keys.sorted() {
                lines.append("| `\(name)` | `\(cell((defaults[name] ?? description.parameters[name])?.serialized ?? ""))` |")
            }
        }
        lines += ["", "## Examples", ""]
        lines.append("Each example is [the reference plan](README.md#the-reference-plans) of a phase with the changes shown "
            + "(attributes marked `# reference plan:` hold another value there), checked with "
            + "`migcheck --phase PHASE`; below it, what migcheck reports for \(description.id) "
            + "(the examples' expiry dates are judged on \(RuleExample.judgedOn)).")
        for example in description.triggeringExamples {
            lines += [""] + exampleSection(example, of: description, fails: true)
        }
        for example in description.nonTriggeringExamples {
            lines += [""] + exampleSection(example, of: description, fails: false)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func exampleSection(_ example: RuleExample, of description: RuleDescription, fails: Bool) -> [String] {
        var lines = ["### \(fails ? "Fails" : "Passes"): \(example.name)", ""]
        let kind = example.isState ? "A state (`terraform show -json`)" : "A plan"
        if let plan = example.plan {
            let baseline = closestReference(to: plan, phase: example.phase)
            let hcl = TerraformSketch.changes(from: baseline.plan, to: plan, isState: example.isState)
            if hcl.isEmpty {
                lines.append("\(kind) checked in phase \(example.phase): the reference \(baseline.phase) plan, unchanged.")
            } else {
                lines.append("\(kind) checked in phase \(example.phase): the reference \(baseline.phase) plan with")
                lines += ["", "```hcl"] + hcl + ["```"]
            }
        } else {
            lines.append("\(kind) checked in phase \(example.phase):")
            lines += ["", "```json", example.document, "```"]
        }
        for file in example.sourceFiles {
            lines += ["", "and, under `--source-dir infra`, `infra/\(file.name)`", "", "```hcl"]
                + file.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).reversed().drop { $0.isEmpty }.reversed()
                + ["```"]
        }
        if let policy = example.policy {
            lines += ["", "and the policy file", "", "```json"] + policy.split(separator: "\n", omittingEmptySubsequences: false)
                .map(String.init).reversed().drop { $0.isEmpty }.reversed() + ["```"]
        }
        lines.append("")
        do {
            let findings = try example.findings(of: description.id)
            if findings.isEmpty {
                lines.append("migcheck reports no \(description.id) finding.")
            } else {
                lines.append(fails || findings.contains { $0.kind == .fail && $0.severity != .note }
                    ? "migcheck reports:" : "migcheck reports no failure; it says:")
                lines += ["", "```text"]
                lines += findings.map { finding in
                    "\(ReportSupport.label(finding)) \(finding.ruleID) \(finding.address ?? "(plan-wide)"): "
                        + ReportSupport.visibleControls(finding.message)
                        + (finding.suppression.map { " [suppressed: \($0)]" } ?? "")
                }
                lines.append("```")
            }
        } catch {
            lines.append("The example could not be checked: \(ReportSupport.visibleControls(String(describing: error)))")
        }
        return lines
    }

    /// The reference plan an example differs least from: its own phase's, unless another's is closer.
    static func closestReference(to plan: ExamplePlan, phase: Phase) -> (phase: Phase, plan: ExamplePlan) {
        let candidates = [phase] + Phase.allCases.filter { $0 != phase }
        var best = (phase: phase, plan: MigrationExamples.healthy(phase))
        var bestCost = TerraformSketch.differences(best.plan, plan)
        for candidate in candidates.dropFirst() {
            let reference = MigrationExamples.healthy(candidate)
            let cost = TerraformSketch.differences(reference, plan)
            if cost < bestCost {
                best = (candidate, reference)
                bestCost = cost
            }
        }
        return best
    }

    static func actionText(_ actions: [String]) -> String {
        switch actions {
        case ["no-op"]: return "no change"
        case ["create"]: return "create"
        case ["update"]: return "update"
        case ["delete"]: return "delete"
        case ["delete", "create"]: return "replace (delete, then create)"
        case ["create", "delete"]: return "replace (create, then delete)"
        case ["forget"]: return "forget (removed from state)"
        case ["read"]: return "read"
        default: return actions.joined(separator: ", ")
        }
    }
}

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
        for name in Set(reference.moduleInputs.keys).union(plan.moduleInputs.keys).sorted() {
            let old = reference.moduleInputs[name] ?? [:]
            let new = plan.moduleInputs[name] ?? [:]
            guard referencesText(old) != referencesText(new) else { continue }
            var lines = ["module \"\(name)\" {"]
            for input in Set(old.keys).union(new.keys).sorted() {
                let now = new[input]?.first.map { "  \(input) = \($0)" } ?? "  # \(input): not set"
                let before = old[input]?.first ?? "not set"
                lines.append(old[input] == new[input] ? now : now + "  # reference plan: \(before)")
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
