import Foundation

/// One end of a span as written, before it is checked against real anatomy:
/// a region letter and a number (`l4`), a bare number that borrows the letter of
/// the other end (the `5` in `L4-5`), or the coccyx.
enum LevelToken: Equatable {
    case lettered(region: SpinalRegion, number: Int)
    case bare(number: Int)
    case coccyx

    /// Reads a lowercased token, or returns `nil` if it does not look like a level
    /// at all (so the caller can try other readings, such as a region name).
    init?(_ token: some StringProtocol) {
        if Self.coccyxWords.contains(String(token)) {
            self = .coccyx
            return
        }
        if let number = Self.number(token) {
            self = .bare(number: number)
            return
        }
        guard let first = token.first,
              let region = SpinalRegion(letter: first),
              let number = Self.number(token.dropFirst())
        else { return nil }
        self = .lettered(region: region, number: number)
    }

    /// The level this token names, checked against anatomy.
    ///
    /// - Parameter region: the region a bare number belongs to (from the other end).
    /// - Throws: ``AnatomyParseError`` when the level does not exist or is
    ///   transitional and not allowed.
    func level(in region: SpinalRegion?, options: AnatomyParsingOptions) throws(AnatomyParseError) -> VertebralLevel? {
        switch self {
        case .coccyx:
            return .coccyx
        case .bare(let number):
            guard let region else { return nil }
            return try Self.level(region: region, number: number, options: options)
        case .lettered(let region, let number):
            return try Self.level(region: region, number: number, options: options)
        }
    }

    /// The region named by the token's letter, for a bare number at the other end.
    var region: SpinalRegion? {
        switch self {
        case .lettered(let region, _): region
        case .coccyx: .coccygeal
        case .bare: nil
        }
    }

    private static func level(
        region: SpinalRegion, number: Int, options: AnatomyParsingOptions
    ) throws(AnatomyParseError) -> VertebralLevel {
        guard let level = VertebralLevel(region: region, number: number) else {
            if region == .cervical && number == 8 { throw .nerveRootNotVertebra }
            throw .noSuchVertebra(region: region, number: number)
        }
        if level.isTransitional && !options.allowsTransitionalLevels {
            throw .transitionalLevel(level)
        }
        return level
    }

    /// A short run of ASCII digits as a number; longer runs are nobody's level.
    private static func number(_ digits: some StringProtocol) -> Int? {
        guard (1...3).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    private static let coccyxWords: Set<String> = ["coccyx", "co", "cx"]
}
