import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// An IAM policy document, read just far enough to tell whether it allows an action on a resource.
/// Conditions are not evaluated: a conditional allow counts as an allow, a conditional deny as no deny.
struct IAMPolicyDocument {
    struct Statement {
        var allow: Bool
        var actions: [String]?
        var notActions: [String]?
        var resources: [String]?
        var notResources: [String]?
        /// `Principal.Service` entries (for trust policies).
        var services: [String]
        var hasCondition: Bool

        func coversAction(_ action: String) -> Bool {
            coversAction(lowercased: IAMPolicyDocument.lowercasedScalars(action))
        }

        /// `coversAction` with the action already lower-cased, once for all patterns.
        func coversAction(lowercased action: [Unicode.Scalar]) -> Bool {
            if let actions { return actions.contains { IAMPolicyDocument.actionMatches($0, lowercased: action) } }
            if let notActions { return !notActions.contains { IAMPolicyDocument.actionMatches($0, lowercased: action) } }
            return false
        }

        func coversResource(_ arn: String) -> Bool {
            if let resources { return resources.contains { IAMPolicyDocument.resourceMatches($0, arn) } }
            if let notResources { return !notResources.contains { IAMPolicyDocument.resourceMatches($0, arn) } }
            return false
        }
    }

    let statements: [Statement]

    private init(statements: [Statement]) {
        self.statements = statements
    }

    /// The same document for questions about `action` alone: every query below looks only at the
    /// statements that cover the action it is asked about.
    func keepingStatements(covering action: String) -> IAMPolicyDocument {
        let lowercased = IAMPolicyDocument.lowercasedScalars(action)
        return IAMPolicyDocument(statements: statements.filter { $0.coversAction(lowercased: lowercased) })
    }

    init?(json text: String) {
        guard let parsed = try? JSONDocument(text: text) else { return nil }
        // Read from the JSON directly: only a few members of each statement matter, not the whole value.
        let root = parsed.root
        guard root.kind == .object else { return nil }
        let raw: [JSONNode]
        switch root["Statement"] {
        case let statement? where statement.kind == .array: raw = statement.elements
        case let statement? where statement.kind == .object: raw = [statement]
        default: raw = []
        }
        statements = raw.compactMap { item in
            guard item.kind == .object else { return nil }
            var effect, action, notAction, resource, notResource, principal, condition: JSONNode?
            item.forEachMember { key, value in
                if key.equals("Effect") { effect = value }
                else if key.equals("Action") { action = value }
                else if key.equals("NotAction") { notAction = value }
                else if key.equals("Resource") { resource = value }
                else if key.equals("NotResource") { notResource = value }
                else if key.equals("Principal") { principal = value }
                else if key.equals("Condition") { condition = value }
                return true
            }
            return Statement(allow: effect?.string != "Deny",
                             actions: IAMPolicyDocument.strings(action),
                             notActions: IAMPolicyDocument.strings(notAction),
                             resources: IAMPolicyDocument.strings(resource),
                             notResources: IAMPolicyDocument.strings(notResource),
                             services: IAMPolicyDocument.strings(principal?["Service"]) ?? [],
                             hasCondition: condition.map { !$0.isNull } ?? false)
        }
    }

