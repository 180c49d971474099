import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckRules
@testable import MigCheckReports
@testable import MigCheckCLI
@testable import MigCheckTestSupport

/// The one table of the command line, and what is written from it: the parser, `--help`, the
/// completion scripts (parsed back: every option and value of the table, nothing else) and
/// the man page.
final class CommandLineTableTests: XCTestCase {
    private typealias Table = CommandLineTable

    private func run(_ arguments: [String]) -> (status: ExitCode, output: String, error: String) {
        final class Capture { var output = "", error = "" }
        let capture = Capture()
        let console = Console(writeOutput: { capture.output += $0; return nil }, writeError: { capture.error += $0 }, isTerminal: { false })
        let status = MigCheckCLI.run(arguments: arguments, environment: [:], console: console)
        return (status, capture.output, capture.error)
    }

    private var longNames: Set<String> { Set(Table.allOptions.map(\.long)) }

    /// Every word a completion offers as a value: choices, subcommands, rule IDs, shells, `FORMAT=`.
    private var valueWords: Set<String> {
        var words = Set(Table.subcommands.map(\.name) + Table.ruleIDs)
        for option in Table.allOptions {
            switch option.value {
            case .choice(let choices): words.formUnion(choices)
            case .formatAndFile(let formats): words.formUnion(formats.map { $0 + "=" })
            default: break
            }
        }
        for subcommand in Table.subcommands {
            if case .choice(let choices) = subcommand.operands { words.formUnion(choices) }
        }
        return words
    }

