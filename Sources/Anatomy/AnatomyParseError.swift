import Foundation

/// Why a piece of clinical text could not be read as anatomy.
///
/// Every message says what was wrong and what would be right, in words a tech at
/// the scanner can act on: `no vertebra L8: lumbar levels are L1-L5`.
public enum AnatomyParseError: Error, Hashable, Sendable {
    /// Nothing was written.
    case empty(expected: Expectation)
    /// The text is not anatomy this parser knows; carries the text as written.
    case unrecognised(String, expected: Expectation)
    /// A level beyond its region, such as L8 or C0.
    case noSuchVertebra(region: SpinalRegion, number: Int)
    /// C8, which names the nerve root below C7 and no vertebra.
    case nerveRootNotVertebra
    /// T13 or L6 without ``AnatomyParsingOptions/allowsTransitionalLevels``.
    case transitionalLevel(VertebralLevel)
    /// Two levels written bottom first (`L5-L4`); refused rather than flipped, so
    /// that a slip such as `L5-L3` for `L5-S1` is not silently filed as `L3-L5`.
    case writtenBottomToTop(first: VertebralLevel, second: VertebralLevel)
    /// The same level at both ends (`L4-L4`).
    case levelRepeated(VertebralLevel)
    /// A rib number outside 1-12.
    case noSuchRib(Int)
    /// A rib named by a level that carries none (`L1 rib`).
    case noRibAtLevel(VertebralLevel)
    /// Two different sides in one site (`left SI joint right`).
    case conflictingSides(Laterality, Laterality)
    /// A structure not in the catalogue, with the closest catalogue ids.
    case unknownStructure(String, suggestions: [TargetStructure.ID])

    /// What the parser was asked to read, which decides the advice in a message.
    public enum Expectation: Hashable, Sendable {
        case level, span, region, site, laterality, structure
    }
}

extension AnatomyParseError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .empty(let expected):
            "nothing written: \(expected.advice)"
        case .unrecognised(let text, let expected):
            "unrecognised \(expected.noun) \"\(text)\": \(expected.advice)"
        case .noSuchVertebra(let region, let number):
            "no vertebra \(region.letter.map(String.init) ?? "Co")\(number): \(region.levelList)"
        case .nerveRootNotVertebra:
            "C8 is a nerve root, not a vertebra: \(SpinalRegion.cervical.levelList)"
        case .transitionalLevel(let level):
            "\(level) is transitional anatomy: \(level.region.levelList); "
                + "allow transitional levels to record \(level)"
        case .writtenBottomToTop(let first, let second):
            "\(first)-\(second) is written top to bottom: \(second)-\(first)"
        case .levelRepeated(let level):
            "\(level)-\(level) names one level twice: write \(level)"
        case .noSuchRib(let number):
            "rib \(number) does not exist: ribs are 1-12"
        case .noRibAtLevel(let level):
            "\(level) has no rib: ribs join T1-T12 (write T7 rib or rib 7)"
        case .conflictingSides(let first, let second):
            "both \(first) and \(second) given: write one side, or bilateral for both"
        case .unknownStructure(let text, let suggestions):
            "unknown structure \"\(text)\": did you mean \(Self.alternatives(suggestions.map(\.rawValue)))?"
        }
    }

    /// `a`, `a or b`, `a, b or c`.
    private static func alternatives(_ words: [String]) -> String {
        guard let last = words.last else { return "a structure from the catalogue" }
        let rest = words.dropLast()
        return rest.isEmpty ? last : rest.joined(separator: ", ") + " or " + last
    }
}

extension AnatomyParseError: LocalizedError {
    public var errorDescription: String? { description }
}

extension AnatomyParseError.Expectation {
    /// What the unreadable text was taken to be.
    fileprivate var noun: String {
        switch self {
        case .level, .span, .site: "level"
        case .region: "region"
        case .laterality: "side"
        case .structure: "structure"
        }
    }

    /// What to write instead.
    fileprivate var advice: String {
        switch self {
        case .level:
            "write one vertebra (C5, T7, L4, S1, coccyx)"
        case .span:
            "write a level (L4), a segment (L4-L5, L4/5) or a range (L3-S1)"
        case .region:
            "write cervical, thoracic, lumbar, sacral or coccygeal"
        case .site:
            "write a level (L4), a segment (L4-L5, L4/5), a range (L3-S1), a region (lumbar) "
                + "or a site (left SI joint, T7 rib)"
        case .laterality:
            "write left, right, bilateral or midline (L, R, B, M)"
        case .structure:
            "write a structure id (facet-capsule) or a common name (facet joint)"
        }
    }
}

extension SpinalRegion {
    /// `lumbar levels are L1-L5`, for messages.
    fileprivate var levelList: String {
        self == .coccygeal ? "the coccyx is a single level" : "\(self) levels are \(span)"
    }
}
