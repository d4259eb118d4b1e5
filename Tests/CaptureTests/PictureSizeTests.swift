import Archive
import Foundation
import Media
import Records
import SampleKit
import Testing
@testable import Capture

/// A SampleData clip remade by ffmpeg at another size, pixel layout and codec, cut to
/// two windows around its first two freezes so each case is short but has both.
struct ResizedClip: CustomTestStringConvertible, Sendable {
    let base: String
    let width: Int
    let height: Int
    let pixelFormat: String
    let codec: [String]
    let fileExtension: String

    var testDescription: String { "\(width)x\(height) \(pixelFormat) \(codec[1]) .\(fileExtension) from \(base)" }

    /// The frames of the base clip kept, as closed ranges, and where each freeze lands in the cut clip.
    struct Cut {
        var windows: [ClosedRange<Int>]
        var freezes: [ClosedRange<Int>]
        var frameCount: Int { windows.reduce(0) { $0 + $1.count } }
    }

    func cut(_ truth: GroundTruth) -> Cut {
        var windows: [ClosedRange<Int>] = [], freezes: [ClosedRange<Int>] = []
        var offset = 0
        for freeze in truth.freezes.prefix(2) {
            let window = max(0, freeze.firstFrame - 18)...min(truth.frameCount - 1, freeze.lastFrame + 12)
            freezes.append((offset + freeze.firstFrame - window.lowerBound)...(offset + freeze.lastFrame - window.lowerBound))
            windows.append(window)
            offset += window.count
        }
        return Cut(windows: windows, freezes: freezes)
    }

    /// Writes the clip into `folder` and returns its path.
    func make(in folder: URL, truth: GroundTruth) throws -> String {
        let path = folder.appendingPathComponent("\(base)-\(width)x\(height)-\(pixelFormat).\(fileExtension)").path
        let select = cut(truth).windows.map { "between(n\\,\($0.lowerBound)\\,\($0.upperBound))" }.joined(separator: "+")
        let rate = truth.framesPerSecond
        try FFmpegCLI.run(["-y", "-i", ImportFixture.clip(truth),
                           "-vf", "select=\(select),setpts=N/(\(rate)*TB),scale=\(width):\(height),format=\(pixelFormat)",
                           "-r", "\(rate)", "-an"] + codec + [path])
        return path
    }

    /// Writes the clip into a new folder beside the archive at `root` (not in it: verify
    /// would rightly call the clips strays); the caller removes the folder.
    func make(besides root: URL, truth: GroundTruth) throws -> (path: String, folder: URL) {
        let folder = root.deletingLastPathComponent().appendingPathComponent("clips-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return (try make(in: folder, truth: truth), folder)
    }

    static let h264 = ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "18"]
    static let mjpeg = ["-c:v", "mjpeg", "-q:v", "3"]
    static let raw = ["-c:v", "rawvideo"]

    /// Widths that are not multiples of 16 or 32 (as real scanners export), odd widths
    /// and heights where the codec allows them, and 1080p; gray, 4:2:0, 4:2:2 and RGB.
    static let matrix: [ResizedClip] = [
        ResizedClip(base: "cervical-1280x720", width: 1148, height: 624, pixelFormat: "yuv420p", codec: h264, fileExtension: "mp4"),
        ResizedClip(base: "lumbar-capture-640x480", width: 1023, height: 481, pixelFormat: "gray", codec: raw, fileExtension: "nut"),
        ResizedClip(base: "cervical-1280x720", width: 718, height: 481, pixelFormat: "yuvj422p", codec: mjpeg, fileExtension: "mkv"),
        ResizedClip(base: "cervical-1280x720", width: 642, height: 481, pixelFormat: "rgb24", codec: raw, fileExtension: "nut"),
        ResizedClip(base: "lumbar-capture-640x480", width: 1148, height: 624, pixelFormat: "yuv422p", codec: h264, fileExtension: "mkv"),
        ResizedClip(base: "cervical-1280x720", width: 1920, height: 1080, pixelFormat: "yuv420p", codec: mjpeg, fileExtension: "mkv"),
    ]
}

/// Each still against FFmpeg's own decode of the same frame: a stride taken for a
/// width, or a row written past its end, shows as a sheared or damaged picture.
func expectStillsMatchFFmpeg(_ stills: [Still], archive: SQLiteArchive, clip: String) throws {
    for still in stills {
        let frame = try #require(still.sourceFrame)
        let stored = try PNG.decode(try archive.png(of: still)).image
        let reference = try FFmpegCLI.frame(frame, of: clip, format: stored.format, width: stored.width, height: stored.height)
        let difference = stored.meanDifference(from: reference)
        #expect(difference < 1, "still of frame \(frame) (\(still.reason)) differs from FFmpeg's decode by \(difference) per byte")
    }
}

@Suite("real picture sizes: odd widths and heights import without memory errors, stills equal FFmpeg's frames")
struct PictureSizeTests {
    @Test("a clip at a scanner's own size yields one still per freeze and the asked snaps, each FFmpeg's frame",
          arguments: ResizedClip.matrix)
    func importAtSize(_ clip: ResizedClip) async throws {
        let f = try await ImportFixture()
        defer { f.remove() }
        let truth = try ImportFixture.truth(clip.base)
        let (path, folder) = try clip.make(besides: f.root, truth: truth)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cut = clip.cut(truth)
        let rate = Double(truth.framesPerSecond)
        let snapTimes = [0.3, Double(cut.windows[0].count) / rate + 0.2, Double(cut.frameCount - 3) / rate]
        var options = try f.options(truth, snaps: snapTimes)
        options.tags = []
        let report = try await ClipImporter(archive: f.archive).importClip(path, options: options)
        #expect(report.session.status == .completed)
        #expect(report.counters.framesDecoded + report.counters.framesNotDecoded == cut.frameCount, "\(report.counters)")
        let freezeStills = report.stills.filter { $0.reason == .freeze }.sorted { $0.time < $1.time }
        #expect(freezeStills.count == 2)
        for (still, freeze) in zip(freezeStills, cut.freezes) {
            #expect(freeze.contains(try #require(still.sourceFrame)), "still of frame \(still.sourceFrame ?? -1), freeze \(freeze)")
        }
        #expect(report.stills.filter { $0.reason == .snap }.count >= 2)
        for still in report.stills {
            #expect(still.width == clip.width && still.height == clip.height)
        }
        try expectStillsMatchFFmpeg(report.stills, archive: f.archive, clip: path)
        #expect(try await f.archive.verify(repair: false).isHealthy)
    }
}
