import MigCheckFoundation

/// Reads what Terraform wrote: detects plan, state or raw tfstate, checks the format
/// version and the types of every field migcheck models, and recognises the common
/// mistakes (UTF-16, the setup-terraform wrapper, terragrunt streams, redacted plans…).
public enum TerraformReader {
    /// Reads a file ("-" for standard input). A terragrunt-style stream of several JSON
    /// documents yields one document each.
    public static func read(path: String, expecting expected: DocumentKind? = nil) throws -> [TerraformDocument] {
        let storage: ByteStorage
        do {
            storage = try ByteStorage.read(path: path)
        } catch let error as ByteStorage.ReadError {
            // Nothing could be read: the position is where reading would have begun.
            throw InputError(file: path, position: SourcePosition(line: 1, column: 1), message: error.message)
        }
        return try read(storage: storage, file: path, expecting: expected)
    }

    public static func read(text: String, file: String = "<text>", expecting expected: DocumentKind? = nil) throws -> [TerraformDocument] {
        try read(storage: ByteStorage(copying: Array(text.utf8)), file: file, expecting: expected)
    }

    public static func read(storage original: ByteStorage, file: String, expecting expected: DocumentKind?) throws -> [TerraformDocument] {
        var notes: [String] = []
        var storage = original
        switch TextEncoding.detect(original.bytes) {
        case .utf8:
            break
        case .utf16(let littleEndian, let hasBOM):
            let name = "UTF-16" + (littleEndian ? "LE" : "BE") + (hasBOM ? " with a byte-order mark" : "")
            switch TextEncoding.transcodeUTF16(original.bytes, littleEndian: littleEndian, skipBOM: hasBOM) {
            case .success(let utf8):
                storage = ByteStorage(copying: utf8)
                notes.append("\(file) is \(name) (PowerShell's `>` writes that); read it as UTF-8. "
                    + "To save UTF-8 directly: terraform show -json tfplan | Out-File -Encoding utf8NoBOM plan.json")
            case .failure(let malformed):
                throw InputError(file: file, position: TextEncoding.position(ofUTF16Offset: malformed.offset, in: original.bytes,
                                                                              littleEndian: littleEndian, skipBOM: hasBOM),
                                 message: "malformed \(name) text (expected UTF-8 JSON; save the plan with `Out-File -Encoding utf8NoBOM`)")
            }
        }
        let bytes = storage.bytes
        if let wrapper = wrapperLine(bytes) {
            throw InputError(file: file, position: SourcePosition(line: 1, column: 1), message:
                "found `\(wrapper)` before the JSON: this is the output of hashicorp/setup-terraform's wrapper, not the plan. "
                + "Set `terraform_wrapper: false` on the setup-terraform step (or write the file with `terraform show -json tfplan > plan.json` in a step without the wrapper)")
        }

        var documents: [TerraformDocument] = []
        var start = 0
        var number = 1
        while true {
            let json: JSONDocument
            do {
                json = try JSONDocument(storage: storage, range: start..<bytes.count)
            } catch let error as JSONSyntaxError {
                if case .trailingData(looksLikeAnotherDocument: true) = error.reason {
                    // A stream of documents (terragrunt run-all show -json): read each on its own.
                    let end = start + error.offset
                    let first = try syntaxChecked(storage: storage, range: start..<end, file: file)
                    documents.append(try classify(first, file: file, expected: expected, notes: notes, number: number))
                    start = end
                    number += 1
                    continue
                }
                throw InputError(file: file, position: SourcePosition.of(start + error.offset, in: bytes), message: error.message)
            }
            let isStream = !documents.isEmpty
            documents.append(try classify(json, file: file, expected: expected, notes: notes, number: isStream ? number : nil))
            break
        }
        if documents.count > 1 {
            let count = documents.count
            documents = documents.map { $0.withNote("\(file) holds \(count) JSON documents, one per line (terragrunt run-all show -json?); each is checked as its own plan") }
        }
        return documents
    }

