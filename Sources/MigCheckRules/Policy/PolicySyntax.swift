import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// What the policy's strings must look like so that they can match something: resource
/// addresses, rule parameters and custom assertions' attribute paths. Each check returns
/// the problem to report (nil when the text is fine); the reader adds the file position.
enum PolicySyntax {
    // MARK: - Addresses

    /// A resource instance address exactly as Terraform prints it. Globs are refused, not
    /// expanded: a suppression or exception must name what it covers.
    static func resourceAddressProblem(_ text: String) -> String? {
        if ResourceAddress.parse(text) != nil { return nil }
        if let glob = globProblem(text) { return glob }
        return "expected a resource address as Terraform prints it, e.g. aws_rds_cluster.legacy or "
            + "module.db.aws_rds_cluster_instance.core[\"a\"], found \(JSONQuoting.quoted(text))"
    }

    /// A resource address or a module address (`module.dms`, which covers everything in it).
    static func resourceOrModuleAddressProblem(_ text: String) -> String? {
        if ResourceAddress.parse(text) != nil || ResourceAddress.parseModulePath(text)?.isEmpty == false { return nil }
        if let glob = globProblem(text) { return glob }
        return "expected a resource or module address such as module.dms or aws_ecs_service.schema_prep, found \(JSONQuoting.quoted(text))"
    }

    /// `*` and `?` only reach here outside a quoted instance key (the address did not parse).
    private static func globProblem(_ text: String) -> String? {
        guard text.contains("*") || text.contains("?") else { return nil }
        return "globs are not supported in \(JSONQuoting.quoted(text)): name each resource address "
            + "(as `terraform show -json` prints it, instance key included), or leave \"address\" out to cover every resource"
    }

    /// The address of a cluster, for the policy's `source` and `target`.
    static func clusterAddressProblem(_ text: String) -> String? {
        guard let address = ResourceAddress.parse(text), address.mode == .managed, address.type == "aws_rds_cluster" else {
            return "expected an aws_rds_cluster address such as aws_rds_cluster.legacy, found \(JSONQuoting.quoted(text))"
        }
        return nil
    }

    // MARK: - Rule parameters

    /// How each rule parameter is typed and ranged. Every parameter a rule declares is listed
    /// (a test holds that), so none is read with a silent fallback.
    enum ParameterKind {
        /// A whole number of days.
        case days(ClosedRange<Int>)
        /// A whole number of hours.
        case hours(ClosedRange<Int>)
        /// An instant as ISO 8601 with its offset (`2026-12-01T18:00:00Z`), or null: not planned.
        case instant
        /// Resource or module addresses.
        case addresses
        /// Container environment entries `NAME=value`.
        case environmentMarkers

        var isAddresses: Bool {
            if case .addresses = self { return true }
            return false
        }
    }

    static let parameterKinds: [String: ParameterKind] = [
        // AWS Secrets Manager rotates at most 1000 days apart: a larger minimum could never be met.
        "minimumRotationDays": .days(1...1000),
        "migrationOnlyAddresses": .addresses,
        "ignoreAddresses": .addresses,
        "schemaPrepMarkers": .environmentMarkers,
        // A year: an older snapshot is no longer the migration's.
        "maximumSnapshotAgeHours": .hours(1...8760),
        "plannedStart": .instant,
        "plannedEnd": .instant,
    ]

    static func markerProblem(_ text: String) -> String? {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex,
              !text[..<equals].contains(where: { $0.isWhitespace }) else {
            return "expected an environment entry NAME=value, e.g. SERVER_TYPE=none, found \(JSONQuoting.quoted(text))"
        }
        return nil
    }

    // MARK: - Attribute paths

    /// Resource types a role-scoped assertion can reach: the cluster and what hangs off it.
    static var roleResourceTypes: [String] { CustomAssertions.roleResourceTypes }

