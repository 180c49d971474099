import MigCheckFoundation

/// Why a byte sequence is not the strict JSON (RFC 8259) migcheck accepts.
///
/// `offset` is a byte offset into the scanned buffer; the reader turns it into a
/// line and column only when the error is reported, so the hot path never counts lines.
public struct JSONSyntaxError: Error, Equatable, Sendable {
    public enum Reason: Equatable, Sendable {
        case emptyDocument
        case unexpectedEnd(expected: String)
        case unexpectedByte(expected: String)
        case invalidUTF8
        case controlCharacterInString
        case invalidEscape
        case invalidNumber
        case numberOutOfRange
        case nestingTooDeep(limit: Int)
        case duplicateKey(String)
        case trailingData(looksLikeAnotherDocument: Bool)
        case documentTooLarge(limit: Int)
    }

    public var reason: Reason
    public var offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// What a reader of the error message needs to hear, without the position.
    public var message: String {
        switch reason {
        case .emptyDocument:
            return "expected a JSON document, found no content"
        case .unexpectedEnd(let expected):
            return "unexpected end of file (truncated JSON?), expected \(expected)"
        case .unexpectedByte(let expected):
            return "expected \(expected)"
        case .invalidUTF8:
            return "invalid UTF-8 byte sequence (JSON must be UTF-8)"
        case .controlCharacterInString:
            return "unescaped control character in a string (expected \\n, \\t or \\u00XX)"
        case .invalidEscape:
            return "invalid escape in a string (expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"
        case .invalidNumber:
            return "malformed number (expected RFC 8259 number syntax)"
        case .numberOutOfRange:
            return "number is out of the range of a 64-bit float (expected a finite number)"
        case .nestingTooDeep(let limit):
            return "arrays and objects nested deeper than \(limit) levels (expected at most \(limit))"
        case .duplicateKey(let key):
            return "duplicate object key \(JSONQuoting.quoted(key)) (migcheck rejects duplicate keys: tools that keep different copies disagree about what the plan says)"
        case .documentTooLarge:
            return "larger than \(JSONScanner.maximumDocumentSizeText), the most migcheck reads (expected a plan or state JSON file)"
        case .trailingData(let another):
            return another
                ? "expected end of file, found a second JSON document"
                : "expected end of file after the JSON document"
        }
    }
}

/// Quoting used in messages: printable, escapes what could confuse a terminal or log.
package enum JSONQuoting {
    package static func quoted(_ text: String, limit: Int = 80) -> String {
        var out = "\""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                out += "…"
                break
            }
            count += 1
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if TextEscaping.isControl(scalar) {
                    out += TextEscaping.escaped(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
