import Foundation

/// Numbers written for people, the same in every locale: `15`, `0.2`, `12.5`, `1,200,000`.
enum NumberText {
    /// At most four decimals, trailing zeros dropped, so 15.0 reads `15` and 0.2 reads `0.2`.
    static func decimal(_ value: Double) -> String {
        // Huge values in exponent form: 1e+300, not three hundred digits.
        guard value.isFinite, value.magnitude < 1e12 else { return "\(value)" }
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        if text == "-0" { text = "0" }
        // A value too small for four decimals must not read as 0 in a message.
        return text == "0" && value != 0 ? "\(value)" : text
    }

    /// Digits grouped in threes with commas: `1,200,000`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    /// Checks that `value` lies in `range`, refusing non-finite numbers too.
    static func require(_ value: Double, in range: ClosedRange<Double>, field: RecordError.Field) throws(RecordError) {
        guard value.isFinite, range.contains(value) else { throw .outOfRange(field, value: decimal(value)) }
    }

    /// Checks that `value` is above zero and at most `limit`.
    static func requirePositive(_ value: Double, atMost limit: Double, field: RecordError.Field) throws(RecordError) {
        guard value.isFinite, value > 0, value <= limit else { throw .outOfRange(field, value: decimal(value)) }
    }

    /// Checks that `value` lies in `range`.
    static func require(_ value: Int, in range: some RangeExpression<Int>, field: RecordError.Field) throws(RecordError) {
        guard range.contains(value) else { throw .outOfRange(field, value: String(value)) }
    }
}
