import Archive
import Foundation
import Media
import Records
import Testing
@testable import Capture

/// Issue 16, item 4: a recording that begins while the scanner is already frozen (record
/// pressed on a frozen, measured image) gives exactly one still once the picture has held
/// half a second; a clip that is live from its first frame gives none there.
@Suite("a freeze the recording starts in")
struct FrozenStartImportTests {
    /// A scanner screen: a sector-shaped speckle picture on black, a frame counter ticking in
    /// the corner. `frozen` holds the picture of `seed`; otherwise every frame is new.
    static func screen(width: Int, height: Int, frame: Int, seed: UInt64) throws -> Image {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var state = seed &+ 0x9E37
        let (cx, top, radius) = (width / 2, height / 10, Double(height) * 0.8)
        for y in top..<height {
            for x in 0..<width {
                let dx = Double(x - cx), dy = Double(y - top)
                let distance = (dx * dx + dy * dy).squareRoot()
                guard distance < radius, abs(dx) < dy * 0.8 else { continue }
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let value = UInt8(30 + Int((state >> 33) % 150) * Int(radius - distance) / Int(radius) + 40)
                let i = (y * width + x) * 3
                (pixels[i], pixels[i + 1], pixels[i + 2]) = (value, value, value)
            }
        }
        for y in 8..<20 {
            for x in 8..<40 {
                let i = (y * width + x) * 3
                let value = UInt8(80 + frame % 10 * 17)
                (pixels[i], pixels[i + 1], pixels[i + 2]) = (value, value, value)
            }
        }
        return try Image(width: width, height: height, format: .rgb24, pixels: pixels)
    }

    /// Writes `frozenFrames` of one held picture, then `liveFrames` of new ones.
    static func clip(_ path: String, width: Int, height: Int, rate: Int, codec: EncoderSettings.Codec,
                     frozenFrames: Int, liveFrames: Int) throws {
        let writer = try MediaWriter(path: path, encoding: EncoderSettings(codec: codec, width: width, height: height, frameRate: rate,
                                                                           keyframeInterval: rate))
        for index in 0..<(frozenFrames + liveFrames) {
            try writer.write(try screen(width: width, height: height, frame: index, seed: index < frozenFrames ? 1 : UInt64(index)))
        }
        try writer.finish()
    }

    @Test("frozen from the first frame: one freeze still at half a second; live from the first frame: none",
          arguments: [(1148, 624, 61, "mkv"), (640, 480, 30, "mp4"), (1280, 720, 25, "mkv")])
    func frozenStart(width: Int, height: Int, rate: Int, container: String) async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let codec: EncoderSettings.Codec = container == "mp4" ? .h264(crf: 23, preset: "ultrafast") : .mjpeg(quality: 5)
        let frozen = f.root.appendingPathComponent("frozen-start.\(container)").path
        try Self.clip(frozen, width: width, height: height, rate: rate, codec: codec, frozenFrames: rate * 2, liveFrames: rate)
        let options = ClipImporter.Options(patient: try PatientID("P-1"), startedAt: Date(), treatment: try TreatmentNumber(1, of: 1),
                                           physician: "dr.lee", tech: "sam", analysisRate: Double(rate))
        let report = try await ClipImporter(archive: f.archive).importClip(frozen, options: options)
        let stills = report.stills.filter { $0.reason == .freeze }
        #expect(stills.count == 1, "\(stills.map(\.time))")
        #expect(stills.allSatisfy { $0.time < 2 }, "the still is of the held picture, not of the live part: \(stills.map(\.time))")

        let live = f.root.appendingPathComponent("live-start.\(container)").path
        try Self.clip(live, width: width, height: height, rate: rate, codec: codec, frozenFrames: 0, liveFrames: rate * 2)
        let again = try await ClipImporter(archive: f.archive).importClip(live, options: options)
        #expect(again.stills.filter { $0.reason == .freeze }.isEmpty)
    }
}
