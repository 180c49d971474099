import MigCheckFoundation
import MigCheckReading
import MigCheckPicture

/// A Secrets Manager rotation schedule (`rotation_rules.schedule_expression`), read exactly
/// as AWS documents it in "Schedule expressions in Secrets Manager rotation":
///
/// - `rate(Value Unit)`: Value a positive integer (no sign, no leading zero), Unit `hour`,
///   `hours`, `day` or `days`, singular for 1 and plural otherwise (`rate(1 day)`,
///   `rate(400 days)`), as often as every four hours and at most 999 days apart.
/// - `cron(Minutes Hours Day-of-month Month Day-of-week Year)`: six fields; minutes must be
///   `0` (rotation windows open on the hour) and year `*` (schedules are at most a year
///   apart); hours 0–23 and months 1–12 or JAN–DEC take `, - * /`; day-of-month 1–31 takes
///   `, - * /` or, alone, `?`, `L`, `LW` or `nW`; day-of-week 1–7 or SUN–SAT takes `, - * /`
///   or, alone, `?`, `L`, `nL` or `n#k` (k 1–5); exactly one of the two day fields is `?`.
///
/// A malformed expression is a value, never a crash: `parse` says what is wrong with it.
public enum ScheduleExpression: Equatable, Sendable {
    case rate(value: Int, unit: RateUnit)
    case cron(CronExpression)

    public enum RateUnit: String, Sendable {
        case hours
        case days
    }

    /// Secrets Manager rotates at most every four hours.
    public static let minimumRateHours = 4
    /// "The maximum rotation period is 999 days."
    public static let maximumRateDays = 999

    /// Hours between two rotations of a `rate(...)`; nil for a `cron(...)`.
    public var intervalHours: Int? {
        switch self {
        case .rate(let value, .hours): return value
        case .rate(let value, .days): return value * 24
        case .cron: return nil
        }
    }

    /// The expression as AWS would print it.
    public var text: String {
        switch self {
        case .rate(let value, let unit):
            let name = value == 1 ? String(unit.rawValue.dropLast()) : unit.rawValue
            return "rate(\(value) \(name))"
        case .cron(let cron):
            return cron.text
        }
    }

    public static func parse(_ text: String) -> Result<ScheduleExpression, ScheduleExpressionError> {
        do {
            return .success(try parseThrowing(text))
        } catch let error as ScheduleExpressionError {
            return .failure(error)
        } catch {
            return .failure(ScheduleExpressionError("it cannot be read"))
        }
    }

    private static func parseThrowing(_ text: String) throws -> ScheduleExpression {
        guard !text.isEmpty else { throw ScheduleExpressionError("it is empty") }
        if text.first == " " || text.last == " " {
            throw ScheduleExpressionError("it has leading or trailing spaces")
        }
        guard let open = text.firstIndex(of: "("), text.hasSuffix(")") else {
            throw ScheduleExpressionError("it is neither rate(...) nor cron(...)")
        }
        let keyword = String(text[..<open])
        let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        switch keyword {
        case "rate": return try parseRate(inner)
        case "cron": return .cron(try CronExpression.parse(inner))
        default:
            let lower = keyword.lowercased()
            if lower == "rate" || lower == "cron" {
                throw ScheduleExpressionError("\(JSONQuoting.quoted(keyword)) must be written in lower case: \(lower)(...)")
            }
            throw ScheduleExpressionError("\(JSONQuoting.quoted(keyword)) is neither rate nor cron")
        }
    }

