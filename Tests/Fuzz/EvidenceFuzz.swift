// The readiness half of the fuzz target (`migcheck ready`): AWS CLI evidence through the
// evidence reader, the live picture (alone and joined to the input's plan or state), the
// readiness rules of every phase and every report format.
//
// An input carries evidence after lines `%%evidence%% NAME` (NAME is the file's name, which
// joins by label and appears in every report; empty: `evidence-N.json`); what comes before the
// first such line is the plan or state, which the plan checks take as before:
//
//   PLAN-OR-STATE \n%%evidence%% describe-db-clusters.source.json\n{...} \n%%evidence%% ...
//
// Values under the fields botocore marks sensitive never reach a report: when every `CANARY`
// in an input (any case) stands in such a field, no output may hold one.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum EvidenceFuzz {
    /// A precondition that says which (an optimised build drops a precondition's message).
    static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        guard !condition else { return }
        fputs("EvidenceFuzz: \(message())\n", stderr)
        abort()
    }

    static let marker = Array("\n%%evidence%%".utf8)

    struct File {
        let name: String
        let bytes: [UInt8]
    }

    /// The plan part and the evidence files of an input.
    static func split(_ input: [UInt8]) -> ([UInt8], [File]) {
        let (plan, first) = FuzzChecks.separating(input, at: marker)
        var rest = first
        var files: [File] = []
        while let part = rest {
            let (file, next) = FuzzChecks.separating(part, at: marker)
            let nameEnd = file.firstIndex(of: UInt8(ascii: "\n")) ?? file.count
            var name = String(decoding: file[..<nameEnd], as: UTF8.self)
            if name.hasPrefix(" ") { name.removeFirst() }
            if name.isEmpty { name = "evidence-\(files.count).json" }
            files.append(File(name: name, bytes: Array(file[min(nameEnd + 1, file.count)...])))
            rest = next
            if files.count >= 16 { break }
        }
        return (plan, files)
    }

    /// The instant every run judges at: a fixed one, and one taken from the input anywhere in the
    /// years `--now` accepts (0000 to 9999, a day either side for the offsets).
    static func nows(_ input: [UInt8]) -> [EvidenceInstant] {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in input { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let earliest: Int64 = -62_167_219_200 - 86_400, latest: Int64 = 253_402_300_799 + 86_400
        let span = UInt64(latest - earliest)
        return [EvidenceInstant(seconds: 1_795_176_000), EvidenceInstant(seconds: earliest + Int64(hash % span))]
    }

    static func check(plan planBytes: [UInt8], files: [File], policy: Policy, policyBytes: [UInt8]?, whole: [UInt8]) {
        guard !files.isEmpty else { return }
        require(sensitiveFields.isSubset(of: EvidenceObject.sensitiveKeys), "the evidence reader reads a sensitive field")
        var documents: [EvidenceDocument] = []
        var errorLines: [String] = []
        for file in files {
            do {
                let document = try EvidenceReader.read(storage: ByteStorage(copying: file.bytes), file: file.name)
                require(document.file == file.name, "the document names another file")
                documents.append(document)
            } catch let error as InputError {
                checkLine(error.description, "an evidence error")
                if let position = error.position { require(position.line >= 1 && position.column >= 1, "an evidence error position") }
                errorLines.append(error.description)
            } catch {
                preconditionFailure("EvidenceReader threw \(error), not an InputError")
            }
        }
        // The CLI stops at the first bad file; the rest still exercise the picture and rules here.
        var outputs = errorLines
        let plan = joinablePlan(planBytes, policy: policy)
        let alone: MigrationPicture
        do {
            alone = try Invocation.evidenceOnlyPicture(files.map(\.name))
        } catch {
            preconditionFailure("the evidence-only picture failed: \(error)")
        }
        // Every phase at both instants, alone and joined, in the text format; every format for the
        // evaluation with the most findings (all of them every time made a run about three times slower).
        var richest: Evaluation?
        for now in nows(whole) {
            for joined in plan.map({ [nil, $0] }) ?? [nil] {
                let live = LivePicture(documents: documents, plan: joined, now: now)
                checkJoins(live)
                for phase in Phase.allCases {
                    let evaluation = ReadinessEvaluator.evaluation(live, phase: phase, picture: joined ?? alone, policy: policy,
                                                                   today: CalendarDate(year: 2026, month: 11, day: 20) ?? .today())
                    require(evaluation.readiness != nil, "a readiness evaluation without its record")
                    outputs += reports(evaluation, policy: policy, formats: [.text])
                    if evaluation.findings.count > richest?.findings.count ?? -1 { richest = evaluation }
                }
            }
        }
        if let richest { outputs += reports(richest, policy: policy, formats: ReportFormat.allCases) }
        if canaryOnlySensitive(planBytes, files: files, policyBytes: policyBytes) {
            for output in outputs {
                require(!containsCanary(Array(output.utf8)), "a sensitive evidence value reached an output")
            }
        }
    }

    /// The input's plan or state when it reads and has a picture to join to.
    static func joinablePlan(_ bytes: [UInt8], policy: Policy) -> MigrationPicture? {
        guard !bytes.isEmpty,
              let document = (try? TerraformReader.read(storage: ByteStorage(copying: bytes), file: "fuzz.json", expecting: nil))?.first
        else { return nil }
        return try? PictureBuilder.build(document, source: nil, target: nil, policy: policy)
    }

    /// Every join the live picture made names a cluster or task of the evidence.
    static func checkJoins(_ live: LivePicture) {
        for role in [ClusterRole.source, .target] {
            if let cluster = live.cluster(role) {
                require(live.clusters.contains { $0.identifier == cluster.identifier }, "a joined cluster not in the evidence")
                require(live.joins[role] != nil, "a joined cluster without how")
            }
        }
        if let task = live.task {
            require(live.tasks.contains { $0.arn == task.arn } && live.taskJoin != nil, "a joined task not in the evidence")
        }
    }

    /// Formats of one evaluation, as `migcheck ready` renders them, each checked for raw
    /// control characters; JSON and SARIF must parse.
    static func reports(_ evaluation: Evaluation, policy: Policy, formats: [ReportFormat]) -> [String] {
        var input = ReportInput(evaluations: [evaluation], failOn: .warning, unverifiedSeverity: policy.unverifiedSeverity,
                                timestamp: "2026-11-20T10:00:00", hostname: "fuzz")
        input.policy = .builtIn
        var texts: [String] = []
        for format in formats {
            let text = Reports.render(format, input)
            require(!text.isEmpty || format == .github, "empty \(format) readiness report")
            // JUnit keeps a tab in character data, where XML carries it as it is (JUnitReport.spelling).
            let tab: Unicode.Scalar = format == .junit ? "\t" : "\n"
            require(!text.unicodeScalars.contains { scalar in
                (scalar.value < 0x20 && scalar != "\n" && scalar != tab) || (0x7F...0x9F).contains(scalar.value)
                    || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
            }, "a raw control or bidi character in the \(format) readiness report")
            if format == .json || format == .sarif {
                do {
                    _ = try JSONDocument(bytes: Array(text.utf8))
                } catch {
                    preconditionFailure("the \(format) readiness report is not JSON: \(error)")
                }
            }
            texts.append(text)
        }
        return texts
    }

    static func checkLine(_ line: String, _ what: String) {
        require(!line.contains("\n") && !line.contains("\r"), "\(what) is more than one line")
        require(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value)
            || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }, "raw control in \(what)")
    }

    // MARK: - The canary

    static let canary = Array("canary".utf8)

    /// The output fields botocore marks sensitive in the calls migcheck reads
    /// (`Tests/evidence/validate_shapes.py --sensitive`), listed here apart from the reader's own
    /// list so that a field dropped from that list shows as a leak, not as a field no longer checked.
    static let sensitiveFields: Set<String> = [
        "MasterUserPassword", "Password", "SslClientKeyPassword", "SaslPassword", "AsmPassword", "SecurityDbEncryption", "AuthPassword",
    ]

    static func containsCanary(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= canary.count else { return false }
        for start in 0...(bytes.count - canary.count) {
            var matched = true
            for offset in 0..<canary.count where bytes[start + offset] | 0x20 != canary[offset] {
                matched = false
                break
            }
            if matched { return true }
        }
        return false
    }

    /// True when the input holds a canary and every one stands in a sensitive field's value of
    /// valid JSON evidence: not in the plan, the policy, a file name, a key or another value.
    static func canaryOnlySensitive(_ plan: [UInt8], files: [File], policyBytes: [UInt8]?) -> Bool {
        if containsCanary(plan) || policyBytes.map(containsCanary) == true { return false }
        var planted = false
        for file in files {
            if containsCanary(Array(file.name.utf8)) { return false }
            guard containsCanary(file.bytes) else { continue }
            guard let document = try? JSONDocument(bytes: file.bytes) else { return false }
            let clean = withExtendedLifetime(document) { canaryOutsideSensitive(document.root, planted: &planted) == false }
            if !clean { return false }
        }
        return planted
    }

    /// Whether a canary stands outside a sensitive field's value under `node`; `planted` is set
    /// when one stands inside.
    static func canaryOutsideSensitive(_ node: JSONNode, planted: inout Bool) -> Bool {
        switch node.kind {
        case .object:
            for (key, value) in node.members {
                if containsCanary(Array(key.utf8)) { return true }
                if sensitiveFields.contains(key) {
                    if containsCanary(Array(UnsafeRawBufferPointer(rebasing: node.document.bytes[value.byteRange]))) { planted = true }
                    continue
                }
                if canaryOutsideSensitive(value, planted: &planted) { return true }
            }
            return false
        case .array:
            return node.elements.contains { canaryOutsideSensitive($0, planted: &planted) }
        case .string:
            return node.string.map { containsCanary(Array($0.utf8)) } ?? false
        case .number, .bool, .null:
            return false
        }
    }
}
