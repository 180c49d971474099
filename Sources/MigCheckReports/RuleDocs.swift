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
        if description.triggeringExamples.contains(where: \.isReadiness) {
            lines.append(readinessIntroduction(description))
        } else {
            lines.append("Each example is [the reference plan](README.md#the-reference-plans) of a phase with the changes shown "
            + "(attributes marked `# reference plan:` hold another value there), checked with "
            + "`migcheck --phase PHASE`; below it, what migcheck reports for \(description.id) "
            + "(the examples' expiry dates are judged on \(RuleExample.judgedOn)).")
        }
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
        if example.isReadiness {
            lines += evidenceLines(example)
        } else if let plan = example.plan {
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
                        + TextEscaping.visible(finding.message)
                        + (finding.suppression.map { " [suppressed: \($0)]" } ?? "")
                }
                lines.append("```")
            }
        } catch {
            lines.append("The example could not be checked: \(TextEscaping.visible(String(describing: error)))")
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
