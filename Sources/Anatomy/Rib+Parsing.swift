import Foundation

extension Rib {
    /// Reads a rib from normalised words: `rib 7`, `rib7`, `rib-7`, `T7 rib`,
    /// `7th rib`, `rib T7`.
    ///
    /// Returns `nil` when the words do not mention a rib; throws when they name a
    /// rib that does not exist (`rib 13`) or a level without one (`L1 rib`).
    init?(words: [String], options: AnatomyParsingOptions) throws(AnatomyParseError) {
        let words = ClinicalText.phraseKey(words).split(separator: " ").map(String.init)
        let written: String
        switch words.count {
        case 1 where words[0].hasPrefix("rib"):
            written = String(words[0].dropFirst(3))
        case 2 where words[0] == "rib":
            written = words[1]
        case 2 where words[1] == "rib":
            written = words[0]
        default:
            return nil
        }
        let token = LevelToken(written)
        if let number = Self.ordinal(written) {
            self = try Rib(number: number)
        } else if case .lettered(.thoracic, let number)? = token {
            self = try Rib(number: number)
        } else if let token, token.region != nil, let level = try token.level(in: nil, options: options) {
            // Checking the level first reports `L8 rib` as a missing vertebra, not a missing rib.
            throw .noRibAtLevel(level)
        } else {
            return nil
        }
    }

    /// `7`, `7th`, `1st`, `2nd`, `3rd` as a number.
    private static func ordinal(_ text: String) -> Int? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let suffix = text.dropFirst(digits.count)
        guard (1...3).contains(digits.count), ["", "st", "nd", "rd", "th"].contains(suffix) else { return nil }
        return Int(digits)
    }
}
