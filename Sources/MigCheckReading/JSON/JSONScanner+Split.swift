import MigCheckFoundation


// Two cores read a large document in about half the time. The first scanner reads from
// the start; a second one reads the tail from a split point chosen just after a comma,
// not knowing which containers are open there. It records what it assumed (how many of
// them it closed, their kinds, the keys it saw in them, how deep it went), and the first
// scanner adopts its work only if, on reaching the split point, its own state makes every
// assumption true. Otherwise the first scanner simply reads on, so every error and every
// index is exactly what one sequential pass gives.

extension JSONScanner {
    /// Below this size a second thread costs more than it saves.
    static let splitThreshold = 1 << 20

    /// A container the tail scanner closed without having seen it open.
    struct OuterClose {
        var position: Int
        var isObject: Bool
        /// Containers the tail scanner had opened (and closed) before this one closed.
        var containersBefore: Int
    }

    /// A key of an object opened before the split; `level` 0 is the innermost such object.
    struct TailKey {
        var level: Int
        var record: KeyRecord
    }

    struct TailState {
        enum Kind { case unknown, object, array }
        var closes: [OuterClose] = []
        /// What the members seen so far say about the innermost unclosed outer container.
        var kind = Kind.unknown
        var keys: [TailKey] = []
        /// Deepest nesting relative to the split point's own depth (which only the first scanner knows).
        var deepestRelativeDepth = 0
    }

    /// How far from the middle a search for a split point looks:
    /// Terraform's output has such a comma every few hundred bytes, and bytes that are not
    /// JSON (a mostly-NUL file) must not be read far before the scan proves them wrong.
    static let splitSearchLength = 4 << 20
    /// The head scanner validates this much alone (to a comma looked for in as many bytes
    /// again) before a second thread starts or anything near the middle is read, so that a
    /// file that is not JSON from its start costs at most twice this much reading.
    static let checkpointOffset = 64 << 10

    /// Validates with a split at `split` when given (tests choose any offset), sequentially otherwise.
    package static func scan(_ bytes: UnsafeRawBufferPointer, from start: Int, splitAt split: Int?) throws -> StructuralIndex {
        var head = JSONScanner(bytes: bytes, from: start, expectedContainers: expectedContainers(forBytes: bytes.count - start))
        try head.begin()
        return try head.finish(splittingAt: split)
    }

    /// The head validates a first stretch alone (up to a checkpoint comma), then a second
    /// thread reads the tail from a split point near the middle.
    static func scanInTwoHalves(_ bytes: UnsafeRawBufferPointer, from start: Int) throws -> StructuralIndex {
        var head = JSONScanner(bytes: bytes, from: start, expectedContainers: expectedContainers(forBytes: bytes.count - start))
        try head.begin()
        // Not landing on the checkpoint (it was inside a string after all) only means reading on alone.
        if let checkpoint = splitPoint(in: bytes, searchingFrom: start + checkpointOffset, length: checkpointOffset),
           try head.run(until: checkpoint) == .finished {
            return head.finishedIndex()
        }
        return try head.finish(splittingAt: splitPoint(in: bytes, from: start))
    }

    /// Reads on to the end, with a tail scanner from `split` when it lies ahead.
    private mutating func finish(splittingAt split: Int?) throws -> StructuralIndex {
        guard let split, split > position, split < bytes.count else {
            _ = try run(until: Int.max)
            return finishedIndex()
        }
        let bytes = self.bytes
        let tailScan = BackgroundThread { JSONScanner.scanTail(bytes, from: split) }
        // The tail reads the same buffer: wait for it before returning or throwing.
        defer { _ = tailScan.join() }
        guard try run(until: split) == .reachedLimit else { return finishedIndex() }
        if let tail = tailScan.join(), adopt(tail) { return finishedIndex() }
        _ = try run(until: Int.max)
        return finishedIndex()
    }

    /// Just after a comma near the middle that is certainly outside any string in valid JSON:
    /// `,` then optional `{`, then a quote not followed by what may follow a closing quote.
    static func splitPoint(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let count = bytes.count
        guard count - start >= splitThreshold else { return nil }
        return splitPoint(in: bytes, searchingFrom: start + (count - start) / 2, length: min((count - start) / 4, splitSearchLength))
    }

    /// The first such comma in `length` bytes from `from`.
    static func splitPoint(in bytes: UnsafeRawBufferPointer, searchingFrom from: Int, length: Int = splitSearchLength) -> Int? {
        let count = bytes.count
        guard from < count else { return nil }
        let scanner = JSONScanner(bytes: bytes, from: from, expectedContainers: 0)
        var position = from
        let searchEnd = min(count, from + length)
        while position < searchEnd {
            defer { position += 1 }
            guard bytes[position] == UInt8(ascii: ",") else { continue }
            var next = scanner.lexer.skipWhitespace(from: position + 1)
            if next < count, bytes[next] == UInt8(ascii: "{") { next = scanner.lexer.skipWhitespace(from: next + 1) }
            guard next + 1 < count, bytes[next] == UInt8(ascii: "\"") else { continue }
            switch bytes[next + 1] {
            case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"):
                continue
            default:
                return position + 1
            }
        }
        return nil
    }

