import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReports
@testable import MigCheckTestSupport

/// Every format the command line names has exactly one reporter, and `Reports.render`
/// dispatches to it.
final class ReporterRegistryTests: XCTestCase {
    func testEveryFormatMapsToItsOwnReporter() {
        XCTAssertEqual(Reports.reporters.map { $0.identifier }, ReportFormat.allCases.map(\.rawValue))
        XCTAssertEqual(Set(Reports.reporters.map { ObjectIdentifier($0) }).count, Reports.reporters.count)
        for format in ReportFormat.allCases {
            XCTAssertEqual(format.reporter.identifier, format.rawValue)
            XCTAssertFalse(format.reporter.description.isEmpty, format.rawValue)
        }
        XCTAssertEqual(ReportFormat.allCases.map(\.fileExtension), ["txt", "json", "sarif", "xml", "txt", "md"])
    }

    func testTheEscapingCoreKeepsEachFormatsSpelling() {
        let hostile = "a_\u{1}b <&> \"q\" 'a' %:, \t\r\n\u{202E}\u{FFFE} x_y _z"
        XCTAssertEqual(TextEscaping.visible(hostile), "a_\\u0001b <&> \"q\" 'a' %:, \\u0009\\u000d\\u000a\\u202e\u{FFFE} x_y _z")
        XCTAssertEqual(TextEscaping.visible(hostile), TextEscaping.visible(hostile))
        XCTAssertEqual(JUnitReport.attribute(hostile),
                       "a_\\u0001b &lt;&amp;&gt; &quot;q&quot; &apos;a&apos; %:, &#9;&#13;&#10;\\u202e\\ufffe x_y _z")
        XCTAssertEqual(JUnitReport.text(hostile), "a_\\u0001b &lt;&amp;&gt; \"q\" 'a' %:, \t&#13;&#10;\\u202e\\ufffe x_y _z")
        XCTAssertEqual(GitHubAnnotations.escapeData(hostile), "a_\\u0001b <&> \"q\" 'a' %25:, \\u0009%0D%0A\\u202e\u{FFFE} x_y _z")
        XCTAssertEqual(GitHubAnnotations.escapeProperty("a:b,c%"), "a%3Ab%2Cc%25")
        XCTAssertEqual(MarkdownReport.inline(hostile),
                       "a\\_\\\\u0001b &lt;&amp;&gt; \"q\" 'a' %:, \\\\u0009\\\\u000d\\\\u000a\\\\u202e\u{FFFE} x_y \\_z")
        XCTAssertEqual(JSONLiteral.string(hostile).pretty,
                       "\"a_\\u0001b \\u003c\\u0026\\u003e \\\"q\\\" 'a' %:, \\t\\r\\n\\u202e\u{FFFE} x_y _z\"\n")
    }
}
