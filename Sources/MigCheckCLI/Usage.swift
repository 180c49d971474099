import MigCheckFoundation

/// `migcheck --help`, written from `CommandLineTable`.
let usage: String = HelpText.render()

enum HelpText {
    /// Where a row's description starts; a longer label stands on a line of its own.
    static let descriptionColumn = 26

    static func render() -> String {
        let table = CommandLineTable.self
        var lines: [String] = []
        for (number, subcommand) in table.subcommands.enumerated() {
            lines.append((number == 0 ? "USAGE: " : "       ") + subcommand.synopsis)
        }
        lines += [""] + table.description + ["", "ARGUMENTS:"]
        lines += table.arguments.flatMap { rows($0.label, $0.lines) }
        lines += ["", "SUBCOMMANDS:"] + table.subcommands.flatMap { rows($0.label, $0.help) }
        lines += ["", "OPTIONS:"] + table.allOptions.flatMap { rows($0.helpLabel, $0.help) }
        lines += ["", "EXAMPLES:"] + table.examples.map { "  " + $0 }
        lines += ["", "EXIT STATUS:"]
        for status in table.exitStatus {
            lines += status.lines.enumerated().map { ($0.offset == 0 ? "  \(status.label)  " : "     ") + $0.element }
        }
        lines += ["", "ENVIRONMENT:"] + table.environment.flatMap { rows($0.label, $0.lines) }
        return lines.joined(separator: "\n")
    }

    /// `  LABEL                   first line`, then the others under the first.
    static func rows(_ label: String, _ text: [String]) -> [String] {
        let indent = String(repeating: " ", count: descriptionColumn)
        let head = "  " + label
        guard head.count <= descriptionColumn - 2, let first = text.first else {
            return [head] + text.map { indent + $0 }
        }
        return [head + String(repeating: " ", count: descriptionColumn - head.count) + first] + text.dropFirst().map { indent + $0 }
    }
}