    // MARK: - The tail scanner's view of containers it did not see open

    mutating func noteTailDepth() {
        let relative = frameCount - tail.closes.count
        if relative > tail.deepestRelativeDepth { tail.deepestRelativeDepth = relative }
    }

    /// `,` or a closing bracket in a container opened before the split. Returns true at the end of the input.
    mutating func continueUnknownContainer(with byte: UInt8) throws -> Bool {
        guard isTail else { throw unexpected(at: position, expected: "a value") }
        if byte == UInt8(ascii: ",") {
            position += 1
            switch tail.kind {
            case .object: expectation = .key
            case .array: expectation = .value
            case .unknown: expectation = .memberOfUnknownContainer
            }
            return false
        }
        let isObject = byte == UInt8(ascii: "}")
        guard isObject || byte == UInt8(ascii: "]"),
              tail.kind != (isObject ? .array : .object) else {
            throw unexpected(at: position, expected: "',' or a closing bracket")
        }
        tail.closes.append(OuterClose(position: position, isObject: isObject, containersBefore: containerCount))
        tail.kind = .unknown
        position += 1
        return lexer.skipWhitespace(from: position) == bytes.count
    }

    /// The first member after a comma in a container opened before the split: a key or a value.
    mutating func startMemberOfUnknownContainer(with byte: UInt8) throws {
        guard byte == UInt8(ascii: "\"") else {
            tail.kind = .array
            expectation = .value
            return
        }
        let string = try lexer.scanString(from: position + 1)
        let after = lexer.skipWhitespace(from: string.end)
        if after < bytes.count, bytes[after] == UInt8(ascii: ":") {
            tail.kind = .object
            try recordKey(contentStart: position + 1, end: string.end - 1, escaped: string.escaped, at: position)
            position = after + 1
            expectation = .value
        } else {
            tail.kind = .array
            position = string.end
            expectation = .separatorOrEnd
        }
    }

    /// Reads from `split` as if just after a comma in containers it cannot see; nil if that fails.
    private static func scanTail(_ bytes: UnsafeRawBufferPointer, from split: Int) -> JSONScanner? {
        var tail = JSONScanner(bytes: bytes, from: split, expectedContainers: expectedContainers(forBytes: bytes.count - split))
        tail.startAsTail()
        // Any error here only means the guess was wrong; the head scanner finds the real one.
        return (try? tail.run(until: Int.max)) == .finished ? tail : nil
    }

    // MARK: - Adopting the tail

    /// Takes over `tailScanner`'s index if everything it assumed holds at the split point;
    /// leaves `self` untouched and returns false otherwise.
    mutating func adopt(_ tailScanner: JSONScanner) -> Bool {
        guard tailScanner.isTail, frameCount > 0 else { return false }
        let state = tailScanner.tail
        // The tail started as if just after a comma.
        guard expectation == (frames[frameCount - 1].isObject ? .key : .value) else { return false }
        let open = frameCount
        guard state.closes.count == open,
              open + state.deepestRelativeDepth <= JSONScanner.maximumDepth else { return false }
        for (level, close) in state.closes.enumerated() where close.isObject != frames[open - 1 - level].isObject {
            return false
        }
        guard !hasDuplicateKeys(across: state.keys) else { return false }

        let base = containerCount
        for (level, close) in state.closes.enumerated() {
            let frame = frames[open - 1 - level]
            record(frame.container, span: close.position - frame.opening,
                   descendants: base - frame.container - 1 + close.containersBefore)
        }
        appendContainers(of: tailScanner)
        frameCount = 0
        keyCount = 0
        position = bytes.count
        return true
    }

    /// Whether a key the tail saw in an outer object repeats a key of that object from
    /// either side of the split (the caller then reads on sequentially for the exact error).
    private func hasDuplicateKeys(across tailKeys: [TailKey]) -> Bool {
        guard !tailKeys.isEmpty else { return false }
        var byLevel: [Int: [KeyRecord]] = [:]
        for key in tailKeys { byLevel[key.level, default: []].append(key.record) }
        for (level, records) in byLevel {
            let frameIndex = frameCount - 1 - level
            let firstKey = frames[frameIndex].firstKey
            let endKey = frameIndex + 1 < frameCount ? frames[frameIndex + 1].firstKey : keyCount
            var seen: [UInt64: [KeyRecord]] = [:]
            // The head's keys of an ascending object carry no hash yet.
            let headKeys = (firstKey..<endKey).map { index -> KeyRecord in
                var record = keys[index]
                record.hash = lexer.keyHash(contentStart: record.start, end: record.end, escaped: record.escaped)
                return record
            }
            for record in headKeys + records {
                if let earlier = seen[record.hash], earlier.contains(where: { lexer.sameKey($0, record) }) { return true }
                seen[record.hash, default: []].append(record)
            }
        }
        return false
    }
}
