import MigCheckFoundation
import MigCheckRules
import MigCheckReports

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `rules`, `explain`, `default-policy`, `completions` and `man`: what needs no input file.
extension Invocation {
    mutating func runCatalog(_ options: Options) -> ExitCode {
        do {
            switch options.command {
            case .rules:
                if let directory = options.markdownDirectory {
                    try writeRulePages(into: directory)
                } else {
                    standardOutput.write(options.format == .markdown ? RuleDocs.index() : RuleCatalogReport.list(style: style) + "\n")
                }
            case .explain:
                let id = options.files.first ?? ""
                guard let rule = RuleRegistry.description(id: id) else {
                    throw GeneralDiagnostic(message: "no rule '\(TextEscaping.visible(id))' (see migcheck rules)")
                }
                if options.format == .markdown {
                    standardOutput.write(RuleDocs.page(rule))
                } else {
                    let rulesURL = options.rulesURL ?? MigCheckVersion.rulesURL
                    standardOutput.write(RuleCatalogReport.explain(rule, style: style, rulesURL: rulesURL) + "\n")
                }
            case .completions:
                standardOutput.write(ShellCompletions.script(for: options.files.first ?? ""))
            case .man:
                standardOutput.write(ManPage.render())
            default:
                standardOutput.write(Policy.builtInDefault.fileText)
            }
        } catch {
            report(error)
            return .badInput
        }
        return finish(.clean)
    }

    /// `rules --markdown-dir DIR`: README.md and one page per rule, each replaced only once complete.
    func writeRulePages(into directory: String) throws {
        if mkdir(directory, 0o755) != 0, errno != EEXIST {
            throw GeneralDiagnostic(subject: TextEscaping.visible(directory), message: "cannot create the directory: \(errorText(errno))",
                                    file: directory)
        }
        var temporaryFileNumber = 0
        for page in RuleDocs.pages() {
            let path = directory + "/" + page.name
            let target = ReportFiles.target(ReportDestination(format: .markdown, path: path))
            if let problem = target.refusal ?? ReportFiles.write(page.text, to: target, sequence: &temporaryFileNumber) {
                throw GeneralDiagnostic(subject: TextEscaping.visible(path), message: "cannot write the rule page: \(problem)", file: path)
            }
        }
    }
}
