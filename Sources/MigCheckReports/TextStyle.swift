import MigCheckFoundation
import MigCheckReading
import MigCheckPicture
import MigCheckRules

/// Styling for text meant for a terminal: colour only when asked for.
public struct TextStyle: Sendable {
    public let colour: Bool

    public init(colour: Bool) { self.colour = colour }

    public func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    func actionColour(_ action: ChangeAction, _ text: String) -> String {
        guard colour else { return text }
        switch action {
        case .create: return "\u{1B}[32m\(text)\u{1B}[0m"
        case .update: return "\u{1B}[33m\(text)\u{1B}[0m"
        case .delete, .deleteThenCreate, .createThenDelete: return "\u{1B}[31m\(text)\u{1B}[0m"
        default: return text
        }
    }
}

extension TextStyle {
    package func severity(_ text: String, _ finding: Finding) -> String {
        guard colour else { return text }
        if finding.kind == .open { return "\u{1B}[36m\(text)\u{1B}[0m" }
        switch finding.severity {
        case .error: return "\u{1B}[31m\(text)\u{1B}[0m"
        case .warning: return "\u{1B}[33m\(text)\u{1B}[0m"
        case .note: return "\u{1B}[2m\(text)\u{1B}[0m"
        }
    }
}
