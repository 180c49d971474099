import MigCheckFoundation

/// The byte-level readers of the scanner: whitespace, literals, numbers, strings with their
/// escapes and UTF-8, and key comparison. Stateless but for the bytes.
struct JSONLexer {
    let bytes: UnsafeRawBufferPointer

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

    func scanLiteral(_ literal: StaticString, at position: Int) throws -> Int {
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
    func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    func isIdentifierByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    func scanNumber(from start: Int) throws -> Int {
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
                let special = JSONLexer.specialByteMask(word)
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

    func scanEscape(at backslash: Int) throws -> Int {
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
            for offset in 2..<6 where JSONLexer.hexValue(bytes[backslash + offset]) == nil {
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

    // MARK: - Keys

    func keyHash(contentStart: Int, end: Int, escaped: Bool) -> UInt64 {
        guard escaped else { return JSONScanner.keyHash(bytes, contentStart, end) }
        let decoded = JSONStringDecoder.decodeBytes(bytes, contentStart: contentStart, end: end)
        return decoded.withUnsafeBytes { JSONScanner.keyHash($0, 0, $0.count) }
    }

    func sameKey(_ a: JSONScanner.KeyRecord, _ b: JSONScanner.KeyRecord) -> Bool {
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

}
