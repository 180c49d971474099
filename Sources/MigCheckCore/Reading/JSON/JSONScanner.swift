/// One validating pass over a UTF-8 buffer: RFC 8259 grammar, UTF-8, escapes, number
/// range, nesting depth and duplicate keys. It builds no values; it only records the
/// structural index that lets later stages materialise the few values they need.
///
/// A large buffer is read by two scanners at once (see `JSONScanner+Split.swift`); the
/// second one reads the tail from a guessed split point, and the first one adopts its
/// work only when it arrives at that point in exactly the state the guess assumed.
public struct JSONScanner {
    /// Terraform's documents nest a few dozen levels; the limit keeps every later
    /// recursive walk far from the stack's end.
    public static let maximumDepth = 512
    /// Offsets are stored in 32 bits to keep the index small; a plan of 4 GiB is far beyond any real one.
    public static let maximumDocumentSize = Int(UInt32.max)

    let bytes: UnsafeRawBufferPointer
    var index = StructuralIndex()

    struct Frame {
        var container: Int
        var opening: Int
        var isObject: Bool
        var firstKey: Int
        var usesKeySet: Bool
    }

    struct KeyRecord {
        var hash: UInt64
        var start: Int
        var end: Int  // offset of the closing quote
        var escaped: Bool
    }

    var frames: [Frame] = []
    var keys: [KeyRecord] = []
    /// Hash sets for objects with many keys, one slot per depth, reused.
    private var keySets: [Set<UInt64>] = []
    /// Objects up to this many keys are checked for duplicates by a linear scan.
    private static let linearKeyLimit = 24

    var position: Int
    var expectation = Expectation.value
    /// Present only in a scanner that reads a document's tail from a guessed split point.
    var tail: TailState?

    init(bytes: UnsafeRawBufferPointer, from start: Int, expectedContainers: Int) {
        self.bytes = bytes
        self.position = start
        index.reserveCapacity(max(16, expectedContainers))
    }

    /// Validates `bytes` as one JSON document and returns its structural index.
    /// `start` lets the caller skip a byte-order mark.
    public static func scan(_ bytes: UnsafeRawBufferPointer, from start: Int = 0) throws -> StructuralIndex {
        guard bytes.count <= maximumDocumentSize else {
            throw JSONSyntaxError(.documentTooLarge(limit: maximumDocumentSize), at: 0)
        }
        return try scan(bytes, from: start, splitAt: BackgroundThread<Void>.isWorthwhile ? splitPoint(in: bytes, from: start) : nil)
    }

    /// Roughly one container per 64 bytes in Terraform's output; only touched pages become resident.
    static func expectedContainers(forBytes count: Int) -> Int { count / 64 }

    static func scanSequentially(_ bytes: UnsafeRawBufferPointer, from start: Int) throws -> StructuralIndex {
        var scanner = JSONScanner(bytes: bytes, from: start,
                                  expectedContainers: expectedContainers(forBytes: bytes.count - start))
        try scanner.begin()
        _ = try scanner.run(until: Int.max)
        return scanner.finishedIndex()
    }

    // MARK: - Grammar

    enum Expectation {
        case value
        case valueOrArrayEnd
        case keyOrObjectEnd
        case key
        case separatorOrEnd
        /// After a comma in a container the tail scanner did not see open: a key or a value.
        case memberOfUnknownContainer
    }

    enum Stop {
        case finished
        case reachedLimit
    }

    /// The index, its exceptions sorted for lookup.
    mutating func finishedIndex() -> StructuralIndex {
        index.sortLargeValues()
        return index
    }

    mutating func begin() throws {
        position = skipWhitespace(from: position)
        if position >= bytes.count { throw JSONSyntaxError(.emptyDocument, at: position) }
    }

