#if canImport(Glibc)
import Glibc
#endif

/// Append-only byte buffer that either streams to a `FILE*` in ~1 MiB chunks,
/// only counts bytes (used to calibrate how many resources fit a size target),
/// or collects everything in memory (used for JSON-inside-JSON strings).
/// Streaming keeps generating a 1 GB plan at a few MB of memory.
final class ByteSink {
    enum Mode {
        case file(UnsafeMutablePointer<FILE>)
        case countOnly
        case memory
    }

    static let chunkSize = 1 << 20

    private let mode: Mode
    private var buffer: [UInt8] = []
    private var flushedByteCount = 0
    private(set) var writeFailed = false

    init(_ mode: Mode) {
        self.mode = mode
        buffer.reserveCapacity(ByteSink.chunkSize + 256 * 1024)
    }

    var byteCount: Int { flushedByteCount + buffer.count }

    /// Writes out (or drops, when counting) the buffer once it exceeds one chunk.
    /// Called at record boundaries instead of per byte, to keep appends cheap.
    @inline(__always)
    func flushIfNeeded() {
        if buffer.count >= ByteSink.chunkSize {
            flush()
        }
    }

    func flush() {
        switch mode {
        case .file(let handle):
            let written = buffer.withUnsafeBufferPointer { bytes -> Int in
                guard let base = bytes.baseAddress else { return 0 }
                return fwrite(base, 1, bytes.count, handle)
            }
            if written != buffer.count { writeFailed = true }
        case .countOnly:
            break
        case .memory:
            return // memory mode keeps everything
        }
        flushedByteCount += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Contents of a `.memory` sink as a String.
    func text() -> String {
        String(decoding: buffer, as: UTF8.self)
    }

    // MARK: Raw output (caller guarantees it is already valid JSON text)

    @inline(__always)
    func raw(_ literal: StaticString) {
        literal.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    @inline(__always)
    func raw(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    @inline(__always)
    func byte(_ value: UInt8) {
        buffer.append(value)
    }

    func int(_ value: Int) {
        raw(String(value))
    }

    // MARK: JSON strings, escaped exactly like Go's encoding/json (Terraform)

    /// Go's encoder escapes `"` `\` and control characters, and - because
    /// HTML-escaping is on by default - also `<` `>` `&` as \u003c \u003e \u0026,
    /// plus U+2028/U+2029. Non-ASCII text is emitted as raw UTF-8.
    func string(_ value: String) {
        var value = value
        value.withUTF8 { appendEscaped($0) }
    }

    private func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if !ByteSink.needsAttention[Int(byte)] {
                index += 1
                continue
            }
            if byte == 0xE2 {
                // Only U+2028 / U+2029 (E2 80 A8 / E2 80 A9) are escaped among 0xE2 sequences.
                guard index + 2 < count, bytes[index + 1] == 0x80,
                      bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 else {
                    index += 1
                    continue
                }
                appendRun(bytes, from: runStart, to: index)
                raw(bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                index += 3
                runStart = index
                continue
            }
            appendRun(bytes, from: runStart, to: index)
            appendEscape(for: byte)
            index += 1
            runStart = index
        }
        appendRun(bytes, from: runStart, to: count)
        buffer.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private func appendRun(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        if end > start {
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
        }
    }

    private func appendEscape(for byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): raw("\\\"")
        case UInt8(ascii: "\\"): raw("\\\\")
        case UInt8(ascii: "\n"): raw("\\n")
        case UInt8(ascii: "\r"): raw("\\r")
        case UInt8(ascii: "\t"): raw("\\t")
        case 0x08: raw("\\b")
        case 0x0C: raw("\\f")
        default:
            // \u00XX with lowercase hex, as Go writes it (also used for < > &).
            raw("\\u00")
            buffer.append(ByteSink.hexDigits[Int(byte >> 4)])
            buffer.append(ByteSink.hexDigits[Int(byte & 0x0F)])
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lookup table: bytes that may need escaping (0xE2 is checked further).
    private static let needsAttention: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in 0..<0x20 { table[byte] = true }
        for ascii in ["\"", "\\", "<", ">", "&"] {
            if let scalar = ascii.unicodeScalars.first { table[Int(scalar.value)] = true }
        }
        table[0xE2] = true
        return table
    }()
}
