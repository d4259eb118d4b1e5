import Foundation

/// Words of a session's free text as the archive's full-text search sees them, made the
/// same way on both stores: SQLite's FTS5 `unicode61 remove_diacritics 2` tokenizer lower-
/// cases, drops diacritics and splits at anything but letters and digits; PostgreSQL is
/// given lexemes folded so here, so its parser and dictionaries change nothing.
enum PostgresText {
    /// The distinct words of `text`, folded: the lexemes of its `tsvector`.
    static func lexemes(_ text: String) -> [String] {
        var seen = Set<String>()
        return words(text).filter { seen.insert($0).inserted }
    }

    /// A query that every word of `text` must match; nil when it has no words (nothing matches).
    static func query(_ text: String) -> String? {
        let terms = lexemes(text)
        guard !terms.isEmpty else { return nil }
        // Each term is letters and digits only; quoted, a term is taken as a lexeme as it is.
        return terms.map { "'" + $0 + "'" }.joined(separator: " & ")
    }

    private static func words(_ text: String) -> [String] {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map(String.init)
    }
}
