import Foundation

extension VertebralLevel {
    /// Reads one vertebra as clinicians write it: `L4`, `l4`, `T12`, `coccyx`.
    ///
    /// - Parameter options: whether the transitional T13 and L6 are accepted.
    /// - Throws: ``AnatomyParseError`` saying what was wrong and what to write,
    ///   e.g. `no vertebra L8: lumbar levels are L1-L5`.
    public init(parsing text: String, options: AnatomyParsingOptions = .standard) throws(AnatomyParseError) {
        let input = ClinicalText(text)
        guard !input.normalised.isEmpty else { throw .empty(expected: .level) }
        guard let token = LevelToken(input.normalised), let level = try token.level(in: nil, options: options) else {
            throw .unrecognised(input.original, expected: .level)
        }
        self = level
    }
}
