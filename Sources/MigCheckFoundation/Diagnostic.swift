/// Everything that ends a run with exit status 2 says so the same way: one line on standard
/// error, `FILE:LINE:COLUMN: error: …` (an input, the policy, a report file) or
/// `migcheck: error: …` (a flag), and, for callers that want it without parsing the line,
/// the file and position it names. Usage errors, document errors, policy errors, role errors
/// and refused or failed writes all adopt it; the command line prints `diagnosticLine` in
/// one place (`ErrorLine.oneLine` then makes sure it is one safe line).
public protocol Diagnostic: Error {
    /// The complete line to print, without its line break.
    var diagnosticLine: String { get }
    /// The file the line is about and where in it; nil when it is about a flag or the run.
    var diagnosticLocation: DiagnosticLocation? { get }
}

extension Diagnostic {
    public var diagnosticLocation: DiagnosticLocation? { nil }
}

/// The file a diagnostic names, and the line and column in it when it has one.
public struct DiagnosticLocation: Equatable, Sendable {
    public var file: String
    public var position: SourcePosition?

    public init(file: String, position: SourcePosition?) {
        self.file = file
        self.position = position
    }
}

/// A diagnostic about a subject that is not a position in a document: `migcheck` itself (a
/// usage error, an unknown rule) or a path (a report that cannot be written), printed as
/// `SUBJECT: error: MESSAGE`.
public struct GeneralDiagnostic: Diagnostic, Equatable, Sendable {
    /// `migcheck`, or a file's path as it is to be shown (already made visible).
    public let subject: String
    public let message: String
    /// The file the subject names, if it names one.
    public let file: String?

    public init(subject: String = "migcheck", message: String, file: String? = nil) {
        self.subject = subject
        self.message = message
        self.file = file
    }

    public var diagnosticLine: String { "\(subject): error: \(message)" }
    public var diagnosticLocation: DiagnosticLocation? { file.map { DiagnosticLocation(file: $0, position: nil) } }
}
