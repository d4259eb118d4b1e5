import Foundation
import Testing
@testable import Media

/// A packet of an intra-only stream decoded on its own is the picture the stream's
/// decoder gives for it: a caller may keep packets and decode only the one it needs.
@Suite("decoding one packet alone")
struct DecodeAloneTests {
    @Test("MJPEG: each packet alone equals the stream's frame at its time",
          arguments: [("clip.mkv", EncoderSettings(codec: .mjpeg(quality: 3), width: 322, height: 240, frameRate: 30)),
                      ("odd.mkv", EncoderSettings(codec: .mjpeg(quality: 5), width: 97, height: 63, frameRate: 25))])
    func matchesStream(_ name: String, _ settings: EncoderSettings) throws {
        let folder = try TemporaryDirectory()
        let path = try TestPictures.writeClip(folder.file(name), count: 12, settings: settings)
        let source = try MediaSource(.file(path))
        let decoder = try VideoDecoder(for: source)
        #expect(decoder.isIntraOnly)
        var packets: [Packet] = []
        var frames: [Frame] = []
        while let packet = try source.nextPacket() {
            packets.append(packet)
            frames += try decoder.decode(packet)
        }
        frames += try decoder.flush()
        try #require(packets.count == 12 && frames.count == 12)
        let converter = PixelConverter()
        // Out of order, as a snap picks them; the stream decoder's state is not disturbed.
        for i in [7, 0, 11, 3] {
            let alone = try #require(try decoder.decodeAlone(packets[i]))
            #expect(alone.time == frames[i].time)
            let a = try converter.image(from: alone, format: .gray8), b = try converter.image(from: frames[i], format: .gray8)
            #expect(a == b, "packet \(i) decoded alone differs from the stream's frame")
            #expect(a != (try converter.image(from: frames[(i + 1) % 12], format: .gray8)))
        }
    }

    @Test("H.264 and FFV1 (whose frames may carry state) are not intra-only: decodeAlone declines",
          arguments: [("clip.mp4", EncoderSettings(codec: .h264(crf: 20, preset: "veryfast"), width: 160, height: 120, frameRate: 25)),
                      ("clip-ffv1.mkv", EncoderSettings(codec: .ffv1, width: 97, height: 63, frameRate: 25))])
    func interCodec(_ name: String, _ settings: EncoderSettings) throws {
        let folder = try TemporaryDirectory()
        let path = try TestPictures.writeClip(folder.file(name), count: 10, settings: settings)
        let source = try MediaSource(.file(path))
        let decoder = try VideoDecoder(for: source)
        #expect(!decoder.isIntraOnly)
        let packet = try #require(try source.nextPacket())
        #expect(try decoder.decodeAlone(packet) == nil)
    }
}
