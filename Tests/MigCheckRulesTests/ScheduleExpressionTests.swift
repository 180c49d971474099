import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckPicture
@testable import MigCheckRules
@testable import MigCheckTestSupport

/// The rotation schedule expressions MIG006 reads (`Catalog/Support/ScheduleExpression.swift`): rate and cron, and what is refused.
final class ScheduleExpressionTests: XCTestCase {
    func testRateExpressions() {
        let cases: [(String, Int)] = [
            ("rate(400 days)", 400 * 24), ("rate(1 day)", 24), ("rate(999 days)", 999 * 24),
            ("rate(4 hours)", 4), ("rate(12 hours)", 12), ("rate(9600 hours)", 9600),
        ]
        for (text, hours) in cases {
            switch ScheduleExpression.parse(text) {
            case .success(let parsed):
                XCTAssertEqual(parsed.intervalHours, hours, text)
                XCTAssertEqual(parsed.text, text)
            case .failure(let error):
                XCTFail("\(text) should parse: \(error)")
            }
        }
    }

    func testMalformedRates() {
        let cases: [(String, String)] = [
            ("rate(400 day)", "plural unit: rate(400 days)"),
            ("rate(1 days)", "singular unit: rate(1 day)"),
            ("rate(1 hours)", "singular unit: rate(1 hour)"),
            ("rate(0 days)", "at least 1"),
            ("rate(05 days)", "leading zero"),
            ("rate(-5 days)", "not a positive integer"),
            ("rate(+5 days)", "not a positive integer"),
            ("rate(4.5 days)", "not a positive integer"),
            ("rate(400days)", "separated by one space"),
            ("rate(400  days)", "separated by one space"),
            ("rate()", "separated by one space"),
            ("rate(30 minutes)", "not minutes"),
            ("rate(2 weeks)", "\"weeks\" is not hour, hours, day or days"),
            ("rate(3 hours)", "every 4 hours"),
            ("rate(1000 days)", "999-day maximum"),
            ("rate(24000 hours)", "999-day maximum"),
            ("rate(99999999999999999999999 days)", "999-day maximum"),
            ("Rate(400 days)", "lower case"),
            ("RATE(400 days)", "lower case"),
            (" rate(400 days)", "leading or trailing spaces"),
            ("rate(400 days)\n", "neither rate(...) nor cron(...)"),
            ("rate(400 days", "neither rate(...) nor cron(...)"),
            ("400 days", "neither rate(...) nor cron(...)"),
            ("at(2027-01-01T00:00:00)", "\"at\" is neither rate nor cron"),
            ("", "empty"),
        ]
        for (text, expected) in cases {
            switch ScheduleExpression.parse(text) {
            case .success(let parsed):
                XCTFail("\(JSONQuoting.quoted(text)) should be malformed, parsed as \(parsed)")
            case .failure(let error):
                XCTAssertTrue(error.reason.contains(expected), "\(JSONQuoting.quoted(text)): \(error.reason)")
            }
        }
    }

    func testCronExpressions() {
        let valid = [
            "cron(0 8 ? * WED *)", "cron(0 4/12 * * ? *)", "cron(0 8 1/7 * ? *)", "cron(0 0 ? * SUN#1 *)",
            "cron(0 16 L * ? *)", "cron(0 10 ? FEB,MAY,AUG,NOV TUE#2 *)", "cron(0 8 15W * ? *)", "cron(0 8 LW * ? *)",
            "cron(0 8 ? * 6L *)", "cron(0 8 ? * FRIL *)", "cron(0 8 ? * MON-FRI *)", "cron(0 0-12/3 ? * * *)",
            "cron(0 23 1,15 JAN-DEC/2 ? *)", "cron(0 8 ? * wed *)", "cron(0 */6 * * ? *)", "cron(0 8 ? * 2#5 *)",
        ]
        for text in valid {
            switch ScheduleExpression.parse(text) {
            case .success(let parsed):
                XCTAssertNil(parsed.intervalHours, text)
                XCTAssertEqual(parsed.text, text)
            case .failure(let error):
                XCTFail("\(text) should parse: \(error)")
            }
        }
    }

    func testMalformedCrons() {
        let cases: [(String, String)] = [
            ("cron(0 8 * * ?)", "has 5 fields"),
            ("cron(0 8 ? * WED * *)", "has 7 fields"),
            ("cron()", "has 0 fields"),
            ("cron(15 8 ? * WED *)", "minutes field \"15\" must be 0"),
            ("cron(0 8 ? * WED 2027)", "year field \"2027\" must be *"),
            ("cron(0 8 ? * ? *)", "both ?"),
            ("cron(0 8 * * WED *)", "exactly one of them must be ?"),
            ("cron(0 8 1 * 1 *)", "exactly one of them must be ?"),
            ("cron(0 24 ? * WED *)", "hours value 24 is outside 0-23"),
            ("cron(0 8 ? 13 WED *)", "month value 13 is outside 1-12"),
            ("cron(0 8 32 * ? *)", "day-of-month value 32 is outside 1-31"),
            ("cron(0 8 0 * ? *)", "day-of-month value 0 is outside 1-31"),
            ("cron(0 8 ? * 8 *)", "day-of-week value 8 is outside 1-7"),
            ("cron(0 8 ? * FOO *)", "day-of-week value \"FOO\" is not one of 1-7 or SUN,MON,TUE,WED,THU,FRI,SAT"),
            ("cron(0 8 ? * SUN#6 *)", "must be 1-5"),
            ("cron(0 8 ? * WED# *)", "must be 1-5"),
            ("cron(0 8 ? * #2 *)", "day-of-week value \"\""),
            ("cron(0 8 1,,2 * ? *)", "empty list item"),
            ("cron(0 8-2 ? * WED *)", "runs backwards"),
            ("cron(0 8/0 ? * WED *)", "increment \"0\""),
            ("cron(0 8/24 ? * WED *)", "increment \"24\""),
            ("cron(0 8/2/2 ? * WED *)", "more than one /"),
            ("cron(0 1-2-3 ? * WED *)", "not a value or a range"),
            ("cron(0 8 L,5 * ? *)", "must stand alone"),
            ("cron(0 8 32W * ? *)", "outside 1-31"),
            ("cron(0 8 W * ? *)", "must stand alone"),
            ("cron(0 8 ? * L,MON *)", "must stand alone"),
            ("cron(0 8 ?,1 * WED *)", "must stand alone"),
            ("cron(0 ? ? * WED *)", "hours value \"?\""),
            ("cron(0 8 ? JANUARY WED *)", "month value \"JANUARY\""),
            ("cron(0 8 ? * WED *))", "year field \"*)\" must be *"),
            ("cron(0 8 ? * WED 🙂)", "year field"),
            ("cron(0 ٨ ? * WED *)", "hours value"),
            ("cron(", "neither rate(...) nor cron(...)"),
            ("cron(()", "has 1 field"),
        ]
        for (text, expected) in cases {
            switch ScheduleExpression.parse(text) {
            case .success(let parsed):
                XCTFail("\(text) should be malformed, parsed as \(parsed)")
            case .failure(let error):
                XCTAssertTrue(error.reason.contains(expected), "\(text): \(error.reason)")
            }
        }
    }
}
