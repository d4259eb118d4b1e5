import Foundation

extension Laterality {
    /// Reads a side as clinicians write it: `L`, `R`, `B`, `M`, `left`, `lt`, `right`,
    /// `rt`, `bilat`, `bilateral`, `both`, `midline`, `central`, `median`, in any case.
    ///
    /// - Throws: ``AnatomyParseError`` listing the sides when the text is not one.
    public init(parsing text: String) throws(AnatomyParseError) {
        let input = ClinicalText(text)
        guard !input.words.isEmpty else { throw .empty(expected: .laterality) }
        guard let side = Self(word: ClinicalText.phraseKey(input.words)) else {
            throw .unrecognised(input.original, expected: .laterality)
        }
        self = side
    }

    /// The side a single normalised word (or phrase key) names, if any.
    init?(word: String) {
        guard let side = Self.words[ClinicalText.phraseKey([word])] else { return nil }
        self = side
    }

    private static let words: [String: Laterality] = [
        "l": .left, "lt": .left, "left": .left, "left sided": .left, "left side": .left,
        "r": .right, "rt": .right, "right": .right, "right sided": .right, "right side": .right,
        "b": .bilateral, "b/l": .bilateral, "bil": .bilateral, "bilat": .bilateral, "bilateral": .bilateral,
        "bilaterally": .bilateral, "both": .bilateral, "both sides": .bilateral,
        "m": .midline, "midline": .midline, "mid line": .midline, "central": .midline,
        "centre": .midline, "center": .midline, "median": .midline,
    ]
}
