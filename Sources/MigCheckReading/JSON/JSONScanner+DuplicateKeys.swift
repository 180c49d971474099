import MigCheckFoundation

// Duplicate object keys, checked as the scanner records each key: ascending keys (as Terraform
// writes every value's attributes) against the previous one only, out-of-order keys by hash.
extension JSONScanner {
    mutating func recordKey(contentStart: Int, end: Int, escaped: Bool, at quote: Int) throws {
        guard frameCount > 0 else {
            // A tail scanner's key of an object opened before the split: checked when adopted.
            let record = KeyRecord(hash: lexer.keyHash(contentStart: contentStart, end: end, escaped: escaped),
                                   start: contentStart, end: end, escaped: escaped)
            tail.keys.append(TailKey(level: tail.closes.count, record: record))
            return
        }
        let frameIndex = frameCount - 1
        let firstKey = frames[frameIndex].firstKey
        if frames[frameIndex].keyCheck == .ascending {
            if !escaped, keyCount == firstKey
                || JSONScanner.compare(bytes, keys[keyCount - 1].start, keys[keyCount - 1].end, contentStart, end) < 0 {
                appendKey(KeyRecord(hash: 0, start: contentStart, end: end, escaped: false))
                return
            }
            // Out of order, or escaped: hash the keys so far and check this one against them.
            for existing in firstKey..<keyCount {
                keys[existing].hash = lexer.keyHash(contentStart: keys[existing].start, end: keys[existing].end, escaped: false)
            }
            frames[frameIndex].keyCheck = .linear
        }
        let record = KeyRecord(hash: lexer.keyHash(contentStart: contentStart, end: end, escaped: escaped),
                               start: contentStart, end: end, escaped: escaped)
        if frames[frameIndex].keyCheck == .hashSet {
            if !keySets[frameIndex].insert(record.hash).inserted {
                try confirmDuplicate(of: record, keysFrom: firstKey, at: quote)
            }
        } else {
            var existing = firstKey
            while existing < keyCount {
                if keys[existing].hash == record.hash, lexer.sameKey(keys[existing], record) {
                    throw duplicate(record, at: quote)
                }
                existing += 1
            }
            if keyCount - firstKey + 1 > JSONScanner.linearKeyLimit {
                // A large object out of order (a big map, say): switch to a hash set to stay linear.
                while keySets.count <= frameIndex { keySets.append([]) }
                keySets[frameIndex].removeAll(keepingCapacity: true)
                for existing in firstKey..<keyCount { keySets[frameIndex].insert(keys[existing].hash) }
                keySets[frameIndex].insert(record.hash)
                frames[frameIndex].keyCheck = .hashSet
            }
        }
        appendKey(record)
    }

    @inline(__always)
    private mutating func appendKey(_ record: KeyRecord) {
        if keyCount == memory.keyCapacity {
            memory.growKeys(keeping: keyCount)
            keys = memory.keys
        }
        keys[keyCount] = record
        keyCount += 1
    }

    /// Negative, zero or positive as the bytes of `[aStart, aEnd)` sort before, equal or after `[bStart, bEnd)`.
    @inline(__always)
    package static func compare(_ bytes: UnsafeRawBufferPointer, _ aStart: Int, _ aEnd: Int, _ bStart: Int, _ bEnd: Int) -> Int {
        let aLength = aEnd - aStart
        let bLength = bEnd - bStart
        let common = min(aLength, bLength)
        var offset = 0
        // Big-endian words compare as their bytes do, eight at a time.
        while offset + 8 <= common {
            let a = bytes.loadUnaligned(fromByteOffset: aStart + offset, as: UInt64.self).bigEndian
            let b = bytes.loadUnaligned(fromByteOffset: bStart + offset, as: UInt64.self).bigEndian
            if a != b { return a < b ? -1 : 1 }
            offset += 8
        }
        while offset < common {
            let a = bytes[aStart + offset]
            let b = bytes[bStart + offset]
            if a != b { return a < b ? -1 : 1 }
            offset += 1
        }
        return aLength - bLength
    }

    private func confirmDuplicate(of record: KeyRecord, keysFrom firstKey: Int, at quote: Int) throws {
        for existing in firstKey..<keyCount where keys[existing].hash == record.hash {
            if lexer.sameKey(keys[existing], record) { throw duplicate(record, at: quote) }
        }
    }

    func duplicate(_ record: KeyRecord, at quote: Int) -> JSONSyntaxError {
        let decoded = JSONStringDecoder.decodeBytes(bytes, contentStart: record.start, end: record.end)
        return JSONSyntaxError(.duplicateKey(String(decoding: decoded, as: UTF8.self)), at: quote)
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
