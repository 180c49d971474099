import MigCheckFoundation

/// Bad input: reported as one line `FILE:LINE:COLUMN: message` and exit code 2.
public struct InputError: Diagnostic, Equatable, Sendable, CustomStringConvertible {
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

    public var diagnosticLine: String { description }
    public var diagnosticLocation: DiagnosticLocation? { DiagnosticLocation(file: file, position: position) }
}

extension String {
    /// One line that is safe to print: line breaks become spaces, and other control
    /// characters (C0, DEL, C1, U+2028/U+2029, bidirectional controls) from the file, such as
    /// an escape sequence in a key, become `\uXXXX` instead of reaching the terminal.
    func replacingNewlines() -> String {
        var flattened = ""
        for scalar in unicodeScalars {
            if scalar == "\n" || scalar == "\r" { flattened += " " } else { flattened.unicodeScalars.append(scalar) }
        }
        return TextEscaping.visible(flattened)
    }
}
