import MigCheckFoundation

/// A value inside a validated `JSONDocument`: a byte offset, plus the number of the
/// first container at or after it so that skipping a subtree is a single index read.
public struct JSONNode {
    public let document: JSONDocument
    // 32 bits each (documents are capped at 4 GiB): a node is 16 bytes, an optional one too,
    // and a plan's model holds several per resource.
    private let storedOffset: UInt32
    private let storedContainer: UInt32

    /// Offset of the value's first byte.
    @inline(__always) public var offset: Int { Int(storedOffset) }
    /// Number of the container this value is (if it is one), or of the next container after it.
    @inline(__always) package var container: Int { Int(storedContainer) }

    package init(document: JSONDocument, offset: Int, container: Int) {
        self.document = document
        self.storedOffset = UInt32(truncatingIfNeeded: offset)
        self.storedContainer = UInt32(truncatingIfNeeded: container)
    }

    public enum Kind: Equatable, Sendable {
        case object, array, string, number, bool, null

        public var name: String {
            switch self {
            case .object: return "an object"
            case .array: return "an array"
            case .string: return "a string"
            case .number: return "a number"
            case .bool: return "a boolean"
            case .null: return "null"
            }
        }
    }

    @inline(__always)
    package var bytes: UnsafeRawBufferPointer { document.bytes }

