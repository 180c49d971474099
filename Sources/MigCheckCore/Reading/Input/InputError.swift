/// Bad input: reported as one line `FILE:LINE:COLUMN: message` and exit code 2.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let position: SourcePosition?
    public let message: String

    public init(file: String, position: SourcePosition?, message: String) {
        self.file = file
        self.position = position
        self.message = message
    }

    /// One line, as compilers print it, so editors and CI annotators can jump to it.
    public var description: String {
        let flattened = message.replacingNewlines()
        let file = self.file.replacingNewlines()
        if let position { return "\(file):\(position.line):\(position.column): error: \(flattened)" }
        return "\(file): error: \(flattened)"
    }
}

extension String {
    /// One line that is safe to print: line breaks become spaces, and other control
    /// characters (C0, DEL, C1, U+2028/U+2029) from the file, such as an escape sequence
    /// in a key, become `\uXXXX` instead of reaching the terminal.
    func replacingNewlines() -> String {
        var out = ""
        for scalar in unicodeScalars {
            if scalar == "\n" || scalar == "\r" {
                out += " "
            } else if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
