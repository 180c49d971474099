import MigCheckFoundation

/// An instance key: `[0]` for `count`, `["key"]` for `for_each`.
public enum InstanceKey: Hashable, Sendable, CustomStringConvertible {
    case int(Int)
    case string(String)

    /// Printed exactly as Terraform prints it, HCL quoting included.
    public var description: String {
        switch self {
        case .int(let value): return "[\(value)]"
        case .string(let value): return "[\(InstanceKey.hclQuoted(value))]"
        }
    }

    /// Terraform's `toHCLQuotedString`: escapes quotes, backslashes, line breaks, tabs,
    /// template introducers (`${` → `$${`, `%{` → `%%{`) and non-printable characters.
    public static func hclQuoted(_ text: String) -> String {
        var out = "\""
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "$", "%":
                out.unicodeScalars.append(scalar)
                if index + 1 < scalars.count, scalars[index + 1] == "{" { out.unicodeScalars.append(scalar) }
            default:
                if isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x10000 {
                    out += TextEscaping.escaped(scalar.value)
                } else {
                    out += TextEscaping.escaped(scalar.value, prefix: "\\U", width: 8)
                }
            }
        }
        return out + "\""
    }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned,
             .spaceSeparator, .lineSeparator, .paragraphSeparator:
            return false
        default:
            return true
        }
    }
}

/// One step of a module path: `module.NAME` or `module.NAME[key]`.
public struct ModuleStep: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var key: InstanceKey?

    public init(name: String, key: InstanceKey? = nil) {
        self.name = name
        self.key = key
    }

    public var description: String { "module.\(name)" + (key?.description ?? "") }
}

public enum ResourceMode: String, Hashable, Sendable {
    case managed
    case data
}

/// A resource instance address exactly as Terraform prints it:
/// `module.a["k"].module.b.data.aws_iam_policy_document.x[0]`.
public struct ResourceAddress: Hashable, Sendable, CustomStringConvertible {
    public var modulePath: [ModuleStep]
    public var mode: ResourceMode
    public var type: String
    public var name: String
    public var key: InstanceKey?

    public init(modulePath: [ModuleStep] = [], mode: ResourceMode = .managed, type: String, name: String, key: InstanceKey? = nil) {
        self.modulePath = modulePath
        self.mode = mode
        self.type = type
        self.name = name
        self.key = key
    }

    public var moduleAddress: String { modulePath.map(\.description).joined(separator: ".") }

    /// The resource without its instance key or module keys: how configuration names it.
    /// Whether both are instances of the same resource block (they differ at most in their key).
    package func isInSameBlock(as other: ResourceAddress) -> Bool {
        mode == other.mode && type == other.type && name == other.name && modulePath == other.modulePath
    }

    public var configurationAddress: String {
        // Appended in place, into storage of the final size: every resource of a plan asks for it once.
        var length = (mode == .data ? 5 : 0) + type.utf8.count + 1 + name.utf8.count
        for step in modulePath { length += 8 + step.name.utf8.count }
        var text = ""
        text.reserveCapacity(length)
        for step in modulePath {
            text += "module."
            text += step.name
            text += "."
        }
        if mode == .data { text += "data." }
        text += type
        text += "."
        text += name
        return text
    }

    public var description: String {
        let modules = modulePath.map { $0.description + "." }.joined()
        return modules + (mode == .data ? "data." : "") + type + "." + name + (key?.description ?? "")
    }

    /// Parses an address as Terraform prints it (and as `--source ADDRESS` takes it).
    public static func parse(_ text: String) -> ResourceAddress? {
        var parser = AddressParser(text)
        return parser.parseResourceAddress()
    }

    /// Parses a module address such as `module.a["k"].module.b`; "" is the root module.
    public static func parseModulePath(_ text: String) -> [ModuleStep]? {
        if text.isEmpty { return [] }
        var parser = AddressParser(text)
        return parser.parseModulePathOnly()
    }
}

/// A small parser for Terraform's address syntax, HCL string escapes included.
struct AddressParser {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    private var atEnd: Bool { position >= scalars.count }