    public var kind: Kind {
        switch bytes[offset] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: return .number
        }
    }

    public var isNull: Bool { bytes[offset] == UInt8(ascii: "n") }

    /// Where the value begins in the file.
    public var position: SourcePosition { document.position(of: offset) }

    @inline(__always)
    package static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    // MARK: - Extent

    /// Offset just past the value, and the number of the next container after it.
    @inline(__always)
    package func end() -> (offset: Int, container: Int) {
        document.valueEnd(offset: offset, container: container)
    }

    /// The value's bytes, exactly as they appear in the file.
    public var byteRange: Range<Int> { offset..<end().offset }

    /// Finds the closing quote of validated string content; also reports escapes.
    static func stringEnd(_ bytes: UnsafeRawBufferPointer, contentStart: Int) -> (closingQuote: Int, escaped: Bool) {
        var position = contentStart
        var escaped = false
        let count = bytes.count
        while position < count {
            while position + 8 <= count {
                let word = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                let mask = JSONNode.quoteOrBackslashMask(word)
                if mask != 0 {
                    position += mask.trailingZeroBitCount >> 3
                    break
                }
                position += 8
            }
            guard position < count else { break }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { return (position, escaped) }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                position += 2
            } else {
                position += 1
            }
        }
        return (count, escaped)
    }

    @inline(__always)
    static func quoteOrBackslashMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & 0x8080_8080_8080_8080
    }

    // MARK: - Objects

    /// Calls `body` with each key (as a `JSONKey`) and value of an object, in file order.
    /// `body` returns false to stop early.
    public func forEachMember(_ body: (JSONKey, JSONNode) throws -> Bool) rethrows {
        let document = self.document
        try document.forEachRawMember(ofObjectAt: offset, container: container) { member in
            try body(JSONKey(document: document, contentStart: member.keyStart, end: member.keyEnd, escaped: member.keyEscaped),
                     JSONNode(document: document, offset: member.valueOffset, container: member.valueContainer))
        }
    }

    /// Whether this is a string whose decoded UTF-8 is `wanted`, without building it.
    public func stringEquals(_ wanted: [UInt8]) -> Bool {
        let bytes = document.bytes
        guard bytes[offset] == UInt8(ascii: "\"") else { return false }
        let end = JSONNode.stringEnd(bytes, contentStart: offset + 1)
        return JSONKey(document: document, contentStart: offset + 1, end: end.closingQuote, escaped: end.escaped).equals(wanted)
    }

    /// The value of `key` in an object, or nil when absent or when this is not an object.
    public subscript(key: String) -> JSONNode? {
        var found: JSONNode?
        let wanted = Array(key.utf8)
        forEachMember { candidate, value in
            if candidate.equals(wanted) {
                found = value
                return false
            }
            return true
        }
        return found
    }

    public var members: [(key: String, value: JSONNode)] {
        var result: [(key: String, value: JSONNode)] = []
        forEachMember { key, value in
            result.append((key.string, value))
            return true
        }
        return result
    }

    // MARK: - Arrays

    public func forEachElement(_ body: (JSONNode) throws -> Bool) rethrows {
        guard bytes[offset] == UInt8(ascii: "[") else { return }
        let bytes = self.bytes
        var position = offset + 1
        var nextContainer = container + 1
        while true {
            position = JSONNode.skipWhitespace(bytes, position)
            guard position < bytes.count, bytes[position] != UInt8(ascii: "]") else { return }
            let element = JSONNode(document: document, offset: position, container: nextContainer)
            guard try body(element) else { return }
            (position, nextContainer) = element.end()
            position = JSONNode.skipWhitespace(bytes, position)
            guard position < bytes.count, bytes[position] == UInt8(ascii: ",") else { return }
            position += 1
        }
    }

    public var elements: [JSONNode] {
        var result: [JSONNode] = []
        forEachElement {
            result.append($0)
            return true
        }
        return result
    }

    public var count: Int {
        var total = 0
        if kind == .array {
            forEachElement { _ in total += 1; return true }
        } else if kind == .object {
            forEachMember { _, _ in total += 1; return true }
        }
        return total
    }

    @inline(__always)
    static func skipWhitespace(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> Int {
        var position = start
        while position < bytes.count, isWhitespace(bytes[position]) { position += 1 }
        return position
    }

    // MARK: - Scalars

    public var string: String? {
        guard bytes[offset] == UInt8(ascii: "\"") else { return nil }
        let end = JSONNode.stringEnd(bytes, contentStart: offset + 1)
        return JSONStringDecoder.decodeString(bytes, contentStart: offset + 1, end: end.closingQuote, escaped: end.escaped)
    }

    public var bool: Bool? {
        switch bytes[offset] {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: return nil
        }
    }

    /// The number exactly as written (Terraform numbers can exceed Int and Double precision).
    public var numberText: String? {
        guard kind == .number else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[byteRange]), as: UTF8.self)
    }

    public var double: Double? { numberText.flatMap { Double($0) } }

    /// An integer value, if the number is integral and fits in Int.
    public var int: Int? {
        guard let text = numberText else { return nil }
        if let exact = Int(text) { return exact }
        guard let value = Double(text), value.rounded() == value, abs(value) < 9.0e18 else { return nil }
        return Int(value)
    }

    // MARK: - Byte search

    /// Whether the value's raw bytes contain `needle` (e.g. an old cluster's endpoint),
    /// searched at byte speed without building any value.
    public func rawBytesContain(_ needle: [UInt8]) -> Bool {
        ByteSearch.contains(bytes, range: byteRange, needle: needle)
    }
}

/// A key inside an object, compared without allocating in the common case.
public struct JSONKey {
    package let document: JSONDocument
    package let contentStart: Int
    package let end: Int
    package let escaped: Bool

    package init(document: JSONDocument, contentStart: Int, end: Int, escaped: Bool) {
        self.document = document
        self.contentStart = contentStart
        self.end = end
        self.escaped = escaped
    }

    public var string: String {
        JSONStringDecoder.decodeString(document.bytes, contentStart: contentStart, end: end, escaped: escaped)
    }

    public var offset: Int { contentStart - 1 }

    public func equals(_ wanted: [UInt8]) -> Bool {
        if escaped {
            return JSONStringDecoder.decodeBytes(document.bytes, contentStart: contentStart, end: end) == wanted
        }
        guard end - contentStart == wanted.count else { return false }
        let bytes = document.bytes
        for index in 0..<wanted.count where bytes[contentStart + index] != wanted[index] { return false }
        return true
    }

    public func equals(_ wanted: StaticString) -> Bool {
        JSONKey.bytesEqual(document.bytes, contentStart: contentStart, end: end, escaped: escaped, wanted)
    }

