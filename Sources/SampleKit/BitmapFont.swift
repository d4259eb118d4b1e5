/// A tiny embedded 5x7 bitmap font (digits, A-Z, some punctuation) for burned-in text.
///
/// Scanners burn their text into the video with blocky fonts; embedding one keeps
/// SampleKit free of any font library and makes the text pixels exactly reproducible.
enum BitmapFont {
    static let glyphWidth = 5
    static let glyphHeight = 7
    /// Horizontal distance between character origins, in font pixels.
    static let advance = 6
    /// Vertical distance between text lines, in font pixels.
    static let lineAdvance = 10

    /// Rows of a glyph as bit masks (bit 4 = leftmost column); lower case maps to upper.
    static func glyph(_ character: Character) -> [UInt8]? {
        if let rows = glyphs[character] { return rows }
        let upper = Character(character.uppercased())
        return glyphs[upper]
    }

    /// The rectangle a string occupies (no trailing spacing column).
    static func bounds(of string: String, x: Int, y: Int, scale: Int) -> PixelRect {
        let count = string.count
        let width = count == 0 ? 0 : (count * advance - 1) * scale
        return PixelRect(x: x, y: y, width: width, height: glyphHeight * scale)
    }

    private static let glyphs: [Character: [UInt8]] = glyphRows.mapValues { rows in
        rows.map { row in
            row.reduce(UInt8(0)) { bits, mark in (bits << 1) | (mark == "#" ? 1 : 0) }
        }
    }
}