    /// Scans until the document ends, or until a token ends exactly at `limit`.
    mutating func run(until limit: Int) throws -> Stop {
        let count = bytes.count
        while true {
            if position == limit { return .reachedLimit }
            position = skipWhitespace(from: position)
            guard position < count else {
                throw JSONSyntaxError(.unexpectedEnd(expected: describe(expectation)), at: position)
            }
            let byte = bytes[position]
            switch expectation {
            case .value, .valueOrArrayEnd:
                if byte == UInt8(ascii: "]"), expectation == .valueOrArrayEnd {
                    position = try close(at: position, closingObject: false)
                } else {
                    switch byte {
                    case UInt8(ascii: "{"):
                        try open(at: position, isObject: true)
                        position += 1
                        expectation = .keyOrObjectEnd
                        continue
                    case UInt8(ascii: "["):
                        try open(at: position, isObject: false)
                        position += 1
                        expectation = .valueOrArrayEnd
                        continue
                    case UInt8(ascii: "\""):
                        position = try scanString(from: position + 1).end
                    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                        position = try scanNumber(from: position)
                    case UInt8(ascii: "t"):
                        position = try scanLiteral("true", at: position)
                    case UInt8(ascii: "f"):
                        position = try scanLiteral("false", at: position)
                    case UInt8(ascii: "n"):
                        position = try scanLiteral("null", at: position)
                    default:
                        throw unexpected(at: position, expected: describe(expectation))
                    }
                }
                if try valueEnded() { return .finished }

            case .keyOrObjectEnd, .key:
                if byte == UInt8(ascii: "}"), expectation == .keyOrObjectEnd {
                    position = try close(at: position, closingObject: true)
                    if try valueEnded() { return .finished }
                    continue
                }
                guard byte == UInt8(ascii: "\"") else {
                    throw unexpected(at: position, expected: describe(expectation))
                }
                let key = try scanString(from: position + 1)
                try recordKey(contentStart: position + 1, end: key.end - 1, escaped: key.escaped, at: position)
                try expectColon(from: key.end)

            case .separatorOrEnd:
                guard let top = frames.last else {
                    // Only a tail scanner gets here: a container opened before its split point.
                    if try continueUnknownContainer(with: byte) { return .finished }
                    continue
                }
                if byte == UInt8(ascii: ",") {
                    position += 1
                    expectation = top.isObject ? .key : .value
                } else if byte == (top.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    position = try close(at: position, closingObject: top.isObject)
                    if try valueEnded() { return .finished }
                } else {
                    throw unexpected(at: position, expected: describe(expectation))
                }

            case .memberOfUnknownContainer:
                try startMemberOfUnknownContainer(with: byte)
            }
        }
    }

    /// After a complete value: the document ends when no container is open.
    @inline(__always)
    private mutating func valueEnded() throws -> Bool {
        if frames.isEmpty, tail == nil {
            try finish(at: position)
            return true
        }
        expectation = .separatorOrEnd
        return false
    }

    private mutating func expectColon(from keyEnd: Int) throws {
        position = skipWhitespace(from: keyEnd)
        guard position < bytes.count else {
            throw JSONSyntaxError(.unexpectedEnd(expected: "':' after an object key"), at: position)
        }
        guard bytes[position] == UInt8(ascii: ":") else {
            throw unexpected(at: position, expected: "':' after an object key")
        }
        position += 1
        expectation = .value
    }

    private func describe(_ expectation: Expectation) -> String {
        switch expectation {
        case .value: return "a value"
        case .valueOrArrayEnd: return "a value or ']'"
        case .keyOrObjectEnd: return "a string key or '}'"
        case .key: return "a string key (no trailing comma before '}')"
        case .memberOfUnknownContainer: return "a key or a value"
        case .separatorOrEnd:
            return frames.last?.isObject == true ? "',' or '}'" : "',' or ']'"
        }
    }

    func unexpected(at position: Int, expected: String) -> JSONSyntaxError {
        let byte = bytes[position]
        if byte >= 0x80, utf8SequenceLength(at: position) == nil {
            return JSONSyntaxError(.invalidUTF8, at: position)
        }
        return JSONSyntaxError(.unexpectedByte(expected: expected), at: position)
    }

    private func finish(at position: Int) throws {
        let rest = skipWhitespace(from: position)
        guard rest < bytes.count else { return }
        let another = bytes[rest] == UInt8(ascii: "{") || bytes[rest] == UInt8(ascii: "[")
        throw JSONSyntaxError(.trailingData(looksLikeAnotherDocument: another), at: rest)
    }

    private mutating func open(at position: Int, isObject: Bool) throws {
        guard frames.count < JSONScanner.maximumDepth else {
            throw JSONSyntaxError(.nestingTooDeep(limit: JSONScanner.maximumDepth), at: position)
        }
        frames.append(Frame(container: index.containerCount, opening: position, isObject: isObject,
                            firstKey: keys.count, usesKeySet: false))
        index.appendContainer()
        if tail != nil { noteTailDepth() }
    }

    private mutating func close(at position: Int, closingObject: Bool) throws -> Int {
        guard let frame = frames.popLast() else {
            throw unexpected(at: position, expected: "a value")
        }
        index.record(frame.container, span: position - frame.opening,
                     descendants: index.containerCount - frame.container - 1)
        if closingObject {
            keys.removeSubrange(frame.firstKey...)
        }
        return position + 1
    }

    // MARK: - Whitespace

