import Foundation
import Testing
@testable import Media

/// A recording's picture by its time, found by seeking (what the needle suggester compares a
/// still with): the same picture a decode from the start shows at that time.
@Suite("a recording's frame at a time")
struct RecordedFrameTests {
    /// The frame on screen at `seconds` by decoding every frame from the start.
    static func decodedFromStart(_ path: String, at seconds: Double) throws -> Image? {
        let source = try MediaSource(.file(path))
        let decoder = try VideoDecoder(for: source)
        var shown: Frame?
        func consider(_ frames: [Frame]) -> Bool {
            for frame in frames {
                if let time = frame.time, time > seconds + 1e-6 { return true }
                shown = frame
            }
            return false
        }
        var passed = false
        while !passed, let packet = try source.nextPacket() { passed = consider(try decoder.decode(packet)) }
        if !passed { _ = consider(try decoder.flush()) }
        return try shown.map { try PixelConverter().image(from: $0, format: .gray8) }
    }

    @Test("seeking gives the picture a decode from the start shows, in every sample clip's codec and container",
          arguments: ["lumbar-1920x1080-60fps.mp4", "lumbar-capture-640x480.mkv", "scanner-export-1148x624.mp4", "cervical-1280x720.mp4"])
    func matchesSequentialDecode(_ clip: String) throws {
        let path = SampleTruth.folder.appendingPathComponent(clip).path
        for seconds in [0.0, 1.37, 3.2] {
            let sought = try #require(try RecordedFrame.image(in: path, at: seconds))
            let expected = try #require(try Self.decodedFromStart(path, at: seconds))
            #expect(sought.width == expected.width && sought.height == expected.height && sought.format == .gray8)
            #expect(sought.pixels == expected.pixels, "\(clip) at \(seconds) s")
        }
    }

    @Test("a file that is not there is an error that names it")
    func missing() {
        #expect { try RecordedFrame.image(in: "/nonexistent/recording.mp4", at: 1) } throws: { error in
            (error as? MediaError)?.description.contains("/nonexistent/recording.mp4") == true
        }
    }
}