    @inline(__always)
    static func bytesEqual(_ bytes: UnsafeRawBufferPointer, contentStart: Int, end: Int, escaped: Bool, _ wanted: StaticString) -> Bool {
        let length = wanted.utf8CodeUnitCount
        if escaped {
            return JSONStringDecoder.decodeBytes(bytes, contentStart: contentStart, end: end)
                .elementsEqual(UnsafeBufferPointer(start: wanted.utf8Start, count: length))
        }
        guard end - contentStart == length else { return false }
        let text = wanted.utf8Start
        for index in 0..<length where bytes[contentStart + index] != text[index] { return false }
        return true
    }
}

package enum ByteSearch {
    package static func contains(_ bytes: UnsafeRawBufferPointer, range: Range<Int>, needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        let lower = max(0, range.lowerBound)
        let upper = min(bytes.count, range.upperBound)
        guard upper - lower >= needle.count, let base = bytes.baseAddress else { return false }
        var position = lower
        let lastStart = upper - needle.count
        while position <= lastStart {
            guard let hit = memchrPointer(base + position, first, lastStart - position + 1) else { return false }
            let hitOffset = base.distance(to: hit)
            var matched = true
            for index in 1..<needle.count where bytes[hitOffset + index] != needle[index] {
                matched = false
                break
            }
            if matched { return true }
            position = hitOffset + 1
        }
        return false
    }

    private static func memchrPointer(_ start: UnsafeRawPointer, _ byte: UInt8, _ length: Int) -> UnsafeRawPointer? {
        guard length > 0 else { return nil }
        return UnsafeRawPointer(memchr(start, Int32(byte), length))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one member of an object lies, with no reference to the document: hot loops that
/// already hold the document iterate with these and make `JSONNode`s only for what they keep.
package struct RawMember {
    package var keyStart: Int
    package var keyEnd: Int
    package var keyEscaped: Bool
    package var valueOffset: Int
    package var valueContainer: Int
}

extension JSONDocument {
    @inline(__always)
    func valueEnd(offset: Int, container: Int) -> (offset: Int, container: Int) {
        let bytes = self.bytes
        switch bytes[offset] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard container < structure.containerCount else { return (bytes.count, container) }
            let (span, descendants) = structure.extent(of: container)
            return (offset + span + 1, container + 1 + descendants)
        case UInt8(ascii: "\""):
            return (JSONNode.stringEnd(bytes, contentStart: offset + 1).closingQuote + 1, container)
        default:
            var position = offset
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
                    || JSONNode.isWhitespace(byte) { break }
                position += 1
            }
            return (position, container)
        }
    }

    package func forEachRawMember(ofObjectAt offset: Int, container: Int, _ body: (RawMember) throws -> Bool) rethrows {
        let bytes = self.bytes
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "{") else { return }
        var position = offset + 1
        var nextContainer = container + 1
        while true {
            position = JSONNode.skipWhitespace(bytes, position)
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return }
            let keyEnd = JSONNode.stringEnd(bytes, contentStart: position + 1)
            let keyStart = position + 1
            position = JSONNode.skipWhitespace(bytes, keyEnd.closingQuote + 1) + 1  // past ':'
            position = JSONNode.skipWhitespace(bytes, position)
            guard position < bytes.count else { return }
            let member = RawMember(keyStart: keyStart, keyEnd: keyEnd.closingQuote, keyEscaped: keyEnd.escaped,
                                   valueOffset: position, valueContainer: nextContainer)
            guard try body(member) else { return }
            (position, nextContainer) = valueEnd(offset: position, container: nextContainer)
            position = JSONNode.skipWhitespace(bytes, position)
            guard position < bytes.count, bytes[position] == UInt8(ascii: ",") else { return }
            position += 1
        }
    }

    /// Whether a raw member's key equals `wanted`, without allocating unless the key has escapes.
    @inline(__always)
    func key(of member: RawMember, equals wanted: StaticString) -> Bool {
        JSONKey.bytesEqual(bytes, contentStart: member.keyStart, end: member.keyEnd, escaped: member.keyEscaped, wanted)
    }
}