    /// An `aws_iam_policy_document` read from its `statement` blocks, whose values a plan may know
    /// while `json` is unknown until apply (the data source is read at apply only because something
    /// it depends on changes). Nil when any statement is unknown, sensitive or unreadable, or when
    /// other documents are merged in (`source_policy_documents`, `override_policy_documents`).
    init?(policyDocumentData view: ResourceView) {
        for merged in ["source_policy_documents", "override_policy_documents", "source_json", "override_json"] {
            switch view.attribute(merged) {
            case nil, .null?: continue
            case .list(let items)? where items.isEmpty: continue
            default: return nil
            }
        }
        guard case .list(let blocks)? = view.attribute("statement"), !blocks.contains(where: \.containsUnknown) else { return nil }
        var read: [Statement] = []
        for block in blocks {
            guard case .object = block else { return nil }
            func strings(_ key: String) -> [String]?? {
                switch block[key] {
                case nil, .null?: return .some(nil)
                case .list(let items)?:
                    let texts = items.compactMap(\.stringValue)
                    return texts.count == items.count ? .some(texts) : nil
                default: return nil
                }
            }
            guard let actions = strings("actions"), let notActions = strings("not_actions"),
                  let resources = strings("resources"), let notResources = strings("not_resources") else { return nil }
            let effect = block["effect"]
            guard effect == nil || effect == .null || effect?.stringValue != nil else { return nil }
            let conditions: Bool = { if case .list(let items)? = block["condition"] { return !items.isEmpty } else { return false } }()
            // Terraform's empty list is no list: `resources = []` names nothing, as the JSON it writes omits it.
            read.append(Statement(allow: effect?.stringValue != "Deny", actions: actions.flatMap { $0.isEmpty ? nil : $0 },
                                  notActions: notActions.flatMap { $0.isEmpty ? nil : $0 },
                                  resources: resources.flatMap { $0.isEmpty ? nil : $0 },
                                  notResources: notResources.flatMap { $0.isEmpty ? nil : $0 }, services: [], hasCondition: conditions))
        }
        self.init(statements: read)
    }

    /// A string, or the strings of an array (other elements skipped); nil for anything else.
    private static func strings(_ node: JSONNode?) -> [String]? {
        guard let node else { return nil }
        switch node.kind {
        case .string: return node.string.map { [$0] }
        case .array: return node.elements.compactMap(\.string)
        default: return nil
        }
    }

    /// Allowed by some statement and not denied by an unconditional one.
    func allows(_ action: String, on arn: String) -> Bool {
        statements.contains { $0.allow && $0.coversAction(action) && $0.coversResource(arn) } && !denies(action, on: arn)
    }

    func allowsIgnoringDenies(_ action: String, on arn: String) -> Bool {
        statements.contains { $0.allow && $0.coversAction(action) && $0.coversResource(arn) }
    }

    func denies(_ action: String, on arn: String) -> Bool {
        statements.contains { !$0.allow && !$0.hasCondition && $0.coversAction(action) && $0.coversResource(arn) }
    }

    /// Whether a statement allows the action on `"*"` and nothing denies it.
    func allowsOnEveryResource(_ action: String) -> Bool {
        statements.contains { $0.allow && $0.coversAction(action) && ($0.resources?.contains("*") == true) }
            && !statements.contains { !$0.allow && !$0.hasCondition && $0.coversAction(action) }
    }

    /// Whether some statement allows the action on anything.
    func allowsAction(_ action: String) -> Bool {
        statements.contains { $0.allow && $0.coversAction(action) }
    }

    /// The `Resource` entries of the statements allowing the action (wildcards as written).
    func allowedResources(for action: String) -> [String] {
        statements.filter { $0.allow && $0.coversAction(action) }.flatMap { $0.resources ?? ["*"] }
    }

    /// Whether a trust policy lets the service (e.g. `dms.amazonaws.com`) assume the role.
    func trusts(servicePrefix prefix: String) -> Bool {
        statements.contains { statement in
            statement.allow && statement.services.contains { $0.hasPrefix(prefix + ".") && $0.hasSuffix(".amazonaws.com") }
        }
    }

    // MARK: - Matching

