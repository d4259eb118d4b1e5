import Foundation

/// A day in the Gregorian calendar without a time or time zone, such as a birth
/// date: it must not move when read on a machine in another time zone, which a
/// `Date` at midnight would.
///
/// Codable as `"YYYY-MM-DD"`; ordered by date.
public struct CalendarDate: Hashable, Comparable, Sendable {
    /// 1-9999.
    public let year: Int
    /// 1-12.
    public let month: Int
    /// 1 to the length of the month.
    public let day: Int

    /// - Throws: ``RecordError`` for a year outside 1-9999, a month outside 1-12,
    ///   or a day the month does not have (`2023-02-29 does not exist: February 2023 has 28 days`).
    public init(year: Int, month: Int, day: Int) throws(RecordError) {
        try NumberText.require(year, in: 1...9999, field: .year)
        try NumberText.require(month, in: 1...12, field: .month)
        guard (1...Self.daysIn(month: month, year: year)).contains(day) else {
            throw .impossibleDate(year: year, month: month, day: day)
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads `YYYY-MM-DD` exactly: four, two and two digits.
    /// - Throws: ``RecordError`` naming the format, or the reason the date does not exist.
    public init(parsing text: String) throws(RecordError) {
        let digits = Array(text.utf8)
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        guard digits.count == 10, digits[4] == UInt8(ascii: "-"), digits[7] == UInt8(ascii: "-"),
              [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy({ isDigit(digits[$0]) })
        else { throw .malformed(.date, text: text) }
        let number = { (range: Range<Int>) in range.reduce(0) { $0 * 10 + Int(digits[$1] - UInt8(ascii: "0")) } }
        try self.init(year: number(0..<4), month: number(5..<7), day: number(8..<10))
    }

    /// The calendar day `date` falls on in `timeZone`.
    public init(_ date: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        // The Gregorian calendar always yields a valid day; the fallback is never taken.
        year = parts.year ?? 1
        month = parts.month ?? 1
        day = parts.day ?? 1
    }

    /// Midnight at the start of the day in `timeZone`.
    public func startDate(in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components) else {
            preconditionFailure("a validated calendar date always exists in the Gregorian calendar")
        }
        return date
    }

    /// Whole years from this date to `later`, as ages are counted: the count goes
    /// up on the anniversary (a 29 February birthday counts on 1 March in other years).
    public func years(until later: CalendarDate) -> Int {
        let years = later.year - year
        return (later.month, later.day) < (month, day) ? years - 1 : years
    }

    /// The DICOM DA form, `YYYYMMDD`.
    public var dicomDate: String { String(format: "%04d%02d%02d", year, month, day) }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// The number of days in a month of the Gregorian calendar.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year.isMultiple(of: 4) && (!year.isMultiple(of: 100) || year.isMultiple(of: 400)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func text(year: Int, month: Int, day: Int) -> String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]
}

extension CalendarDate: CustomStringConvertible {
    /// `YYYY-MM-DD`, which ``init(parsing:)`` reads back.
    public var description: String { Self.text(year: year, month: month, day: day) }
}

extension CalendarDate: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try validated(decoder) { () throws(RecordError) in try CalendarDate(parsing: text) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
