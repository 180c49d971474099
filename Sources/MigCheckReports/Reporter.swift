/// One report format: its name on the command line, its usual file extension, what it is for,
/// and how it renders a run. Adding a format is one file with its reporter and one line in
/// `Reports.reporters` (and its case in `ReportFormat`, the names the command line parses).
public protocol Reporter {
    /// The name `--format` and `--output FORMAT=PATH` use (`ReportFormat`'s raw value).
    static var identifier: String { get }
    /// The usual file extension, for `--output` paths a CI recipe picks.
    static var fileExtension: String { get }
    /// One line on what the format is for.
    static var description: String { get }
    /// The report of all evaluations. `style` matters only to `text` (colour on a terminal).
    static func render(_ input: ReportInput, style: TextStyle) -> String
}

/// The single entry point of every report format.
public enum Reports {
    /// Every report format, in the order `ReportFormat` lists them.
    public static var reporters: [any Reporter.Type] { [
        TextReport.self,
        JSONReport.self,
        SARIFReport.self,
        JUnitReport.self,
        GitHubAnnotations.self,
        MarkdownReport.self,
    ] }

    /// One report of all evaluations. `style` matters only to `text` (colour on a terminal).
    public static func render(_ format: ReportFormat, _ input: ReportInput, style: TextStyle = TextStyle(colour: false)) -> String {
        format.reporter.render(input, style: style)
    }
}