    /// A Terraform resource type name: lower-case letters, digits and underscores.
    static func isResourceType(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// The path grammar of custom assertions, which `TerraformValue.pathSteps` follows:
    ///
    ///     path = name { "." name | "[" digits "]" | "[" '"' key '"' "]" }
    ///
    /// A name is letters, digits, `_` and `-`, not all digits; a list element is `[0]`; a map
    /// key that is not a name is `["key"]` (without `"`, `]` or `\`). Refused because they can
    /// never match: an empty path or step (`.a`, `a.`, `a..b`, `a[]`), a number after a dot
    /// (`rotation_rules.0`: no attribute is named `0`, a list element is `[0]`), a path that
    /// starts with an index (a resource's attributes are an object), an unclosed `[`.
    static func attributePathProblem(_ path: String) -> String? {
        guard !path.isEmpty else {
            return "expected a non-empty path such as storage_encrypted or rotation_rules[0].schedule_expression"
        }
        let characters = Array(path)
        var position = 0
        var written = ""
        func isNameCharacter(_ character: Character) -> Bool {
            character.isLetter || character.isASCIIDigit || character == "_" || character == "-"
        }
        func readName() -> String? {
            let start = position
            while position < characters.count, isNameCharacter(characters[position]) { position += 1 }
            return position > start ? String(characters[start..<position]) : nil
        }
        guard characters[0] != "[" else {
            return "the path must start with an attribute name (a resource's attributes are an object), found \(JSONQuoting.quoted(path))"
        }
        var expectName = true
        while position < characters.count || expectName {
            if expectName {
                guard let name = readName() else {
                    if position >= characters.count || characters[position] == "." || characters[position] == "[" {
                        return "an empty step in \(JSONQuoting.quoted(path)) (a leading, trailing or doubled dot)"
                    }
                    return "unexpected \(JSONQuoting.quoted(String(characters[position]))) in \(JSONQuoting.quoted(path)); "
                        + "a map key with other characters is written [\"key\"]"
                }
                if name.allSatisfy(\.isASCIIDigit) {
                    if written.isEmpty {
                        return "the path must start with an attribute name, found \(JSONQuoting.quoted(path))"
                    }
                    return "write a list element as \(written)[\(name)]: .\(name) names an attribute, and no attribute name is a number"
                }
                written += (written.isEmpty ? "" : ".") + name
                expectName = false
                continue
            }
            switch characters[position] {
            case ".":
                position += 1
                expectName = true
            case "[":
                position += 1
                guard let close = characters[position...].firstIndex(of: "]") else {
                    return "unclosed [ in \(JSONQuoting.quoted(path))"
                }
                let inside = String(characters[position..<close])
                if inside.isEmpty { return "an empty step [] in \(JSONQuoting.quoted(path))" }
                if inside.first == "\"" {
                    guard inside.count >= 2, inside.last == "\"" else { return "unclosed [ in \(JSONQuoting.quoted(path))" }
                    let key = inside.dropFirst().dropLast()
                    if key.contains(where: { $0 == "\"" || $0 == "\\" }) {
                        return "a map key in a path cannot hold \", ] or \\, found \(JSONQuoting.quoted(path))"
                    }
                } else if !inside.allSatisfy(\.isASCIIDigit) || Int(inside) == nil {
                    if inside.first == "-" || inside.allSatisfy(\.isASCIIDigit) {
                        return "an index is a whole number from 0, found [\(inside)] in \(JSONQuoting.quoted(path))"
                    }
                    return "write a map key in quotes, [\"\(inside)\"], in \(JSONQuoting.quoted(path))"
                }
                written += "[\(inside)]"
                position = close + 1
                if position < characters.count, characters[position] != ".", characters[position] != "[" {
                    return "expected . or [ after ] in \(JSONQuoting.quoted(path))"
                }
            case "]":
                return "unexpected ] in \(JSONQuoting.quoted(path))"
            default:
                return "unexpected \(JSONQuoting.quoted(String(characters[position]))) in \(JSONQuoting.quoted(path)); "
                    + "a map key with other characters is written [\"key\"]"
            }
        }
        return nil
    }
}