    mutating func parseModulePathOnly() -> [ModuleStep]? {
        var steps: [ModuleStep] = []
        while !atEnd {
            if !steps.isEmpty { guard consume(".") else { return nil } }
            guard let step = parseModuleStep() else { return nil }
            steps.append(step)
        }
        return steps
    }

    mutating func parseResourceAddress() -> ResourceAddress? {
        var steps: [ModuleStep] = []
        while lookingAt("module.") {
            guard let step = parseModuleStep(), consume(".") else { return nil }
            steps.append(step)
        }
        var mode = ResourceMode.managed
        if lookingAt("data.") {
            position += 5
            mode = .data
        }
        guard let type = identifier(), consume("."), let name = identifier() else { return nil }
        var key: InstanceKey?
        if !atEnd {
            guard let parsed = instanceKey() else { return nil }
            key = parsed
        }
        guard atEnd else { return nil }
        return ResourceAddress(modulePath: steps, mode: mode, type: type, name: name, key: key)
    }

    private mutating func parseModuleStep() -> ModuleStep? {
        guard lookingAt("module.") else { return nil }
        position += 7
        guard let name = identifier() else { return nil }
        var key: InstanceKey?
        if !atEnd, scalars[position] == "[" {
            guard let parsed = instanceKey() else { return nil }
            key = parsed
        }
        return ModuleStep(name: name, key: key)
    }

    private func lookingAt(_ prefix: String) -> Bool {
        let wanted = Array(prefix.unicodeScalars)
        guard position + wanted.count <= scalars.count else { return false }
        return Array(scalars[position..<position + wanted.count]) == wanted
    }

    private mutating func consume(_ scalar: Unicode.Scalar) -> Bool {
        guard !atEnd, scalars[position] == scalar else { return false }
        position += 1
        return true
    }

    private mutating func identifier() -> String? {
        let start = position
        while !atEnd {
            let scalar = scalars[position]
            let value = scalar.value
            let isASCIIIdentifier = (value | 0x20) &- 0x61 < 26 || value &- 0x30 < 10 || scalar == "_" || scalar == "-"
            let isIdentifier = isASCIIIdentifier || (value >= 0x80 && scalar.properties.isAlphabetic)
            guard isIdentifier else { break }
            position += 1
        }
        guard position > start else { return nil }
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars[start..<position])
        return text
    }

    private mutating func instanceKey() -> InstanceKey? {
        guard consume("[") else { return nil }
        if consume("\"") {
            var text = ""
            while !atEnd {
                let scalar = scalars[position]
                position += 1
                if scalar == "\"" {
                    return consume("]") ? .string(text) : nil
                }
                if scalar == "\\" {
                    guard !atEnd else { return nil }
                    let escape = scalars[position]
                    position += 1
                    switch escape {
                    case "n": text += "\n"
                    case "r": text += "\r"
                    case "t": text += "\t"
                    case "\"": text += "\""
                    case "\\": text += "\\"
                    case "u", "U":
                        let width = escape == "u" ? 4 : 8
                        guard position + width <= scalars.count else { return nil }
                        var digits = ""
                        digits.unicodeScalars.append(contentsOf: scalars[position..<position + width])
                        position += width
                        guard let value = UInt32(digits, radix: 16), let decoded = Unicode.Scalar(value) else { return nil }
                        text.unicodeScalars.append(decoded)
                    default:
                        return nil
                    }
                } else if (scalar == "$" || scalar == "%"), !atEnd, scalars[position] == scalar,
                          position + 1 < scalars.count, scalars[position + 1] == "{" {
                    // `$${` and `%%{` stand for a literal `${` and `%{`.
                    text.unicodeScalars.append(scalar)
                    position += 1
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
            return nil
        }
        let start = position
        if !atEnd, scalars[position] == "-" { position += 1 }
        while !atEnd, ("0"..."9").contains(scalars[position]) { position += 1 }
        var digits = ""
        digits.unicodeScalars.append(contentsOf: scalars[start..<position])
        guard let value = Int(digits), consume("]") else { return nil }
        return .int(value)
    }
}
