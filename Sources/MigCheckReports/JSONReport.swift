import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// `--format json`: the whole run as one JSON object, for scripts and dashboards.
///
/// Schema, version 1 (`schemaVersion`): `docs/json-report.schema.json` documents every field
/// (JSONReportSchemaTests validates real reports against it; every object there is closed, so
/// a field added here is documented there first). A field is only ever added within a version;
/// the version changes when a field is removed, renamed or changes meaning. Key order and
/// array order are stable: documents in the order read, rules in ID order (custom
/// assertions after the built-in rules), findings by rule, then resource address, then message.
///
/// Counts: `errors`/`warnings`/`notes` are active (unsuppressed) `fail` findings of that
/// severity, `unverified` active `open` findings, `suppressed` suppressed findings of any kind.
/// Nothing but addresses, rule texts and finding messages is printed: no attribute value of
/// any resource, and never a value Terraform marked sensitive.
public enum JSONReport: Reporter {
    public static let identifier = "json"
    public static let fileExtension = "json"
    public static let description = "The whole run as one JSON object, for scripts and dashboards (docs/json-report.schema.json)."

    public static func render(_ input: ReportInput, style: TextStyle) -> String {
        render(input)
    }

    public static let schemaVersion = 1

    public static func render(_ input: ReportInput) -> String {
        object(input).pretty
    }

    package static func object(_ input: ReportInput) -> JSONLiteral {
        var total = ReportCounts()
        var documents: [JSONLiteral] = []
        for (index, evaluation) in input.evaluations.enumerated() {
            let counts = ReportCounts(evaluation, gates: input.gates)
            total = total + counts
            documents.append(document(evaluation, counts: counts, input: input, index: index))
        }
        var root: JSONLiteral = ["schemaVersion": .int(schemaVersion)]
        root["tool"] = ["name": "migcheck", "version": .string(MigCheckVersion.current),
                        "informationUri": .string(MigCheckVersion.informationURI)]
        root["timestamp"] = .string(input.zonedTimestamp)
        root["failOn"] = .string(input.failOn.rawValue)
        root["unverifiedSeverity"] = .string(input.unverifiedSeverity.rawValue)
        root["policy"] = RunRecord.policyObject(input.policy)
        root["result"] = .string(input.fails ? "fail" : "pass")
        var summary: JSONLiteral = ["documents": .int(input.evaluations.count)]
        summary = merged(summary, countsObject(total))
        root["summary"] = summary
        root["documents"] = .array(documents)
        return root
    }

    package static func document(_ evaluation: Evaluation, counts: ReportCounts, input: ReportInput, index: Int) -> JSONLiteral {
        let picture = evaluation.picture
        let document = picture.document
        var object: JSONLiteral = ["file": .string(document.file)]
        object["documentNumber"] = document.documentNumber.map { .int($0) } ?? .null
        // `ready` without a plan or state reads AWS CLI evidence alone: its document is no
        // Terraform state, whatever stands in for one inside.
        if let record = evaluation.readiness, record.joinedTo == nil {
            object["kind"] = "evidence"
            object["formatVersion"] = .null
            object["terraformVersion"] = .null
            object["producer"] = "AWS CLI"
        } else {
            object["kind"] = .string(document.kind.rawValue)
            object["formatVersion"] = .optional(document.formatVersion?.text)
            object["terraformVersion"] = .optional(document.terraformVersion)
            object["producer"] = .string(document.producer.rawValue)
        }
        object["migration"] = .bool(evaluation.isMigration)
        object["note"] = .optional(evaluation.noMigration)
        object["notes"] = .array(evaluation.notes.map { .string($0) })
        object["phase"] = evaluation.isMigration ? .string(evaluation.phase.rawValue) : .null
        object["phasesConsidered"] = .array(evaluation.considered.map { .string($0.rawValue) })
        object["phaseReason"] = .string(evaluation.phaseReason)
        object["phaseOrigin"] = RunRecord.phaseOriginObject(evaluation)
        object["durationMilliseconds"] = .int(Int((input.duration(of: index) * 1000).rounded()))
        object["topology"] = topology(picture)
        object["rules"] = .array(ReportSupport.rules(of: evaluation).map { entry in
            let description = entry.description
            var rule: JSONLiteral = ["id": .string(description.id), "name": .string(description.name),
                                     "title": .string(ReportSupport.title(description))]
            rule["defaultSeverity"] = .string(description.defaultSeverity.rawValue)
            rule["phases"] = .array(description.sortedPhases.map { .string($0.rawValue) })
            rule["status"] = entry.skipReason == nil ? "ran" : "skipped"
            rule["skipReason"] = .optional(entry.skipReason)
            rule["findings"] = .int(evaluation.findings.filter { $0.ruleID == description.id }.count)
            return rule
        })
        let fingerprints = ReportSupport.stableFingerprints(evaluation)
        let causes = FindingGroups.causeIndex(evaluation.findings)
        object["findings"] = .array(evaluation.findings.indices.map { index in
            var entry = finding(for: evaluation.findings[index], fingerprint: fingerprints[index], input: input)
            entry["cause"] = .int(causes[index])
            return entry
        })
        var summary = countsObject(counts)
        summary["result"] = .string(evaluation.findings.contains(where: input.gates) ? "fail" : "pass")
        summary["text"] = .string(TextReport.summaryLine(evaluation))
        object["summary"] = summary
        if let record = evaluation.readiness { object["readiness"] = readiness(record) }
        return object
    }