    private func matches(_ pattern: String, in text: String, group: Int = 1) -> [String] {
        guard let expression = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]) else {
            XCTFail("bad pattern \(pattern)")
            return []
        }
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: group), in: text).map { String(text[$0]) }
        }
    }

    /// Every `--word` in the script, wherever it stands (a case pattern, a list, a comment).
    private func longOptionTokens(_ script: String) -> Set<String> {
        let tokens = script.split { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        return Set(tokens.filter { $0.hasPrefix("--") && $0.dropFirst(2).first?.isLetter == true }.map(String.init))
    }

    private func words(_ lists: [String]) -> Set<String> {
        Set(lists.flatMap { $0.split(separator: " ").map(String.init) })
    }

    // MARK: - The table and the parser

    func testEveryCommandAndOptionHasOneEntry() {
        XCTAssertEqual(Table.subcommands.map(\.command), Command.allCases, "one entry per subcommand, in the order --help lists them")
        let names = Table.allOptions.flatMap(\.names)
        XCTAssertEqual(Set(names).count, names.count, "an option spelled twice: \(names)")
        XCTAssertEqual(Table.subcommands.first?.command, .check, "the default subcommand comes first")
        XCTAssertEqual(Table.ruleIDs.count, RuleRegistry.allDescriptions.count)
    }

    func testTheParserTakesExactlyTheTablesValues() throws {
        for option in Table.allOptions {
            guard case .choice(let choices) = option.value else { continue }
            for choice in choices {
                guard case .run = try parseArguments([option.long, choice, "plan.json"]) else {
                    return XCTFail("\(option.long) \(choice) is no run")
                }
                XCTAssertNoThrow(try parseArguments(["\(option.long)=\(choice)", "plan.json"]))
            }
            XCTAssertThrowsError(try parseArguments([option.long, "bogus", "plan.json"])) { error in
                XCTAssertEqual((error as? UsageError)?.message,
                               "\(option.long): expected \(Table.alternatives(choices)), found 'bogus'")
            }
        }
        for option in Table.allOptions where option.value != .none && !option.repeatable {
            XCTAssertThrowsError(try parseArguments([option.long, "a", option.long, "b", "plan.json"]), option.long)
        }
        XCTAssertEqual(Table.alternatives(["error", "warning", "never"]), "error, warning or never")
    }

    func testCompletionsAndManAreSubcommands() {
        for shell in Table.supportedShells {
            let result = run(["completions", shell])
            XCTAssertEqual(result.status, .clean, shell)
            XCTAssertEqual(result.output, ShellCompletions.script(for: shell))
        }
        XCTAssertEqual(run(["man"]).output, ManPage.render())
        let none = run(["completions"])
        XCTAssertEqual(none.status, .badInput)
        XCTAssertEqual(none.error, "migcheck: error: completions needs one of bash, zsh or fish, e.g. migcheck completions bash; found none\n")
        XCTAssertEqual(run(["completions", "tcsh"]).error,
                       "migcheck: error: completions needs one of bash, zsh or fish, e.g. migcheck completions bash; found 'tcsh'\n")
        XCTAssertEqual(run(["man", "plan.json"]).error, "migcheck: error: man takes no FILE\n")
    }

    // MARK: - ready and collect

    func testReadyAndCollectAreEntriesWithTheirOwnOptions() throws {
        let ready = try XCTUnwrap(Table.entry(.ready))
        let collect = try XCTUnwrap(Table.entry(.collect))
        XCTAssertEqual(ready.options.map(\.long), ["--evidence", "--now"])
        XCTAssertEqual(collect.options.map(\.long), ["--evidence-dir", "--iam-policy"])
        XCTAssertEqual(ready.options.first?.value, .directory, "--evidence completes directories")
        guard case .run(let options) = try parseArguments(["ready", "--phase", "cutover", "--evidence", "a", "--evidence=b",
                                                           "--now", "2026-11-20T12:00:00+01:00", "--format", "sarif",
                                                           "--output", "junit=r.xml", "--policy", "p.json", "--fail-on", "warning",
                                                           "plan.json", "c.json"]) else {
            return XCTFail("ready is no run")
        }
        XCTAssertEqual(options.command, .ready)
        XCTAssertEqual(options.phase, .cutover)
        XCTAssertEqual(options.evidence, ["a", "b"])
        XCTAssertEqual(options.now?.description, "2026-11-20T11:00:00Z")
        XCTAssertEqual(options.format, .sarif)
        XCTAssertEqual(options.outputs.map(\.path), ["r.xml"])
        XCTAssertEqual(options.policyPath, "p.json")
        XCTAssertEqual(options.failOn, .warning)
        XCTAssertEqual(options.files, ["plan.json", "c.json"])
        guard case .run(let collecting) = try parseArguments(["collect", "--phase=full-load", "--evidence-dir", "out", "--iam-policy"]) else {
            return XCTFail("collect is no run")
        }
        XCTAssertEqual(collecting.command, .collect)
        XCTAssertEqual(collecting.evidenceDirectory, "out")
        XCTAssertTrue(collecting.iamPolicy)
        XCTAssertTrue(collecting.files.isEmpty, "collect runs without a plan")
        for (arguments, message) in [
            (["ready", "--phase", "later"], "--phase: expected prepare, full-load, cutover or cleanup, found 'later'"),
            (["ready", "--phase", "cutover", "--now", "2026-11-20"], "--now: expected ISO 8601 with an offset such as 2026-11-20T12:00:00Z, found '2026-11-20'"),
            (["ready", "--phase", "cutover", "--now", "2026-11-20T12:00:00Z", "--now", "2026-11-21T12:00:00Z"], "--now given twice; it takes one value"),
            (["ready"], "ready: --phase is required (full-load, cutover or cleanup)"),
            (["collect", "--evidence", "x", "--phase", "cutover"], "unknown option '--evidence' (see migcheck --help)"),
            (["--evidence", "x", "plan.json"], "unknown option '--evidence' (see migcheck --help)"),
            (["collect", "--phase", "cutover", "--output", "json=x.json"], "collect prints a shell script; --format and --output go with ready"),
        ] {
            XCTAssertThrowsError(try parseArguments(arguments), "\(arguments)") { error in
                XCTAssertEqual((error as? UsageError)?.message, message)
            }
        }
    }

    /// The completion scripts offer ready's and collect's options after them only, the phases
    /// after --phase, and directories after --evidence.
    func testCompletionsOfReadyAndCollect() {
        let bash = ShellCompletions.bash()
        let common = Table.options.flatMap(\.names).joined(separator: " ")
        XCTAssertTrue(bash.contains("            ready) _migcheck_words \"$cur\" \"\(common) --evidence --now\" ;;\n"), bash)
        XCTAssertTrue(bash.contains("            collect) _migcheck_words \"$cur\" \"\(common) --evidence-dir --iam-policy\" ;;\n"))
        XCTAssertTrue(bash.contains("        --evidence) _migcheck_directories \"$cur\"; return ;;\n"))
        XCTAssertTrue(bash.contains("        --phase) _migcheck_words \"$cur\" \"prepare full-load cutover cleanup\"; return ;;\n"))
        XCTAssertTrue(bash.contains("|ready|collect) subcommand="), "ready and collect are subcommands of the script")
        let zsh = ShellCompletions.zsh()
        XCTAssertTrue(zsh.contains("        ready) specs+=("), zsh)
        XCTAssertTrue(zsh.contains("'*'--evidence'=[") && zsh.contains("]:dir|file:_files -/'"), zsh)
        XCTAssertTrue(zsh.contains("--phase'=[") && zsh.contains("]:phase:(prepare full-load cutover cleanup)'"), zsh)
        let fish = ShellCompletions.fish()
        XCTAssertTrue(fish.contains("complete -c migcheck -n '__fish_seen_subcommand_from ready' -l evidence"), fish)
        XCTAssertTrue(fish.contains("-l evidence") && fish.contains("-x -a '(__fish_complete_directories)'"), fish)
        XCTAssertTrue(fish.contains("complete -c migcheck -n '__fish_seen_subcommand_from collect' -l iam-policy"), fish)
        XCTAssertTrue(fish.contains("complete -c migcheck -n __fish_use_subcommand -a ready -d "), fish)
        let page = ManPage.render()
        for word in ["ready", "collect", "\\-\\-evidence", "\\-\\-now", "\\-\\-evidence\\-dir", "\\-\\-iam\\-policy"] {
            XCTAssertTrue(page.contains("\\fB\(word)\\fR"), word)
        }
        XCTAssertTrue(usage.contains("\n       migcheck ready --phase PHASE"), usage)
    }

    // MARK: - --help

    func testHelpIsWrittenFromTheTable() {
        for subcommand in Table.subcommands {
            XCTAssertTrue(usage.contains(subcommand.synopsis + "\n"), subcommand.synopsis)
            XCTAssertTrue(usage.contains(HelpText.rows(subcommand.label, subcommand.help).joined(separator: "\n")), subcommand.name)
        }
        for option in Table.allOptions {
            XCTAssertTrue(usage.contains(HelpText.rows(option.helpLabel, option.help).joined(separator: "\n")), option.long)
        }
        XCTAssertTrue(usage.contains("\n  --phase <phase>         prepare, full-load, cutover or cleanup. Default: the policy's, else inferred\n"))
        XCTAssertTrue(usage.contains("\n  --output <format>=<path>\n                          Also write a report to a file;"))
        XCTAssertTrue(usage.hasPrefix("USAGE: migcheck [check] [OPTIONS] FILE...\n       migcheck topology"))
    }

    // MARK: - Completions

    /// Every option of the table and no other; every value of the table in a value list, no other.
    func testBashCompletionHoldsTheTable() throws {
        let script = ShellCompletions.bash()
        XCTAssertEqual(longOptionTokens(script), longNames)
        let lists = matches(#"_migcheck_(?:words|output) "\$cur" "([^"$]*)""#, in: script)
        XCTAssertEqual(words(lists), valueWords.union(Table.allOptions.flatMap(\.names)))
        for option in Table.allOptions where option.value != .none {
            XCTAssertFalse(matches(#"^\s+(\S*\#(option.long)\S*)\)"#, in: script).isEmpty, "no case for \(option.long)'s value")
        }
        try syntaxCheck(["bash", "-n"], script, name: "migcheck.bash")
        if let check = ExternalTools.run(["shellcheck", "--version"]), check.status == 0 {
            try syntaxCheck(["shellcheck", "-s", "bash"], script, name: "migcheck.bash")
        }
    }

    func testZshCompletionHoldsTheTable() throws {
        let script = ShellCompletions.zsh()
        XCTAssertEqual(longOptionTokens(script), longNames)
        XCTAssertTrue(script.contains("{-h,--help}"))
        var lists = matches(#":\(([^)]*)\)'"#, in: script) + matches(#"compadd (?:-S '' )?-- ([^;\n]*)"#, in: script)
        lists += matches(#"^\s+'([a-z-]+):"#, in: script)
        XCTAssertEqual(words(lists).subtracting(["\\"]), valueWords)
        try syntaxCheck(["zsh", "-n"], script, name: "_migcheck")
    }

    func testFishCompletionHoldsTheTable() throws {
        let script = ShellCompletions.fish()
        let completes = script.split(separator: "\n").filter { $0.hasPrefix("complete ") }.joined(separator: "\n")
        XCTAssertEqual(Set(matches(#" -l ([a-z][a-z0-9-]*)"#, in: completes).map { "--" + $0 }), longNames)
        XCTAssertEqual(Set(matches(#" -s ([a-z])"#, in: completes).map { "-" + $0 }),
                       Set(Table.allOptions.flatMap(\.names).filter { !$0.hasPrefix("--") }))
        XCTAssertTrue(longOptionTokens(script).isSubset(of: longNames))
        var lists = matches(#" -a '([^'(]*)'"#, in: script) + matches(#" -a ([a-z-]+) -d"#, in: script)
        lists += matches(#"printf '%s\\n' (.*)$"#, in: script)
        XCTAssertEqual(words(lists), valueWords)
        try syntaxCheck(["fish", "-n"], script, name: "migcheck.fish")
    }

    /// Runs `command FILE` on the script; skips, saying so, when the program is absent.
    private func syntaxCheck(_ command: [String], _ script: String, name: String) throws {
        guard let probe = ExternalTools.run(["sh", "-c", "command -v \(command[0])"]), probe.status == 0 else {
            throw XCTSkip("\(command[0]) not installed: its syntax check of the completion script skipped")
        }
        let file = try scratchDirectory().appendingPathComponent(name)
        try Data(script.utf8).write(to: file)
        let result = try XCTUnwrap(ExternalTools.run(command + [file.path]))
        XCTAssertEqual(result.status, 0, "\(command.joined(separator: " ")): \(result.output)")
        XCTAssertEqual(result.output, "", command.joined(separator: " "))
    }

    // MARK: - The man page

    func testManPageHasItsSectionsAndEveryOption() throws {
        let page = ManPage.render()
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "EXAMPLES"] {
            XCTAssertTrue(page.contains("\n.SH \(section)\n"), section)
        }
        for option in Table.allOptions {
            XCTAssertTrue(page.contains("\\fB" + ManPage.escape(option.long) + "\\fR"), option.long)
        }
        for subcommand in Table.subcommands { XCTAssertTrue(page.contains("\\fB\(ManPage.escape(subcommand.name))\\fR"), subcommand.name) }
        let requests: Set<String> = [".\\\"", ".TH", ".nh", ".ad", ".SH", ".SS", ".TP", ".nf", ".fi"]
        for line in page.split(separator: "\n") where line.hasPrefix(".") || line.hasPrefix("'") {
            XCTAssertTrue(requests.contains(String(line.prefix { $0 != " " })), "a text line read as a request: \(line)")
        }
        XCTAssertFalse(page.unicodeScalars.contains { $0.value > 0x7F }, "non-ASCII goes as \\[uXXXX]")

        let file = try scratchDirectory().appendingPathComponent("migcheck.1")
        try Data(page.utf8).write(to: file)
        guard let groff = ExternalTools.run(["groff", "-v"]), groff.status == 0 else {
            throw XCTSkip("groff not installed: the man page is not rendered")
        }
        let warnings = try XCTUnwrap(ExternalTools.run(["groff", "-man", "-ww", "-z", file.path]))
        XCTAssertEqual(warnings.output, "", "groff warns")
        let man = "MANWIDTH=80 man --warnings -E UTF-8 -l \"$1\""
        let rendered = try XCTUnwrap(ExternalTools.run(["sh", "-c", man + " 2>/dev/null", "man", file.path]))
        guard rendered.status == 0, rendered.output.contains("MIGCHECK(1)") else { throw XCTSkip("man cannot render a page here") }
        for option in Table.allOptions { XCTAssertTrue(rendered.output.contains(option.long), option.long) }
        let manWarnings = try XCTUnwrap(ExternalTools.run(["sh", "-c", man + " 2>&1 >/dev/null", "man", file.path]))
        XCTAssertEqual(manWarnings.output, "", "man warns")
    }

    func testRoffEscaping() {
        XCTAssertEqual(ManPage.escape(#"a\b"#), #"a\eb"#)
        XCTAssertEqual(ManPage.escape("--phase"), #"\-\-phase"#)
        XCTAssertEqual(ManPage.escape("DIR/…"), #"DIR/\[u2026]"#)
        XCTAssertEqual(ManPage.escape("a\u{1}\nb"), "ab")
        XCTAssertEqual(ManPage.lineStart(".SH x"), #"\&.SH x"#)
        XCTAssertEqual(ManPage.lineStart("'br"), #"\&'br"#)
        XCTAssertEqual(ManPage.lineStart("text"), "text")
    }
}
