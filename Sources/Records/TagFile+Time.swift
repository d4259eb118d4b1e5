import Foundation

extension TagFile {
    /// Reads `MM:SS.s` or `HH:MM:SS.s` as seconds: the first field has one or more
    /// digits, later fields exactly two, and the seconds any number of decimals.
    /// Minutes may run past 59 when no hours are written (`75:00` is 75 minutes).
    /// Times are under 1000 hours (``latestTime``): far past any clip, and every time
    /// below it writes back (``text(seconds:)``) to the millisecond.
    static func seconds(parsing text: Substring) throws(TagFileError.TimeProblem) -> Double {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(fields.count), let last = fields.last else { throw .format }
        let secondsParts = last.split(separator: ".", omittingEmptySubsequences: false)
        guard secondsParts.count <= 2 else { throw .format }
        let whole = fields.dropLast().map(Substring.init) + [secondsParts[0]]
        let fraction = secondsParts.count == 2 ? secondsParts[1] : nil
        guard whole.enumerated().allSatisfy({ index, field in Self.isDigits(field, count: index == 0 ? nil : 2) }),
              fraction.map({ Self.isDigits($0, count: nil) }) ?? true,
              let seconds = Double(last)
        else { throw .format }
        // The fields are digits by now, so a field Int cannot hold is a number too large.
        let numbers = whole.dropLast().compactMap { Int($0) }
        guard numbers.count == whole.count - 1 else { throw .tooLate }
        guard seconds < 60 else { throw .seconds }
        if numbers.count == 2, numbers[1] >= 60 { throw .minutes }
        let total = numbers.reduce(0) { $0 * 60 + Double($1) } * 60 + seconds
        // Compared as written back, to the millisecond: 999:59:59.9996 would print as 1000:00:00.
        guard (total * 1000).rounded() < latestTime * 1000 else { throw .tooLate }
        return total
    }

    /// Tag times are under 1000 hours, 999:59:59.999 at the latest. Without a limit a line
    /// such as `9999999999999:00:00 L4` read as a time too large for ``text(seconds:)``,
    /// which trapped converting it to whole milliseconds.
    static let latestTime: Double = 1000 * 3600

    /// `MM:SS.s`, or `HH:MM:SS.s` from an hour on, to the millisecond, trailing zeros dropped.
    static func text(seconds: Double) -> String {
        // A TagEvent built in code may hold any finite time; past Int's milliseconds (292
        // million years) it is written in whole hours rather than trapping. Such a line is
        // refused on reading, as is anything from ``latestTime`` on.
        guard let milliseconds = Int(exactly: (seconds * 1000).rounded()) else {
            return String(format: "%.0f:00:00", (seconds / 3600).rounded())
        }
        let (hours, minutes) = (milliseconds / 3_600_000, milliseconds / 60_000 % 60)
        let wholeSeconds = milliseconds / 1000 % 60
        var fraction = String(format: "%03d", milliseconds % 1000)
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let clock = hours > 0
            ? String(format: "%02d:%02d:%02d", hours, minutes, wholeSeconds)
            : String(format: "%02d:%02d", minutes, wholeSeconds)
        return fraction.isEmpty ? clock : "\(clock).\(fraction)"
    }

    private static func isDigits(_ text: Substring, count: Int?) -> Bool {
        !text.isEmpty && (count.map { text.count == $0 } ?? true) && text.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
