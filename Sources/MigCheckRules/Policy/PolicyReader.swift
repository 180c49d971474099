import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// Reads a policy file strictly: unknown keys, wrong types and bad values are input
/// errors naming the exact place, so a typo never silently turns a check off.
public enum PolicyReader {
    public static let defaultFileName = "migcheck.json"

    public static func read(path: String) throws -> Policy {
        try readRecording(path: path, origin: .flag).policy
    }

    /// The policy at `path` and what the reports record about it: the path as given and the
    /// SHA-256 of the very bytes that were parsed.
    public static func readRecording(path: String, origin: PolicyProvenance.Origin) throws -> (policy: Policy, provenance: PolicyProvenance) {
        let storage: ByteStorage
        do {
            storage = try ByteStorage.read(path: path)
        } catch let error as ByteStorage.ReadError {
            // Nothing could be read: the first character, as for a plan, with the policy's own words.
            throw InputError(file: path, position: SourcePosition(line: 1, column: 1), message: policyMessage(error))
        }
        let policy = try read(storage: storage, file: path)
        return (policy, PolicyProvenance(origin: origin == .builtIn ? .flag : origin, path: path, sha256: SHA256.hexDigest(storage.bytes)))
    }

    static func policyMessage(_ error: ByteStorage.ReadError) -> String {
        switch error {
        case .notFound: return "policy file not found"
        case .isDirectory: return "is a directory, not a policy file (expected JSON like `migcheck default-policy` prints)"
        case .notRegularFile: return "is not a regular file (expected a policy file, JSON like `migcheck default-policy` prints)"
        case .tooLarge(let limit): return "larger than \(limit / (1 << 30)) GiB, which no policy file is"
        case .permissionDenied, .system: return error.message
        }
    }

    public static func read(text: String, file: String = "migcheck.json") throws -> Policy {
        try read(storage: ByteStorage(copying: Array(text.utf8)), file: file)
    }

    package static func read(storage: ByteStorage, file: String) throws -> Policy {
        let document: JSONDocument
        do {
            document = try JSONDocument(storage: storage)
        } catch let error as JSONSyntaxError {
            throw InputError(file: file, position: SourcePosition.of(error.offset, in: storage.bytes), message: error.message)
        }
        let parser = Parser(file: file)
        return try parser.policy(document.root)
    }

    private struct Parser {
        let file: String

        func fail(_ node: JSONNode, _ message: String) -> InputError {
            let path = node.document.path(to: node.offset)
            return InputError(file: file, position: node.position, message: (path.isEmpty ? "" : path + ": ") + message)
        }

        func members(_ node: JSONNode, allowed: [String], required: [String] = []) throws -> [String: JSONNode] {
            guard node.kind == .object else { throw fail(node, "expected an object, found \(node.kind.name)") }
            var result: [String: JSONNode] = [:]
            var failure: InputError?
            node.forEachMember { key, value in
                let name = key.string
                guard allowed.contains(name) else {
                    failure = InputError(file: file, position: node.document.position(of: key.offset),
                                         message: "unknown key \(JSONQuoting.quoted(name)) (expected one of: \(allowed.joined(separator: ", ")))")
                    return false
                }
                result[name] = value
                return true
            }
            if let failure { throw failure }
            for name in required where result[name] == nil {
                throw fail(node, "missing \(JSONQuoting.quoted(name))")
            }
            return result
        }

        func string(_ node: JSONNode) throws -> String {
            guard let text = node.string else { throw fail(node, "expected a string, found \(node.kind.name)") }
            return text
        }

        func severity(_ node: JSONNode) throws -> Severity {
            let text = try string(node)
            guard let severity = Severity(rawValue: text) else {
                throw fail(node, "expected error, warning or note, found \(JSONQuoting.quoted(text))")
            }
            return severity
        }

        func phase(_ node: JSONNode) throws -> Phase {
            let text = try string(node)
            guard let phase = Phase(rawValue: text) else {
                throw fail(node, "expected one of \(Phase.allCases.map(\.rawValue).joined(separator: ", ")), found \(JSONQuoting.quoted(text))")
            }
            return phase
        }

