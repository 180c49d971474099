// libFuzzer target for migcheck's reader: plans and states here, AWS CLI evidence in
// EvidenceFuzz.swift. Built by Tests/Fuzz/run.sh together with the library sources into one
// module (their `import MigCheck…` lines removed), so internal API is reachable.
//
// Every input goes through the strict scanner and, when it is JSON, through a full walk
// of the node tree that checks navigation invariants; when it is a plan or state, the
// decoded model is exercised the way later stages use it (addresses, values with their
// unknown/sensitive masks, configuration resolution, the summary). A violated invariant
// traps, so libFuzzer records the input as a crash.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let whole = Array(UnsafeBufferPointer(start: data, count: size))
    // An input may end with an `--output` path after a marker line, and carry a policy after
    // another: the plan first, then any evidence files, then the policy, then the path.
    let (input, outputPath) = FuzzChecks.separating(whole, at: FuzzChecks.outputMarker)
    if let outputPath { FuzzChecks.output(outputPath) }
    let (bytes, policyBytes) = FuzzChecks.separating(input, at: FuzzChecks.policyMarker)
    // Evidence files, if any, follow the plan (EvidenceFuzz.swift).
    let (plan, evidence) = EvidenceFuzz.split(bytes)
    FuzzChecks.json(plan)
    FuzzChecks.split(plan)
    let policy = policyBytes.flatMap(FuzzChecks.policy) ?? Policy.builtInDefault
    FuzzChecks.reader(plan, policy: policy)
    EvidenceFuzz.check(plan: plan, files: evidence, policy: policy, policyBytes: policyBytes, whole: whole)
    return 0
}

enum FuzzChecks {
    // MARK: - Policies

    /// The line that separates a plan from a policy in one fuzz input (no JSON document
    /// holds it: a raw newline cannot stand inside a JSON string).
    static let policyMarker = Array("\n%%policy%%\n".utf8)

    static let outputMarker = Array("\n%%output%%\n".utf8)

    static func separating(_ input: [UInt8], at marker: [UInt8]) -> ([UInt8], [UInt8]?) {
        guard input.count >= marker.count else { return (input, nil) }
        for start in 0...(input.count - marker.count) where input[start] == marker[0] {
            if Array(input[start..<(start + marker.count)]) == marker {
                return (Array(input[..<start]), Array(input[(start + marker.count)...]))
            }
        }
        return (input, nil)
    }

    // MARK: - Output paths