    private static func parseRate(_ inner: String) throws -> ScheduleExpression {
        let parts = inner.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw ScheduleExpressionError("rate(...) needs a value and a unit separated by one space, e.g. rate(400 days)")
        }
        let digits = parts[0]
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ScheduleExpressionError("the rate value \(JSONQuoting.quoted(digits)) is not a positive integer")
        }
        if digits.allSatisfy({ $0 == "0" }) {
            throw ScheduleExpressionError("the rate value is 0; it must be at least 1")
        }
        if digits.first == "0" {
            throw ScheduleExpressionError("the rate value \(JSONQuoting.quoted(digits)) has a leading zero")
        }
        guard digits.count <= 6, let value = Int(digits) else {
            throw ScheduleExpressionError("the rate value \(digits.prefix(12)) is beyond the \(maximumRateDays)-day maximum rotation period")
        }
        let unit: RateUnit
        let singular: Bool
        switch parts[1] {
        case "hour": (unit, singular) = (.hours, true)
        case "hours": (unit, singular) = (.hours, false)
        case "day": (unit, singular) = (.days, true)
        case "days": (unit, singular) = (.days, false)
        case "minute", "minutes":
            throw ScheduleExpressionError("Secrets Manager rates are in hours or days, not minutes")
        default:
            throw ScheduleExpressionError("the rate unit \(JSONQuoting.quoted(parts[1])) is not hour, hours, day or days")
        }
        if value == 1 && !singular {
            throw ScheduleExpressionError("a rate of 1 takes the singular unit: rate(1 \(unit.rawValue.dropLast()))")
        }
        if value != 1 && singular {
            throw ScheduleExpressionError("a rate of \(value) takes the plural unit: rate(\(value) \(unit.rawValue))")
        }
        let hours = unit == .hours ? value : value * 24
        if hours < minimumRateHours {
            throw ScheduleExpressionError("rate(\(value) \(parts[1])) is more often than every \(minimumRateHours) hours, which Secrets Manager does not allow")
        }
        if hours > maximumRateDays * 24 {
            throw ScheduleExpressionError("rate(\(value) \(parts[1])) is beyond the \(maximumRateDays)-day maximum rotation period")
        }
        return .rate(value: value, unit: unit)
    }
}

/// What is wrong with a schedule expression, worded to follow "is malformed: ".
public struct ScheduleExpressionError: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}

/// The six fields of a Secrets Manager `cron(...)`, validated.
public struct CronExpression: Equatable, Sendable {
    public let minutes: String
    public let hours: String
    public let dayOfMonth: String
    public let month: String
    public let dayOfWeek: String
    public let year: String

    public var text: String { "cron(\([minutes, hours, dayOfMonth, month, dayOfWeek, year].joined(separator: " ")))" }

