import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// `--format sarif`: SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer).
///
/// Valid against the OASIS schema (`sarif-schema-2.1.0.json`, errata 01) and within GitHub's
/// rules for uploads:
/// - one run per evaluated document, each with its own `automationDetails.id`
///   (`migcheck/<phase>/<file>/`, `…/<file>#2/` for the second document of a stream), so
///   several plans checked in one workflow never share a category;
/// - `tool.driver`: name, version, semanticVersion, informationUri and one `rules` entry per
///   rule the run knows (ran or skipped), each with name, short and full description
///   (≤ 1024 characters), help text and URI, `defaultConfiguration.level` and `properties.tags`;
/// - results with `ruleId`, `ruleIndex`, `kind` (`fail`, or `open` for an unverified check),
///   `level` by severity (error/warning/note; for `open` too, so GitHub shows them — SARIF
///   §3.27.10 would have `none` there), a message naming the resource, a physical location
///   (the finding's, or line 1 column 1 of the document for a plan-wide finding; a point is
///   widened to one character) and a logical location with the resource address;
/// - `partialFingerprints`: `primaryLocationLineHash` (what GitHub reads; a hash of rule,
///   address — and a readiness finding's live subject — and message, not of the line, so it
///   survives reformatting of the plan) and
///   `migcheck/v1` (rule and address only: it survives line moves and rewording);
/// - at most 25,000 results per run: beyond that the most severe are kept and
///   `invocations[0].toolExecutionNotifications` says how many were dropped;
/// - the results of one cause (`FindingGroups`) list each other's locations in `relatedLocations`,
///   each with a message naming its rule (at most `relatedLocationLimit`, the cause first); a
///   non-cause result has `properties.migcheckCause`;
/// - suppressed findings carry `suppressions: [{kind: external, status: accepted, justification}]`
///   (`kind: inSource` for an inline suppression in a `.tf` file);
/// - for `migcheck ready`, `artifacts`: the evidence files judged, each an `analysisTarget`;
/// - the run's record of how it was judged: `invocations[0].properties.policy` and `properties.policy`
///   ({origin, path, sha256}), `properties.phaseOrigin`, `sourceOrigin` and `targetOrigin` (as in the JSON report).
public enum SARIFReport: Reporter {
    public static let identifier = "sarif"
    public static let fileExtension = "sarif"
    public static let description = "SARIF 2.1.0 for GitHub code scanning and any SARIF viewer."

    public static func render(_ input: ReportInput, style: TextStyle) -> String {
        render(input)
    }

    public static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    /// GitHub code scanning: results per run it accepts.
    public static let githubResultLimit = 25_000
    /// GitHub code scanning: characters of a rule's short or full description.
    public static let githubDescriptionLimit = 1024
    /// Other results of the same cause a result lists in `relatedLocations`.
    public static let relatedLocationLimit = 20

    public static func render(_ input: ReportInput) -> String {
        log(input, resultLimit: githubResultLimit).pretty
    }

    package static func log(_ input: ReportInput, resultLimit: Int) -> JSONLiteral {
        var categories = Set<String>()
        let runs = input.evaluations.map { evaluation -> JSONLiteral in
            var category = input.sarifCategory.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? automationID(evaluation)
            if !categories.insert(category).inserted {
                // The same file given twice: keep the categories apart all the same.
                var number = 2
                let stem = String(category.dropLast())
                while !categories.insert("\(stem)#\(number)/").inserted { number += 1 }
                category = "\(stem)#\(number)/"
            }
            return run(evaluation, category: category, input: input, resultLimit: resultLimit)
        }
        return ["$schema": .string(schemaURI), "version": "2.1.0", "runs": .array(runs)]
    }

    /// `migcheck/<phase>/<file>/`: the trailing slash makes the whole ID the category.
    static func automationID(_ evaluation: Evaluation) -> String {
        let document = evaluation.picture.document
        let number = document.documentNumber.map { "#\($0)" } ?? ""
        let phase = evaluation.isMigration ? evaluation.phase.rawValue : "no-migration"
        return "migcheck/\(phase)/\(document.file)\(number)/"
    }

