import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules
import MigCheckReports

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `migcheck ready` and `migcheck collect` (issue 14), parsed from `CommandLineTable` like every command.
extension Invocation {
    /// The operands of `ready` told apart by shape: at most one plan or state, the rest evidence.
    struct ReadinessInputs {
        var document: String?
        var evidence: [String] = []
    }

    static func sortOperands(_ options: Options) throws -> ReadinessInputs {
        var inputs = ReadinessInputs(evidence: options.evidence)
        for file in options.files {
            let isEvidence = file != "-" && (FileFacts.of(file).kind == .directory || EvidenceShape.isEvidence(path: file))
            if isEvidence, options.command == .ready {
                inputs.evidence.append(file)
                continue
            }
            if let first = inputs.document {
                throw UsageError(message: "\(options.command.rawValue): one plan or state at most, found '\(TextEscaping.visible(first))' "
                    + "and '\(TextEscaping.visible(file))'")
            }
            inputs.document = file
        }
        return inputs
    }

    mutating func runReadiness(_ options: Options) -> ExitCode {
        let policyPath = options.policyPath ?? (fileExists(PolicyReader.defaultFileName) ? PolicyReader.defaultFileName : nil)
        var policy = Policy.builtInDefault
        var policyProvenance = PolicyProvenance.builtIn
        let inputs: ReadinessInputs
        let targets: [ReportTarget]
        do {
            inputs = try Self.sortOperands(options)
            // Before anything is read or written: a refused output leaves every file as it was.
            targets = try ReportFiles.check(options.outputs, inputs: inputFiles(options, policyPath: policyPath)
                                                + ReportFiles.evidenceInputs(inputs.evidence), sourceDirectory: nil)
            try ReportFiles.refuseInsideEvidence(targets, inputs.evidence)
            if let policyPath {
                (policy, policyProvenance) = try PolicyReader.readRecording(path: policyPath,
                                                                            origin: options.policyPath == nil ? .workingDirectory : .flag)
            }
        } catch {
            report(error)
            return .badInput
        }
        do {
            let plan = try inputs.document.map { try readPicture($0, options, policy: policy) }
            if options.command == .collect {
                let collect = CollectPlan(phase: options.phase ?? .cutover, picture: plan)
                var notes: [String] = []
                standardOutput.write(options.iamPolicy ? collect.iamPolicy(notes: &notes).pretty
                    : collect.script(options.evidenceDirectory ?? "evidence"))
                // The policy alone has no comment to hold them: an action left on "*" is said on standard error.
                for note in Set(notes).sorted() { writeError("migcheck: note: " + note.dropFirst(2)) }
                return finish(.clean)
            }
            let documents = try readEvidence(inputs.evidence)
            let now = options.now ?? EvidenceInstant(seconds: Int64(time(nil)))
            let live = LivePicture(documents: documents, plan: plan, now: now)
            let picture = try plan ?? Self.evidenceOnlyPicture(inputs.evidence)
            let evaluation = ReadinessEvaluator.evaluation(live, phase: options.phase ?? .cutover, picture: picture, policy: policy)
            var input = ReportInput(evaluations: [evaluation], failOn: options.failOn ?? .warning, unverifiedSeverity: policy.unverifiedSeverity)
            input.sarifCategory = options.sarifCategory
            input.rulesURL = options.rulesURL
            input.policy = policyProvenance
            let status = writeReports(input, options, targets: targets, status: .clean)
            // No evidence at all is never ready, whatever --fail-on says: the findings say what to collect.
            return status == .clean && documents.isEmpty ? .findings : status
        } catch {
            report(error)
            return .badInput
        }
    }

    func readPicture(_ path: String, _ options: Options, policy: Policy) throws -> MigrationPicture {
        guardAgainstTruncation(of: path)
        guard let document = try TerraformReader.read(path: path, expecting: options.input).first else {
            throw InputError(file: path, position: nil, message: "no Terraform document")
        }
        return try PictureBuilder.build(document, source: options.source, target: options.target, policy: policy)
    }