        func policy(_ root: JSONNode) throws -> Policy {
            let fields = try members(root, allowed: ["$schema", "policyVersion", "phase", "source", "target", "unverifiedSeverity",
                                                     "rules", "suppressions", "assertions"])
            var policy = Policy()
            if let version = fields["policyVersion"] {
                // Written exactly: 1.0 or 1e0 would be a version no migcheck writes.
                guard version.kind == .number, version.numberText == String(Policy.currentVersion) else {
                    throw fail(version, "expected policyVersion \(Policy.currentVersion)")
                }
            }
            if let schema = fields["$schema"] { _ = try string(schema) }
            if let node = fields["phase"], !node.isNull {
                policy.phase = try phase(node)
                policy.phaseLocation = SourceLocation(file: file, start: node.position, end: node.position)
            }
            (policy.source, policy.sourceLocation) = try clusterAddress(fields["source"])
            (policy.target, policy.targetLocation) = try clusterAddress(fields["target"])
            if let source = policy.source, source == policy.target, let targetNode = fields["target"] {
                throw fail(targetNode, "\"target\" names the same cluster as \"source\"; the source and the target are two different clusters")
            }
            if let node = fields["unverifiedSeverity"] { policy.unverifiedSeverity = try severity(node) }
            // Rules the file leaves out keep their built-in settings.
            policy.rules = Policy.builtInDefault.rules
            if let rules = fields["rules"] {
                guard rules.kind == .object else { throw fail(rules, "expected an object of rule IDs, found \(rules.kind.name)") }
                for (id, node) in rules.members {
                    guard let description = RuleRegistry.configurableDescription(id: id) else {
                        throw InputError(file: file, position: node.position,
                                         message: "rules: unknown rule \(JSONQuoting.quoted(id)) (see `migcheck rules`)")
                    }
                    let settingsFields = try members(node, allowed: ["enabled", "severity", "parameters"])
                    var settings = policy.rules[description.id]
                        ?? Policy.RuleSettings(enabled: true, severity: description.defaultSeverity, parameters: description.parameters)
                    if let enabled = settingsFields["enabled"] {
                        guard let flag = enabled.bool else { throw fail(enabled, "expected true or false, found \(enabled.kind.name)") }
                        settings.enabled = flag
                    }
                    if let node = settingsFields["severity"] { settings.severity = try severity(node) }
                    if let parameters = settingsFields["parameters"] {
                        let known = Array(description.parameters.keys).sorted()
                        // In file order, so that the first mistake is the one reported.
                        let given = try members(parameters, allowed: known)
                        for (name, value) in given.sorted(by: { $0.value.offset < $1.value.offset }) {
                            settings.parameters[name] = try parameter(name, value, default: description.parameters[name])
                        }
                    }
                    policy.rules[description.id] = settings
                }
            }
            // Assertions first: a suppression may name one of them.
            if let assertions = fields["assertions"] {
                guard assertions.kind == .array else { throw fail(assertions, "expected an array, found \(assertions.kind.name)") }
                for entry in assertions.elements { policy.assertions.append(try assertion(entry, existing: policy.assertions)) }
            }
            if let suppressions = fields["suppressions"] {
                guard suppressions.kind == .array else { throw fail(suppressions, "expected an array, found \(suppressions.kind.name)") }
                for entry in suppressions.elements {
                    policy.suppressions.append(try suppression(entry, in: policy))
                }
            }
            // Checked last, so that a mistake with a place of its own is reported at that place.
            guard fields["policyVersion"] != nil else {
                throw fail(root, "missing \"policyVersion\" (this migcheck reads \"policyVersion\": \(Policy.currentVersion))")
            }
            return policy
        }