    package static func run(_ evaluation: Evaluation, category: String, input: ReportInput, resultLimit: Int) -> JSONLiteral {
        let entries = ReportSupport.rules(of: evaluation)
        var ruleIndex: [String: Int] = [:]
        for (index, entry) in entries.enumerated() { ruleIndex[entry.description.id] = index }

        let findings = evaluation.findings
        let stable = ReportSupport.stableFingerprints(evaluation)
        // A readiness finding's live subject (instance, task, secret) tells apart two with one message.
        let lineHashes = ReportSupport.numbered(findings.map { finding in
            ReportSupport.fnv1a64([finding.ruleID, finding.address ?? ""] + (finding.liveSubject.map { [$0] } ?? []) + [finding.message])
        })
        var kept = Array(findings.indices)
        var notifications: [JSONLiteral] = []
        if findings.count > resultLimit {
            kept = Array(findings.indices.sorted { lhs, rhs in
                let left = rank(findings[lhs])
                let right = rank(findings[rhs])
                return left != right ? left > right : lhs < rhs
            }.prefix(resultLimit)).sorted()
            let dropped = findings.count - resultLimit
            notifications.append([
                "level": "warning",
                "message": ["text": .string("\(findings.count) results exceed GitHub code scanning's limit of \(resultLimit) per run: "
                    + "kept the \(resultLimit) most severe and dropped \(dropped). The JSON report (--format json) lists every finding.")],
                "descriptor": ["id": "migcheck/results-truncated"],
            ])
        }

        // Findings of one cause (FindingGroups) point at each other: each result's relatedLocations
        // hold the other results' locations, with a message naming their rule and whether it is the cause.
        var groupOf: [Int: FindingGroup] = [:]
        for group in FindingGroups.groups(findings) where !group.related.isEmpty {
            for member in group.members { groupOf[member] = group }
        }
        var results: [JSONLiteral] = []
        results.reserveCapacity(kept.count)
        for index in kept {
            let finding = findings[index]
            var object = result(finding, evaluation: evaluation, ruleIndex: ruleIndex[finding.ruleID] ?? 0,
                                lineHash: lineHashes[index], stableHash: stable[index])
            if let group = groupOf[index] {
                relate(&object, index: index, group: group, findings: findings, evaluation: evaluation)
            }
            results.append(object)
        }

        let driver: JSONLiteral = [
            "name": "migcheck",
            "version": .string(MigCheckVersion.current),
            "semanticVersion": .string(MigCheckVersion.current),
            "informationUri": .string(MigCheckVersion.informationURI),
            "rules": .array(entries.map { rule($0, rulesURL: input.rulesURL ?? MigCheckVersion.rulesURL) }),
        ]
        notifications += documentNotifications(evaluation)
        var invocation: JSONLiteral = ["executionSuccessful": true, "startTimeUtc": .string(input.zonedTimestamp)]
        // What the run was judged under; strings a viewer may display are made visible, as in messages.
        invocation["properties"] = ["policy": RunRecord.policyObject(input.policy, visible)]
        if !notifications.isEmpty { invocation["toolExecutionNotifications"] = .array(notifications) }

        var run: JSONLiteral = ["tool": ["driver": driver]]
        run["automationDetails"] = [
            "description": ["text": .string(evaluation.isMigration
                ? "migcheck \(evaluation.considered.map(\.rawValue).joined(separator: "/")) checks of \(ReportSupport.documentLabel(evaluation))"
                : "migcheck: no migration in \(ReportSupport.documentLabel(evaluation))")],
            "id": .string(category),
        ]
        run["invocations"] = [invocation]
        if let record = evaluation.readiness {
            // `migcheck ready` judged the evidence files: they are what the run analysed.
            run["artifacts"] = .array(record.evidence.map { file in
                ["location": ["uri": .string(uriReference(file))], "roles": ["analysisTarget"]]
            })
        }
        run["columnKind"] = "unicodeCodePoints"
        run["results"] = .array(results)
        run["properties"] = runProperties(evaluation, input: input)
        return run
    }

