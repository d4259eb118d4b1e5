import Foundation
import Testing
@testable import Media

@Suite("excerpts of a recording for the browser")
struct RecordingExcerptTests {
    @Test("seconds 2-4 of each sample become VP8 WebM of about 2 s, scaled to at most 960 wide",
          arguments: ["lumbar-capture-640x480.mkv", "lumbar-1920x1080-60fps.mp4"])
    func excerpt(name: String) throws {
        let folder = try TemporaryDirectory()
        let output = folder.file("excerpt.webm")
        let source = SampleTruth.folder.appendingPathComponent(name).path
        let written = try RecordingExcerpt.write(from: source, start: 2, end: 4, to: output)
        let original = try MediaSource(.file(source)).video
        #expect(abs(Double(written) - 2 * original.frameRate) <= 2)
        let excerpt = try MediaSource(.file(output))
        #expect(excerpt.video.codec == "vp8" && excerpt.video.container.contains("webm") || excerpt.video.container.contains("matroska"))
        #expect(excerpt.video.width == min(original.width, 960))
        let decoder = try VideoDecoder(for: excerpt)
        var frames = 0
        var first: Double?
        while let packet = try excerpt.nextPacket() {
            for frame in try decoder.decode(packet) {
                frames += 1
                if first == nil { first = frame.time }
            }
        }
        frames += try decoder.flush().count
        #expect(frames == written)
        #expect((first ?? 99) < 0.1)
    }

    @Test("a range outside the recording, or backwards, is refused and leaves no file")
    func badRange() throws {
        let folder = try TemporaryDirectory()
        let output = folder.file("excerpt.webm")
        let source = SampleTruth.folder.appendingPathComponent("lumbar-capture-640x480.mkv").path
        #expect { try RecordingExcerpt.write(from: source, start: 500, end: 505, to: output) } throws: { error in
            "\(error)".contains("the recording lasts 10.0 s: ask for a time within it, not 500.0 s")
        }
        // A time no recording reaches, which once trapped converting to a stream timestamp.
        #expect(throws: MediaError.self) { try RecordingExcerpt.write(from: source, start: 1e17, end: 1e17 + 30, to: output) }
        #expect(throws: MediaError.self) { try MediaSource(.file(source)).seek(to: 1e300) }
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(throws: MediaError.self) { try RecordingExcerpt.write(from: source, start: 4, end: 2, to: output) }
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