        /// One entry of `suppressions`: its rule (built-in, MIG900 or an assertion of `policy`),
        /// address, reason and expiry, each checked where it is written.
        func suppression(_ entry: JSONNode, in policy: Policy) throws -> Policy.Suppression {
            let item = try members(entry, allowed: ["rule", "address", "reason", "expires"], required: ["rule", "reason", "expires"])
            let ruleNode = item["rule"] ?? entry
            let rule = try string(ruleNode)
            guard RuleRegistry.configurableDescription(id: rule) != nil || rule == Suppressions.expiredRuleID
                    || policy.assertions.contains(where: { $0.id == rule }) else {
                throw fail(ruleNode, "unknown rule \(JSONQuoting.quoted(rule)) (see `migcheck rules`, or an assertion of this file)")
            }
            var address: String?
            if let addressNode = item["address"], !addressNode.isNull {
                let text = try string(addressNode)
                if let problem = PolicySyntax.resourceAddressProblem(text) { throw fail(addressNode, problem) }
                address = text
            }
            let reasonNode = item["reason"] ?? entry
            let reason = try string(reasonNode)
            guard !reason.trimmedSpaces.isEmpty else { throw fail(reasonNode, "a suppression needs a reason") }
            let expiresNode = item["expires"] ?? entry
            guard let expires = CalendarDate(try string(expiresNode)) else {
                throw fail(expiresNode, "expected a date as YYYY-MM-DD")
            }
            return Policy.Suppression(rule: RuleRegistry.configurableDescription(id: rule)?.id ?? rule,
                                      address: address, reason: reason, expires: expires)
        }

        /// The policy's `source` or `target`: an aws_rds_cluster address, and where it is written.
        func clusterAddress(_ node: JSONNode?) throws -> (String?, SourceLocation?) {
            guard let node, !node.isNull else { return (nil, nil) }
            let text = try string(node)
            if let problem = PolicySyntax.clusterAddressProblem(text) { throw fail(node, problem) }
            let position = node.position
            return (text, SourceLocation(file: file, start: position, end: position))
        }

        /// A rule parameter, typed and ranged by its kind.
        func parameter(_ name: String, _ node: JSONNode, default fallback: JSONLiteral?) throws -> JSONLiteral {
            guard let kind = PolicySyntax.parameterKinds[name] else {
                guard let fallback, sameKind(JSONLiteral(node), fallback) else {
                    throw fail(node, "expected a value like \(fallback?.serialized ?? "the default")")
                }
                return JSONLiteral(node)
            }
            switch kind {
            case .days(let range):
                return try wholeNumber(node, of: "days", in: range)
            case .hours(let range):
                return try wholeNumber(node, of: "hours", in: range)
            case .instant:
                if node.isNull { return .null }
                guard let text = node.string, EvidenceInstant.iso8601(text) != nil else {
                    throw fail(node, "expected null (not planned) or an instant as ISO 8601 with its offset, e.g. "
                        + "2026-12-01T18:00:00Z, found \(node.string.map { JSONQuoting.quoted($0) } ?? node.kind.name)")
                }
                return .string(text)
            case .addresses, .environmentMarkers:
                guard node.kind == .array else { throw fail(node, "expected an array of strings, found \(node.kind.name)") }
                for element in node.elements {
                    let problem: String?
                    if let text = element.string {
                        problem = kind.isAddresses ? PolicySyntax.resourceOrModuleAddressProblem(text) : PolicySyntax.markerProblem(text)
                    } else {
                        problem = kind.isAddresses ? "expected a resource or module address (a string), found \(element.kind.name)"
                            : "expected an environment entry NAME=value (a string), found \(element.kind.name)"
                    }
                    if let problem { throw fail(element, problem) }
                }
                return JSONLiteral(node)
            }
        }

        func wholeNumber(_ node: JSONNode, of unit: String, in range: ClosedRange<Int>) throws -> JSONLiteral {
            let text = node.kind == .number ? node.numberText ?? "" : ""
            guard !text.isEmpty, text.allSatisfy(\.isASCIIDigit), let value = Int(text), range.contains(value) else {
                let found = node.kind == .number ? node.numberText ?? "a number" : node.kind.name
                throw fail(node, "expected a whole number of \(unit) from \(range.lowerBound) to \(range.upperBound), found \(found)")
            }
            return .number(String(value))
        }

