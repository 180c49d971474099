import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading

/// `InputError` escapes through `TextEscaping` like every other error line: a line break in a
/// file name or message is `\u000a` (or `\u000d`), not a space that hides it.
final class InputErrorEscapingTests: XCTestCase {
    func testALineBreakInTheFileNameIsEscapedLikeEveryErrorLine() {
        let named = InputError(file: "a\nb\r.json", position: SourcePosition(line: 1, column: 1), message: "expected a value")
        XCTAssertEqual(named.description, #"a\u000ab\u000d.json:1:1: error: expected a value"#)
        XCTAssertEqual(named.description, "\(TextEscaping.visible(named.file)):1:1: error: expected a value")
    }

    func testALineBreakInTheMessageIsEscapedLikeEveryErrorLine() {
        let error = InputError(file: "plan.json", position: nil, message: "unknown key \"x\n::error::y\"")
        XCTAssertEqual(error.description, #"plan.json: error: unknown key "x\u000a::error::y""#)
        XCTAssertEqual(error.description.split(separator: "\n").count, 1)
    }
}
