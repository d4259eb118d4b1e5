import Foundation

extension AnatomicSite {
    /// Reads a site as clinicians write it.
    ///
    /// Accepted, in any case and with any dash or spacing:
    /// - levels, segments and ranges, as ``VertebralSpan/init(parsing:options:)`` reads
    ///   them: `L4`, `L4-L5`, `L4/5`, `L4-5`, `L5/S1`, `C7-T1`, `L3 to S1`, `coccyx`;
    /// - regions: `lumbar`, `cervical spine`, `L-spine`, `sacrum`;
    /// - ribs: `T7 rib`, `rib 7`, `7th rib`;
    /// - named sites: `SI joint`, `SIJ`, `sacroiliac joint`, `sternum`,
    ///   `sternocostal joint`, `sternoclavicular joint`, `iliolumbar`;
    /// - any of these with a side before or after: `left T7 rib`, `SIJ R`, `bilat L4-L5`.
    ///
    /// Levels written bottom first (`L5-L4`) are refused with the corrected form
    /// rather than flipped, so a slip is never filed silently under other levels.
    ///
    /// - Parameter options: whether the transitional T13 and L6 are accepted.
    /// - Throws: ``AnatomyParseError`` saying what was wrong and what to write.
    public init(parsing text: String, options: AnatomyParsingOptions = .standard) throws(AnatomyParseError) {
        let input = ClinicalText(text)
        var words = input.words
        guard !words.isEmpty else { throw .empty(expected: .site) }
        let leading = Self.takeLeadingSide(from: &words)
        let trailing = Self.takeTrailingSide(from: &words)
        if let leading, let trailing, leading != trailing { throw .conflictingSides(leading, trailing) }
        guard let location = try Location(words: words, options: options) else {
            throw .unrecognised(input.original, expected: .site)
        }
        self.init(location, laterality: leading ?? trailing)
    }

    /// Removes a side word (`left`, `L`, `bilat`, optionally followed by `sided`)
    /// from the start of the words and returns the side it named.
    private static func takeLeadingSide(from words: inout [String]) -> Laterality? {
        guard let first = words.first, let side = Laterality(word: first) else { return nil }
        words.removeFirst()
        if let next = words.first, sideSuffixes.contains(next) { words.removeFirst() }
        return side
    }

    /// Removes a side word (`left`, `R`, optionally followed by `side`) from the end
    /// of the words and returns the side it named.
    private static func takeTrailingSide(from words: inout [String]) -> Laterality? {
        let dropsSuffix = words.last.map(sideSuffixes.contains) ?? false
        let candidate = dropsSuffix ? Array(words.dropLast()) : words
        guard let last = candidate.last, let side = Laterality(word: last) else { return nil }
        words = Array(candidate.dropLast())
        return side
    }

    private static let sideSuffixes: Set<String> = ["side", "sided"]
}

extension AnatomicSite.Location {
    /// Reads normalised words (without a side) as a place, or returns `nil` if they
    /// name none; throws when they clearly mean anatomy that does not exist.
    init?(words: [String], options: AnatomyParsingOptions) throws(AnatomyParseError) {
        guard !words.isEmpty else { return nil }
        if let span = try VertebralSpan(words: words, options: options) {
            self = .vertebrae(span)
        } else if let named = Self.namedSites[ClinicalText.phraseKey(words)] {
            self = named
        } else if let region = SpinalRegion.named(words) {
            self = .region(region)
        } else if let rib = try Rib(words: words, options: options) {
            self = .rib(rib)
        } else {
            return nil
        }
    }

    private static let namedSites: [String: AnatomicSite.Location] = [
        "sternum": .sternum, "sternal": .sternum, "manubrium": .sternum,
        "sternocostal": .sternum, "sternocostal joint": .sternum, "costosternal joint": .sternum,
        "sternoclavicular": .sternum, "sternoclavicular joint": .sternum, "sc joint": .sternum, "scj": .sternum,
        "si": .sacroiliacJoint, "sij": .sacroiliacJoint, "si joint": .sacroiliacJoint, "s i joint": .sacroiliacJoint,
        "sacroiliac": .sacroiliacJoint, "sacroiliac joint": .sacroiliacJoint, "sacro iliac joint": .sacroiliacJoint,
        "iliolumbar": .iliolumbarRegion, "iliolumbar region": .iliolumbarRegion,
        "iliolumbar ligament": .iliolumbarRegion,
    ]
}
