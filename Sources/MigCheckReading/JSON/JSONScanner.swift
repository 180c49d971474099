import MigCheckFoundation

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
    /// Offsets are stored in 32 bits to keep the index small (`ByteStorage.maximumSize`, the
    /// most the input reads).
    public static let maximumDocumentSize = ByteStorage.maximumSize
    /// The limit as every message about it states it.
    public static let maximumDocumentSizeText = ByteStorage.maximumSizeText

    package let bytes: UnsafeRawBufferPointer

    struct Frame {
        var container: Int
        var opening: Int
        var isObject: Bool
        var firstKey: Int
        var keyCheck: KeyCheck
    }

    /// How an object's keys are checked for duplicates. Terraform writes the attributes of
    /// every value in ascending order, so most objects need one comparison per key.
    enum KeyCheck: UInt8 {
        /// Every key so far unescaped and greater than the one before: all distinct.
        case ascending
        /// Hashes compared with every earlier key (small objects).
        case linear
        /// Hashes kept in a set (large objects out of order).
        case hashSet
    }

    struct KeyRecord {
        /// Zero until the object leaves `.ascending`; only then are its keys hashed.
        var hash: UInt64
        var start: Int
        var end: Int  // offset of the closing quote
        var escaped: Bool
    }

    /// The working memory, shared by copies of this scanner and freed with the last of them.
    let memory: ScanMemory
    /// The open containers, innermost last (`memory.frames`, at most `maximumDepth`).
    let frames: UnsafeMutablePointer<Frame>
    var frameCount = 0
    /// Keys of the open objects, in document order (`memory.keys`).
    var keys: UnsafeMutablePointer<KeyRecord>
    var keyCount = 0
    /// Containers in document order: bytes to the closing bracket, and nested containers.
    private var spans: UnsafeMutablePointer<UInt16>
    private var descendants: UnsafeMutablePointer<UInt16>
    private(set) var containerCount = 0
    private var largeSpans: [StructuralIndex.LargeValue] = []
    private var largeDescendants: [StructuralIndex.LargeValue] = []
    /// Hash sets for objects with many keys out of order, one slot per depth, reused.
    var keySets: [Set<UInt64>] = []
    /// Objects up to this many keys out of order are checked for duplicates by a linear scan.
    static let linearKeyLimit = 24

    package var position: Int
    var expectation = Expectation.value
    /// True in a scanner that reads a document's tail from a guessed split point; `tail` then
    /// holds what it assumed about the containers it did not see open.
    private(set) var isTail = false
    var tail = TailState()

    package init(bytes: UnsafeRawBufferPointer, from start: Int, expectedContainers: Int) {
        self.bytes = bytes
        self.position = start
        memory = ScanMemory(containerCapacity: max(16, expectedContainers))
        frames = memory.frames
        keys = memory.keys
        spans = memory.spans
        descendants = memory.descendants
    }

    /// Makes this a scanner of a document's tail, starting just after a comma.
    mutating func startAsTail() {
        isTail = true
        tail = TailState()
        expectation = .memberOfUnknownContainer
    }

    /// Validates `bytes` as one JSON document and returns its structural index.
    /// `start` lets the caller skip a byte-order mark.
    public static func scan(_ bytes: UnsafeRawBufferPointer, from start: Int = 0) throws -> StructuralIndex {
        guard bytes.count <= maximumDocumentSize else {
            throw JSONSyntaxError(.documentTooLarge(limit: maximumDocumentSize), at: 0)
        }
        guard BackgroundThread<Void>.isWorthwhile, bytes.count - start >= splitThreshold else {
            return try scanSequentially(bytes, from: start)
        }
        return try scanInTwoHalves(bytes, from: start)
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

    /// The index of what was scanned.
    func finishedIndex() -> StructuralIndex {
        StructuralIndex(spans: spans, descendants: descendants, count: containerCount,
                        largeSpans: largeSpans, largeDescendants: largeDescendants)
    }

    mutating func begin() throws {
        position = lexer.skipWhitespace(from: position)
        if position >= bytes.count { throw JSONSyntaxError(.emptyDocument, at: position) }
    }

    /// Scans until the document ends, or until a token ends exactly at `limit`.
    mutating func run(until limit: Int) throws -> Stop {
        let count = bytes.count
        while true {
            if position == limit { return .reachedLimit }
            position = lexer.skipWhitespace(from: position)
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
                        position = try lexer.scanString(from: position + 1).end
                    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                        position = try lexer.scanNumber(from: position)
                    case UInt8(ascii: "t"):
                        position = try lexer.scanLiteral("true", at: position)
                    case UInt8(ascii: "f"):
                        position = try lexer.scanLiteral("false", at: position)
                    case UInt8(ascii: "n"):
                        position = try lexer.scanLiteral("null", at: position)
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
                let key = try lexer.scanString(from: position + 1)
                try recordKey(contentStart: position + 1, end: key.end - 1, escaped: key.escaped, at: position)
                try expectColon(from: key.end)

            case .separatorOrEnd:
                guard frameCount > 0 else {
                    // Only a tail scanner gets here: a container opened before its split point.
                    if try continueUnknownContainer(with: byte) { return .finished }
                    continue
                }
                let topIsObject = frames[frameCount - 1].isObject
                if byte == UInt8(ascii: ",") {
                    position += 1
                    expectation = topIsObject ? .key : .value
                } else if byte == (topIsObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    position = try close(at: position, closingObject: topIsObject)
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
        if frameCount == 0, !isTail {
            try finish(at: position)
            return true
        }
        expectation = .separatorOrEnd
        return false
    }

    private mutating func expectColon(from keyEnd: Int) throws {
        position = lexer.skipWhitespace(from: keyEnd)
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
            return frameCount > 0 && frames[frameCount - 1].isObject ? "',' or '}'" : "',' or ']'"
        }
    }

    package func unexpected(at position: Int, expected: String) -> JSONSyntaxError {
        let byte = bytes[position]
        if byte >= 0x80, lexer.utf8SequenceLength(at: position) == nil {
            return JSONSyntaxError(.invalidUTF8, at: position)
        }
        return JSONSyntaxError(.unexpectedByte(expected: expected), at: position)
    }

    private func finish(at position: Int) throws {
        let rest = lexer.skipWhitespace(from: position)
        guard rest < bytes.count else { return }
        let another = bytes[rest] == UInt8(ascii: "{") || bytes[rest] == UInt8(ascii: "[")
        throw JSONSyntaxError(.trailingData(looksLikeAnotherDocument: another), at: rest)
    }

    private mutating func open(at position: Int, isObject: Bool) throws {
        guard frameCount < JSONScanner.maximumDepth else {
            throw JSONSyntaxError(.nestingTooDeep(limit: JSONScanner.maximumDepth), at: position)
        }
        frames[frameCount] = Frame(container: containerCount, opening: position, isObject: isObject,
                                   firstKey: keyCount, keyCheck: .ascending)
        frameCount += 1
        if containerCount == memory.containerCapacity { growContainers() }
        spans[containerCount] = 0
        descendants[containerCount] = 0
        containerCount += 1
        if isTail { noteTailDepth() }
    }

    private mutating func close(at position: Int, closingObject: Bool) throws -> Int {
        guard frameCount > 0 else {
            throw unexpected(at: position, expected: "a value")
        }
        frameCount -= 1
        let frame = frames[frameCount]
        record(frame.container, span: position - frame.opening, descendants: containerCount - frame.container - 1)
        if closingObject { keyCount = frame.firstKey }
        return position + 1
    }

    /// Fills in a container's extent when it closes.
    package mutating func record(_ container: Int, span: Int, descendants inner: Int) {
        let saturated = StructuralIndex.saturated
        if span < Int(saturated) {
            spans[container] = UInt16(truncatingIfNeeded: span)
        } else {
            spans[container] = saturated
            largeSpans.append(.init(container: UInt32(truncatingIfNeeded: container), value: UInt32(truncatingIfNeeded: span)))
        }
        if inner < Int(saturated) {
            descendants[container] = UInt16(truncatingIfNeeded: inner)
        } else {
            descendants[container] = saturated
            largeDescendants.append(.init(container: UInt32(truncatingIfNeeded: container), value: UInt32(truncatingIfNeeded: inner)))
        }
    }

    private mutating func growContainers() {
        memory.growContainers(keeping: containerCount)
        spans = memory.spans
        descendants = memory.descendants
    }

    /// Appends a tail scanner's containers, which follow all of this one's.
    mutating func appendContainers(of other: JSONScanner) {
        let base = containerCount
        while memory.containerCapacity < base + other.containerCount { growContainers() }
        spans.advanced(by: base).update(from: other.spans, count: other.containerCount)
        descendants.advanced(by: base).update(from: other.descendants, count: other.containerCount)
        containerCount += other.containerCount
        let offset = UInt32(truncatingIfNeeded: base)
        largeSpans += other.largeSpans.map { .init(container: $0.container &+ offset, value: $0.value) }
        largeDescendants += other.largeDescendants.map { .init(container: $0.container &+ offset, value: $0.value) }
    }

    /// The byte-level readers, which need nothing but the bytes: a call passes 16 bytes
    /// in registers instead of a copy of the whole scanner.
    @inline(__always)
    var lexer: JSONLexer { JSONLexer(bytes: bytes) }
}
