import Foundation
import Testing
@testable import Media

@Suite("bad inputs give typed errors that name the problem")
struct BadInputTests {
    @Test("a missing file")
    func missingFile() throws {
        let error = #expect(throws: MediaError.self) { try MediaSource(.file("/nonexistent/clip.mp4")) }
        #expect(error?.kind == .notFound)
        #expect(error?.path == "/nonexistent/clip.mp4")
        #expect(error?.description.hasPrefix("/nonexistent/clip.mp4: no such file") == true)
    }

    @Test("a directory")
    func directory() throws {
        let folder = try TemporaryDirectory()
        let error = #expect(throws: MediaError.self) { try MediaSource(.file(folder.path)) }
        #expect(error?.kind == .isDirectory)
        #expect(error?.message.contains("folder") == true)
    }

    @Test("a zero-byte file")
    func emptyFile() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("empty.mp4")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let error = #expect(throws: MediaError.self) { try MediaSource(.file(path)) }
        #expect(error?.kind == .emptyFile)
        #expect(error?.message.contains("0 bytes") == true)
    }

    @Test("a text file named .mp4")
    func textFileNamedMP4() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("notes.mp4")
        try "Patient tolerated the procedure well.\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: MediaError.self) { try MediaSource(.file(path)) }
        #expect(error?.kind == .notMedia)
        #expect(error?.code == nl_invalidDataCode)
        #expect(error?.description.contains("notes.mp4: is not a video") == true)
    }

    @Test("an MP4 cut off before its index (moov atom) was written")
    func truncatedMP4() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("cut.mp4")
        try TestPictures.writeClip(path, count: 30, settings: EncoderSettings(codec: .h264(crf: 30, preset: "ultrafast"),
                                                                                 width: 160, height: 120, frameRate: 30))
        // An ordinary MP4 keeps its index at the end: cutting the tail off loses it.
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: MediaError.self) { try MediaSource(.file(path)) }
        #expect(error?.kind == .truncated)
        #expect(error?.message.contains("moov") == true)
    }

    @Test("an audio-only file has no video stream")
    func audioOnly() throws {
        // A WAV header with no samples: a real container, no video in it.
        let folder = try TemporaryDirectory()
        let path = folder.file("voice.wav")
        var wav = Data("RIFF".utf8)
        wav.append(littleEndian: UInt32(36))
        wav.append(Data("WAVEfmt ".utf8))
        wav.append(littleEndian: UInt32(16))
        wav.append(contentsOf: [1, 0, 1, 0])                       // PCM, mono
        wav.append(littleEndian: UInt32(8000))                      // sample rate
        wav.append(littleEndian: UInt32(16000))                     // byte rate
        wav.append(contentsOf: [2, 0, 16, 0])                       // block align, bits
        wav.append(Data("data".utf8))
        wav.append(littleEndian: UInt32(0))
        try wav.write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: MediaError.self) { try MediaSource(.file(path)) }
        #expect(error?.kind == .noVideoStream)
    }

    @Test("a capture device that does not exist")
    func missingDevice() throws {
        let error = #expect(throws: MediaError.self) {
            try MediaSource(.device("/dev/video99", DeviceOptions(width: 1920, height: 1080, frameRate: 60, inputFormat: "mjpeg")))
        }
        #expect(error?.kind == .deviceNotFound)
        #expect(error?.description.hasPrefix("/dev/video99: no such capture device") == true)
    }

    @Test("a path that is not a character device is refused as a device")
    func regularFileAsDevice() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("video0")
        #expect(FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3])))
        let error = #expect(throws: MediaError.self) { try MediaSource(.device(path, DeviceOptions())) }
        #expect(error?.kind == .notADevice)
    }

    @Test("a character device that is no camera: libavdevice is loaded on demand, its v4l2 input tries it and says why not")
    func characterDeviceThatIsNoCamera() throws {
        let error = #expect(throws: MediaError.self) { try MediaSource(.device("/dev/null", DeviceOptions())) }
        // Not "built without the v4l2 input": the input was found once libavdevice was loaded.
        #expect(error != nil && error?.kind != .unsupported, "\(String(describing: error))")
        #expect(error?.description.hasPrefix("/dev/null: ") == true)
        // /proc files report no size: read them to their end.
        let maps = String(decoding: try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/maps")).readToEnd() ?? Data(), as: UTF8.self)
        #expect(maps.contains("libavdevice.so"), "\(String(describing: error))")
    }

    @Test("v4l2 options: size, rate and wire format become libavdevice's options")
    func deviceOptions() throws {
        let options = try DeviceOptions(width: 1920, height: 1080, frameRate: 60, inputFormat: "mjpeg").v4l2Options()
        #expect(options == ["video_size": "1920x1080", "framerate": "60", "input_format": "mjpeg"])
        let ntsc = try DeviceOptions(width: 720, height: 480, frameRate: 29.97, inputFormat: "yuyv422").v4l2Options()
        #expect(ntsc == ["video_size": "720x480", "framerate": "29.97", "input_format": "yuyv422"])
        #expect(try DeviceOptions().v4l2Options().isEmpty)
    }

    @Test("v4l2 options that a card cannot honour are refused with the accepted ranges", arguments: [
        (DeviceOptions(width: 1920), "both width and height"),
        (DeviceOptions(width: 9000, height: 1080), "16-8192"),
        (DeviceOptions(frameRate: 0), "1-240"),
        (DeviceOptions(inputFormat: "h265"), "mjpeg, yuyv422"),
    ])
    func badDeviceOptions(options: DeviceOptions, expected: String) throws {
        let error = #expect(throws: MediaError.self) { try options.v4l2Options() }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test("a pipe needs a known format, and raw video needs its size")
    func badPipe() throws {
        let unknown = #expect(throws: MediaError.self) { try MediaSource(.pipe("-", format: "ultrasoundish")) }
        #expect(unknown?.kind == .invalidArgument)
        #expect(unknown?.message.contains("mjpeg") == true)
        let raw = #expect(throws: MediaError.self) { try MediaSource(.pipe("-", format: "rawvideo")) }
        #expect(raw?.kind == .invalidArgument)
        #expect(raw?.message.contains("size and pixel format") == true)
    }

    @Test("an image whose bytes do not match its size is refused")
    func badImage() throws {
        let error = #expect(throws: MediaError.self) { try Image(width: 10, height: 10, format: .rgb24, pixels: [0, 1, 2]) }
        #expect(error?.message == "a 10x10 rgb24 image needs 300 bytes, got 3")
    }

    @Test("a writer that cannot start leaves no file behind")
    func writerLeavesNothing() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("out.mp4")
        let badOption = #expect(throws: MediaError.self) {
            try MediaWriter(path: path, encoding: EncoderSettings(codec: .h264(), width: 64, height: 64, frameRate: 30),
                            options: ["no_such_option": "1"])
        }
        #expect(badOption?.kind == .invalidArgument)
        #expect(!FileManager.default.fileExists(atPath: path))
        let oddSize = #expect(throws: MediaError.self) {
            try MediaWriter(path: path, encoding: EncoderSettings(codec: .h264(), width: 63, height: 64, frameRate: 30))
        }
        #expect(oddSize?.message.contains("even") == true)
        #expect(!FileManager.default.fileExists(atPath: path))
        let unknownContainer = #expect(throws: MediaError.self) {
            try MediaWriter(path: folder.file("out.unknownext"), encoding: EncoderSettings(codec: .mjpeg(), width: 64, height: 64, frameRate: 30))
        }
        #expect(unknownContainer?.message.contains(".mkv") == true)
    }
}

/// FFmpeg's AVERROR_INVALIDDATA, FFERRTAG('I','N','D','A'), as the tests expect it.
let nl_invalidDataCode: Int32 = -Int32(bitPattern: UInt32(0x49) | UInt32(0x4E) << 8 | UInt32(0x44) << 16 | UInt32(0x41) << 24)

extension Data {
    mutating func append(littleEndian value: UInt32) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
