/// A picture buffer laid out the way swscale wants its single-plane input and output:
/// each row starts on a 64-byte boundary and is padded to a multiple of 64 bytes, and
/// a spare row follows the last, so block-wise SIMD reads and writes past a row's
/// end stay inside the buffer.
final class ScratchPicture {
    static let alignment = 64
    let stride: Int
    let rows: Int
    let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int

    init(rows: Int, bytesPerRow: Int) {
        precondition(rows > 0 && bytesPerRow > 0, "a scratch picture needs a positive size")
        let alignment = Self.alignment
        stride = (bytesPerRow + alignment - 1) / alignment * alignment
        self.rows = rows
        capacity = stride * (rows + 1)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: alignment)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: capacity)
        base = raw.assumingMemoryBound(to: UInt8.self)
    }

    deinit {
        UnsafeMutableRawPointer(base).deallocate()
    }

    func fits(rows: Int, bytesPerRow: Int) -> Bool {
        rows <= self.rows && bytesPerRow <= stride
    }

    /// Copies the first `rows` rows, `bytesPerRow` bytes each, into tightly packed `pixels`.
    func copyRows(into pixels: inout [UInt8], bytesPerRow: Int, rows: Int) {
        precondition(pixels.count >= bytesPerRow * rows && fits(rows: rows, bytesPerRow: bytesPerRow))
        if bytesPerRow == stride {
            pixels.withUnsafeMutableBufferPointer { out in out.baseAddress!.update(from: base, count: bytesPerRow * rows) }
            return
        }
        pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<rows {
                (out.baseAddress! + y * bytesPerRow).update(from: base + y * stride, count: bytesPerRow)
            }
        }
    }

    /// Copies tightly packed `pixels` into the first `rows` rows.
    func copyRows(from pixels: [UInt8], bytesPerRow: Int, rows: Int) {
        precondition(pixels.count >= bytesPerRow * rows && fits(rows: rows, bytesPerRow: bytesPerRow))
        pixels.withUnsafeBufferPointer { input in
            for y in 0..<rows {
                (base + y * stride).update(from: input.baseAddress! + y * bytesPerRow, count: bytesPerRow)
            }
        }
    }
}