    private static func syntaxChecked(storage: ByteStorage, range: Range<Int>, file: String) throws -> JSONDocument {
        do {
            return try JSONDocument(storage: storage, range: range)
        } catch let error as JSONSyntaxError {
            throw InputError(file: file, position: SourcePosition.of(range.lowerBound + error.offset, in: storage.bytes), message: error.message)
        }
    }

    /// The first line of setup-terraform's wrapper output, e.g. `[command]/tmp/…/terraform-bin show -json tfplan`.
    private static func wrapperLine(_ bytes: UnsafeRawBufferPointer) -> String? {
        let marker = Array("[command]".utf8)
        var start = ByteStorage.utf8BOMLength(bytes)
        while start < bytes.count, JSONNode.isWhitespace(bytes[start]) { start += 1 }
        guard bytes.count - start >= marker.count else { return nil }
        for (index, byte) in marker.enumerated() where bytes[start + index] != byte { return nil }
        var end = start
        while end < bytes.count, end - start < 120, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    // MARK: - Classification

    private static func classify(_ json: JSONDocument, file: String, expected: DocumentKind?, notes: [String], number: Int?) throws -> TerraformDocument {
        let root = json.root
        let fail = { (node: JSONNode?, message: String) -> InputError in
            InputError(file: file, position: node.map { json.position(of: $0.offset) }, message: message)
        }
        guard root.kind == .object else {
            throw fail(root, "expected a JSON object at the top (a Terraform plan or state), found \(root.kind.name)")
        }
        var topLevel: [String: JSONNode] = [:]
        root.forEachMember { key, value in
            topLevel[key.string] = value
            return true
        }
        let has = { (key: String) in topLevel[key] != nil }

        if has("encrypted_data") {
            throw fail(root, "this is an OpenTofu state encrypted with state encryption (`encrypted_data`); "
                + "pass the decrypted JSON instead: `tofu show -json > state.json` (or `tofu show -json tfplan > plan.json`) with the encryption key configured")
        }
        if has("plan_format_version") {
            throw fail(topLevel["plan_format_version"], "this is an HCP Terraform redacted plan (`plan_format_version`, from the json-output-redacted API), "
                + "which leaves out values migcheck checks; pass `terraform show -json tfplan` output instead "
                + "(with HCP Terraform: `terraform plan -out tfplan` in a CLI-driven run, or download the unredacted json-output)")
        }
        if let versionNode = topLevel["version"], topLevel["format_version"] == nil {
            guard let version = versionNode.int, versionNode.kind == .number else {
                let found = versionNode.kind == .number ? versionNode.numberText ?? "a number" : versionNode.kind.name
                throw fail(versionNode, "version: expected an integer (the terraform.tfstate format version), found \(found)")
            }
            if version < 4 {
                throw fail(versionNode, "this is a legacy version-\(version) state (Terraform 0.11 or older), which migcheck does not read; "
                    + "upgrade it with Terraform 0.12 or later (terraform init && terraform apply -refresh-only), or pass `terraform show -json` output")
            }
            if version > 4 {
                throw fail(versionNode, "state version \(version) is newer than the version 4 migcheck reads; pass `terraform show -json` output instead")
            }
            try requireKind(.tfstate, expected: expected, file: file, node: root, json: json)
            json.preparePositionsInBackground()
            return try StateDecoder.rawState(json: json, root: root, topLevel: topLevel, file: file, notes: notes, number: number)
        }

        let planMarkers = ["planned_values", "resource_changes", "prior_state", "configuration", "output_changes",
                           "resource_drift", "applyable", "errored", "variables", "relevant_attributes"]
        let looksLikePlan = planMarkers.contains(where: has)
        guard let formatNode = topLevel["format_version"] else {
            if looksLikePlan {
                throw fail(root, "missing format_version: expected the unmodified output of `terraform show -json tfplan` "
                    + "(this file has plan fields but no format_version, as a hand-written or trimmed plan would)")
            }
            if let evidence = EvidenceShape.notTerraform(root) { throw fail(root, evidence) }
            throw fail(root, "not a Terraform plan or state: expected an object with format_version (terraform show -json) "
                + "or version (terraform.tfstate)")
        }
        guard let formatText = formatNode.string else {
            throw fail(formatNode, "format_version: expected a string such as \"1.2\", found \(formatNode.kind.name)")
        }
        guard let format = FormatVersion(formatText) else {
            throw fail(formatNode, "format_version: expected MAJOR.MINOR such as \"1.2\", found \(JSONQuoting.quoted(formatText))")
        }
        // Terraform wrote 0.1 and 0.2 before 1.0; a later 0.x never existed.
        if format.major == 0, format.minor > 2 {
            throw fail(formatNode, "format_version \(formatText) is not a format Terraform writes (0.1, 0.2, then 1.0 and later 1.x); "
                + "pass the unmodified output of `terraform show -json`")
        }
        guard format.major <= 1 else {
            throw fail(formatNode, "format_version \(formatText) is not supported: migcheck reads formats 0.1 to 1.x; "
                + "check for a newer migcheck")
        }
        var documentNotes = notes
        if format > FormatVersion.newestKnown {
            documentNotes.append("\(file): format_version \(formatText) is newer than the newest known (\(FormatVersion.newestKnown)); "
                + "reading it as 1.x (fields migcheck does not know are ignored)")
        }
        let kind: DocumentKind = looksLikePlan ? .plan : .state
        if kind == .state, !has("values") {
            // An empty state is just its versions; anything else without `values` is some other document.
            let unexpected = topLevel.keys.filter { !["format_version", "terraform_version", "checks"].contains($0) }.sorted()
            if !unexpected.isEmpty {
                throw fail(root, "not a Terraform plan or state: it has format_version but neither plan fields nor `values` "
                    + "(found \(unexpected.prefix(5).joined(separator: ", "))); pass `terraform show -json tfplan` or `terraform show -json` output")
            }
        }
        try requireKind(kind, expected: expected, file: file, node: root, json: json)
        if kind == .plan {
            if let errored = topLevel["errored"] {
                guard errored.kind == .bool else {
                    throw fail(errored, "errored: expected a boolean, found \(errored.kind.name)")
                }
                if errored.bool == true {
                    throw fail(errored, "the plan failed (errored: true): terraform plan stopped with errors, so this plan is incomplete; "
                        + "fix the errors terraform printed and plan again")
                }
            }
            return try PlanDecoder.plan(json: json, topLevel: topLevel, format: format, file: file, notes: documentNotes, number: number)
        }
        json.preparePositionsInBackground()
        return try StateDecoder.showState(json: json, topLevel: topLevel, format: format, file: file, notes: documentNotes, number: number)
    }

    private static func requireKind(_ actual: DocumentKind, expected: DocumentKind?, file: String, node: JSONNode, json: JSONDocument) throws {
        guard let expected, expected != actual else { return }
        let advice: String
        switch expected {
        case .plan: advice = "write the plan with `terraform plan -out tfplan && terraform show -json tfplan > plan.json`"
        case .state: advice = "write the state with `terraform show -json > state.json`"
        case .tfstate: advice = "pass the terraform.tfstate file itself (`terraform state pull > terraform.tfstate`)"
        }
        throw InputError(file: file, position: json.position(of: node.offset), message:
            "expected a \(expected.displayName) (--input \(expected.rawValue)), but this is a \(actual.displayName); "
            + "\(advice), or drop --input to check it as what it is")
    }
}

extension TerraformDocument {
    func withNote(_ note: String) -> TerraformDocument {
        TerraformDocument(file: file, kind: kind, json: json, formatVersion: formatVersion, terraformVersion: terraformVersion,
                          producer: producer, resourceChanges: resourceChanges, resourceDrift: resourceDrift,
                          outputChanges: outputChanges, planned: planned, prior: prior,
                          configurationNode: configurationNode, configuration: configuration, notes: notes.contains(note) ? notes : notes + [note],
                          documentNumber: documentNumber)
    }
}
