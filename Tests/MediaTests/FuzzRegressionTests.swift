import Foundation
import Testing
@testable import Media

/// Inputs found through `tools/fuzz png` and `tools/fuzz probe`, with what they must give now.
@Suite("fuzzing finds: Media")
struct FuzzRegressionTests {
    /// 41 bytes: a PNG signature, a 17x3 gray IHDR and the header of an iTXt chunk that
    /// claims 0x27000016 (654,311,446) bytes, with none of them there. libpng allocates a
    /// chunk's declared length before reading it, and libpng 1.6 only warns when that
    /// passes png_set_chunk_malloc_max, so decoding these bytes allocated 654 MB (up to
    /// 2 GiB for other lengths). The shim now walks the chunk lengths first.
    static let chunkLongerThanFile: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A,   // signature
        0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,   // IHDR, 13 bytes:
        0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x03,   //   17 x 3
        0x08, 0x00, 0x00, 0x00, 0x00,                     //   8-bit gray, no interlace
        0x50, 0x18, 0xBB, 0xB6,                           //   CRC
        0x27, 0x00, 0x00, 0x16, 0x69, 0x54, 0x58, 0x74,   // iTXt, 654311446 bytes claimed; the file ends
    ]

    @Test("a chunk claiming more bytes than the file holds is refused, naming the chunk, before libpng allocates")
    func chunkLongerThanFile() {
        let error = #expect(throws: MediaError.self) { try PNG.decode(Data(Self.chunkLongerThanFile), path: "still.png") }
        #expect(error?.kind == .corruptData)
        #expect(error?.description == "still.png: cannot decode PNG: the data is damaged "
                + "(file ends early (truncated PNG): the iTXt chunk claims 654311446 bytes, 0 remain)")
    }

    @Test("the same with the bytes as the fuzzer wrote them (IHDR checksum not yet fixed)")
    func chunkLongerThanFileAsFound() {
        var found = Self.chunkLongerThanFile
        found.replaceSubrange(29..<33, with: [0x58, 0x74, 0x60, 0x82])
        let error = #expect(throws: MediaError.self) { try PNG.decode(Data(found)) }
        #expect(error?.kind == .corruptData)
        #expect(error?.message.contains("the iTXt chunk claims 654311446 bytes") == true)
    }

    /// Not fixed here (Sources/Media is not the fuzzing change's to edit): found reviewing
    /// Frame.lumaGrid for the probe harness and confirmed with it, ASan reporting a
    /// heap-buffer-overflow READ in LumaGrid.average (LumaGrid.swift:49) from Frame.lumaGrid
    /// (LumaGrid.swift:74). A 1-bit picture (monowhite or monoblack, which PBM and fax TIFF
    /// decode to) passes the one-component test, so its plane is read as a byte a pixel:
    /// eight times the row, past the end of the frame. `needlelog import` runs lumaGrid on
    /// every frame of a clip. These 417 bytes are a white 408x8 PBM.
    @Test("a 1-bit picture's luma grid is read from its bits, inside its rows")
    func oneBitLumaGrid() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("white.pbm")
        #expect(FileManager.default.createFile(atPath: path, contents: Data("P4\n408 8\n".utf8) + Data(count: 408)))
        let (_, frames, _) = try decodeAll(.file(path))
        let frame = try #require(frames.first)
        let grid = try frame.lumaGrid()
        #expect(grid.columns == 51 && grid.rows == 1)
        #expect(grid.means.allSatisfy { $0 == 255 }, "\(grid.means)")
    }
}
