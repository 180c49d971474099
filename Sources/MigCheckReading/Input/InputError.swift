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

    /// One line, as compilers print it, so editors and CI annotators can jump to it. File and
    /// message are escaped as every error line is (`TextEscaping`: a line break is `\u000a`).
    public var description: String {
        let shown = TextEscaping.visible(message)
        let file = TextEscaping.visible(self.file)
        if let position { return "\(file):\(position.line):\(position.column): error: \(shown)" }
        return "\(file): error: \(shown)"
    }

    public var diagnosticLine: String { description }
    public var diagnosticLocation: DiagnosticLocation? { DiagnosticLocation(file: file, position: position) }
}