    /// `migcheck ready`: the instant judged at, the evidence read, how it was joined, the verdict.
    static func readiness(_ record: ReadinessRecord) -> JSONLiteral {
        var object: JSONLiteral = ["ready": .bool(record.ready), "summary": .string(record.summary), "now": .string(record.now)]
        object["joinedTo"] = .optional(record.joinedTo)
        object["evidence"] = .array(record.evidence.map { .string($0) })
        object["joins"] = .object(record.joins.map { ($0.label, JSONLiteral.string($0.value)) })
        return object
    }

    package static func topology(_ picture: MigrationPicture) -> JSONLiteral {
        func cluster(_ role: ClusterRole) -> JSONLiteral {
            guard let view = picture.cluster(role) else { return .null }
            var object: JSONLiteral = ["address": .string(view.addressText)]
            object["reason"] = .optional(picture.roleReasons[role])
            object["origin"] = RunRecord.roleOriginObject(picture, role)
            object["instances"] = .array(view.instances.map { .string($0.addressText) })
            return object
        }
        let named = Set([picture.source?.addressText, picture.target?.addressText].compactMap { $0 })
        var object: JSONLiteral = ["source": cluster(.source), "target": cluster(.target)]
        object["otherClusters"] = .array(picture.clusters.map(\.addressText).filter { !named.contains($0) }.map(JSONLiteral.string))
        object["dms"] = [
            "replicationInstances": .array(picture.dmsReplicationInstances.map { .string($0.addressText) }),
            "endpoints": .array(picture.dmsEndpoints.map { .string($0.addressText) }),
            "tasks": .array(picture.dmsTasks.map { .string($0.addressText) }),
        ]
        return object
    }

    package static func finding(for finding: Finding, fingerprint: String, input: ReportInput) -> JSONLiteral {
        var object: JSONLiteral = ["ruleId": .string(finding.ruleID), "severity": .string(finding.severity.rawValue),
                                   "kind": .string(finding.kind.rawValue), "message": .string(finding.message)]
        object["address"] = .optional(finding.address)
        if let location = finding.location {
            object["location"] = ["file": .string(location.file), "startLine": .int(location.start.line),
                                  "startColumn": .int(location.start.column), "endLine": .int(location.end.line),
                                  "endColumn": .int(location.end.column)]
        } else {
            object["location"] = .null
        }
        object["suppression"] = .optional(finding.suppression)
        object["suppressionKind"] = finding.suppression == nil ? .null : .string(finding.suppressionInSource ? "inSource" : "external")
        object["gating"] = .bool(input.gates(finding))
        object["fingerprint"] = .string(fingerprint)
        return object
    }

    static func countsObject(_ counts: ReportCounts) -> JSONLiteral {
        ["resources": .int(counts.resources), "errors": .int(counts.errors), "warnings": .int(counts.warnings),
         "notes": .int(counts.notes), "unverified": .int(counts.unverified), "suppressed": .int(counts.suppressed),
         "gating": .int(counts.gating)]
    }

    private static func merged(_ lhs: JSONLiteral, _ rhs: JSONLiteral) -> JSONLiteral {
        guard case .object(var fields) = lhs, case .object(let more) = rhs else { return lhs }
        fields += more
        return .object(fields)
    }
}