    static let monthNames = ["JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
                             "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12]
    static let dayNames = ["SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7]

    package static func parse(_ inner: String) throws -> CronExpression {
        let fields = inner.split(separator: " ").map(String.init)
        guard fields.count == 6 else {
            throw ScheduleExpressionError("cron(...) has \(fields.count) field\(fields.count == 1 ? "" : "s"); Secrets Manager needs 6: minutes hours day-of-month month day-of-week year")
        }
        if fields[0] != "0" {
            throw ScheduleExpressionError("the minutes field \(JSONQuoting.quoted(fields[0])) must be 0: Secrets Manager rotation windows open on the hour")
        }
        try checkList(fields[1], field: "hours", range: 0...23, names: [:])
        let dayOfMonth = fields[2].uppercased()
        try checkDayOfMonth(dayOfMonth)
        let month = fields[3].uppercased()
        try checkList(month, field: "month", range: 1...12, names: monthNames)
        let dayOfWeek = fields[4].uppercased()
        try checkDayOfWeek(dayOfWeek)
        if fields[5] != "*" {
            throw ScheduleExpressionError("the year field \(JSONQuoting.quoted(fields[5])) must be *: Secrets Manager does not support schedules more than a year apart")
        }
        switch (dayOfMonth == "?", dayOfWeek == "?") {
        case (true, true):
            throw ScheduleExpressionError("day-of-month and day-of-week are both ?; exactly one of them must be ?")
        case (false, false):
            throw ScheduleExpressionError("day-of-month \(JSONQuoting.quoted(fields[2])) and day-of-week \(JSONQuoting.quoted(fields[4])) are both set; exactly one of them must be ?, e.g. cron(0 8 ? * WED *)")
        default:
            break
        }
        return CronExpression(minutes: fields[0], hours: fields[1], dayOfMonth: fields[2], month: fields[3],
                              dayOfWeek: fields[4], year: fields[5])
    }

    private static func checkDayOfMonth(_ field: String) throws {
        if field == "?" || field == "L" || field == "LW" { return }
        let dayDigits = field.dropLast()
        if field.hasSuffix("W"), !dayDigits.isEmpty, dayDigits.count <= 2,
           dayDigits.allSatisfy({ $0.isASCII && $0.isNumber }), let day = Int(dayDigits) {
            guard (1...31).contains(day) else {
                throw ScheduleExpressionError("day-of-month \(JSONQuoting.quoted(field)) names day \(day), outside 1-31")
            }
            return
        }
        if field.contains("?") || field.contains("L") || field.contains("W") {
            throw ScheduleExpressionError("day-of-month \(JSONQuoting.quoted(field)): ?, L and W must stand alone (?, L, LW or a day such as 15W)")
        }
        try checkList(field, field: "day-of-month", range: 1...31, names: [:])
    }

    private static func checkDayOfWeek(_ field: String) throws {
        if field == "?" || field == "L" { return }
        if field.hasSuffix("L"), !field.contains(",") {
            _ = try value(String(field.dropLast()), field: "day-of-week", range: 1...7, names: dayNames)
            return
        }
        if let hash = field.firstIndex(of: "#") {
            let day = String(field[..<hash])
            let nth = String(field[field.index(after: hash)...])
            _ = try value(day, field: "day-of-week", range: 1...7, names: dayNames)
            guard nth.count == 1, let number = Int(nth), (1...5).contains(number) else {
                throw ScheduleExpressionError("day-of-week \(JSONQuoting.quoted(field)): the number after # must be 1-5 (the nth such weekday of the month)")
            }
            return
        }
        if field.contains("?") || field.contains("L") {
            throw ScheduleExpressionError("day-of-week \(JSONQuoting.quoted(field)): ?, L and # must stand alone (?, L, a day such as 6L, or FRI#2)")
        }
        try checkList(field, field: "day-of-week", range: 1...7, names: dayNames)
    }

    /// A list of `*`, values and ranges, each with an optional `/step`.
    private static func checkList(_ text: String, field: String, range: ClosedRange<Int>, names: [String: Int]) throws {
        guard !text.isEmpty else { throw ScheduleExpressionError("the \(field) field is empty") }
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard !item.isEmpty else {
                throw ScheduleExpressionError("the \(field) field \(JSONQuoting.quoted(text)) has an empty list item")
            }
            let pieces = item.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard pieces.count <= 2 else {
                throw ScheduleExpressionError("the \(field) field item \(JSONQuoting.quoted(item)) has more than one /")
            }
            if pieces.count == 2 {
                let step = pieces[1]
                guard !step.isEmpty, step.count <= 2, step.allSatisfy({ $0.isASCII && $0.isNumber }),
                      let number = Int(step), number >= 1, number <= range.upperBound else {
                    throw ScheduleExpressionError("the \(field) field item \(JSONQuoting.quoted(item)) has increment \(JSONQuoting.quoted(step)); it must be 1-\(range.upperBound)")
                }
            }
            let base = pieces[0]
            if base == "*" { continue }
            let bounds = base.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard bounds.count <= 2 else {
                throw ScheduleExpressionError("the \(field) field item \(JSONQuoting.quoted(item)) is not a value or a range")
            }
            let low = try value(bounds[0], field: field, range: range, names: names)
            if bounds.count == 2 {
                let high = try value(bounds[1], field: field, range: range, names: names)
                if low > high {
                    throw ScheduleExpressionError("the \(field) range \(JSONQuoting.quoted(base)) runs backwards")
                }
            }
        }
    }

    private static func value(_ token: String, field: String, range: ClosedRange<Int>, names: [String: Int]) throws -> Int {
        if let named = names[token] { return named }
        guard !token.isEmpty, token.count <= 2, token.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(token) else {
            let allowed = names.isEmpty ? "\(range.lowerBound)-\(range.upperBound)"
                : "\(range.lowerBound)-\(range.upperBound) or \(names.sorted { $0.value < $1.value }.map(\.key).joined(separator: ","))"
            throw ScheduleExpressionError("the \(field) value \(JSONQuoting.quoted(token)) is not one of \(allowed)")
        }
        guard range.contains(number) else {
            throw ScheduleExpressionError("the \(field) value \(number) is outside \(range.lowerBound)-\(range.upperBound)")
        }
        return number
    }
}
