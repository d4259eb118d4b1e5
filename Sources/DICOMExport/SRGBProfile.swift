import Foundation

/// A small sRGB display profile (ICC.1:2001-04, version 2.1) for the ICC Profile
/// module of a Color Softcopy Presentation State, built here so the export needs no
/// profile file on disk.
///
/// Why this profile: the RGB stills are screen captures of the scanner's display,
/// and sRGB (IEC 61966-2-1) is what a display without a profile of its own is taken
/// to show. Why version 2: a v2 matrix/TRC display profile needs only the nine tags
/// below, where v4 would add a chromatic adaptation tag and multi-language text;
/// every colour management system reads v2. The tone curve is the sRGB curve itself
/// (a linear toe, then the 2.4 power) sampled at 1024 points, as widely used sRGB
/// profiles do, rather than a plain gamma of 2.2, which darkens the shadows; the
/// three TRC tags share the one table. The header's date is fixed so the profile,
/// and with it the exported file, is the same bytes on every export.
enum SRGBProfile {
    /// The profile's bytes.
    static let bytes: [UInt8] = build()

    /// The sRGB primaries adapted to the D50 profile connection space (Bradford), as
    /// the XYZ columns red, green, blue; each row sums to D50.
    static let red = (x: 0.436_066, y: 0.222_488, z: 0.013_916)
    static let green = (x: 0.385_147, y: 0.716_873, z: 0.097_076)
    static let blue = (x: 0.143_066, y: 0.060_608, z: 0.714_096)
    /// The PCS illuminant, D50.
    static let d50 = (x: 0.9642, y: 1.0, z: 0.8249)
    /// sRGB's own white, D65, as a v2 display profile's media white point.
    static let d65 = (x: 0.9505, y: 1.0, z: 1.0891)

    /// The DICOM encoding (PS3.3 C.10.7.1.1) of an 8-bit sRGB colour as CIELab
    /// under D50: L* 0...100 and a*, b* -128...127 scaled to 0...0xFFFF, through
    /// this profile's own curve and primaries, so a viewer that honours the
    /// profile shows the colour asked for.
    static func dicomCIELab(red r: UInt8, green g: UInt8, blue b: UInt8) -> [UInt16] {
        let (lr, lg, lb) = (linear(Double(r) / 255), linear(Double(g) / 255), linear(Double(b) / 255))
        let x = red.x * lr + green.x * lg + blue.x * lb
        let y = red.y * lr + green.y * lg + blue.y * lb
        let z = red.z * lr + green.z * lg + blue.z * lb
        func f(_ t: Double) -> Double { t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116 }
        let (fx, fy, fz) = (f(x / d50.x), f(y / d50.y), f(z / d50.z))
        let l = 116 * fy - 16, a = 500 * (fx - fy), bStar = 200 * (fy - fz)
        func scaled(_ value: Double, _ low: Double, _ high: Double) -> UInt16 {
            UInt16(min(max(0, ((value - low) / (high - low) * 65535).rounded()), 65535))
        }
        return [scaled(l, 0, 100), scaled(a, -128, 127), scaled(bStar, -128, 127)]
    }

    /// The sRGB decoding curve: encoded value 0...1 to linear light 0...1.
    static func linear(_ v: Double) -> Double {
        v <= 0.040_45 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
    }

    // MARK: - Encoding

    private static func build() -> [UInt8] {
        let trc = curve()
        let tags: [(signature: String, data: [UInt8])] = [
            ("desc", textDescription("sRGB IEC61966-2.1 (NeedleLog)")),
            ("cprt", text("No copyright, use freely")),
            ("wtpt", xyz(d65)),
            ("rXYZ", xyz(red)), ("gXYZ", xyz(green)), ("bXYZ", xyz(blue)),
            ("rTRC", trc), ("gTRC", trc), ("bTRC", trc),
        ]
        // Tag data starts after the 128-byte header and the table; each element on a
        // 4-byte boundary (ICC.1 6.4), and identical data stored once.
        var table: [UInt8] = uint32(UInt32(tags.count))
        var data: [UInt8] = []
        var stored: [[UInt8]: UInt32] = [:]
        let start = 128 + 4 + 12 * tags.count
        for tag in tags {
            let offset: UInt32
            if let earlier = stored[tag.data] {
                offset = earlier
            } else {
                offset = UInt32(start + data.count)
                stored[tag.data] = offset
                data += tag.data
                data += [UInt8](repeating: 0, count: (4 - data.count % 4) % 4)
            }
            table += signature(tag.signature) + uint32(offset) + uint32(UInt32(tag.data.count))
        }
        let body = table + data
        return header(size: 128 + body.count) + body
    }

    /// ICC.1 6.1, the 128-byte profile header.
    private static func header(size: Int) -> [UInt8] {
        var h = uint32(UInt32(size))
        h += [0, 0, 0, 0]  // preferred CMM: none
        h += [0x02, 0x10, 0, 0]  // version 2.1.0
        h += signature("mntr") + signature("RGB ") + signature("XYZ ")
        // Creation date and time (UTC), fixed: 2026-01-01 00:00:00.
        for part: UInt16 in [2026, 1, 1, 0, 0, 0] { h += uint16(part) }
        h += signature("acsp")
        h += [UInt8](repeating: 0, count: 4 + 4 + 4 + 4 + 8)  // platform, flags, manufacturer, model, attributes
        h += uint32(0)  // rendering intent: perceptual
        h += xyz(d50).suffix(12)  // the PCS illuminant, bare numbers
        h += [UInt8](repeating: 0, count: 4)  // creator
        h += [UInt8](repeating: 0, count: 128 - h.count)  // reserved (v4's profile ID)
        return h
    }

    /// textDescriptionType (ICC.1:2001-04 6.5.17): ASCII, then empty Unicode and
    /// ScriptCode parts.
    private static func textDescription(_ value: String) -> [UInt8] {
        let ascii = Array(value.utf8) + [0]
        var out = signature("desc") + uint32(0) + uint32(UInt32(ascii.count)) + ascii
        out += uint32(0) + uint32(0)  // Unicode language code and count
        out += uint16(0) + [0] + [UInt8](repeating: 0, count: 67)  // ScriptCode code, count, description
        return out
    }

    /// textType (6.5.18): NUL-terminated ASCII.
    private static func text(_ value: String) -> [UInt8] {
        signature("text") + uint32(0) + Array(value.utf8) + [0]
    }

    /// XYZType (6.5.26) with one s15Fixed16Number triple.
    private static func xyz(_ value: (x: Double, y: Double, z: Double)) -> [UInt8] {
        signature("XYZ ") + uint32(0) + [value.x, value.y, value.z].flatMap { uint32(UInt32(bitPattern: Int32(($0 * 65536).rounded()))) }
    }

    /// curveType (6.5.3): the sRGB curve at 1024 evenly spaced inputs.
    private static func curve() -> [UInt8] {
        let count = 1024
        var out = signature("curv") + uint32(0) + uint32(UInt32(count))
        for i in 0..<count {
            out += uint16(UInt16((linear(Double(i) / Double(count - 1)) * 65535).rounded()))
        }
        return out
    }

    private static func signature(_ text: String) -> [UInt8] {
        precondition(text.utf8.count == 4, "an ICC signature is four characters")
        return Array(text.utf8)
    }

    private static func uint32(_ value: UInt32) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian, Array.init)
    }

    private static func uint16(_ value: UInt16) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian, Array.init)
    }
}
