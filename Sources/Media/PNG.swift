internal import CPNG
import Foundation

/// A text chunk in a PNG: a keyword (1-79 Latin-1 characters) and a value.
public struct PNGText: Sendable, Equatable, Codable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// PNG encoding and decoding through libpng, for stills.
///
/// Every libpng call runs inside one C function of the CPNG shim that owns the
/// `setjmp`, so libpng's `longjmp` on an error never crosses a Swift frame; errors
/// come back as `MediaError`s carrying libpng's own words.
public enum PNG {
    /// zlib effort and the row filter. Stills from a live session favour speed;
    /// archival exports may spend more.
    public struct Options: Sendable, Equatable {
        public enum Filter: Int32, Sendable { case adaptive = 0, none, sub, up, average, paeth }
        /// 0 (store) to 9 (smallest).
        public var compressionLevel: Int
        public var filter: Filter

        public init(compressionLevel: Int = 6, filter: Filter = .adaptive) {
            self.compressionLevel = compressionLevel
            self.filter = filter
        }

        /// Fast enough for a 1080p still while capturing; about a third larger than `.default`.
        public static let fast = Options(compressionLevel: 1, filter: .up)
        public static let `default` = Options()
        public static let smallest = Options(compressionLevel: 9, filter: .adaptive)
    }

    /// A decoded PNG: the picture and its text chunks in file order.
    public struct Decoded: Sendable, Equatable {
        public var image: Image
        public var text: [PNGText]

        public func text(_ key: String) -> String? { text.first { $0.key == key }?.value }
    }

    /// Largest side accepted when decoding unless the caller allows more.
    public static let defaultMaximumDimension = 8192

    /// Encodes a gray image as 8-bit gray and an RGB one as 8-bit RGB.
    /// - Throws: `MediaError(.invalidArgument)` for a bad keyword or level, `.outOfMemory`, or libpng's error.
    public static func encode(_ image: Image, options: Options = .default, text: [PNGText] = []) throws(MediaError) -> Data {
        guard (0...9).contains(options.compressionLevel) else {
            throw MediaError(.invalidArgument, "PNG compression level \(options.compressionLevel) is out of range: use 0-9")
        }
        for entry in text {
            guard (1...79).contains(entry.key.utf8.count), entry.key.allSatisfy({ $0.isASCII && !$0.isNewline }),
                  !entry.key.hasPrefix(" "), !entry.key.hasSuffix(" ") else {
                throw MediaError(.invalidArgument, "PNG text keyword \"\(entry.key)\" is invalid: use 1-79 printable ASCII characters without leading or trailing spaces")
            }
        }
        var buffer = nl_png_buffer()
        var message = [CChar](repeating: 0, count: 256)
        let status = withTextArray(text) { chunks, count in
            image.pixels.withUnsafeBufferPointer { pixels in
                nl_png_encode(pixels.baseAddress, UInt32(image.width), UInt32(image.height), Int32(image.format.channels),
                              image.bytesPerRow, Int32(options.compressionLevel), options.filter.rawValue,
                              chunks, count, &buffer, &message, message.count)
            }
        }
        defer { nl_png_buffer_free(&buffer) }
        guard status == NL_PNG_OK, let bytes = buffer.data else {
            throw error(status, message, doing: "encode PNG", path: nil)
        }
        return Data(bytes: bytes, count: buffer.size)
    }

    /// Decodes a PNG of any colour type to 8-bit gray or RGB (palette expanded,
    /// 16-bit reduced, alpha dropped).
    ///
    /// The size in the header is checked before libpng runs, so a file that claims
    /// 100000x100000 pixels is refused without allocating anything.
    /// - Throws: `MediaError(.notMedia)` without a PNG signature, `.tooLarge`, `.corruptData`
    ///   (bad CRC, broken compressed data, truncation) with libpng's explanation.
    public static func decode(_ data: Data, maximumDimension: Int = defaultMaximumDimension,
                              path: String? = nil) throws(MediaError) -> Decoded {
        var decoded = nl_png_image()
        var message = [CChar](repeating: 0, count: 256)
        let limit = UInt32(clamping: maximumDimension)
        let status = data.withUnsafeBytes { raw in
            nl_png_decode(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, limit, limit, &decoded, &message, message.count)
        }
        defer { nl_png_image_free(&decoded) }
        guard status == NL_PNG_OK, let pixels = decoded.pixels else {
            throw error(status, message, doing: "decode PNG", path: path)
        }
        let format: Image.Format = decoded.channels == 1 ? .gray8 : .rgb24
        let image = try Image(width: Int(decoded.width), height: Int(decoded.height), format: format,
                              pixels: Array(UnsafeBufferPointer(start: pixels, count: decoded.pixels_size)))
        var text: [PNGText] = []
        for i in 0..<Int(decoded.text_count) {
            if let key = decoded.keys[i], let value = decoded.values[i] {
                text.append(PNGText(String(cString: key), String(cString: value)))
            }
        }
        return Decoded(image: image, text: text)
    }

    /// Reads and decodes a PNG file.
    public static func read(contentsOf path: String, maximumDimension: Int = defaultMaximumDimension) throws(MediaError) -> Decoded {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw MediaError(.notFound, "cannot read the PNG file: \(error.localizedDescription)", path: path)
        }
        return try decode(data, maximumDimension: maximumDimension, path: path)
    }

    // MARK: - Private

    private static func withTextArray<R>(_ text: [PNGText], _ body: (UnsafePointer<nl_png_text>?, Int32) -> R) -> R {
        // strdup'd C strings live until the call returns.
        let keys = text.map { strdup($0.key) }
        let values = text.map { strdup($0.value) }
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        let chunks = zip(keys, values).map { nl_png_text(key: $0, value: $1) }
        return chunks.withUnsafeBufferPointer { body($0.baseAddress, Int32($0.count)) }
    }

    private static func error(_ status: nl_png_status, _ message: [CChar], doing: String, path: String?) -> MediaError {
        let text = String(cBuffer: message)
        let code = Int32(status.rawValue)
        switch status {
        case NL_PNG_NOT_PNG:
            return MediaError(.notMedia, "is not a PNG (no PNG signature)", path: path, code: code)
        case NL_PNG_TOO_LARGE:
            return MediaError(.tooLarge, "PNG refused: \(text)", path: path, code: code)
        case NL_PNG_NO_MEMORY:
            return MediaError(.outOfMemory, "out of memory to \(doing)", path: path, code: code)
        case NL_PNG_BAD_ARGUMENT:
            return MediaError(.invalidArgument, "cannot \(doing): \(text)", path: path, code: code)
        default:
            return MediaError(.corruptData, "cannot \(doing): the data is damaged (\(text.isEmpty ? "libpng error" : text))",
                              path: path, code: code)
        }
    }
}
