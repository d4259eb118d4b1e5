import Foundation
import Media
import Testing

/// One SampleData clip and the parts of its ground truth (`NAME.json`) these tests check
/// against: freezes and duplicate frames as inclusive output frame ranges, and the views.
struct SampleClip: Decodable, Sendable, CustomTestStringConvertible {
    struct Freeze: Decodable, Sendable {
        var firstFrame: Int
        var lastFrame: Int

        var frames: ClosedRange<Int> { firstFrame...lastFrame }
    }

    /// A stretch of the clip with the probe over one place (or moving between two).
    struct View: Decodable, Sendable {
        var view: String
        var level: String
        var moving: Bool
        var firstFrame: Int
        var lastFrame: Int
    }

    var name: String
    var fileName: String
    var width: Int
    var height: Int
    var framesPerSecond: Int
    var frameCount: Int
    var freezes: [Freeze]
    var duplicateFrames: [Int]
    var views: [View]

    var testDescription: String { name }

    /// SampleData beside Sources and Tests. Symlinks are resolved first, so the tests find it
    /// from a scratch package whose Tests folder links to this one.
    static let folder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SampleData")

    /// Every clip with ground truth in SampleData, by file name.
    static func all() throws -> [SampleClip] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        return try files.map {
            try JSONDecoder().decode(SampleClip.self, from: Data(contentsOf: folder.appendingPathComponent($0)))
        }
    }

    static func named(_ name: String) throws -> SampleClip {
        try #require(try all().first { $0.name == name }, "no SampleData clip named \(name)")
    }

    var path: String { Self.folder.appendingPathComponent(fileName).path }

    /// Decodes the clip and hands each frame to `body` as decoded and as 8-bit gray, with its
    /// index and time (the container's, or index / rate when it has none), stopping early
    /// when `body` returns false.
    func forEachFrame(_ body: (Frame, Image, Int, Double) throws -> Bool) throws {
        let source = try MediaSource(.file(path))
        let decoder = try VideoDecoder(for: source)
        let converter = PixelConverter()
        var index = 0
        func hand(_ frames: [Frame]) throws -> Bool {
            for frame in frames {
                let gray = try converter.image(from: frame, format: .gray8)
                let time = frame.time ?? Double(index) / Double(framesPerSecond)
                guard try body(frame, gray, index, time) else { return false }
                index += 1
            }
            return true
        }
        while let packet = try source.nextPacket() {
            guard try hand(try decoder.decode(packet)) else { return }
        }
        _ = try hand(try decoder.flush())
    }
}
