import MigCheckFoundation

/// The report formats `--format` and `--output FORMAT=PATH` name, each rendered by its
/// `Reporter` (`Reports.reporters`).
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, sarif, junit, github, markdown

    /// The reporter that renders this format: the registry's entry with this identifier.
    public var reporter: any Reporter.Type {
        guard let reporter = Reports.reporters.first(where: { $0.identifier == rawValue }) else {
            preconditionFailure("no reporter registered for the format '\(rawValue)'")
        }
        return reporter
    }

    /// The usual file extension, for `--output` paths a CI recipe picks.
    public var fileExtension: String { reporter.fileExtension }

    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// `--output FORMAT=PATH`.
public struct ReportDestination: Equatable, Sendable {
    public let format: ReportFormat
    public let path: String

    public init(format: ReportFormat, path: String) {
        self.format = format
        self.path = path
    }

    /// Parses `sarif=migcheck.sarif`; nil with the reason when it is not of that shape.
    public static func parse(_ argument: String) -> (destination: ReportDestination?, error: String?) {
        guard let equals = argument.firstIndex(of: "=") else {
            return (nil, "--output: expected FORMAT=PATH (FORMAT one of \(ReportFormat.names)), found '\(TextEscaping.visible(argument))'")
        }
        let name = String(argument[..<equals])
        let path = String(argument[argument.index(after: equals)...])
        guard let format = ReportFormat(rawValue: name) else {
            return (nil, "--output: unknown format '\(TextEscaping.visible(name))' (expected one of \(ReportFormat.names))")
        }
        guard !path.isEmpty else { return (nil, "--output \(TextEscaping.visible(name))=: missing the file path") }
        return (ReportDestination(format: format, path: path), nil)
    }
}