    /// The picture of an empty state named after the evidence, when no plan or state is given:
    /// the reports need a document, and the rules judge the evidence alone.
    static func evidenceOnlyPicture(_ evidence: [String]) throws -> MigrationPicture {
        let label = evidence.count == 1 ? evidence[0] : "evidence"
        guard let document = try TerraformReader.read(text: #"{"format_version":"1.0","values":{"root_module":{}}}"#, file: label).first else {
            throw GeneralDiagnostic(message: "cannot build the evidence-only picture")
        }
        return try PictureBuilder.build(document)
    }

    /// Every regular file of each directory (name order, hidden files and *.md left out), or the file itself.
    func readEvidence(_ paths: [String]) throws -> [EvidenceDocument] {
        var documents: [EvidenceDocument] = []
        for path in paths {
            let facts = FileFacts.of(path)
            guard facts.kind != .missing else {
                throw InputError(file: path, position: nil, message: "cannot read the evidence: \(errorText(ENOENT))")
            }
            guard facts.kind == .directory else {
                guardAgainstTruncation(of: path)
                documents.append(try EvidenceReader.read(path: path))
                continue
            }
            let files = ReportFiles.evidenceFiles(in: path)
            if files.isEmpty {
                throw InputError(file: path, position: nil, message: "no evidence files in the directory (collect them with migcheck collect)")
            }
            for file in files {
                guardAgainstTruncation(of: file)
                documents.append(try EvidenceReader.read(path: file))
            }
            // Not read, so said: a file the gate needs and cannot read is then a finding of its rule.
            for (entry, what) in ReportFiles.skippedEvidenceEntries(in: path) {
                writeError("migcheck: note: \(TextEscaping.visible(entry)) is not read as evidence: \(what)")
            }
        }
        return documents
    }
}

extension ReportFiles {
    /// The evidence files of a directory: its regular files in name order, hidden and *.md ones left out.
    static func evidenceFiles(in directory: String) -> [String] {
        entries(of: directory).filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted().compactMap { name in
            let file = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            return FileFacts.of(file).kind == .regular ? file : nil
        }
    }

    /// The entries of an evidence directory `evidenceFiles` leaves out although they are not hidden
    /// or *.md, each with why: a subdirectory, a link to nothing, a FIFO or device.
    static func skippedEvidenceEntries(in directory: String) -> [(String, String)] {
        entries(of: directory).filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted().compactMap { name in
            let file = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            switch FileFacts.of(file).kind {
            case .regular: return nil
            case .directory: return (file, "a directory (evidence directories are not searched below their top level)")
            case .missing: return (file, FileFacts.isSymbolicLink(file) ? "a symbolic link to nothing" : "it vanished while being listed")
            case .characterDevice, .other: return (file, "not a regular file")
            }
        }
    }

    /// A new report in an evidence directory would be read as evidence by the next run: refused too.
    static func refuseInsideEvidence(_ targets: [ReportTarget], _ evidence: [String]) throws {
        let directories = evidence.filter { FileFacts.of($0).kind == .directory }.map(FilePaths.resolved)
        for target in targets where target.facts.kind != .characterDevice {
            if directories.contains(FilePaths.resolved(FilePaths.split(target.destination.path).directory)) {
                throw RefusedOutput(line: "migcheck: error: \(target.flag) is in an evidence directory, where the next run would "
                    + "read it as evidence; write the report elsewhere")
            }
        }
    }

    /// The evidence as inputs no report may overwrite: each file, each directory and every file in it.
    static func evidenceInputs(_ paths: [String]) -> [InputFile] {
        var inputs: [InputFile] = []
        for path in paths {
            let facts = FileFacts.of(path)
            let files = facts.kind == .directory ? [path] + evidenceFiles(in: path) : [path]
            for file in files {
                inputs.append(InputFile(description: "the evidence \(TextEscaping.visible(file))", identity: FileFacts.of(file).identity,
                                        resolvedPath: FilePaths.resolved(file)))
            }
        }
        return inputs
    }
}
