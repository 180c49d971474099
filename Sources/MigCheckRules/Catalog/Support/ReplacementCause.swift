import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// What a finding about a destroyed or replaced resource tells the user to revert: the
/// attributes the plan's `replace_paths` says force the replacement, each with its value
/// before → after (a sensitive one as "(sensitive)", one unknown until apply as
/// "(known after apply)"), or, for a plain delete, the kind of change that deletes it.
enum ReplacementCause {
    /// Paths named in a message; the rest are counted ("and 2 more").
    static let shownPaths = 3

    /// `database_name ("app" → "app2")`; several joined with ", ", then ` and N more`; nil when the plan names none.
    static func forcingChanges(_ resource: ResourceView) -> String? {
        let paths = resource.replacePaths.filter { !$0.isEmpty }
        guard !paths.isEmpty else { return nil }
        var text = paths.prefix(shownPaths).map { path in
            "\(limited(pathText(path))) (\(shown(resource.before, path)) → \(shown(resource.after, path)))"
        }.joined(separator: ", ")
        if paths.count > shownPaths { text += " and \(paths.count - shownPaths) more" }
        return text
    }

    /// The action clause that stops the destroy: `revert the change to database_name ("app" → "app2") that forces
    /// the replacement`, or for a delete, which change deletes it.
    static func revertClause(_ resource: ResourceView) -> String {
        switch resource.action {
        case .delete:
            return "drop the change that deletes it (a removed block or a count/for_each change)"
        default:
            let paths = resource.replacePaths.filter { !$0.isEmpty }
            guard let changes = forcingChanges(resource) else {
                return "undo the -replace, taint or replace_triggered_by forcing it"
            }
            return "revert the change\(paths.count == 1 ? "" : "s") to \(changes) that force\(paths.count == 1 ? "s" : "") the replacement"
        }
    }

    /// A path as Terraform writes it: `rotation_rules[0].automatically_after_days`, `tags["team"]`.
    static func pathText(_ steps: [PathStep]) -> String {
        var text = ""
        for step in steps {
            switch step {
            case .attribute(let name) where isIdentifier(name):
                text += text.isEmpty ? name : "." + name
            case .attribute(let name), .key(let name):
                text += "[\(InstanceKey.hclQuoted(name))]"
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    /// A path from the plan, at most 100 characters (then `…`): a hostile plan cannot flood the message.
    static func limited(_ text: String) -> String {
        text.count > 100 ? String(text.prefix(99)) + "…" : text
    }

    private static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first), first != "-" else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    /// One side's value at `path`, never revealing a sensitive one.
    static func shown(_ root: TerraformValue?, _ path: [PathStep]) -> String {
        guard let root else { return "none" }
        guard let value = root.value(at: path[...]) else { return "not set" }
        switch value {
        case .sensitive(let hidden): return hidden.isUnknown ? "(known after apply)" : "(sensitive)"
        case .unknown: return "(known after apply)"
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text): return text.count > 40 ? "a number" : text
        case .string(let text): return JSONQuoting.quoted(text, limit: 60)
        case .list: return value.containsSensitive ? "(sensitive)" : value.containsUnknown ? "(known after apply)" : "a list"
        case .object: return value.containsSensitive ? "(sensitive)" : value.containsUnknown ? "(known after apply)" : "a block"
        }
    }
}
