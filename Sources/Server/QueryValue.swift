import Hummingbird

/// Numbers read from a request's query string, checked where they enter: a value
/// that is not a number, not finite or out of range is a 400 that says what would be
/// right, never a trap in a later conversion and never an unbounded query.
enum QueryValue {
    /// The longest time into a recording a request may name: a day, far beyond any
    /// session, which keeps every later conversion to a stream timestamp inside Int64.
    static let longestRecording = 86_400.0

    /// A result count: absent gives `fallback`; anything but a whole number in
    /// 1...maximum is refused.
    static func limit(_ text: Substring?, default fallback: Int, maximum: Int, name: String = "limit") throws(HTTPError) -> Int {
        guard let text else { return fallback }
        guard let value = Int(text), (1...maximum).contains(value) else {
            throw HTTPError(.badRequest, message: "\(name) \(text.prefix(40)) is not valid: give a whole number from 1 to \(maximum)")
        }
        return value
    }

    /// A number of seconds, clamped to `range`; absent, NaN or text gives the default.
    static func seconds(_ text: Substring?, default fallback: Double, in range: ClosedRange<Double>) -> Double {
        guard let value = text.flatMap({ Double($0) }), !value.isNaN else { return fallback }
        return min(max(value, range.lowerBound), range.upperBound)
    }
}
