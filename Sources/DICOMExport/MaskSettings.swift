import Foundation

/// Which burned-in text to blank, per image: a scanner profile from a JSON file
/// (chosen by name, or by the image size when no name is given), then the command
/// line's header band and extra rectangles on top.
///
/// The file reads:
/// ```json
/// {"scanners": [{"name": "capture-640x480", "width": 640, "height": 480,
///                "headerBand": 42, "rectangles": [{"x": 482, "y": 462, "width": 154, "height": 14}]}]}
/// ```
public struct MaskSettings: Sendable, Equatable {
    public struct Scanner: Sendable, Equatable, Codable {
        public var name: String
        /// The screen size the profile is for; a profile without one is chosen only by name.
        public var width: Int?
        public var height: Int?
        public var headerBand: Int?
        public var rectangles: [BurnedInTextMask.Rectangle]?

        public init(name: String, width: Int? = nil, height: Int? = nil, headerBand: Int? = nil,
                    rectangles: [BurnedInTextMask.Rectangle]? = nil) {
            self.name = name
            self.width = width
            self.height = height
            self.headerBand = headerBand
            self.rectangles = rectangles
        }
    }

    struct File: Codable {
        var scanners: [Scanner]
    }

    public var scanners: [Scanner]
    /// The profile to use whatever the image size.
    public var scanner: String?
    public var headerBand: Int?
    public var rectangles: [BurnedInTextMask.Rectangle]

    public init(scanners: [Scanner] = [], scanner: String? = nil, headerBand: Int? = nil,
                rectangles: [BurnedInTextMask.Rectangle] = []) {
        self.scanners = scanners
        self.scanner = scanner
        self.headerBand = headerBand
        self.rectangles = rectangles
    }

    /// Reads the scanner profiles of a JSON file.
    /// - Throws: ``DICOMExportError`` when the file is missing or not in the documented form.
    public static func scanners(fromFile path: String) throws(DICOMExportError) -> [Scanner] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw DICOMExportError(.notFound, "cannot read the mask file \(path): \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(File.self, from: data).scanners
        } catch {
            throw DICOMExportError(.invalid, "the mask file \(path) is not in the expected form {\"scanners\": [{\"name\": \"...\", \"width\": 640, \"height\": 480, \"headerBand\": 42, \"rectangles\": [{\"x\": 0, \"y\": 0, \"width\": 10, \"height\": 10}]}]}: \(error)")
        }
    }

    /// Checks the named scanner exists, before any file is written.
    public func validate() throws(DICOMExportError) {
        if let scanner, !scanners.contains(where: { $0.name == scanner }) {
            let known = scanners.map(\.name).joined(separator: ", ")
            throw DICOMExportError(.invalid, "no scanner \"\(scanner)\" in the mask file: it has \(known.isEmpty ? "none" : known)")
        }
        if let headerBand, headerBand < 0 {
            throw DICOMExportError(.invalid, "the header band must be 0 rows or more, not \(headerBand)")
        }
    }

    /// The mask for an image of this size.
    public func mask(width: Int, height: Int) -> BurnedInTextMask {
        let profile = self.profile(width: width, height: height)
        return BurnedInTextMask(headerBand: headerBand ?? profile?.headerBand,
                                rectangles: (profile?.rectangles ?? []) + rectangles)
    }

    /// The scanner profile used for an image of this size: the one named, else the one
    /// made for the size.
    public func profile(width: Int, height: Int) -> Scanner? {
        scanner.flatMap { name in scanners.first { $0.name == name } }
            ?? scanners.first { $0.width == width && $0.height == height }
    }

    /// Whether the mask of an image this size blanks every place its scanner burns text.
    public enum Coverage: Sendable, Equatable {
        /// A scanner profile made for the picture, all of it masked.
        case profile(String)
        /// `--mask` rectangles given for this export: whoever gave them vouches for them.
        case explicit
        /// Nothing says where the text is, or part of it is left: why, in words.
        case uncovered(String)

        public var isCovered: Bool {
            if case .uncovered = self { false } else { true }
        }
    }

    /// Whether the masks cover the picture: a scanner profile (chosen by name or by the
    /// size) whose header band and rectangles are all blanked, or `--mask` rectangles.
    /// The default header band alone covers nothing: text outside it (a clock, an
    /// accession number at the bottom) would stay.
    public func coverage(width: Int, height: Int) -> Coverage {
        if let profile = profile(width: width, height: height) {
            if let w = profile.width, let h = profile.height, w != width || h != height {
                return .uncovered("scanner profile \"\(profile.name)\" is for \(w)x\(h) pictures, not \(width)x\(height)")
            }
            let declared = min(height, profile.headerBand ?? BurnedInTextMask.defaultHeaderBand(forHeight: height))
            if let band = headerBand, min(height, band) < declared {
                return .uncovered("a header band of \(band) rows leaves rows \(band)-\(declared - 1) of scanner profile \"\(profile.name)\"'s \(declared)-row header unmasked")
            }
            return .profile(profile.name)
        }
        if !rectangles.isEmpty { return .explicit }
        let band = min(height, headerBand ?? BurnedInTextMask.defaultHeaderBand(forHeight: height))
        let blanked = band > 0 ? "only the top \(band) rows would be blanked" : "nothing would be blanked"
        return .uncovered("no scanner profile\(scanners.isEmpty ? "" : " in the mask file") is for \(width)x\(height) pictures and no rectangles were given, so \(blanked) and text the scanner burns in elsewhere (a clock, an accession number at the bottom) would stay")
    }
}
