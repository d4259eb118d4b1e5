// libFuzzer target `png` (tools/fuzz png): the input as a still's PNG bytes, decoded by
// Media's PNG.decode (Sources/Media/PNG.swift over the libpng shim in Sources/CPNG),
// as the archive, the review pages and the exports read stills back.
//
// Mutated bytes almost never keep valid chunk CRCs, and libpng stops at the first
// critical chunk whose CRC is wrong, so each input is decoded twice: as it is, and
// with every chunk's CRC recomputed, which lets mutations reach the chunk parsers,
// zlib and the row filters. A picture that decodes is encoded again and must decode
// to the same pixels.
import Foundation
import Media

func promise(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("broken promise: \(message())") }
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzPNGInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    // tools/fuzz runs the target once with this set to write seeds made by Media's own encoder.
    if let folder = ProcessInfo.processInfo.environment["NEEDLELOG_FUZZ_WRITE_SEEDS"] {
        writeSeeds(to: folder)
        exit(0)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    check(bytes)
    let repaired = withFixedCRCs(bytes)
    if repaired != bytes { check(repaired) }
    return 0
}

/// Small limits keep each run fast; the checks before libpng are the same at any limit.
let limit = 512

func check(_ bytes: Data) {
    let decoded: PNG.Decoded
    do {
        decoded = try PNG.decode(bytes, maximumDimension: limit)
    } catch {
        promise(!error.description.isEmpty, "an error without a message")
        return
    }
    let image = decoded.image
    promise(image.width >= 1 && image.width <= limit && image.height >= 1 && image.height <= limit,
            "decoded a \(image.width)x\(image.height) picture with a limit of \(limit)")
    promise(image.pixels.count == image.width * image.height * image.format.channels, "pixel count")
    // Keys as libpng hands them back need not be ones libpng writes unchanged (it turns
    // control characters into spaces and runs of spaces into one): keep those it does.
    let text = decoded.text.filter { entry in
        (1...79).contains(entry.key.utf8.count) && entry.key.utf8.allSatisfy { (0x20...0x7E).contains($0) }
            && !entry.key.hasPrefix(" ") && !entry.key.hasSuffix(" ") && !entry.key.contains("  ")
    }
    do {
        let encoded = try PNG.encode(image, options: .fast, text: text)
        let again = try PNG.decode(encoded, maximumDimension: limit)
        promise(again.image == image, "a decoded picture does not survive encode and decode")
        promise(again.text == text, "text chunks do not survive encode and decode: \(text) became \(again.text)")
    } catch {
        promise(false, "a decoded \(image.width)x\(image.height) \(image.format) picture cannot be written again: \(error)")
    }
}

// MARK: - CRCs

let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
}

func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
}

/// The bytes with the CRC of every whole chunk after the signature recomputed.
func withFixedCRCs(_ input: Data) -> Data {
    var bytes = [UInt8](input)
    var offset = 8
    while offset + 12 <= bytes.count {
        let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
        let end = offset + 8 + length
        guard length <= 0x7FFF_FFFF, end + 4 <= bytes.count else { break }
        let crc = crc32(bytes[(offset + 4)..<end])
        bytes[end] = UInt8(crc >> 24)
        bytes[end + 1] = UInt8(crc >> 16 & 0xFF)
        bytes[end + 2] = UInt8(crc >> 8 & 0xFF)
        bytes[end + 3] = UInt8(crc & 0xFF)
        offset = end + 4
    }
    return Data(bytes)
}

// MARK: - Seeds

func writeSeeds(to folder: String) {
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    func pattern(_ width: Int, _ height: Int, _ format: Image.Format) -> Image {
        var image = Image(width: width, height: height, format: format)
        for i in image.pixels.indices { image.pixels[i] = UInt8(truncatingIfNeeded: i &* 37 &+ i / 7) }
        return image
    }
    let text = [PNGText("NeedleLog.site", "left L4-L5"), PNGText("Comment", "Größe ü")]
    let seeds: [(String, Image, PNG.Options, [PNGText])] = [
        ("media-gray-fast", pattern(9, 7, .gray8), .fast, []),
        ("media-rgb-text", pattern(5, 4, .rgb24), .default, text),
        ("media-gray-paeth", pattern(17, 3, .gray8), PNG.Options(compressionLevel: 9, filter: .paeth), text),
        ("media-rgb-none", pattern(3, 11, .rgb24), PNG.Options(compressionLevel: 0, filter: .none), []),
    ]
    for (name, image, options, chunks) in seeds {
        if let data = try? PNG.encode(image, options: options, text: chunks) {
            _ = FileManager.default.createFile(atPath: "\(folder)/\(name).png", contents: data)
        }
    }
}