        func assertion(_ entry: JSONNode, existing: [Policy.Assertion]) throws -> Policy.Assertion {
            let comparisons = ["equals", "notEquals", "oneOf", "atLeast", "atMost"]
            let item = try members(entry, allowed: ["id", "title", "resourceType", "role", "attribute", "phases", "severity"] + comparisons,
                                   required: ["id", "title", "resourceType", "attribute"])
            let idNode = item["id"] ?? entry
            let id = try string(idNode)
            guard id.first?.isUppercase == true, id.allSatisfy({ $0.isUppercase || $0.isASCIIDigit || $0 == "-" || $0 == "_" }),
                  !id.hasPrefix("MIG") else {
                throw fail(idNode, "expected an ID of capitals, digits, - and _ that does not start with MIG (reserved), e.g. ORG001")
            }
            guard !existing.contains(where: { $0.id == id }) else { throw fail(idNode, "duplicate assertion id \(JSONQuoting.quoted(id))") }
            let given = comparisons.filter { item[$0] != nil }
            guard given.count == 1, let name = given.first, let node = item[name] else {
                throw fail(entry, "expected exactly one of \(comparisons.joined(separator: ", "))")
            }
            let titleNode = item["title"] ?? entry
            let title = try string(titleNode)
            guard !title.trimmedSpaces.isEmpty else { throw fail(titleNode, "an assertion needs a non-empty title") }
            let typeNode = item["resourceType"] ?? entry
            let resourceType = try string(typeNode)
            guard PolicySyntax.isResourceType(resourceType) else {
                throw fail(typeNode, "expected a Terraform resource type such as aws_rds_cluster, found \(JSONQuoting.quoted(resourceType))")
            }
            let attributeNode = item["attribute"] ?? entry
            let attribute = try string(attributeNode)
            if let problem = PolicySyntax.attributePathProblem(attribute) { throw fail(attributeNode, problem) }
            let comparison: Policy.Assertion.Comparison
            switch name {
            case "equals": comparison = .equals(JSONLiteral(node))
            case "notEquals": comparison = .notEquals(JSONLiteral(node))
            case "oneOf":
                guard node.kind == .array, node.count > 0 else { throw fail(node, "expected a non-empty array of values, found \(node.kind.name)") }
                comparison = .oneOf(node.elements.map(JSONLiteral.init))
            default:
                guard let number = node.double, node.kind == .number else { throw fail(node, "expected a number, found \(node.kind.name)") }
                comparison = name == "atLeast" ? .atLeast(number) : .atMost(number)
            }
            var phases = Set(Phase.allCases)
            if let phasesNode = item["phases"] {
                guard phasesNode.kind == .array, phasesNode.count > 0 else { throw fail(phasesNode, "expected a non-empty array of phases") }
                phases = Set(try phasesNode.elements.map(phase))
            }
            var role: ClusterRole?
            if let roleNode = item["role"], !roleNode.isNull {
                let text = try string(roleNode)
                guard let parsed = ClusterRole(rawValue: text) else { throw fail(roleNode, "expected source or target, found \(JSONQuoting.quoted(text))") }
                // A role narrows the subjects to its cluster and what hangs off it: another type would never match.
                guard PolicySyntax.roleResourceTypes.contains(resourceType) else {
                    throw fail(typeNode, "a role's resources are \(PolicySyntax.roleResourceTypes.joined(separator: ", ")); "
                        + "\(resourceType) is never one of them (leave \"role\" out to check every \(resourceType))")
                }
                role = parsed
            }
            return Policy.Assertion(id: id, title: title, resourceType: resourceType, role: role, attribute: attribute,
                                    comparison: comparison, phases: phases, severity: try item["severity"].map(severity) ?? .error)
        }

        func sameKind(_ value: JSONLiteral, _ expected: JSONLiteral) -> Bool {
            switch (value, expected) {
            case (.number, .number), (.string, .string), (.bool, .bool), (.array, .array), (.object, .object): return true
            default: return false
            }
        }
    }
}
