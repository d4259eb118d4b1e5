import Foundation

extension TagFile {
    /// Reads `MM:SS.s` or `HH:MM:SS.s` as seconds: the first field has one or more
    /// digits, later fields exactly two, and the seconds any number of decimals.
    /// Minutes may run past 59 when no hours are written (`75:00` is 75 minutes).
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
        let numbers = whole.dropLast().compactMap { Int($0) }
        guard numbers.count == whole.count - 1 else { throw .format }
        guard seconds < 60 else { throw .seconds }
        if numbers.count == 2, numbers[1] >= 60 { throw .minutes }
        return numbers.reduce(0) { $0 * 60 + Double($1) } * 60 + seconds
    }

    /// `MM:SS.s`, or `HH:MM:SS.s` from an hour on, to the millisecond, trailing zeros dropped.
    static func text(seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded())
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
