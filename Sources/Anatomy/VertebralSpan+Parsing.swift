import Foundation

extension VertebralSpan {
    /// Reads a level, segment or range as clinicians write it.
    ///
    /// Accepted: `L4`, `L4-L5`, `L4/5`, `L4-5`, `L5-S1`, `L5/S1`, `C5-6`, `T12/L1`,
    /// `L3-S1`, `L3 to S1`, `L5 S1`, in any case, with any dash (en and em dashes
    /// included) and any spacing around it.
    ///
    /// Levels written bottom first (`L5-L4`) are refused, not flipped: a slip such
    /// as `L5-L3` would otherwise be filed silently under the wrong levels. The
    /// error gives the corrected form (`L5-L4 is written top to bottom: L4-L5`).
    ///
    /// - Parameter options: whether the transitional T13 and L6 are accepted.
    /// - Throws: ``AnatomyParseError``.
    public init(parsing text: String, options: AnatomyParsingOptions = .standard) throws(AnatomyParseError) {
        let input = ClinicalText(text)
        guard !input.words.isEmpty else { throw .empty(expected: .span) }
        guard let span = try VertebralSpan(words: input.words, options: options) else {
            throw .unrecognised(input.original, expected: .span)
        }
        self = span
    }

    /// Reads normalised words as a span.
    ///
    /// Returns `nil` when the words do not look like levels at all, so that the site
    /// parser can try other readings; throws when they look like levels but name
    /// anatomy that does not exist or is written upside down.
    init?(words: [String], options: AnatomyParsingOptions) throws(AnatomyParseError) {
        let parts = Self.joinedAsRange(words).split(omittingEmptySubsequences: false) { $0 == "-" || $0 == "/" }
        let tokens = parts.compactMap(LevelToken.init)
        guard tokens.count == parts.count, let firstToken = tokens.first, firstToken.region != nil else {
            return nil
        }
        switch tokens.count {
        case 1:
            guard let level = try firstToken.level(in: nil, options: options) else { return nil }
            self.init(level)
        case 2:
            guard let first = try firstToken.level(in: nil, options: options),
                  let second = try tokens[1].level(in: firstToken.region, options: options)
            else { return nil }
            guard first != second else { throw .levelRepeated(first) }
            guard let span = VertebralSpan(upper: first, lower: second) else {
                throw .writtenBottomToTop(first: first, second: second)
            }
            self = span
        default:
            return nil
        }
    }

    /// Joins words into one dash-separated string: `to`/`through` become a dash, and
    /// a plain space between two levels counts as one (`L5 S1` reads as `L5-S1`).
    private static func joinedAsRange(_ words: [String]) -> String {
        var joined = ""
        for word in words.map({ rangeWords.contains($0) ? "-" : $0 }) {
            let separated = joined.last.map(isSeparator) ?? true
            if !separated && !(word.first.map(isSeparator) ?? true) { joined += "-" }
            joined += word
        }
        return joined
    }

    private static func isSeparator(_ character: Character) -> Bool { character == "-" || character == "/" }

    private static let rangeWords: Set<String> = ["to", "through", "thru"]
}
