import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// Inline suppressions in the `.tf` files read under `--source-dir`:
///
///     # migcheck:ignore MIG005 reason="single-instance source, reboot window agreed" expires=2027-01-31
///     resource "aws_rds_cluster" "legacy" {
///
/// A `#` or `//` comment on the line directly above a `resource`, `data` or `module` block (other
/// comment lines may stand between), or on the block's first line. It covers the findings of its
/// rule on that resource (every instance of it), or, above a module call, on every resource inside
/// that module call. Reason and expiry are required, as in the policy; an expired one suppresses
/// nothing and is a MIG900 finding; a malformed one (any other shape, an unknown rule, not on or
/// above a block, a repeat) suppresses nothing and is a MIG902 finding at its file and line.
public enum InlineSuppressions {
    public static let malformedRuleID = "MIG902"
    package static let shape = "# migcheck:ignore RULE reason=\"…\" expires=YYYY-MM-DD"

    struct Directive {
        let rule: String
        let reason: String
        let expires: CalendarDate
        /// `FILE:LINE` of the comment, set once it is placed.
        var origin = ""
    }

    /// Parses a comment's body (markers removed, starting with `migcheck:`). `canonicalRule`
    /// gives a suppressible rule's ID as reports spell it, nil for an unknown one.
    static func parse(_ body: String, canonicalRule: (String) -> String?) -> Result<Directive, MalformedSuppression> {
        var scalars = Substring(body).unicodeScalars
        func fail(_ message: String) -> Result<Directive, MalformedSuppression> { .failure(MalformedSuppression(message: message)) }
        func skipSpaces() { while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() } }
        func word() -> String {
            var out = ""
            while let first = scalars.first, first != " ", first != "\t", first != "=" {
                out.unicodeScalars.append(first)
                scalars.removeFirst()
            }
            return out
        }
        scalars = scalars.dropFirst("migcheck:".unicodeScalars.count)
        let verb = word()
        guard verb == "ignore", scalars.first != "=" else {
            let written = verb + (scalars.first == "=" ? "=" : "")
            return fail("`migcheck:\(written)` is not a migcheck directive; an inline suppression reads `\(shape)`")
        }
        skipSpaces()
        let ruleText = word()
        guard !ruleText.isEmpty, scalars.first != "=" else {
            return fail("the inline suppression names no rule; it reads `\(shape)`")
        }
        guard let rule = canonicalRule(ruleText) else {
            return fail("the inline suppression names an unknown rule \(JSONQuoting.quoted(ruleText)) (see `migcheck rules`; "
                + "\(Suppressions.expiredRuleID), \(Suppressions.unmatchedRuleID) and \(malformedRuleID) cannot be suppressed)")
        }
        var reason: String?
        var expiresText: String?
        while true {
            skipSpaces()
            guard !scalars.isEmpty else { break }
            let key = word()
            guard scalars.first == "=", key == "reason" || key == "expires" else {
                return fail("the inline suppression of \(rule) has \(JSONQuoting.quoted(key.isEmpty ? String(scalars) : key)) "
                    + "where reason=\"…\" or expires=YYYY-MM-DD belongs; it reads `\(shape)`")
            }
            scalars.removeFirst()
            guard (key == "reason" ? reason : expiresText) == nil else {
                return fail("the inline suppression of \(rule) gives \(key)= twice")
            }
            if key == "expires" {
                expiresText = word()
                continue
            }
            guard scalars.first == "\"" else {
                return fail("the inline suppression of \(rule) has a reason not in double quotes: write reason=\"…\"")
            }
            scalars.removeFirst()
            var text = ""
            var closed = false
            while let next = scalars.first {
                scalars.removeFirst()
                if next == "\"" {
                    closed = true
                    break
                }
                if next == "\\", let escaped = scalars.first {
                    scalars.removeFirst()
                    text.unicodeScalars.append(escaped)
                } else {
                    text.unicodeScalars.append(next)
                }
            }
            guard closed else { return fail("the inline suppression of \(rule) has a reason whose quote is never closed") }
            reason = text
        }
        guard let reason else { return fail("the inline suppression of \(rule) gives no reason: add reason=\"why this is accepted\"") }
        guard !reason.trimmedSpaces.isEmpty else { return fail("the inline suppression of \(rule) gives an empty reason") }
        guard let expiresText else {
            return fail("the inline suppression of \(rule) gives no expiry: add expires=YYYY-MM-DD, the day after which it ends")
        }
        guard let expires = CalendarDate(expiresText) else {
            return fail("the inline suppression of \(rule) has expires=\(JSONQuoting.quoted(expiresText)), not a date YYYY-MM-DD")
        }
        return .success(Directive(rule: rule, reason: reason, expires: expires))
    }

    struct MalformedSuppression: Error {
        let message: String
    }

    /// What the `.tf` files under the source directory suppress, and the findings about the
    /// suppressions themselves (expired: MIG900, malformed: MIG902).
    struct Scan {
        /// Active directives by the block they cover (`file:line`), then rule ID.
        var active: [String: [String: Directive]] = [:]
        var findings: [Finding] = []

        func directive(for rule: String, on declaration: TerraformSourceLocator.Declaration) -> Directive? {
            active[Scan.key(declaration)]?[rule]
        }

        static func key(_ declaration: TerraformSourceLocator.Declaration) -> String {
            "\(declaration.file)\u{0}\(declaration.line)"
        }
    }

    static func scan(_ comments: [TerraformSourceLocator.SourceComment], customRules: [String], today: CalendarDate) -> Scan {
        var scan = Scan()
        var seen: [String: TerraformSourceLocator.SourceComment] = [:]
        func canonical(_ id: String) -> String? {
            if let rule = RuleRegistry.rule(id: id) { return rule.description.id }
            return customRules.first { $0 == id }
        }
        for comment in comments {
            let position = SourcePosition(line: comment.line, column: comment.column)
            let location = SourceLocation(file: comment.file, start: position, end: position)
            let address = comment.target.flatMap(rootAddress)
            func malformed(_ message: String) {
                scan.findings.append(Finding(ruleID: malformedRuleID, severity: .error, kind: .fail,
                                             message: message + "; it suppresses nothing", address: address, location: location))
            }
            guard !comment.isBlockComment else {
                malformed("an inline suppression is a `#` or `//` line comment, not a `/* … */` block comment")
                continue
            }
            let directive: Directive
            switch parse(comment.body, canonicalRule: canonical) {
            case .failure(let error):
                malformed(error.message)
                continue
            case .success(let parsed):
                directive = parsed
            }
            guard let target = comment.target else {
                malformed("the inline suppression of \(directive.rule) is neither on a block's first line nor directly above a block: "
                    + "put it on the line directly above a resource, data or module block, or on the block's first line")
                continue
            }
            if case .other(let keyword) = target.kind {
                malformed("the inline suppression of \(directive.rule) stands above a \(JSONQuoting.quoted(keyword)) block, "
                    + "which holds no resource: put it above a resource, data or module block")
                continue
            }
            let key = Scan.key(target) + "\u{0}" + directive.rule
            if let first = seen[key] {
                malformed("the inline suppression of \(directive.rule) repeats the one at \(first.file):\(first.line) for the same block")
                continue
            }
            seen[key] = comment
            if directive.expires < today {
                scan.findings.append(Finding(ruleID: Suppressions.expiredRuleID, severity: .error, kind: .fail,
                                             message: "the inline suppression of \(directive.rule) at \(comment.file):\(comment.line) expired on "
                                                 + "\(directive.expires) (reason given: \(directive.reason)); renew it with a new date or fix what it hid",
                                             address: address, location: location))
                continue
            }
            var placed = directive
            placed.origin = "\(comment.file):\(comment.line)"
            scan.active[Scan.key(target), default: [:]][directive.rule] = placed
        }
        return scan
    }

    /// The address a root-module block has (`aws_rds_cluster.legacy`, `module.dms`); nil in a
    /// module's directory, where the block's address depends on the call.
    static func rootAddress(_ declaration: TerraformSourceLocator.Declaration) -> String? {
        guard declaration.isInRoot else { return nil }
        switch declaration.kind {
        case .resource(let mode, let type, let name): return (mode == .data ? "data." : "") + type + "." + name
        case .module(let name, _): return "module." + name
        case .other: return nil
        }
    }
}