    /// A directory made once per process with the files a run reads: a plan, the policy, a
    /// symbolic and a hard link to the plan, and a Terraform source under `infra/`.
    static let sandbox: String? = {
        var template = Array("/tmp/migcheck-fuzz-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { return nil }
        let root = String(cString: made)
        func file(_ name: String, _ text: String) {
            guard let handle = fopen(root + "/" + name, "w") else { return }
            fputs(text, handle)
            fclose(handle)
        }
        mkdir(root + "/infra", 0o755)
        mkdir(root + "/sub", 0o755)
        file("plan.json", "{}")
        file("migcheck.json", "{}")
        file("infra/main.tf", "resource \"aws_rds_cluster\" \"main\" {}\n")
        symlink("plan.json", root + "/link.json")
        link(root + "/plan.json", root + "/hard.json")
        return root
    }()

    static func identity(_ path: String) -> FileIdentity? {
        var status = stat()
        return stat(path, &status) == 0 ? FileIdentity(status) : nil
    }

    /// Whatever the path, an output that is one of the inputs by identity is refused before
    /// anything is written, and a refusal is one line with nothing raw in it.
    static func output(_ pathBytes: [UInt8]) {
        guard let root = sandbox, !pathBytes.contains(0), !pathBytes.isEmpty else { return }
        let given = String(decoding: pathBytes, as: UTF8.self)
        let path = given.hasPrefix("/") ? given : root + "/" + given
        let readPaths = [root + "/plan.json", root + "/migcheck.json"]
        let inputs = readPaths.map { InputFile(description: "the input \($0)", identity: identity($0), resolvedPath: FilePaths.resolved($0)) }
        let protected = Set((readPaths + [root + "/infra/main.tf"]).compactMap(identity))
        do {
            let targets = try ReportFiles.check([ReportDestination(format: .json, path: path)], inputs: inputs, sourceDirectory: root + "/infra")
            if let existing = identity(path) {
                precondition(!protected.contains(existing), "an output that is an input was accepted: \(given)")
            }
            precondition(targets.count == 1, "one output, one target")
        } catch let refusal as RefusedOutput {
            precondition(!refusal.line.contains("\n") && !refusal.line.contains("\r"), "a refusal is more than one line")
            precondition(!refusal.line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value)
                || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }, "raw control in a refusal")
        } catch {
            preconditionFailure("ReportFiles.check threw \(error)")
        }
    }

    /// A policy is read strictly: either a policy, or one error line with a position.
    static func policy(_ bytes: [UInt8]) -> Policy? {
        do {
            return try PolicyReader.read(storage: ByteStorage(copying: bytes), file: "fuzz-policy.json")
        } catch let error as InputError {
            let line = error.description
            precondition(!line.contains("\n") && !line.contains("\r"), "a policy error line is more than one line")
            precondition(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
                         "control character in a policy error line")
            precondition(error.position.map { $0.line >= 1 && $0.column >= 1 } ?? false, "a policy error without a position")
            return nil
        } catch {
            preconditionFailure("PolicyReader threw \(error), not an InputError")
        }
    }

    // MARK: - Two-thread scan

    /// Differential check: a scan split at offsets chosen from the input itself (the byte
    /// after each of the first commas, and one arbitrary offset) must give exactly the
    /// sequential scan's index or error, whatever the input.
    static func split(_ bytes: [UInt8]) {
        guard bytes.count > 1 else { return }
        let sequential = bytes.withUnsafeBytes { outcome($0, splitAt: nil) }
        var offsets = [Int(bytes[0]) * bytes.count / 256]
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: ",") {
            offsets.append(index + 1)
            if offsets.count > 8 { break }
        }
        for offset in offsets {
            let split = bytes.withUnsafeBytes { outcome($0, splitAt: offset) }
            precondition(split == sequential, "split at \(offset) differs from the sequential scan")
        }
    }

    enum ScanOutcome: Equatable {
        case index(StructuralIndex)
        case error(JSONSyntaxError)
    }

    static func outcome(_ bytes: UnsafeRawBufferPointer, splitAt split: Int?) -> ScanOutcome {
        do {
            return .index(try JSONScanner.scan(bytes, from: 0, splitAt: split))
        } catch let error as JSONSyntaxError {
            return .error(error)
        } catch {
            preconditionFailure("JSONScanner threw \(error)")
        }
    }

    /// Nodes checked per input, so a large input cannot make one run quadratic.
    static let nodeBudget = 400

    // MARK: - Plain JSON

    static func json(_ bytes: [UInt8]) {
        let document: JSONDocument
        do {
            document = try JSONDocument(bytes: bytes)
        } catch let error as JSONSyntaxError {
            precondition(error.offset >= 0 && error.offset <= bytes.count, "syntax error offset out of range")
            _ = error.message
            let position = bytes.withUnsafeBytes { SourcePosition.of(error.offset, in: $0) }
            precondition(position.line >= 1 && position.column >= 1)
            return
        } catch {
            preconditionFailure("JSONDocument threw \(error)")
        }
        withExtendedLifetime(document) {
            var budget = nodeBudget
            walk(document.root, depth: 0, budget: &budget)
        }
    }

    /// Checks that navigation agrees with itself: members and subscripts, element ranges
    /// nested in their container, and that every value's bytes are valid JSON on their own.
    static func walk(_ node: JSONNode, depth: Int, budget: inout Int) {
        guard budget > 0 else { return }
        budget -= 1
        let range = node.byteRange
        let bytes = node.document.bytes
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count && !range.isEmpty, "value range out of bounds")
        _ = node.position
        let text = Array(UnsafeRawBufferPointer(rebasing: bytes[range]))
        switch node.kind {
        case .object:
            precondition(text.first == UInt8(ascii: "{") && text.last == UInt8(ascii: "}"), "object range")
            let members = node.members
            precondition(members.count == node.count, "member count")
            var previousEnd = range.lowerBound
            for (key, value) in members {
                // Duplicate keys are rejected, so a key finds exactly its own value.
                precondition(node[key]?.offset == value.offset, "subscript finds another value")
                precondition(value.offset > previousEnd && value.byteRange.upperBound < range.upperBound, "member outside its object")
                previousEnd = value.byteRange.upperBound
                walk(value, depth: depth + 1, budget: &budget)
            }
        case .array:
            precondition(text.first == UInt8(ascii: "[") && text.last == UInt8(ascii: "]"), "array range")
            let elements = node.elements
            precondition(elements.count == node.count, "element count")
            var previousEnd = range.lowerBound
            for element in elements {
                precondition(element.offset > previousEnd && element.byteRange.upperBound < range.upperBound, "element outside its array")
                previousEnd = element.byteRange.upperBound
                walk(element, depth: depth + 1, budget: &budget)
            }
        case .string:
            precondition(node.string != nil && text.first == UInt8(ascii: "\"") && text.last == UInt8(ascii: "\""), "string")
        case .number:
            precondition(node.numberText.map { Array($0.utf8) } == text, "number text")
            if let value = node.double { precondition(value.isFinite, "a number out of range was accepted") }
            _ = node.int
        case .bool:
            precondition(node.bool != nil, "bool")
        case .null:
            precondition(node.isNull && text == Array("null".utf8), "null")
        }
        // A value cut out of a valid document is a valid document (only near the top, to stay fast).
        if depth < 3, budget > 0 {
            do {
                let alone = try JSONDocument(bytes: text)
                withExtendedLifetime(alone) {
                    precondition(alone.root.kind == node.kind && alone.root.count == node.count, "re-read value differs")
                }
            } catch {
                preconditionFailure("the bytes of a valid value do not re-read: \(error)")
            }
        }
    }

    // MARK: - The Terraform reader

    static func reader(_ bytes: [UInt8], policy: Policy) {
        let documents: [TerraformDocument]
        do {
            documents = try TerraformReader.read(storage: ByteStorage(copying: bytes), file: "fuzz.json", expecting: nil)
        } catch let error as InputError {
            let line = error.description
            precondition(!line.contains("\n") && !line.contains("\r"), "an error line is more than one line")
            precondition(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "control character in an error line")
            if let position = error.position { precondition(position.line >= 1 && position.column >= 1, "position") }
            return
        } catch {
            preconditionFailure("TerraformReader threw \(error), not an InputError")
        }
        precondition(!documents.isEmpty, "no document and no error")
        withExtendedLifetime(documents) {
            for document in documents {
                exercise(document)
                checkMigration(document, policy: policy)
            }
        }
    }

    /// The rest of the pipeline on whatever the reader accepted: picture, every phase's rules,
    /// every report format. Only the two picture errors (ambiguous or unknown roles) may stop it.
    static func checkMigration(_ document: TerraformDocument, policy: Policy) {
        let picture: MigrationPicture
        do {
            picture = try PictureBuilder.build(document, source: nil, target: nil, policy: policy)
        } catch let error as any RoleAssignmentError {
            let line = error.description
            precondition(!line.contains("\n") && !line.contains("\r"), "a role error is more than one line")
            return
        } catch {
            preconditionFailure("PictureBuilder threw \(error)")
        }
        _ = TopologyReport.render(picture, style: TextStyle(colour: false))
        var evaluations: [Evaluation] = [Evaluator.evaluate(picture, phase: nil, policy: policy)]
        for phase in Phase.allCases { evaluations.append(Evaluator.evaluate(picture, phase: phase, policy: policy)) }
        let input = ReportInput(evaluations: evaluations, timestamp: "2026-11-20T10:00:00", hostname: "fuzz")
        for format in ReportFormat.allCases {
            let text = Reports.render(format, input)
            precondition(!text.isEmpty || format == .github, "empty \(format) report")
        }
    }

    static func exercise(_ document: TerraformDocument) {
        _ = document.instanceAddresses
        _ = document.actionCounts
        let summary = ReadSummary.render(document, style: TextStyle(colour: false), listAll: true)
        precondition(!summary.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "control character in the summary")

        for change in document.resourceChanges + document.resourceDrift {
            checkAddress(change.address)
            _ = change.change.action.description
            _ = change.change.replacePaths.map { $0.map(\.description) }
            let after = change.change.afterValue
            let before = change.change.beforeValue
            _ = after.description
            _ = before.description
            _ = after.containsUnknown
            if change.change.afterSensitive?.bool == true { precondition(after.isSensitive, "sensitive value not masked") }
            if change.change.afterUnknown?.bool == true, change.change.afterSensitive?.bool != true {
                precondition(after == .unknown, "unknown value not unknown")
            }
        }
        for output in document.outputChanges {
            _ = output.change.afterValue.description
        }
        for instance in document.plannedResources + document.priorResources {
            checkAddress(instance.address)
            let value = instance.value
            _ = value.description
            for path in instance.sensitivePaths { _ = path.map(\.description) }
        }

        let configuration = document.configuration
        var resolutions = 0
        for resource in configuration.allResources {
            _ = resource.qualifiedAddress
            _ = configuration.resource(qualifiedAddress: resource.qualifiedAddress)
            for attribute in resource.expressions.keys.sorted() where resolutions < 64 {
                resolutions += 1
                _ = configuration.resolvedResources(ofAttribute: attribute, of: resource)
            }
            for expression in [resource.countExpression, resource.forEachExpression].compactMap({ $0 }) where resolutions < 64 {
                resolutions += 1
                _ = configuration.resolvedResources(of: expression, in: resource.modulePath)
            }
        }
        for (name, output) in configuration.rootModule.outputs where resolutions < 96 {
            resolutions += 1
            _ = name
            _ = configuration.resolvedResources(of: output, in: [])
        }
        for (name, call) in configuration.rootModule.moduleCalls where resolutions < 128 {
            _ = configuration.module(at: [name])
            for (_, expression) in call.expressions where resolutions < 128 {
                resolutions += 1
                _ = configuration.resolvedResources(of: expression, in: [name])
            }
        }
    }

    /// An address printed the way Terraform prints it parses back to the same instance key,
    /// and a module path printed back parses to the same steps.
    static func checkAddress(_ address: ResourceAddress) {
        let text = address.description
        _ = address.configurationAddress
        if let key = address.key {
            let printed = "t.n" + key.description
            precondition(ResourceAddress.parse(printed)?.key == key, "instance key does not round-trip: \(printed)")
        }
        let modules = address.moduleAddress
        if !modules.isEmpty, address.modulePath.allSatisfy({ isIdentifier($0.name) }) {
            precondition(ResourceAddress.parseModulePath(modules) == address.modulePath, "module path does not round-trip: \(modules)")
        }
        // A resource type spelled `module` or `data` reads as a module step or a data source.
        if isIdentifier(address.type), address.type != "module", address.type != "data", isIdentifier(address.name),
           address.modulePath.allSatisfy({ isIdentifier($0.name) }) {
            precondition(ResourceAddress.parse(text) == address, "address does not round-trip: \(text)")
        }
    }

    /// Names the address parser takes as identifiers (Terraform's are ASCII in practice).
    static func isIdentifier(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}
