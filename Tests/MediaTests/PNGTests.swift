import Foundation
import Testing
@testable import Media

@Suite("PNG through libpng")
struct PNGTests {
    @Test("gray stills round-trip bit-exact at every compression level")
    func grayRoundTrip() throws {
        var random = SeededBytes(seed: 7)
        let image = try Image(width: 97, height: 61, format: .gray8, pixels: random.bytes(97 * 61))
        for level in [0, 1, 6, 9] {
            let data = try PNG.encode(image, options: .init(compressionLevel: level, filter: .adaptive))
            let decoded = try PNG.decode(data)
            #expect(decoded.image == image)
            #expect(decoded.image.format == .gray8)
            // Byte 25 of a PNG is the IHDR colour type: 0 is gray, 2 is RGB.
            #expect(data[25] == 0)
        }
    }

    @Test("RGB stills round-trip bit-exact with every filter")
    func rgbRoundTrip() throws {
        let image = TestPictures.moving(3, width: 120, height: 80, format: .rgb24)
        for filter in [PNG.Options.Filter.adaptive, .none, .sub, .up, .average, .paeth] {
            let data = try PNG.encode(image, options: .init(compressionLevel: 3, filter: filter))
            let decoded = try PNG.decode(data)
            #expect(decoded.image == image, "filter \(filter)")
            #expect(data[25] == 2)
        }
    }

    @Test("higher compression levels give smaller files of the same picture")
    func compressionLevelsMatter() throws {
        let image = TestPictures.moving(5, width: 320, height: 240, format: .gray8)
        let stored = try PNG.encode(image, options: .init(compressionLevel: 0, filter: .none))
        let smallest = try PNG.encode(image, options: .smallest)
        #expect(stored.count > image.pixels.count)   // level 0 stores, plus headers
        #expect(smallest.count * 4 < stored.count)
    }

    @Test("text chunks carry metadata, including UTF-8 values")
    func textChunks() throws {
        let image = TestPictures.moving(1, width: 16, height: 16, format: .gray8)
        let text = [PNGText("needlelog:level", "L4-L5"), PNGText("needlelog:structure", "facet-capsule"),
                    PNGText("Comment", "Injektion – rechts, 0,5 mL")]
        let decoded = try PNG.decode(PNG.encode(image, text: text))
        #expect(decoded.text == text)
        #expect(decoded.text("needlelog:level") == "L4-L5")
    }

    @Test("a keyword PNG cannot hold is refused before encoding")
    func badKeyword() throws {
        let image = TestPictures.moving(1, width: 8, height: 8, format: .gray8)
        let error = #expect(throws: MediaError.self) {
            try PNG.encode(image, text: [PNGText(String(repeating: "k", count: 80), "v")])
        }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.message.contains("1-79") == true)
    }

    @Test("a corrupt chunk is reported as damaged data with libpng's reason")
    func corruptChunk() throws {
        var random = SeededBytes(seed: 11)
        let image = try Image(width: 64, height: 64, format: .gray8, pixels: random.bytes(64 * 64))
        let data = try PNG.encode(image)
        let idat = try #require(data.range(of: Data("IDAT".utf8)))
        let length = data[idat.lowerBound - 4..<idat.lowerBound].reduce(0) { $0 << 8 | Int($1) }

        var damagedPayload = data
        damagedPayload[idat.upperBound + 40] ^= 0xFF
        let payloadError = #expect(throws: MediaError.self) { try PNG.decode(damagedPayload, path: "still.png") }
        #expect(payloadError?.kind == .corruptData)
        #expect(payloadError?.description.hasPrefix("still.png: cannot decode PNG: the data is damaged (IDAT") == true)

        var damagedChecksum = data
        damagedChecksum[idat.upperBound + length] ^= 0xFF
        let checksumError = #expect(throws: MediaError.self) { try PNG.decode(damagedChecksum) }
        #expect(checksumError?.kind == .corruptData)
        #expect(checksumError?.message.contains("IDAT: CRC error") == true, "\(checksumError?.message ?? "")")
    }

    @Test("a header claiming 100000x100000 pixels is refused before anything is allocated")
    func oversizedHeader() throws {
        let data = PNGBytes.withHeader(width: 100_000, height: 100_000)
        let error = #expect(throws: MediaError.self) { try PNG.decode(data) }
        #expect(error?.kind == .tooLarge)
        #expect(error?.message.contains("100000x100000") == true)
        // A small image with the same missing pixel data passes the size check and fails later, as damage.
        let small = #expect(throws: MediaError.self) { try PNG.decode(PNGBytes.withHeader(width: 100, height: 100)) }
        #expect(small?.kind == .corruptData)
    }

    @Test("a file that is not a PNG, and a cut-off PNG, get clear errors")
    func notPNGAndTruncated() throws {
        let notPNG = #expect(throws: MediaError.self) { try PNG.decode(Data("just some text".utf8)) }
        #expect(notPNG?.kind == .notMedia)
        let image = TestPictures.moving(2, width: 64, height: 64, format: .rgb24)
        let data = try PNG.encode(image)
        let truncated = #expect(throws: MediaError.self) { try PNG.decode(data.prefix(data.count / 2)) }
        #expect(truncated?.kind == .corruptData)
    }
}

/// Hand-built PNG bytes for headers no encoder would write.
enum PNGBytes {
    static func withHeader(width: UInt32, height: UInt32) -> Data {
        var data = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var ihdr = Data()
        ihdr.append(bigEndian: width)
        ihdr.append(bigEndian: height)
        ihdr.append(contentsOf: [8, 0, 0, 0, 0])  // 8-bit gray, deflate, adaptive filter, no interlace
        data.append(chunk: "IHDR", ihdr)
        data.append(chunk: "IDAT", Data([0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]))
        data.append(chunk: "IEND", Data())
        return data
    }

    static func crc32(_ bytes: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }
}

extension Data {
    mutating func append(bigEndian value: UInt32) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    mutating func append(chunk type: String, _ payload: Data) {
        append(bigEndian: UInt32(payload.count))
        let typed = Data(type.utf8) + payload
        append(typed)
        append(bigEndian: PNGBytes.crc32(typed))
    }
}