    /// Whether an IAM `Resource` pattern can match some ARN of an RDS-managed cluster master
    /// secret (`arn:*:secretsmanager:*:*:secret:rds!cluster-*`, each `*` within its segment):
    /// the two patterns' languages intersect. Worked out on pairs of positions, no ARN guessed.
    static func canMatchManagedClusterSecret(_ pattern: String) -> Bool {
        if pattern == "*" { return true }
        enum Token: Equatable { case character(Unicode.Scalar), one, any(crossesColons: Bool) }
        func tokens(_ text: [Unicode.Scalar], iamRules: Bool) -> [Token] {
            text.enumerated().map { index, character in
                switch character {
                case "*":
                    // IAM: a `*` ending a segment may run past colons (see `resourceMatches`).
                    return .any(crossesColons: iamRules && (index + 1 == text.count || text[index + 1] == ":"))
                case "?": return .one
                default: return .character(character)
                }
            }
        }
        let left = tokens(Array(pattern.unicodeScalars), iamRules: true)
        let template = "arn:*:secretsmanager:*:*:secret:rds!cluster-*"
        let right = tokens(Array(template.unicodeScalars), iamRules: false)
        // What one character both sides accept may be: a literal, or any non-colon one (a colon only where both allow it).
        func step(_ a: Token, _ b: Token) -> Bool {
            switch (a, b) {
            case (.character(let x), .character(let y)): return x == y
            case (.character(let x), .one), (.one, .character(let x)): return x != ":"
            case (.character(let x), .any(let crosses)), (.any(let crosses), .character(let x)): return x != ":" || crosses
            default: return true
            }
        }
        var seen = Set<Int>()
        var queue = [0]
        let width = right.count + 1
        while let state = queue.popLast() {
            guard seen.insert(state).inserted else { continue }
            let i = state / width, j = state % width
            if i == left.count, j == right.count { return true }
            var next: [Int] = []
            if i < left.count, case .any = left[i] { next.append((i + 1) * width + j) }
            if j < right.count, case .any = right[j] { next.append(i * width + j + 1) }
            if i < left.count, j < right.count, step(left[i], right[j]) {
                let stayLeft: Bool = { if case .any = left[i] { return true } else { return false } }()
                let stayRight: Bool = { if case .any = right[j] { return true } else { return false } }()
                next.append((stayLeft ? i : i + 1) * width + (stayRight ? j : j + 1))
            }
            queue += next.filter { !seen.contains($0) }
        }
        return false
    }

    /// IAM action matching: case-insensitive, `*` and `?` anywhere.
    static func actionMatches(_ pattern: String, _ action: String) -> Bool {
        actionMatches(pattern, lowercased: lowercasedScalars(action))
    }

    static func actionMatches(_ pattern: String, lowercased action: [Unicode.Scalar]) -> Bool {
        glob(lowercasedScalars(pattern), action, colonAware: false)
    }

    /// `Array(text.lowercased().unicodeScalars)`; ASCII text (every IAM action) is lower-cased byte by byte.
    static func lowercasedScalars(_ text: String) -> [Unicode.Scalar] {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return Array(text.lowercased().unicodeScalars) }
        return text.utf8.map { byte in
            Unicode.Scalar(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte)
        }
    }

    /// IAM resource matching: case-sensitive; `*` and `?` stay within one colon-separated ARN
    /// segment, except that a `*` ending a segment may run past colons (as IAM documents it).
    static func resourceMatches(_ pattern: String, _ arn: String) -> Bool {
        if pattern == "*" { return true }
        return glob(Array(pattern.unicodeScalars), Array(arn.unicodeScalars), colonAware: true)
    }

    private static func glob(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar], colonAware: Bool) -> Bool {
        // The characters before the first wildcard match one for one: most patterns fail there,
        // before the table below is built.
        var literal = 0
        while literal < pattern.count, pattern[literal] != "*", pattern[literal] != "?" {
            guard literal < text.count, pattern[literal] == text[literal] else { return false }
            literal += 1
        }
        if literal == pattern.count { return literal == text.count }
        let width = text.count + 1
        // matches[i * width + j]: pattern[i...] matches text[j...].
        var matches = [Bool](repeating: false, count: (pattern.count + 1) * width)
        matches[pattern.count * width + text.count] = true
        var i = pattern.count - 1
        while i >= 0 {
            let character = pattern[i]
            let crossesColons = !colonAware || i + 1 == pattern.count || pattern[i + 1] == ":"
            var j = text.count
            while j >= 0 {
                let here: Bool
                switch character {
                case "*":
                    here = matches[(i + 1) * width + j]
                        || (j < text.count && (crossesColons || text[j] != ":") && matches[i * width + j + 1])
                case "?":
                    here = j < text.count && (!colonAware || text[j] != ":") && matches[(i + 1) * width + j + 1]
                default:
                    here = j < text.count && text[j] == character && matches[(i + 1) * width + j + 1]
                }
                matches[i * width + j] = here
                j -= 1
            }
            i -= 1
        }
        return matches[0]
    }
}
