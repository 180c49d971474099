import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules
import MigCheckReports

/// `check`, `topology` and `summary`: read each file, build its picture, evaluate, report.
extension Invocation {
    mutating func runDocuments(_ options: Options) -> ExitCode {
        let policyPath = options.policyPath ?? (fileExists(PolicyReader.defaultFileName) ? PolicyReader.defaultFileName : nil)
        let targets: [ReportTarget]
        var policy = Policy.builtInDefault
        var policyProvenance = PolicyProvenance.builtIn
        do {
            // Before anything is read or written: a refused output leaves every file as it was.
            targets = try ReportFiles.check(options.command == .check ? options.outputs : [],
                                            inputs: inputFiles(options, policyPath: policyPath),
                                            sourceDirectory: options.command == .check ? options.sourceDirectory : nil)
        } catch {
            report(error)
            return .badInput
        }
        if let policyPath {
            do {
                (policy, policyProvenance) = try PolicyReader.readRecording(path: policyPath,
                                                                            origin: options.policyPath == nil ? .workingDirectory : .flag)
            } catch {
                report(error, about: policyPath)
                return .badInput
            }
        }

        var run = DocumentsRun()
        for file in options.files {
            do {
                try read(file, options, policy: policy, into: &run)
            } catch {
                report(error, about: file)
                run.status = .badInput
            }
        }
        if !run.reports.isEmpty { standardOutput.write(run.reports.joined(separator: "\n\n") + "\n") }
        guard options.command == .check, !run.evaluations.isEmpty else { return finish(run.status) }
        var input = ReportInput(evaluations: run.evaluations, failOn: options.failOn ?? .error, unverifiedSeverity: policy.unverifiedSeverity,
                                durations: run.durations)
        input.sarifCategory = options.sarifCategory
        input.rulesURL = options.rulesURL
        input.policy = policyProvenance
        return writeReports(input, options, targets: targets, status: run.status)
    }

    /// One FILE: its documents summarised, pictured or evaluated into `run`.
    func read(_ file: String, _ options: Options, policy: Policy, into run: inout DocumentsRun) throws {
        let started = monotonicSeconds()
        guardAgainstTruncation(of: file)
        let documents = try TerraformReader.read(path: file, expecting: options.input)
        var noted = Set<String>()
        for document in documents {
            for note in document.notes where noted.insert(note).inserted {
                writeError("migcheck: note: \(note)")
            }
            if options.command == .summary {
                run.reports.append(ReadSummary.render(document, style: style, listAll: options.listAll))
                continue
            }
            let picture = try PictureBuilder.build(document, source: options.source, target: options.target, policy: policy,
                                                   phase: options.phase)
            if options.command == .topology {
                run.reports.append(TopologyReport.render(picture, style: style))
                continue
            }
            var evaluation = Evaluator.evaluate(picture, phase: options.phase, policy: policy)
            if let directory = options.sourceDirectory {
                // The .tf locator is the reader's; the rules only move findings to what it finds.
                let locator = TerraformSourceLocator(root: directory, configuration: picture.document.configuration)
                evaluation = evaluation.locatingSources(with: locator, named: directory)
                for note in evaluation.notes where noted.insert(note).inserted {
                    writeError("migcheck: note: \(TextEscaping.visible(note))")
                }
            }
            run.evaluations.append(evaluation)
            run.durations.append(monotonicSeconds() - started)
        }
    }

    /// The report on standard output and each `--output` file; a failed write is exit 2.
    mutating func writeReports(_ input: ReportInput, _ options: Options, targets: [ReportTarget], status: ExitCode) -> ExitCode {
        var status = status
        standardOutput.write(Reports.render(options.format, input, style: options.format == .text ? style : TextStyle(colour: false)))
        var temporaryFileNumber = 0
        for target in targets {
            let text = Reports.render(target.destination.format, input)
            if let problem = ReportFiles.write(text, to: target, sequence: &temporaryFileNumber) {
                let path = target.destination.path
                report(GeneralDiagnostic(subject: TextEscaping.visible(path),
                                         message: "cannot write the \(target.destination.format.rawValue) report: \(problem)", file: path))
                status = .badInput
            }
        }
        if status == .clean, input.fails { status = .findings }
        keptUntilExit = input.evaluations
        return finish(status)
    }
}

/// What the files of one run produced so far.
struct DocumentsRun {
    var reports: [String] = []
    var evaluations: [Evaluation] = []
    var durations: [Double] = []
    var status = ExitCode.clean
}
