/// Drawing primitives on a packed RGB24 frame buffer (row-major, no padding).
///
/// A value that wraps the caller's buffer for the duration of one drawing pass; all
/// writes are clipped to the frame so the UI code can be sloppy near the edges.
struct RGBCanvas: ~Copyable {
    let width: Int
    let height: Int
    let pixels: UnsafeMutableBufferPointer<UInt8>

    init(width: Int, height: Int, pixels: UnsafeMutableBufferPointer<UInt8>) {
        precondition(pixels.count >= width * height * 3, "frame buffer too small")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    func set(_ x: Int, _ y: Int, _ color: RGBColor) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = (y * width + x) * 3
        pixels[i] = color.r
        pixels[i + 1] = color.g
        pixels[i + 2] = color.b
    }

    func fill(_ rect: PixelRect, _ color: RGBColor) {
        let x0 = max(0, rect.x), y0 = max(0, rect.y)
        let x1 = min(width, rect.x + rect.width), y1 = min(height, rect.y + rect.height)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            var i = (y * width + x0) * 3
            for _ in x0..<x1 {
                pixels[i] = color.r
                pixels[i + 1] = color.g
                pixels[i + 2] = color.b
                i += 3
            }
        }
    }

    func frame(_ rect: PixelRect, thickness: Int, _ color: RGBColor) {
        fill(PixelRect(x: rect.x, y: rect.y, width: rect.width, height: thickness), color)
        fill(PixelRect(x: rect.x, y: rect.y + rect.height - thickness, width: rect.width, height: thickness), color)
        fill(PixelRect(x: rect.x, y: rect.y, width: thickness, height: rect.height), color)
        fill(PixelRect(x: rect.x + rect.width - thickness, y: rect.y, width: thickness, height: rect.height), color)
    }

    /// Draws text with the embedded font; returns the rectangle it covers.
    @discardableResult
    func text(_ string: String, x: Int, y: Int, scale: Int, _ color: RGBColor) -> PixelRect {
        var cursor = x
        for character in string {
            if let rows = BitmapFont.glyph(character) {
                for (row, bits) in rows.enumerated() {
                    for column in 0..<BitmapFont.glyphWidth where bits & (1 << (BitmapFont.glyphWidth - 1 - column)) != 0 {
                        fill(PixelRect(x: cursor + column * scale, y: y + row * scale, width: scale, height: scale), color)
                    }
                }
            }
            cursor += BitmapFont.advance * scale
        }
        return BitmapFont.bounds(of: string, x: x, y: y, scale: scale)
    }
}
