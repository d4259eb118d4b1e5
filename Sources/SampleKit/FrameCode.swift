/// A frame's own number, drawn into its pixels so a test can tell exactly which frame a
/// still, a preview or a recording's picture is, whatever happened to its timestamps.
///
/// One row of square cells in the top-left corner, on a black margin: a white-black-white
/// start mark, 16 bits of the number (most significant first) and a 4-bit check (the sum
/// of the number's nibbles). White is a 1. Cells scale with the picture's width (at least
/// 8 pixels), so the code survives JPEG at ordinary qualities and a capture card's scaler;
/// it is read from cell centres, where compression smears least.
public enum FrameCode {
    /// Numbers the code carries: 0 up to this.
    public static let maximum = 0xFFFF
    static let startMark = [true, false, true]
    static let cellCount = startMark.count + 16 + 4

    /// Side of one cell for a picture `width` pixels wide.
    public static func cell(forWidth width: Int) -> Int { max(8, width / 80) }

    /// The cells' values for `number`, start mark first.
    static func bits(of number: Int) -> [Bool] {
        let value = number & maximum
        let check = ((value >> 12) + (value >> 8 & 0xF) + (value >> 4 & 0xF) + (value & 0xF)) & 0xF
        return startMark + (0..<16).map { value >> (15 - $0) & 1 == 1 } + (0..<4).map { check >> (3 - $0) & 1 == 1 }
    }

    /// Draws `number` (taken modulo 65,536) into a packed RGB24 picture.
    public static func draw(_ number: Int, intoRGB rgb: inout [UInt8], width: Int, height: Int) {
        precondition(rgb.count >= width * height * 3, "an RGB24 picture of \(width)x\(height) needs \(width * height * 3) bytes")
        rgb.withUnsafeMutableBufferPointer { pixels in
            let canvas = RGBCanvas(width: width, height: height, pixels: pixels)
            let cell = cell(forWidth: width)
            // The black margin: whatever the screen shows around the code cannot touch a cell.
            canvas.fill(PixelRect(x: 0, y: 0, width: (cellCount + 2) * cell, height: 3 * cell), .black)
            for (i, bit) in bits(of: number).enumerated() where bit {
                canvas.fill(PixelRect(x: (i + 1) * cell, y: cell, width: cell, height: cell), .gray(255))
            }
        }
    }

    /// The number in a picture `width` pixels wide, given its luma (0-255) at a pixel;
    /// nil when there is no code there or its check fails (a picture that is not one of
    /// the numbered frames, or one torn between two frames).
    public static func read(width: Int, height: Int, luma: (_ x: Int, _ y: Int) -> Int) -> Int? {
        let cell = cell(forWidth: width)
        guard (cellCount + 2) * cell <= width, 3 * cell <= height else { return nil }
        let inset = cell / 4
        var read: [Bool] = []
        for i in 0..<cellCount {
            var sum = 0, count = 0
            for y in (cell + inset)..<(2 * cell - inset) {
                for x in ((i + 1) * cell + inset)..<((i + 2) * cell - inset) {
                    sum += luma(x, y)
                    count += 1
                }
            }
            read.append(sum / max(count, 1) >= 128)
        }
        guard Array(read.prefix(startMark.count)) == startMark else { return nil }
        let number = read[startMark.count..<(startMark.count + 16)].reduce(0) { $0 << 1 | ($1 ? 1 : 0) }
        return bits(of: number) == read ? number : nil
    }
}
