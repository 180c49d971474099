import MigCheckFoundation

/// Turns the content of an already validated JSON string into its UTF-8 bytes.
enum JSONStringDecoder {
    /// `contentStart` is just after the opening quote, `end` is the closing quote.
    /// Unpaired `\u` surrogates (legal JSON, not legal Unicode) become U+FFFD.
    static func decodeBytes(_ bytes: UnsafeRawBufferPointer, contentStart: Int, end: Int) -> [UInt8] {
        let length = max(0, end - contentStart)
        return [UInt8](unsafeUninitializedCapacity: capacity(forContentLength: length)) { buffer, count in
            guard let out = buffer.baseAddress else { return count = 0 }
            count = decode(bytes, contentStart: contentStart, end: end, into: out)
        }
    }

    static func decodeString(_ bytes: UnsafeRawBufferPointer, contentStart: Int, end: Int, escaped: Bool) -> String {
        if !escaped {
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[contentStart..<end]), as: UTF8.self)
        }
        // Decoded straight into the string's storage, which repairs any invalid UTF-8 as `String(decoding:)` does.
        let length = max(0, end - contentStart)
        return String(unsafeUninitializedCapacity: capacity(forContentLength: length)) { buffer in
            guard let out = buffer.baseAddress else { return 0 }
            return decode(bytes, contentStart: contentStart, end: end, into: out)
        }
    }

    /// Room enough for any decoding of `length` content bytes: an escape never grows, but a
    /// malformed `\u` (two bytes) becomes U+FFFD (three).
    private static func capacity(forContentLength length: Int) -> Int { length + length / 2 + 4 }

    /// Writes the decoded bytes to `out` (room for `capacity(forContentLength:)`); returns how many.
    private static func decode(_ bytes: UnsafeRawBufferPointer, contentStart: Int, end: Int,
                               into out: UnsafeMutablePointer<UInt8>) -> Int {
        var written = 0
        var position = contentStart
        func put(_ byte: UInt8) {
            out[written] = byte
            written += 1
        }
        while position < end {
            // The run up to the next backslash is copied in one go.
            guard let base = bytes.baseAddress else { break }
            var runEnd = end
            if let hit = memchr(base + position, Int32(UInt8(ascii: "\\")), end - position) {
                runEnd = base.distance(to: UnsafeRawPointer(hit))
            }
            if runEnd > position {
                UnsafeMutableRawPointer(out + written).copyMemory(from: base + position, byteCount: runEnd - position)
                written += runEnd - position
                position = runEnd
                continue
            }
            guard position + 1 < end else {
                put(bytes[position])
                position += 1
                continue
            }
            let escape = bytes[position + 1]
            position += 2
            switch escape {
            case UInt8(ascii: "b"): put(0x08)
            case UInt8(ascii: "f"): put(0x0C)
            case UInt8(ascii: "n"): put(0x0A)
            case UInt8(ascii: "r"): put(0x0D)
            case UInt8(ascii: "t"): put(0x09)
            case UInt8(ascii: "u"):
                guard let unit = hexUnit(bytes, at: position, end: end) else {
                    for byte in replacementCharacter { put(byte) }
                    continue
                }
                position += 4
                var scalarValue = UInt32(unit)
                if (0xD800...0xDBFF).contains(unit) {
                    // A high surrogate pairs only with an immediately following \uDC00–\uDFFF.
                    if position + 6 <= end, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u"),
                       let low = hexUnit(bytes, at: position + 2, end: end), (0xDC00...0xDFFF).contains(low) {
                        scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                        position += 6
                    } else {
                        scalarValue = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(unit) {
                    scalarValue = 0xFFFD
                }
                appendUTF8(scalarValue, put)
            default:
                // '"', '\\' and '/' stand for themselves.
                put(escape)
            }
        }
        return written
    }

    private static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]

    private static func hexUnit(_ bytes: UnsafeRawBufferPointer, at position: Int, end: Int) -> UInt16? {
        guard position + 4 <= end else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            guard let digit = JSONLexer.hexValue(bytes[position + offset]) else { return nil }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    private static func appendUTF8(_ value: UInt32, _ put: (UInt8) -> Void) {
        switch value {
        case 0..<0x80:
            put(UInt8(value))
        case 0x80..<0x800:
            put(UInt8(0xC0 | (value >> 6)))
            put(UInt8(0x80 | (value & 0x3F)))
        case 0x800..<0x10000:
            put(UInt8(0xE0 | (value >> 12)))
            put(UInt8(0x80 | ((value >> 6) & 0x3F)))
            put(UInt8(0x80 | (value & 0x3F)))
        default:
            put(UInt8(0xF0 | ((value >> 18) & 0x07)))
            put(UInt8(0x80 | ((value >> 12) & 0x3F)))
            put(UInt8(0x80 | ((value >> 6) & 0x3F)))
            put(UInt8(0x80 | (value & 0x3F)))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
