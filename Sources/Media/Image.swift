/// A picture in memory as plain bytes: 8-bit gray or packed 8-bit RGB, rows without
/// padding. The value Media hands out instead of FFmpeg frames or libpng buffers.
public struct Image: Sendable, Equatable {
    public enum Format: String, Sendable, Codable, CaseIterable {
        /// One byte per pixel, 0 black to 255 white: B-mode ultrasound without colour.
        case gray8
        /// Three bytes per pixel, R then G then B.
        case rgb24

        public var channels: Int { self == .gray8 ? 1 : 3 }
    }

    public let width: Int
    public let height: Int
    public let format: Format
    /// `height` rows of `width * format.channels` bytes.
    public var pixels: [UInt8]

    /// Wraps existing pixels; throws when the byte count does not match the size.
    public init(width: Int, height: Int, format: Format, pixels: [UInt8]) throws(MediaError) {
        guard width > 0, height > 0 else {
            throw MediaError(.invalidArgument, "an image needs a positive size, not \(width)x\(height)")
        }
        let expected = width * height * format.channels
        guard pixels.count == expected else {
            throw MediaError(.invalidArgument,
                             "a \(width)x\(height) \(format.rawValue) image needs \(expected) bytes, got \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.format = format
        self.pixels = pixels
    }

    /// A blank (black) image.
    public init(width: Int, height: Int, format: Format) {
        precondition(width > 0 && height > 0, "image size must be positive")
        self.width = width
        self.height = height
        self.format = format
        self.pixels = [UInt8](repeating: 0, count: width * height * format.channels)
    }

    public var bytesPerRow: Int { width * format.channels }

    /// True when every pixel is neutral (R = G = B), so the picture can be kept as gray.
    public var isNeutral: Bool {
        if format == .gray8 { return true }
        return pixels.withUnsafeBufferPointer { p in
            var i = 0
            while i < p.count {
                if p[i] != p[i + 1] || p[i] != p[i + 2] { return false }
                i += 3
            }
            return true
        }
    }

    /// The same picture as 8-bit gray. RGB is reduced with BT.601 luma weights,
    /// which for neutral pixels returns the exact value.
    /// The luma of the RGB pixel starting at `offset` (BT.601 weights, rounded).
    @inline(__always)
    static func luma(_ rgb: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt8 {
        let r = Int(rgb[offset]), g = Int(rgb[offset + 1]), b = Int(rgb[offset + 2])
        return UInt8((r * 299 + g * 587 + b * 114 + 500) / 1000)
    }

    public func grayscale() -> Image {
        if format == .gray8 { return self }
        var gray = [UInt8](repeating: 0, count: width * height)
        pixels.withUnsafeBufferPointer { p in
            for i in 0..<(width * height) { gray[i] = Self.luma(p, at: 3 * i) }
        }
        return try! Image(width: width, height: height, format: .gray8, pixels: gray)
    }
}
