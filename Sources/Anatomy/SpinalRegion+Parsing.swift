import Foundation

extension SpinalRegion {
    /// Reads a region as clinicians write it: `lumbar`, `lumbar spine`, `L-spine`,
    /// `cervical spine`, `neck`, `sacrum`, `coccygeal`.
    ///
    /// - Throws: ``AnatomyParseError`` listing the regions when the text is not one.
    public init(parsing text: String) throws(AnatomyParseError) {
        let input = ClinicalText(text)
        guard !input.words.isEmpty else { throw .empty(expected: .region) }
        guard let region = Self.named(input.words) else { throw .unrecognised(input.original, expected: .region) }
        self = region
    }

    /// The region the words name, if any.
    static func named(_ words: [String]) -> SpinalRegion? {
        phrases[ClinicalText.phraseKey(words)]
    }

    private static let phrases: [String: SpinalRegion] = [
        "cervical": .cervical, "cervical spine": .cervical, "c spine": .cervical, "neck": .cervical,
        "thoracic": .thoracic, "thoracic spine": .thoracic, "t spine": .thoracic, "mid back": .thoracic,
        "lumbar": .lumbar, "lumbar spine": .lumbar, "l spine": .lumbar, "low back": .lumbar,
        "sacral": .sacral, "sacrum": .sacral, "sacral spine": .sacral,
        "coccygeal": .coccygeal, "coccyx": .coccygeal,
    ]
}
