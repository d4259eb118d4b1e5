import Foundation
import Testing
@testable import Media

/// The live picture's small copies (issue 21): made on the decoding thread so no viewer holds
/// a full-size frame, then encoded as JPEG without another conversion.
@Suite("the live picture's small copy")
struct PreviewFrameTests {
    @Test("a copy has the asked size, the frame's time and its picture; its JPEG shows the same",
          arguments: [
              ("mjpeg.mkv", EncoderSettings(codec: .mjpeg(quality: 3), width: 1148, height: 624, frameRate: 61), 960, 522, Image.Format.rgb24),
              ("h264.mp4", EncoderSettings(codec: .h264(crf: 18, preset: "veryfast"), width: 640, height: 360, frameRate: 30), 320, 180, .gray8),
              ("ffv1.mkv", EncoderSettings(codec: .ffv1, width: 97, height: 63, frameRate: 25), 97, 63, .gray8),
          ])
    func copyMatchesFrame(_ name: String, _ settings: EncoderSettings, _ width: Int, _ height: Int, _ format: Image.Format) throws {
        let folder = try TemporaryDirectory()
        let path = try TestPictures.writeClip(folder.file(name), count: 6, settings: settings, format: format)
        let frames = try decodeAll(.file(path)).frames
        try #require(frames.count == 6)
        let converter = PixelConverter()
        for index in [1, 4] {
            let frame = frames[index]
            let copy = try converter.previewFrame(frame, width: width, height: height)
            #expect(copy.width == width && copy.height == height && copy.pixelFormatName == "yuvj420p")
            #expect(copy.time == frame.time, "\(name): copy at \(copy.time ?? -1) s of a frame at \(frame.time ?? -1) s")
            // The frame scaled down the slow, exact way, against the copy and against its JPEG.
            let expected = try Self.gray(of: frame, width: width, height: height)
            let copied = try converter.image(from: copy, format: .gray8)
            #expect(meanAbsoluteDifference(copied, expected) < 2, "\(name): the copy of frame \(index)")
            let jpeg = try JPEGEncoder(width: width, height: height).encode(copy)
            let file = folder.file("\(index).jpg")
            try jpeg.write(to: URL(fileURLWithPath: file))
            let shown = try #require(try decodeAll(.file(file)).frames.first)
            #expect(shown.width == width && shown.height == height)
            let seen = try converter.image(from: shown, format: .gray8)
            #expect(meanAbsoluteDifference(seen, expected) < 4, "\(name): the JPEG of frame \(index)")
            // And a frame three later (or earlier) is told apart: the comparison is not blind.
            let other = try Self.gray(of: frames[index == 1 ? 4 : 1], width: width, height: height)
            #expect(meanAbsoluteDifference(seen, other) > meanAbsoluteDifference(seen, expected) + 1)
        }
    }

    /// `frame` as gray at full size, reduced by averaging the source pixels under each output pixel.
    static func gray(of frame: Frame, width: Int, height: Int) throws -> Image {
        let full = try PixelConverter().image(from: frame, format: .gray8)
        var small = Image(width: width, height: height, format: .gray8)
        for y in 0..<height {
            let top = y * full.height / height, bottom = max(top + 1, (y + 1) * full.height / height)
            for x in 0..<width {
                let left = x * full.width / width, right = max(left + 1, (x + 1) * full.width / width)
                var sum = 0
                for sy in top..<bottom { for sx in left..<right { sum += Int(full.pixels[sy * full.width + sx]) } }
                small.pixels[y * width + x] = UInt8(sum / ((bottom - top) * (right - left)))
            }
        }
        return small
    }
}
