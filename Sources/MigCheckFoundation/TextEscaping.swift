/// The one place that turns characters into visible escapes.
package enum TextEscaping {
    /// `\u001b`, or `\U0001f680` style with a wider `width` and `prefix`.
    package static func escaped(_ value: UInt32, prefix: String = "\\u", width: Int = 4) -> String {
        let digits = String(value, radix: 16)
        return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Control characters (C0, DEL, C1), the line/paragraph separators and the bidirectional
    /// controls: what must never reach a terminal, a log line, an annotation or a viewer raw.
    package static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
            || isBidiControl(scalar)
    }

    /// The invisible characters that reorder how text around them is displayed ("Trojan
    /// Source"): the embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069 and the
    /// marks U+200E, U+200F and U+061C. Shown raw, an address or message could read as
    /// something other than what it is.
    static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// Line feed and carriage return: what ends a line in a log, a workflow command or a file.
    package static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\n" || scalar == "\r"
    }

    /// `text` with every control character (except those in `kept`) written as `\uXXXX`.
    package static func visible(_ text: String, keeping kept: Set<Unicode.Scalar> = []) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) && !kept.contains($0) }) else { return text }
        return escape(text, keeping: kept) { _, _, _ in nil }
    }

    /// The one escaping loop every writer shares (JSON, SARIF, JUnit, GitHub, Markdown, the
    /// terminal). `spelling` is a format's own spelling of a scalar, given the scalars before and
    /// after it (nil: none of its own); a scalar without one is written as `\uXXXX` when it is a
    /// control character (`isControl`, except those in `kept`) and copied otherwise.
    package static func escape(_ text: String, keeping kept: Set<Unicode.Scalar> = [],
                               spelling: (_ scalar: Unicode.Scalar, _ before: Unicode.Scalar?, _ after: Unicode.Scalar?) -> String?) -> String {
        var out = ""
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        var before: Unicode.Scalar?
        while index != scalars.endIndex {
            let scalar = scalars[index]
            let next = scalars.index(after: index)
            if let spelled = spelling(scalar, before, next == scalars.endIndex ? nil : scalars[next]) {
                out += spelled
            } else if isControl(scalar), !kept.contains(scalar) {
                out += escaped(scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
            before = scalar
            index = next
        }
        return out
    }
}

extension String {
    /// Without the whitespace at either end.
    package var trimmedSpaces: String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
