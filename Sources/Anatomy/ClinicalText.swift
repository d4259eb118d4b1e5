import Foundation

/// Text as clinicians type it, reduced to a form the parsers can compare.
///
/// Techs type on scanners, phones and keyboards that turn `-` into en or em dashes,
/// so every dash-like character becomes `-`; case and spacing never carry meaning.
struct ClinicalText {
    /// The input trimmed, for quoting back in error messages.
    let original: String
    /// Lowercased, dashes unified, whitespace collapsed to single spaces.
    let normalised: String

    init(_ text: String) {
        original = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let unified = String(original.lowercased().map { Self.dashes.contains($0) ? "-" : $0 })
        normalised = unified.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The words of the text; commas, brackets and full stops only separate words.
    var words: [String] {
        normalised.split { $0.isWhitespace || Self.wordBreaks.contains($0) }.map(String.init)
    }

    /// Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar,
    /// minus sign, small and full-width hyphen-minus.
    private static let dashes: Set<Character> = [
        "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}", "\u{FE63}", "\u{FF0D}",
    ]

    private static let wordBreaks: Set<Character> = [",", "(", ")", ";", ":", "."]

    /// Words joined into a key for phrase tables: hyphens and underscores become
    /// spaces, so `c-spine`, `c_spine` and `C spine` all read `c spine`.
    static func phraseKey(_ words: some Sequence<String>) -> String {
        words.joined(separator: " ")
            .split { $0 == " " || $0 == "-" || $0 == "_" }
            .joined(separator: " ")
    }
}
