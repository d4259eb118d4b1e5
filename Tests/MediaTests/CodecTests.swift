import Foundation
import Testing
@testable import Media

@Suite("encode, decode, remux and pipes with real FFmpeg")
struct CodecTests {
    @Test("H.264 in MP4: size, rate, count and timestamps come back", arguments: [Image.Format.gray8, .rgb24])
    func h264RoundTrip(format: Image.Format) throws {
        let folder = try TemporaryDirectory()
        let path = try TestPictures.writeClip(folder.file("clip.mp4"), count: 45,
                                              settings: EncoderSettings(codec: .h264(crf: 20, preset: "veryfast"),
                                                                        width: 320, height: 240, frameRate: 30, keyframeInterval: 30),
                                              format: format)
        let (info, frames, errors) = try decodeAll(.file(path))
        #expect(info.codec == "h264")
        #expect(info.width == 320 && info.height == 240)
        #expect(info.frameRate == 30)
        #expect(info.frameCount == 45)
        #expect(abs((info.duration ?? 0) - 1.5) < 0.05)
        #expect(frames.count == 45)
        #expect(errors == 0)
        for (i, frame) in frames.enumerated() {
            #expect(abs((frame.time ?? -1) - Double(i) / 30) < 0.001)
        }
        // Lossy, but close to what went in: frame 10 decodes near picture 10, far from picture 30.
        let converter = PixelConverter()
        let decoded = try converter.image(from: frames[10], format: .gray8)
        let original = TestPictures.moving(10, width: 320, height: 240, format: format).grayscale()
        let other = TestPictures.moving(30, width: 320, height: 240, format: format).grayscale()
        #expect(meanAbsoluteDifference(decoded, original) < 3)
        #expect(meanAbsoluteDifference(decoded, other) > 10)
    }

    @Test("MJPEG in Matroska, as a USB capture card delivers it")
    func mjpegMatroska() throws {
        let folder = try TemporaryDirectory()
        let path = try TestPictures.writeClip(folder.file("card.mkv"), count: 20,
                                              settings: EncoderSettings(codec: .mjpeg(quality: 3), width: 320, height: 240, frameRate: 30))
        let (info, frames, _) = try decodeAll(.file(path))
        #expect(info.codec == "mjpeg")
        #expect(info.container.contains("matroska"))
        #expect(info.frameCount == nil)   // Matroska does not record it
        #expect(frames.count == 20)
        #expect(frames.allSatisfy { !$0.carriesColor() })
        let decoded = try PixelConverter().image(from: frames[5], format: .gray8)
        #expect(meanAbsoluteDifference(decoded, TestPictures.moving(5, width: 320, height: 240, format: .gray8)) < 3)
    }

    @Test("FFV1 is lossless: RGB pictures come back bit-exact")
    func ffv1Lossless() throws {
        let folder = try TemporaryDirectory()
        let path = try TestPictures.writeClip(folder.file("lossless.mkv"), count: 5,
                                              settings: EncoderSettings(codec: .ffv1, width: 96, height: 64, frameRate: 25),
                                              format: .rgb24)
        let (_, frames, _) = try decodeAll(.file(path))
        #expect(frames.count == 5)
        let converter = PixelConverter()
        for (i, frame) in frames.enumerated() {
            #expect(try converter.image(from: frame, format: .rgb24) == TestPictures.moving(i, width: 96, height: 64, format: .rgb24))
        }
        #expect(frames[0].carriesColor())
    }

    @Test("stream copy keeps every packet byte for byte")
    func remux() throws {
        let folder = try TemporaryDirectory()
        let path = try TestPictures.writeClip(folder.file("in.mp4"), count: 40,
                                              settings: EncoderSettings(codec: .h264(crf: 28, preset: "ultrafast"), width: 160, height: 120, frameRate: 30))
        let source = try MediaSource(.file(path))
        let copyPath = folder.file("copy.mkv")
        let writer = try MediaWriter(path: copyPath, copying: source)
        var payloads: [Data] = []
        while let packet = try source.nextPacket() {
            payloads.append(packet.data)
            try writer.write(packet)
        }
        try writer.finish()
        #expect(payloads.count == 40)

        let copy = try MediaSource(.file(copyPath))
        #expect(copy.video.codec == "h264" && copy.video.width == 160)
        var copied: [Data] = []
        while let packet = try copy.nextPacket() { copied.append(packet.data) }
        #expect(copied.count == payloads.count)
        // MP4 carries H.264 as length-prefixed NAL units, and so does Matroska: no rewrite.
        #expect(copied == payloads)
        #expect(try decodeAll(.file(copyPath)).frames.count == 40)
    }

    @Test("fragmented MP4 (the crash-safe layout) plays even when cut off")
    func fragmentedSurvivesTruncation() throws {
        let folder = try TemporaryDirectory()
        let path = try TestPictures.writeClip(folder.file("frag.mp4"), count: 90,
                                              settings: EncoderSettings(codec: .h264(crf: 28, preset: "ultrafast"), width: 160, height: 120,
                                                                        frameRate: 30, keyframeInterval: 30),
                                              options: ["movflags": "frag_keyframe+empty_moov+default_base_moof"])
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        try whole.prefix(whole.count * 3 / 4).write(to: URL(fileURLWithPath: path))
        let (_, frames, _) = try decodeAll(.file(path))
        // At least the first two whole fragments (one per keyframe, 30 frames each) survive.
        #expect(frames.count >= 60)
        #expect(frames.count < 90)
    }

    @Test("a named-format stream on a pipe (FIFO) decodes like the file")
    func pipeSource() async throws {
        let folder = try TemporaryDirectory()
        let clip = try TestPictures.writeClip(folder.file("card.mkv"), count: 25,
                                              settings: EncoderSettings(codec: .mjpeg(quality: 4), width: 160, height: 120, frameRate: 25))
        let fifo = folder.file("stream.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: clip))
        // The writer blocks until the reader opens the FIFO, as a live feed would.
        let feeder = Thread {
            guard let handle = FileHandle(forWritingAtPath: fifo) else { return }
            for start in stride(from: 0, to: bytes.count, by: 4096) {
                handle.write(bytes[start..<min(start + 4096, bytes.count)])
            }
            try? handle.close()
        }
        feeder.start()
        let (info, frames, errors) = try decodeAll(.pipe(fifo, format: "matroska"))
        #expect(info.codec == "mjpeg")
        #expect(frames.count == 25)
        #expect(errors == 0)
    }

    @Test("raw gray frames on a pipe need only size, format and rate")
    func rawPipe() throws {
        let folder = try TemporaryDirectory()
        let fifo = folder.file("raw.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let pictures = (0..<10).map { TestPictures.moving($0, width: 64, height: 48, format: .gray8) }
        let feeder = Thread {
            guard let handle = FileHandle(forWritingAtPath: fifo) else { return }
            for picture in pictures { handle.write(Data(picture.pixels)) }
            try? handle.close()
        }
        feeder.start()
        let (info, frames, _) = try decodeAll(.pipe(fifo, format: "rawvideo",
                                                    options: StreamOptions(width: 64, height: 48, frameRate: 30, pixelFormat: "gray")))
        #expect(info.codec == "rawvideo" && info.pixelFormat == "gray")
        #expect(frames.count == 10)
        let converter = PixelConverter()
        for (frame, picture) in zip(frames, pictures) {
            #expect(try converter.image(from: frame, format: .gray8) == picture)
        }
    }
}
