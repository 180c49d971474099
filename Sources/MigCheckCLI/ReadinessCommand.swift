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

/// `migcheck ready` and `migcheck collect` (issue 14).
extension Invocation {
    static func isReadinessCommand(_ arguments: [String]) -> Bool {
        arguments.first.map { ReadinessOptions.Command(rawValue: $0) != nil } ?? false
    }

    mutating func runReadiness(_ arguments: [String]) -> ExitCode {
        do {
            let options = try ReadinessOptions.parse(arguments)
            if options.help {
                standardOutput.write(ReadinessOptions.usage)
                return finish(.clean)
            }
            let plan = try options.document.map(readPicture)
            switch options.command {
            case .collect:
                standardOutput.write(options.iamPolicy ? CollectPlan.iamPolicy.pretty
                                                       : CollectPlan(phase: options.phase ?? .cutover, picture: plan).script(options.evidenceDirectory))
                return finish(.clean)
            case .ready:
                let documents = try readEvidence(options.evidence)
                let now = options.now ?? EvidenceInstant(seconds: Int64(time(nil)))
                let live = LivePicture(documents: documents, plan: plan, now: now)
                let phase = options.phase ?? .cutover
                let result = ReadinessEvaluator.evaluate(live, phase: phase)
                let blocking = result.findings.filter { $0.severity != .note }
                standardOutput.write(options.json ? ReadinessReport.json(live, phase: phase, result: result)
                                                  : ReadinessReport.text(live, phase: phase, result: result))
                return finish(blocking.isEmpty ? .clean : .findings)
            }
        } catch {
            report(error)
            return .badInput
        }
    }

    func readPicture(_ path: String) throws -> MigrationPicture {
        guard let document = try TerraformReader.read(path: path).first else {
            throw InputError(file: path, position: nil, message: "no Terraform document")
        }
        return try PictureBuilder.build(document)
    }

    /// Every regular file of each directory (name order, hidden files and *.md left out), or the file itself.
    func readEvidence(_ paths: [String]) throws -> [EvidenceDocument] {
        var documents: [EvidenceDocument] = []
        for path in paths {
            var status = stat()
            guard stat(path, &status) == 0 else {
                throw InputError(file: path, position: nil, message: "cannot read the evidence: \(errorText(errno))")
            }
            guard (status.st_mode & S_IFMT) == S_IFDIR else {
                documents.append(try EvidenceReader.read(path: path))
                continue
            }
            let names = ReportFiles.entries(of: path).filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted()
            for name in names {
                var entry = stat()
                let file = path.hasSuffix("/") ? path + name : path + "/" + name
                guard stat(file, &entry) == 0, (entry.st_mode & S_IFMT) == S_IFREG else { continue }
                documents.append(try EvidenceReader.read(path: file))
            }
            if names.isEmpty {
                throw InputError(file: path, position: nil, message: "no evidence files in the directory (collect them with migcheck collect)")
            }
        }
        return documents
    }
}
