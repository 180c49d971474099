import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// What `migcheck FILE` prints about a document it read: its kind, versions and
/// resource instances by action.
public enum ReadSummary {
    public static let listLimit = 25

    public static func render(_ document: TerraformDocument, style: TextStyle, listAll: Bool = false) -> String {
        var lines: [String] = []
        let name = document.documentNumber.map { "\(document.file) (document \($0))" } ?? document.file
        var header = "\(name): \(document.kind.displayName)"
        var versions: [String] = []
        if let format = document.formatVersion { versions.append("format \(format)") }
        if let terraform = document.terraformVersion { versions.append("\(document.producer.rawValue) \(terraform)") }
        if !versions.isEmpty { header += ", " + versions.joined(separator: ", ") }
        lines.append(style.bold(TextEscaping.visible(header)))

        switch document.kind {
        case .plan:
            let changes = document.resourceChanges
            let counts = document.actionCounts
            // An action list migcheck does not know is printed verbatim from the file: sanitize it.
            let breakdown = counts.map { "\($0.count) \(TextEscaping.visible($0.action.description))" }.joined(separator: ", ")
            lines.append("  \(changes.count) resource instance\(changes.count == 1 ? "" : "s")" + (breakdown.isEmpty ? "" : ": \(breakdown)"))
            for (action, _) in counts where action != .noOp && action != .read {
                let addresses = changes.filter { $0.action == action }.map(\.addressText)
                lines.append("  \(style.actionColour(action, TextEscaping.visible(action.description))):")
                lines += list(addresses, listAll: listAll)
            }
            if !document.resourceDrift.isEmpty {
                lines.append("  drift detected outside Terraform: \(document.resourceDrift.count) resource instance\(document.resourceDrift.count == 1 ? "" : "s")")
            }
        case .state, .tfstate:
            let instances = document.plannedResources
            let managed = instances.filter { $0.address.mode == .managed }.count
            lines.append("  \(instances.count) resource instance\(instances.count == 1 ? "" : "s") (\(managed) managed, \(instances.count - managed) data); a state has no planned actions")
            lines += list(instances.map(\.addressText), listAll: listAll)
        }
        return lines.joined(separator: "\n")
    }

    private static func list(_ addresses: [String], listAll: Bool) -> [String] {
        let shown = listAll ? addresses : Array(addresses.prefix(listLimit))
        var lines = shown.map { "    " + TextEscaping.visible($0) }
        if shown.count < addresses.count {
            lines.append("    … and \(addresses.count - shown.count) more (--all lists every one)")
        }
        return lines
    }
}
