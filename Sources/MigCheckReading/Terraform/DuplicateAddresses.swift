import MigCheckFoundation

/// Terraform lists each resource instance once in `resource_changes`, in a state's
/// `resources` and in a plan's `planned_values` and `prior_state`. A second entry with the
/// same address is refused: its two copies could say different things, and judging either
/// (or both) could pass what Terraform then applies from the other.
///
/// An instance is its address and, for a deposed object, its deposed key.
struct DuplicateAddresses<Key: Hashable> {
    /// Where each address was first seen, by byte offset (no document reference per entry).
    private var firstOffsets: [Key: Int] = [:]

    init(expectedCount: Int = 0) {
        firstOffsets.reserveCapacity(expectedCount)
    }

    /// Notes `key` at `node`; throws when it was seen before.
    mutating func note(_ key: Key, at node: JSONNode, file: String, describing describe: () -> (address: String, deposed: String?)) throws {
        let offset = node.offset
        guard let first = firstOffsets.updateValue(offset, forKey: key) else { return }
        firstOffsets[key] = first
        let (address, deposed) = describe()
        throw DuplicateAddresses.error(file: file, at: node, firstOffset: first, address: address, deposed: deposed)
    }

    static func error(file: String, at node: JSONNode, firstOffset: Int, address: String, deposed: String?) -> InputError {
        let document = node.document
        let path = document.path(to: node.offset)
        let firstPath = document.path(to: firstOffset)
        let firstLine = document.position(of: firstOffset).line
        let what = deposed.map { "\(quoted(address)) (deposed object \(quoted($0)))" } ?? quoted(address)
        return InputError(file: file, position: node.position, message:
            "\(path.isEmpty ? "the document" : path): \(what) is listed twice, first at line \(firstLine) (\(firstPath)); "
            + "Terraform lists each resource instance once, and a check could judge one copy while Terraform applies the other "
            + "(pass the file as Terraform wrote it)")
    }

    /// Quoted with every control and format character (bidi overrides included) escaped.
    static func quoted(_ text: String) -> String {
        var visible = ""
        for scalar in JSONQuoting.quoted(text, limit: 200).unicodeScalars {
            if scalar.properties.generalCategory == .format || TextEscaping.isControl(scalar) {
                visible += TextEscaping.escaped(scalar.value)
            } else {
                visible.unicodeScalars.append(scalar)
            }
        }
        return visible
    }
}

/// An instance as both `resource_changes` and the state sections name it.
struct InstanceName: Hashable {
    let address: String
    let deposed: String?
}

/// An instance's identity as a state section writes it, read from the file's bytes: an
/// unescaped address (nearly all) is hashed and compared in place, without a string.
struct InstanceBytes: Hashable {
    private let address: TextBytes
    private let deposed: TextBytes?

    init(address: JSONNode, deposed: JSONNode?) {
        self.address = TextBytes(address)
        self.deposed = deposed.map(TextBytes.init)
    }
}

/// A JSON string's text as UTF-8: the file's bytes when it has no escapes, decoded otherwise.
struct TextBytes: Hashable {
    private let raw: UnsafeRawBufferPointer
    private let decoded: [UInt8]?

    /// `node` is a string value of a validated document, which outlives this.
    init(_ node: JSONNode) {
        let bytes = node.document.bytes
        let end = JSONNode.stringEnd(bytes, contentStart: node.offset + 1)
        if end.escaped {
            raw = UnsafeRawBufferPointer(start: nil, count: 0)
            decoded = JSONStringDecoder.decodeBytes(bytes, contentStart: node.offset + 1, end: end.closingQuote)
        } else {
            raw = UnsafeRawBufferPointer(rebasing: bytes[(node.offset + 1)..<end.closingQuote])
            decoded = nil
        }
    }

    private func withText<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        if let decoded { return decoded.withUnsafeBytes(body) }
        return body(raw)
    }

    static func == (lhs: TextBytes, rhs: TextBytes) -> Bool {
        lhs.withText { left in
            rhs.withText { right in
                guard left.count == right.count else { return false }
                guard let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return true }
                return memcmp(leftBase, rightBase, left.count) == 0
            }
        }
    }

    func hash(into hasher: inout Hasher) {
        withText { hasher.combine(bytes: $0) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
