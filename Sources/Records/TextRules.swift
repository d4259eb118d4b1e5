import Foundation

/// The checks shared by identifiers and names that end up in DICOM headers and
/// database columns: trimmed, printable, free of the characters DICOM reserves,
/// and no longer than a DICOM LO or PN component holds.
enum TextRules {
    /// DICOM's limit for a Long String (LO) and for one Person Name component group.
    static let maximumLength = 64

    /// `text` without surrounding whitespace, or the reason it cannot be stored.
    static func checked(
        _ text: String, field: RecordError.Field, required: Bool, forbidden: Set<Character>
    ) throws(RecordError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if required && trimmed.isEmpty { throw .empty(field) }
        if let bad = trimmed.first(where: { !isPrintable($0) || forbidden.contains($0) }) {
            throw .forbiddenCharacter(field, text: trimmed, character: bad)
        }
        guard trimmed.count <= maximumLength else {
            throw .tooLong(field, length: trimmed.count, limit: maximumLength)
        }
        return trimmed
    }

    /// Whether a character shows as itself: no control, format or separator
    /// characters (tabs, line breaks, zero-width joiners), which would make two
    /// identifiers that look the same compare different.
    static func isPrintable(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: false
            default: true
            }
        }
    }

    /// `U+0009`, for naming a character that cannot be shown.
    static func codePoints(_ character: Character) -> String {
        character.unicodeScalars.map { "U+" + String(format: "%04X", $0.value) }.joined(separator: " ")
    }

    /// DICOM's value separator, refused in every stored identifier.
    static let dicomReserved: Set<Character> = ["\\"]

    /// DICOM Person Name delimiters: component (`^`), group (`=`) and value (`\`).
    static let personNameReserved: Set<Character> = ["^", "=", "\\"]
}
