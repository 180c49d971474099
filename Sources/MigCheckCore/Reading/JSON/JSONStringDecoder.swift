/// Turns the content of an already validated JSON string into its UTF-8 bytes.
enum JSONStringDecoder {
    /// `contentStart` is just after the opening quote, `end` is the closing quote.
    /// Unpaired `\u` surrogates (legal JSON, not legal Unicode) become U+FFFD.
    static func decodeBytes(_ bytes: UnsafeRawBufferPointer, contentStart: Int, end: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(max(0, end - contentStart))
        var position = contentStart
        while position < end {
            let byte = bytes[position]
            guard byte == UInt8(ascii: "\\"), position + 1 < end else {
                out.append(byte)
                position += 1
                continue
            }
            let escape = bytes[position + 1]
            position += 2
            switch escape {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = hexUnit(bytes, at: position, end: end) else {
                    out.append(contentsOf: replacementCharacter)
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
                appendUTF8(scalarValue, to: &out)
            default:
                // '"', '\\' and '/' stand for themselves.
                out.append(escape)
            }
        }
        return out
    }

    static func decodeString(_ bytes: UnsafeRawBufferPointer, contentStart: Int, end: Int, escaped: Bool) -> String {
        if !escaped {
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[contentStart..<end]), as: UTF8.self)
        }
        return String(decoding: decodeBytes(bytes, contentStart: contentStart, end: end), as: UTF8.self)
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

    private static func appendUTF8(_ value: UInt32, to out: inout [UInt8]) {
        switch value {
        case 0..<0x80:
            out.append(UInt8(value))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (value >> 6)))
            out.append(UInt8(0x80 | (value & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (value >> 12)))
            out.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (value & 0x3F)))
        default:
            out.append(UInt8(0xF0 | ((value >> 18) & 0x07)))
            out.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (value & 0x3F)))
        }
    }
}