    /// The results of one cause (`FindingGroups`) point at each other: the cause first, then the
    /// others, a bounded number, so a huge group cannot square the log's size; a result that is
    /// not the cause names it in `properties.migcheckCause`.
    static func relate(_ object: inout JSONLiteral, index: Int, group: FindingGroup, findings: [Finding], evaluation: Evaluation) {
        let others = Array(group.members.filter { $0 != index }.prefix(relatedLocationLimit))
        object["relatedLocations"] = .array(others.enumerated().map { number, other in
            var place = location(findings[other], in: evaluation)
            place["id"] = .int(number)
            let role = other == group.cause ? "the cause" : index == group.cause ? "caused by this" : "same cause"
            let text = "\(findings[other].ruleID) (\(role)): \(findings[other].message)"
            place["message"] = ["text": .string(TextEscaping.visible(text))]
            return place
        })
        if index != group.cause {
            object["properties"] = ["migcheckSeverity": .string(findings[index].severity.rawValue),
                                    "migcheckCause": .string(findings[group.cause].ruleID)]
        }
    }

    /// The notes about the document itself: no migration in it, findings `--source-dir` could not place.
    static func documentNotifications(_ evaluation: Evaluation) -> [JSONLiteral] {
        var notifications: [JSONLiteral] = []
        if let absence = evaluation.noMigration {
            notifications.append([
                "level": "note",
                "message": ["text": .string(absence)],
                "descriptor": ["id": "migcheck/no-migration"],
            ])
        }
        for note in evaluation.notes {
            notifications.append([
                "level": "note",
                "message": ["text": .string(TextEscaping.visible(note))],
                "descriptor": ["id": "migcheck/source-not-located"],
            ])
        }
        return notifications
    }

    /// The run's property bag: the document, its phase and clusters, and how it was judged
    /// (strings a viewer may display made visible, as in messages).
    static func runProperties(_ evaluation: Evaluation, input: ReportInput) -> JSONLiteral {
        var properties: JSONLiteral = ["migration": .bool(evaluation.isMigration),
                                       "phase": evaluation.isMigration ? .string(evaluation.phase.rawValue) : .null,
                                       "phasesConsidered": .array(evaluation.considered.map { .string($0.rawValue) }),
                                       "phaseReason": .string(evaluation.phaseReason)]
        properties["note"] = .optional(evaluation.noMigration)
        properties["document"] = .string(ReportSupport.documentLabel(evaluation))
        properties["documentKind"] = .string(evaluation.picture.document.kind.rawValue)
        properties["source"] = .optional(evaluation.picture.source?.addressText)
        properties["target"] = .optional(evaluation.picture.target?.addressText)
        properties["summary"] = .string(TextReport.summaryLine(evaluation))
        properties["policy"] = RunRecord.policyObject(input.policy, visible)
        properties["phaseOrigin"] = RunRecord.phaseOriginObject(evaluation, visible)
        properties["sourceOrigin"] = RunRecord.roleOriginObject(evaluation.picture, .source, visible)
        properties["targetOrigin"] = RunRecord.roleOriginObject(evaluation.picture, .target, visible)
        return properties
    }

    /// Which results survive truncation first: active before suppressed, then by severity,
    /// a failure before an unverified check of the same severity.
    static func rank(_ finding: Finding) -> Int {
        let severity: Int
        switch finding.severity {
        case .error: severity = 3
        case .warning: severity = 2
        case .note: severity = 1
        }
        return (finding.suppression == nil ? 100 : 0) + severity * 10 + (finding.kind == .fail ? 1 : 0)
    }

