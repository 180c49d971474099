import XCTest
@testable import MigCheckFoundation
@testable import MigCheckTestSupport

/// The one escaping core every format and error line uses.
final class TextEscapingTests: XCTestCase {
    func testTheOneEscapingCoreShowsBidiControls() {
        for scalar in HostileText.bidiControls {
            let escaped = TextEscaping.visible("a\(Character(scalar))b")
            XCTAssertEqual(escaped, "a" + TextEscaping.escaped(scalar.value) + "b")
        }
        XCTAssertEqual(TextEscaping.visible("abc \u{202E}def\u{2069}"), "abc \\u202edef\\u2069")
        XCTAssertEqual(TextEscaping.visible("plain, é ü 漢字 🚀"), "plain, é ü 漢字 🚀", "printable text stays as it is")
    }

    func testAnErrorLineIsOneVisibleLineThatNoRunnerTakesForACommand() {
        XCTAssertEqual(ErrorLine.oneLine("plan.json:1:2: error: expected a value"), "plan.json:1:2: error: expected a value")
        XCTAssertEqual(ErrorLine.oneLine("a\nb\u{202E}"), "a\\u000ab\\u202e")
        XCTAssertEqual(ErrorLine.oneLine("::error::x"), "./::error::x")
        XCTAssertEqual(ErrorLine.oneLine("  ::warning::x"), "./  ::warning::x")
    }
}
