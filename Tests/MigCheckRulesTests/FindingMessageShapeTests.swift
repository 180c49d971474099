import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// Every finding a rule's triggering example produces says what is wrong and why in its
/// first part and the change to make after "; " (the action clause), in at most 220
/// characters once resource addresses and quoted values are left out.
final class FindingMessageShapeTests: XCTestCase {
    static let limit = 220

    /// The message without resource addresses and quoted values: what the length limit counts.
    static func countedText(_ message: String, address: String?) -> String {
        var text = message
        if let address { text = text.replacingOccurrences(of: address, with: "") }
        // Quoted values ("…", possibly with escaped quotes inside).
        text = text.replacingOccurrences(of: #""(?:[^"\\]|\\.)*""#, with: "\"\"", options: .regularExpression)
        // Any other resource address: [module.x[...].]type.name[key]
        text = text.replacingOccurrences(of: #"(?:module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.)*(?:data\.)?(?:aws|terraform|null)_[A-Za-z0-9_]+\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?"#,
                                         with: "", options: .regularExpression)
        return text
    }

    func testEveryTriggeringFindingIsShortAndSaysWhatToDo() throws {
        var problems: [String] = []
        for description in RuleRegistry.descriptions {
            for example in description.triggeringExamples + description.nonTriggeringExamples {
                for finding in try RuleHarness.findings(of: description, in: example) {
                    let counted = Self.countedText(finding.message, address: finding.address)
                    if counted.count > Self.limit {
                        problems.append("\(description.id) \"\(example.name)\": \(counted.count) characters: \(finding.message)")
                    }
                    guard let separator = finding.message.range(of: "; ") else {
                        problems.append("\(description.id) \"\(example.name)\": no action clause after \"; \": \(finding.message)")
                        continue
                    }
                    let action = finding.message[separator.upperBound...].trimmingCharacters(in: .whitespaces)
                    if action.count < 8 {
                        problems.append("\(description.id) \"\(example.name)\": action clause too short: \(finding.message)")
                    }
                }
            }
        }
        XCTAssertTrue(problems.isEmpty, "\(problems.count) messages:\n" + problems.joined(separator: "\n"))
    }
}
