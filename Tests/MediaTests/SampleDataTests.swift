import Foundation
import Testing
@testable import Media

/// The parts of SampleData's ground truth these tests check against.
struct SampleTruth: Decodable {
    struct Rect: Decodable { var x, y, width, height: Int }
    struct Region: Decodable { var bounds: Rect }
    struct Freeze: Decodable { var firstFrame, lastFrame: Int }

    var fileName: String
    var codec: String
    var width: Int
    var height: Int
    var framesPerSecond: Int
    var frameCount: Int
    var colorUI: Bool
    var imageRegion: Region
    var freezes: [Freeze]
    var duplicateFrames: [Int]

    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SampleData")

    static func all() throws -> [SampleTruth] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try files.map { try JSONDecoder().decode(SampleTruth.self, from: Data(contentsOf: folder.appendingPathComponent($0))) }
    }

    var path: String { Self.folder.appendingPathComponent(fileName).path }
}

@Suite("SampleData clips decode as their ground truth says")
struct SampleDataTests {
    @Test("there are the five standard clips")
    func fiveClips() throws {
        #expect(try SampleTruth.all().map(\.fileName) == [
            "cervical-1280x720.mp4", "lumbar-1920x1080-60fps.mp4", "lumbar-capture-640x480.mkv", "scanner-export-1148x624.mp4",
            "thoracic-frc-640x480.mp4",
        ])
    }

    @Test("every clip decodes with the frame count, size and rate of its ground truth",
          arguments: try SampleTruth.all())
    func decodesAsTruth(truth: SampleTruth) throws {
        let (info, frames, errors) = try decodeAll(.file(truth.path))
        #expect(info.codec == truth.codec)
        #expect(info.width == truth.width && info.height == truth.height)
        #expect(info.frameRate == Double(truth.framesPerSecond))
        #expect(frames.count == truth.frameCount)
        #expect(errors == 0)
        if let recorded = info.frameCount { #expect(recorded == truth.frameCount) }
        #expect(frames.allSatisfy { $0.width == truth.width && $0.height == truth.height })
        // Colour only where the screen has coloured furniture.
        #expect(frames[0].carriesColor() == truth.colorUI)
        let last = try #require(frames.last?.time)
        #expect(abs(last - Double(truth.frameCount - 1) / Double(truth.framesPerSecond)) < 0.002)
    }

    @Test("after encoding, frozen B-mode stays within codec noise while live imaging moves",
          arguments: try SampleTruth.all())
    func freezesSurviveEncoding(truth: SampleTruth) throws {
        let (_, frames, _) = try decodeAll(.file(truth.path))
        let converter = PixelConverter()
        let b = truth.imageRegion.bounds
        func bmode(_ index: Int) throws -> [UInt8] {
            let gray = try converter.image(from: frames[index], format: .gray8)
            return (b.y..<(b.y + b.height)).flatMap { y in gray.pixels[(y * gray.width + b.x)..<(y * gray.width + b.x + b.width)] }
        }
        func difference(_ i: Int, _ j: Int) throws -> Double {
            let (x, y) = (try bmode(i), try bmode(j))
            return Double(zip(x, y).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(x.count)
        }
        for freeze in truth.freezes {
            let middle = (freeze.firstFrame + freeze.lastFrame) / 2
            #expect(try difference(middle, middle + 1) < 0.5, "frozen frames \(middle) and \(middle + 1)")
            // Live imaging a second before the freeze: clearly moving.
            let live = freeze.firstFrame - truth.framesPerSecond
            if live > 0, !truth.duplicateFrames.contains(live + 1) {
                #expect(try difference(live, live + 1) > 1.0, "live frames \(live) and \(live + 1)")
            }
        }
    }
}
