import MigCheckFoundation

/// Recognises encodings that real users feed in by mistake (PowerShell's `>` writes
/// UTF-16 with a byte-order mark) and turns them into UTF-8.
enum TextEncoding {
    enum Detected: Equatable {
        case utf8
        case utf16(littleEndian: Bool, hasBOM: Bool)
    }

    static func detect(_ bytes: UnsafeRawBufferPointer) -> Detected {
        guard bytes.count >= 2 else { return .utf8 }
        if bytes[0] == 0xFF, bytes[1] == 0xFE { return .utf16(littleEndian: true, hasBOM: true) }
        if bytes[0] == 0xFE, bytes[1] == 0xFF { return .utf16(littleEndian: false, hasBOM: true) }
        // No BOM: JSON starts with an ASCII byte, so a zero byte beside it betrays UTF-16.
        if bytes.count >= 4, bytes[0] != 0, bytes[1] == 0, bytes[3] == 0 { return .utf16(littleEndian: true, hasBOM: false) }
        if bytes.count >= 4, bytes[0] == 0, bytes[1] != 0, bytes[2] == 0 { return .utf16(littleEndian: false, hasBOM: false) }
        return .utf8
    }

    /// Line and column (in characters, as for UTF-8 input) of a byte offset into UTF-16 text.
    static func position(ofUTF16Offset offset: Int, in bytes: UnsafeRawBufferPointer, littleEndian: Bool, skipBOM: Bool) -> SourcePosition {
        var position = SourcePosition(line: 1, column: 1)
        var index = skipBOM ? 2 : 0
        while index + 2 <= min(offset, bytes.count) {
            let first = UInt16(bytes[index]), second = UInt16(bytes[index + 1])
            let unit = littleEndian ? first | second << 8 : first << 8 | second
            if unit == 0x0A {
                position = SourcePosition(line: position.line + 1, column: 1)
            } else if !(0xDC00...0xDFFF).contains(unit) {
                // A low surrogate completes the character its high surrogate started.
                position.column += 1
            }
            index += 2
        }
        return position
    }

    struct MalformedUTF16: Error {
        let offset: Int
    }

    /// UTF-16 to UTF-8, or the byte offset where the UTF-16 is malformed. Transcoding stops
    /// just after the first NUL character: JSON text never holds one, so the scanner reports
    /// the document invalid at or before it, and the rest of a mostly-NUL file (which the
    /// zero bytes beside an ASCII first byte make look like UTF-16) is never read or copied.
    static func transcodeUTF16(_ bytes: UnsafeRawBufferPointer, littleEndian: Bool, skipBOM: Bool) -> Result<[UInt8], MalformedUTF16> {
        let start = skipBOM ? 2 : 0
        var units = CodeUnits(bytes: bytes, offset: start, littleEndian: littleEndian)
        var output: [UInt8] = []
        var decoder = UTF16()
        var consumed = 0
        while true {
            switch decoder.decode(&units) {
            case .scalarValue(let scalar):
                consumed += scalar.value > 0xFFFF ? 2 : 1
                UTF8.encode(scalar) { output.append($0) }
                if scalar.value == 0 { return .success(output) }
            case .emptyInput:
                // An odd byte at the end is half a code unit.
                if (bytes.count - start) % 2 != 0 { return .failure(MalformedUTF16(offset: bytes.count - 1)) }
                return .success(output)
            case .error:
                return .failure(MalformedUTF16(offset: start + consumed * 2))
            }
        }
    }

    /// The code units of UTF-16 bytes, read in place.
    private struct CodeUnits: IteratorProtocol {
        let bytes: UnsafeRawBufferPointer
        var offset: Int
        let littleEndian: Bool

        mutating func next() -> UInt16? {
            guard offset + 1 < bytes.count else { return nil }
            let first = UInt16(bytes[offset]), second = UInt16(bytes[offset + 1])
            offset += 2
            return littleEndian ? first | second << 8 : first << 8 | second
        }
    }
}
