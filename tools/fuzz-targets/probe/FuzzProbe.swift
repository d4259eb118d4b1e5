// libFuzzer target `probe` (tools/fuzz probe): the input as a clip on disk, opened the
// way `needlelog probe --decode`, `needlelog import` and `needlelog still` open one:
// MediaSource(.file) describes it, VideoDecoder decodes its packets, and the first frames
// go through what analysis does with them (Frame.lumaGrid, carriesColor, PixelConverter
// to gray and RGB).
//
// FFmpeg itself is not instrumented (Debian's libraries); NeedleLog's Swift and C are.
// Decoding uses one thread, so runs repeat exactly.
import Foundation
import Media

func promise(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("broken promise: \(message())") }
}

/// One file per fuzzing process, rewritten for every input.
let path: String = {
    let folder = ProcessInfo.processInfo.environment["NEEDLELOG_FUZZ_TMP"] ?? NSTemporaryDirectory()
    return (folder as NSString).appendingPathComponent("needlelog-fuzz-probe-\(getpid())")
}()

/// Enough packets to get past a codec's first keyframe and a few frames of threading delay.
let packetLimit = 24
/// Frames that go through analysis.
let analysedFrames = 3

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProbe(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }   // An empty file is refused before FFmpeg sees it.
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size)) else {
        fatalError("cannot write \(path)")
    }
    defer { unlink(path) }
    let source: MediaSource
    do {
        source = try MediaSource(.file(path))
    } catch {
        promise(!error.description.isEmpty, "an error without a message")
        return 0
    }
    let video = source.video
    promise(video.width > 0 && video.height > 0 && video.width <= MediaSource.maximumDimension
            && video.height <= MediaSource.maximumDimension, "opened a \(video.width)x\(video.height) video")
    _ = try? JSONEncoder().encode(video)   // `needlelog probe --json`
    guard let decoder = try? VideoDecoder(for: source, threads: 1) else { return 0 }
    let converter = PixelConverter()
    var analysed = 0
    func analyse(_ frames: [Frame]) {
        for frame in frames where analysed < analysedFrames {
            analysed += 1
            _ = frame.time
            _ = frame.pixelFormatName
            _ = try? frame.lumaGrid(converter: converter)
            let colour = frame.carriesColor()
            if let image = try? converter.image(from: frame, format: colour ? .rgb24 : .gray8) {
                promise(image.width == frame.width && image.height == frame.height, "converted size")
                _ = LumaGrid(image)
            }
        }
    }
    var packets = 0
    while packets < packetLimit {
        let packet: Packet?
        do {
            packet = try source.nextPacket()
        } catch {
            break
        }
        guard let packet else { break }
        packets += 1
        _ = (packet.time, packet.decodeTime, packet.duration, packet.isKeyframe, packet.size)   // the recorder's view
        guard let frames = try? decoder.decode(packet) else { break }
        analyse(frames)
    }
    if let rest = try? decoder.flush() { analyse(rest) }
    promise(decoder.errorCount >= 0 && decoder.frameCount >= 0, "counters")
    return 0
}
