// The command-line shell: arguments, files, streams and exit codes. All logic lives in MigCheckCore.
import MigCheckCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum ExitCode {
    static let clean: Int32 = 0
    static let findings: Int32 = 1
    static let badInput: Int32 = 2
}

let usage = """
USAGE: migcheck [OPTIONS] FILE...

Checks a Terraform plan or state of an Aurora PostgreSQL to Aurora migration with AWS DMS
before `terraform apply` runs it.

ARGUMENTS:
  FILE                    The JSON of `terraform show -json tfplan` (a plan), of `terraform show -json`
                          (a state), or a raw terraform.tfstate. `-` reads standard input.

OPTIONS:
  --input <kind>          Read FILE as `plan`, `state` or `tfstate` instead of detecting it.
  --all                   List every resource instance, not just the first \(ReadSummary.listLimit) per action.
  --version               Show the version.
  -h, --help              Show this help.

EXAMPLES:
  terraform plan -out tfplan && terraform show -json tfplan > plan.json
  migcheck plan.json
  terraform show -json | migcheck --input state -
  migcheck terraform.tfstate

EXIT STATUS:
  0  read and clean
  1  findings (once rules are enabled)
  2  bad input or usage: one line on standard error names the file, line:column and what was expected

ENVIRONMENT:
  NO_COLOR                Set to any value to turn colour off (colour is used only on a terminal).
"""

struct Options {
    var files: [String] = []
    var input: DocumentKind?
    var listAll = false
}

struct UsageError: Error {
    let message: String
}

func parseArguments(_ arguments: [String]) throws -> Options? {
    var options = Options()
    var index = 0
    var onlyFiles = false
    func value(for flag: String) throws -> String {
        index += 1
        guard index < arguments.count else { throw UsageError(message: "\(flag) needs a value") }
        return arguments[index]
    }
    while index < arguments.count {
        let argument = arguments[index]
        if onlyFiles || argument == "-" || !argument.hasPrefix("-") {
            options.files.append(argument)
        } else if argument == "--" {
            onlyFiles = true
        } else if argument == "-h" || argument == "--help" {
            print(usage)
            return nil
        } else if argument == "--version" {
            print("migcheck \(MigCheckVersion.current)")
            return nil
        } else if argument == "--all" {
            options.listAll = true
        } else if argument == "--input" || argument.hasPrefix("--input=") {
            let text = argument.hasPrefix("--input=") ? String(argument.dropFirst("--input=".count)) : try value(for: argument)
            guard let kind = DocumentKind(rawValue: text) else {
                throw UsageError(message: "--input: expected plan, state or tfstate, found '\(text)'")
            }
            options.input = kind
        } else {
            throw UsageError(message: "unknown option '\(argument)' (see migcheck --help)")
        }
        index += 1
    }
    guard !options.files.isEmpty else { throw UsageError(message: "missing FILE (see migcheck --help)") }
    return options
}

func writeError(_ line: String) {
    fputs(line + "\n", stderr)
}

func useColour() -> Bool {
    if let noColour = getenv("NO_COLOR"), noColour.pointee != 0 { return false }
    return isatty(STDOUT_FILENO) == 1
}

func run() -> Int32 {
    let options: Options
    do {
        guard let parsed = try parseArguments(Array(CommandLine.arguments.dropFirst())) else { return ExitCode.clean }
        options = parsed
    } catch let error as UsageError {
        writeError("migcheck: error: \(error.message)")
        return ExitCode.badInput
    } catch {
        writeError("migcheck: error: \(error)")
        return ExitCode.badInput
    }

    let style = TextStyle(colour: useColour())
    var reports: [String] = []
    var failed = false
    for file in options.files {
        do {
            let documents = try TerraformReader.read(path: file, expecting: options.input)
            var noted = Set<String>()
            for document in documents {
                for note in document.notes where noted.insert(note).inserted {
                    writeError("migcheck: note: \(note)")
                }
                reports.append(ReadSummary.render(document, style: style, listAll: options.listAll))
            }
        } catch let error as InputError {
            writeError(error.description)
            failed = true
        } catch {
            writeError("\(file): error: \(error)")
            failed = true
        }
    }
    if !reports.isEmpty { print(reports.joined(separator: "\n\n")) }
    return failed ? ExitCode.badInput : ExitCode.clean
}

exit(run())
