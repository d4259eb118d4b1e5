/// An 8-bit RGB colour of the scanner's on-screen furniture.
struct RGBColor: Sendable, Equatable {
    var r: UInt8
    var g: UInt8
    var b: UInt8

    static func gray(_ level: UInt8) -> RGBColor {
        RGBColor(r: level, g: level, b: level)
    }

    static let black = RGBColor.gray(0)

    /// The same colour with its chroma removed, for clips whose every pixel must be R=G=B.
    var grayscale: RGBColor {
        let luma = (Int(r) * 77 + Int(g) * 150 + Int(b) * 29 + 128) >> 8
        return .gray(UInt8(min(255, luma)))
    }
}