    package static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: return "error"
        case .warning: return "warning"
        case .note: return "note"
        }
    }

    static func rule(_ entry: ReportSupport.RuleEntry, rulesURL: String) -> JSONLiteral {
        let description = entry.description
        let title = ReportSupport.title(description)
        let rationale = description.rationale.trimmedSpaces.isEmpty ? title : description.rationale
        let phases = description.sortedPhases.map(\.rawValue)
        let isCustom = RuleRegistry.description(id: description.id) == nil
        var help = "\(title).\n\nWhy: \(rationale)"
        var markdown = "**\(markdownText(title))**\n\nWhy: \(markdownText(rationale))"
        if !description.runbookStep.isEmpty {
            help += "\n\nRunbook: \(description.runbookStep)"
            markdown += "\n\nRunbook: \(markdownText(description.runbookStep))"
        }
        if !phases.isEmpty {
            help += "\n\nPhases: \(phases.joined(separator: ", "))."
            markdown += "\n\nPhases: \(phases.joined(separator: ", "))."
        }
        help += "\n\n`migcheck explain \(description.id)` shows an example."
        markdown += "\n\n`migcheck explain \(description.id)` shows an example."

        var tags = ["migration", "terraform"] + phases.map { "phase:\($0)" }
        if isCustom { tags.append("custom-assertion") }
        var object: JSONLiteral = ["id": .string(description.id), "name": .string(description.name)]
        object["shortDescription"] = ["text": .string(title.limited(toUTF16: githubDescriptionLimit))]
        object["fullDescription"] = ["text": .string(rationale.limited(toUTF16: githubDescriptionLimit))]
        object["help"] = ["text": .string(help), "markdown": .string(markdown)]
        object["helpUri"] = .string(RuleDocs.pageURL(of: description.id, base: rulesURL))
        object["defaultConfiguration"] = ["level": .string(level(description.defaultSeverity))]
        var properties: JSONLiteral = ["tags": .array(tags.map(JSONLiteral.string))]
        if let reason = entry.skipReason { properties["skipped"] = .string(reason) }
        object["properties"] = properties
        return object
    }

    /// A finding's SARIF location: physical (a point widened to one character) and logical (its address).
    package static func location(_ finding: Finding, in evaluation: Evaluation) -> JSONLiteral {
        let location = ReportSupport.location(finding, in: evaluation)
        var endLine = location.end.line
        var endColumn = location.end.column
        if (endLine, endColumn) <= (location.start.line, location.start.column) {
            // A point: make it the one character it starts at, so viewers have something to mark.
            endLine = location.start.line
            endColumn = location.start.column + 1
        }
        var physical: JSONLiteral = ["artifactLocation": ["uri": .string(uriReference(location.file))]]
        physical["region"] = ["startLine": .int(location.start.line), "startColumn": .int(location.start.column),
                              "endLine": .int(endLine), "endColumn": .int(endColumn)]
        var place: JSONLiteral = ["physicalLocation": physical]
        if let address = finding.address {
            place["logicalLocations"] = [["name": .string(address), "fullyQualifiedName": .string(address), "kind": "resource"]]
        }
        return place
    }

    package static func result(_ finding: Finding, evaluation: Evaluation, ruleIndex: Int, lineHash: String, stableHash: String) -> JSONLiteral {
        // A plan-wide finding points at the document's first line: its text says why.
        var text = "\(ReportSupport.subject(finding, in: evaluation)): \(finding.message)"
        if finding.kind == .open { text = "unverified: " + text }

        let place = self.location(finding, in: evaluation)

        var object: JSONLiteral = ["ruleId": .string(finding.ruleID), "ruleIndex": .int(ruleIndex)]
        object["kind"] = .string(finding.kind.rawValue)
        // SARIF 2.1.0 §3.27.10: a result whose kind is not `fail` has level `none`; its severity stays in properties.
        object["level"] = .string(finding.kind == .fail ? level(finding.severity) : "none")
        object["properties"] = ["migcheckSeverity": .string(finding.severity.rawValue)]
        // Code scanning shows these strings decoded: a bidirectional control that JSON merely
        // escapes would reorder the alert as GitHub displays it, so they are made visible.
        // (The logical location keeps the exact address: it identifies, it is not displayed text.)
        object["message"] = ["text": .string(TextEscaping.visible(text))]
        object["locations"] = [place]
        object["partialFingerprints"] = ["primaryLocationLineHash": .string(lineHash), "migcheck/v1": .string(stableHash)]
        if let reason = finding.suppression {
            let kind: JSONLiteral = finding.suppressionInSource ? "inSource" : "external"
            object["suppressions"] = [["kind": kind, "status": "accepted", "justification": .string(TextEscaping.visible(reason))]]
        }
        return object
    }

    /// A path as a URI reference: kept relative (or absolute) as given, with every byte
    /// outside RFC 3986's unreserved set, sub-delimiters, `@` and `/` percent-encoded
    /// (`:` too, so a first segment never reads as a scheme; `\` becomes `/`).
    static func uriReference(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"),
                 UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
                 UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "@"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "\\"):
                out += "/"
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }

    /// A string of the run's record, with control and bidirectional characters made visible.
    private static func visible(_ text: String) -> String {
        TextEscaping.visible(text)
    }

    private static func markdownText(_ text: String) -> String {
        MarkdownReport.inline(text)
    }
}