    @inline(__always)
    func skipWhitespace(from start: Int) -> Int {
        var position = start
        let count = bytes.count
        while position < count {
            let byte = bytes[position]
            if byte == 0x20 {
                position += 1
                // Pretty-printed plans indent deeply: skip runs of spaces eight at a time.
                while position + 8 <= count,
                      bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self) == 0x2020_2020_2020_2020 {
                    position += 8
                }
            } else if byte == 0x0A || byte == 0x0D || byte == 0x09 {
                position += 1
            } else {
                break
            }
        }
        return position
    }

    // MARK: - Literals and numbers

    private func scanLiteral(_ literal: StaticString, at position: Int) throws -> Int {
        let length = literal.utf8CodeUnitCount
        let text = literal.utf8Start
        for offset in 0..<length {
            guard position + offset < bytes.count else {
                throw JSONSyntaxError(.unexpectedEnd(expected: "'\(literal)'"), at: position + offset)
            }
            guard bytes[position + offset] == text[offset] else {
                throw JSONSyntaxError(.unexpectedByte(expected: "a value ('\(literal)'?)"), at: position)
            }
        }
        let end = position + length
        if end < bytes.count, isIdentifierByte(bytes[end]) {
            throw JSONSyntaxError(.unexpectedByte(expected: "a delimiter after '\(literal)'"), at: end)
        }
        return end
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private func isIdentifierByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    private func scanNumber(from start: Int) throws -> Int {
        let count = bytes.count
        var position = start
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < count else { throw JSONSyntaxError(.unexpectedEnd(expected: "a digit"), at: position) }
        let integerStart = position
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else if isDigit(bytes[position]) {
            while position < count, isDigit(bytes[position]) { position += 1 }
        } else {
            throw JSONSyntaxError(.invalidNumber, at: start)
        }
        var significantDigits = position - integerStart
        var hasExponent = false
        if position < count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            let fractionStart = position
            while position < count, isDigit(bytes[position]) { position += 1 }
            guard position > fractionStart else {
                if position >= count { throw JSONSyntaxError(.unexpectedEnd(expected: "a digit after '.'"), at: position) }
                throw JSONSyntaxError(.invalidNumber, at: start)
            }
            significantDigits += position - fractionStart
        }
        if position < count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            hasExponent = true
            position += 1
            if position < count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            let exponentStart = position
            while position < count, isDigit(bytes[position]) { position += 1 }
            guard position > exponentStart else {
                if position >= count { throw JSONSyntaxError(.unexpectedEnd(expected: "an exponent digit"), at: position) }
                throw JSONSyntaxError(.invalidNumber, at: start)
            }
        }
        if position < count, isIdentifierByte(bytes[position]) {
            throw JSONSyntaxError(.invalidNumber, at: start)
        }
        // Only long or exponent numbers can leave Double's range; short ones skip the conversion.
        if hasExponent || significantDigits > 15 {
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            if let value = Double(text), !value.isFinite {
                throw JSONSyntaxError(.numberOutOfRange, at: start)
            }
        }
        return position
    }

    // MARK: - Strings

    /// Scans string content starting just after the opening quote.
    /// Returns the offset just past the closing quote and whether any escape occurred.
    func scanString(from start: Int) throws -> (end: Int, escaped: Bool) {
        let count = bytes.count
        var position = start
        var escaped = false
        while true {
            // Eight bytes at a time while none is a quote, backslash, control or non-ASCII byte.
            while position + 8 <= count {
                let word = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                let special = JSONScanner.specialByteMask(word)
                if special != 0 {
                    position += special.trailingZeroBitCount >> 3
                    break
                }
                position += 8
            }
            guard position < count else {
                throw JSONSyntaxError(.unexpectedEnd(expected: "'\"' to close the string"), at: position)
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                return (position + 1, escaped)
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
                position = try scanEscape(at: position)
            } else if byte < 0x20 {
                throw JSONSyntaxError(.controlCharacterInString, at: position)
            } else if byte >= 0x80 {
                guard let length = utf8SequenceLength(at: position) else {
                    throw JSONSyntaxError(.invalidUTF8, at: position)
                }
                position += length
            } else {
                position += 1
            }
        }
    }

    /// High bit set in each byte lane that holds '"', '\\', a control byte or a non-ASCII byte.
    /// Lanes above the first flagged one may be false positives; the first is exact.
    @inline(__always)
    static func specialByteMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let quoteLanes = (quote &- ones) & ~quote
        let backslashLanes = (backslash &- ones) & ~backslash
        let controlLanes = (word &- ones &* 0x20) & ~word
        return (quoteLanes | backslashLanes | controlLanes | word) & highBits
    }

    private func scanEscape(at backslash: Int) throws -> Int {
        let count = bytes.count
        guard backslash + 1 < count else {
            throw JSONSyntaxError(.unexpectedEnd(expected: "an escape character"), at: backslash + 1)
        }
        switch bytes[backslash + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return backslash + 2
        case UInt8(ascii: "u"):
            guard backslash + 6 <= count else {
                throw JSONSyntaxError(.unexpectedEnd(expected: "four hex digits after \\u"), at: count)
            }
            for offset in 2..<6 where JSONScanner.hexValue(bytes[backslash + offset]) == nil {
                throw JSONSyntaxError(.invalidEscape, at: backslash)
            }
            return backslash + 6
        default:
            throw JSONSyntaxError(.invalidEscape, at: backslash)
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Length of the well-formed UTF-8 sequence at `position` (RFC 3629: no overlongs,
    /// no surrogates, nothing above U+10FFFF), or nil.
    func utf8SequenceLength(at position: Int) -> Int? {
        let count = bytes.count
        let lead = bytes[position]
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            position + offset < count && range.contains(bytes[position + offset])
        }
        switch lead {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : nil
        case 0xE0:
            return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF:
            return continuation(1) && continuation(2) ? 3 : nil
        case 0xED:
            return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : nil
        case 0xF0:
            return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF4:
            return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : nil
        default:
            return nil
        }
    }

    // MARK: - Duplicate keys

    mutating func recordKey(contentStart: Int, end: Int, escaped: Bool, at quote: Int) throws {
        let record = KeyRecord(hash: keyHash(contentStart: contentStart, end: end, escaped: escaped),
                               start: contentStart, end: end, escaped: escaped)
        guard let frameIndex = frames.indices.last else {
            // A tail scanner's key of an object opened before the split: checked when adopted.
            if let level = tail?.closes.count { tail?.keys.append(TailKey(level: level, record: record)) }
            return
        }
        let firstKey = frames[frameIndex].firstKey
        if frames[frameIndex].usesKeySet {
            if !keySets[frameIndex].insert(record.hash).inserted {
                try confirmDuplicate(of: record, keysFrom: firstKey, at: quote)
            }
        } else {
            // Indices, not a slice: a slice would retain the array's buffer once per key.
            var existing = firstKey
            while existing < keys.count {
                if keys[existing].hash == record.hash, sameKey(keys[existing], record) {
                    throw duplicate(record, at: quote)
                }
                existing += 1
            }
            if keys.count - firstKey + 1 > JSONScanner.linearKeyLimit {
                // A large object (a big for_each map, say): switch to a hash set to stay linear.
                while keySets.count <= frameIndex { keySets.append([]) }
                keySets[frameIndex].removeAll(keepingCapacity: true)
                for existing in firstKey..<keys.count { keySets[frameIndex].insert(keys[existing].hash) }
                keySets[frameIndex].insert(record.hash)
                frames[frameIndex].usesKeySet = true
            }
        }
        keys.append(record)
    }

    func keyHash(contentStart: Int, end: Int, escaped: Bool) -> UInt64 {
        guard escaped else { return JSONScanner.keyHash(bytes, contentStart, end) }
        let decoded = JSONStringDecoder.decodeBytes(bytes, contentStart: contentStart, end: end)
        return decoded.withUnsafeBytes { JSONScanner.keyHash($0, 0, $0.count) }
    }

    private func confirmDuplicate(of record: KeyRecord, keysFrom firstKey: Int, at quote: Int) throws {
        for existing in firstKey..<keys.count where keys[existing].hash == record.hash {
            if sameKey(keys[existing], record) { throw duplicate(record, at: quote) }
        }
    }

    func duplicate(_ record: KeyRecord, at quote: Int) -> JSONSyntaxError {
        let decoded = JSONStringDecoder.decodeBytes(bytes, contentStart: record.start, end: record.end)
        return JSONSyntaxError(.duplicateKey(String(decoding: decoded, as: UTF8.self)), at: quote)
    }

    func sameKey(_ a: KeyRecord, _ b: KeyRecord) -> Bool {
        if !a.escaped, !b.escaped {
            guard a.end - a.start == b.end - b.start else { return false }
            for offset in 0..<(a.end - a.start) where bytes[a.start + offset] != bytes[b.start + offset] {
                return false
            }
            return true
        }
        return JSONStringDecoder.decodeBytes(bytes, contentStart: a.start, end: a.end)
            == JSONStringDecoder.decodeBytes(bytes, contentStart: b.start, end: b.end)
    }

    /// A constant-time hash of a key: its length and its first and last eight bytes.
    /// Collisions are confirmed byte by byte, so a weak hash only costs time, never correctness.
    @inline(__always)
    static func keyHash(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> UInt64 {
        let length = end - start
        var head: UInt64 = 0
        var tail: UInt64 = 0
        if length >= 8 {
            head = buffer.loadUnaligned(fromByteOffset: start, as: UInt64.self)
            tail = buffer.loadUnaligned(fromByteOffset: end - 8, as: UInt64.self)
        } else {
            for offset in 0..<length {
                head |= UInt64(buffer[start + offset]) << (UInt64(offset) * 8)
            }
        }
        var hash = UInt64(truncatingIfNeeded: length) &* 0x9E37_79B9_7F4A_7C15
        hash = (hash ^ head) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ (hash >> 31) ^ tail) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 29)
    }
}
