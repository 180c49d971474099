/// The one place that turns characters into visible escapes.
enum TextEscaping {
    /// `\u001b`, or `\U0001f680` style with a wider `width` and `prefix`.
    static func escaped(_ value: UInt32, prefix: String = "\\u", width: Int = 4) -> String {
        let digits = String(value, radix: 16)
        return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Control characters (C0, DEL, C1) and the line/paragraph separators: what must never
    /// reach a terminal, a log line or an annotation raw.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// `text` with every control character (except those in `kept`) written as `\uXXXX`.
    static func visible(_ text: String, keeping kept: Set<Unicode.Scalar> = []) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) && !kept.contains($0) }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar), !kept.contains(scalar) {
                out += escaped(scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
