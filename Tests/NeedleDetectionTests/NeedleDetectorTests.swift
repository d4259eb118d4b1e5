import Foundation
import Media
import NeedleDetection
import Records
import SampleKit
import Testing

/// The needle detector on pictures built here (one bright straight shaft over speckle, at
/// varied sizes, angles and sides; bone; nothing) and, as a regression test of the
/// benchmark's figures, on a small fixed set of SampleKit clips.
@Suite("finding the needle on a still")
struct NeedleDetectorTests {
    /// A grey picture with deterministic speckle, optionally a shaft from `entry` to `tip`
    /// (Gaussian across, 1.5 px) and a bone surface: a bright horizontal band with black
    /// below it.
    static func picture(width: Int, height: Int, seed: UInt64, shaft: (entry: ImagePoint, tip: ImagePoint)? = nil,
                        boneAt boneY: Int? = nil) -> Image {
        var pixels = [UInt8](repeating: 0, count: width * height)
        var state = seed | 1
        for y in 0..<height {
            for x in 0..<width {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                var value = 55 + Double(state >> 59) * 2.5
                if let boneY, y >= boneY - 2 {
                    value = y <= boneY + 2 ? 230 : 4
                }
                if let (entry, tip) = shaft {
                    let dx = tip.x - entry.x, dy = tip.y - entry.y, length = hypot(dx, dy)
                    let px = Double(x) - entry.x, py = Double(y) - entry.y
                    let along = (px * dx + py * dy) / length
                    if along >= 0, along <= length {
                        let across = (px * dy - py * dx) / length
                        value += 160 * exp(-across * across / (2 * 1.5 * 1.5))
                    }
                }
                pixels[y * width + x] = UInt8(min(255, max(0, value)))
            }
        }
        return try! Image(width: width, height: height, format: .gray8, pixels: pixels)
    }

    @Test("a straight shaft is found to a few pixels at sizes from 640x480 to 1080p, 15-58 degrees, from either side",
          arguments: [(640, 480), (1148, 624), (1920, 1080)])
    func shaft(width: Int, height: Int) throws {
        let detector = NeedleDetector()
        for (index, angle) in [15.0, 30.0, 45.0, 58.0].enumerated() {
            for fromLeft in [true, false] {
                // In from the side a sixth of the way down, half the picture's height long.
                let radians = angle * .pi / 180, length = Double(height) * 0.5
                let entry = ImagePoint(x: fromLeft ? 0 : Double(width - 1), y: Double(height) / 6)
                let tip = ImagePoint(x: entry.x + (fromLeft ? 1 : -1) * cos(radians) * length, y: entry.y + sin(radians) * length)
                let image = Self.picture(width: width, height: height, seed: UInt64(index * 2 + (fromLeft ? 0 : 1)), shaft: (entry, tip))
                let found = try #require(detector.suggest(image), "\(width)x\(height) \(angle)° from the \(fromLeft ? "left" : "right")")
                #expect(hypot(found.tip.x - tip.x, found.tip.y - tip.y) <= 4, "tip \(found.tip) for \(tip) at \(angle)°")
                #expect(abs(found.angleDegrees - angle) <= 1, "angle \(found.angleDegrees) for \(angle)")
                #expect(found.confidence >= detector.minimumConfidence && found.detector == NeedleDetector.version)
            }
        }
    }

    @Test("a shaft that grew since the frame before is seen advancing and believed more; one that did not, is not")
    func motion() throws {
        let detector = NeedleDetector()
        let entry = ImagePoint(x: 0, y: 100), tip = ImagePoint(x: 500, y: 100 + 500 * tan(30 * .pi / 180))
        let shorter = ImagePoint(x: entry.x + 0.6 * (tip.x - entry.x), y: entry.y + 0.6 * (tip.y - entry.y))
        let now = Self.picture(width: 800, height: 600, seed: 3, shaft: (entry, tip))
        let before = Self.picture(width: 800, height: 600, seed: 3, shaft: (entry, shorter))
        let alone = try #require(detector.bestCandidate(now))
        let advancing = try #require(detector.bestCandidate(now, earlier: before))
        let held = try #require(detector.bestCandidate(now, earlier: now))
        #expect(alone.motion == nil)
        #expect((advancing.motion ?? 0) >= 3, "motion \(String(describing: advancing.motion))")
        #expect((held.motion ?? 9) < 1)
        #expect(advancing.suggestion.confidence >= alone.suggestion.confidence)
        #expect(held.suggestion.confidence == alone.suggestion.confidence)
        // An earlier frame of another size (the recording's, not the still's) is not used.
        #expect(detector.bestCandidate(now, earlier: Self.picture(width: 640, height: 480, seed: 3))?.motion == nil)
    }

    @Test("speckle alone, a bone surface over its shadow, and a tiny picture give no needle")
    func none() {
        let detector = NeedleDetector()
        #expect(detector.suggest(Self.picture(width: 800, height: 600, seed: 7)) == nil)
        #expect(detector.suggest(Self.picture(width: 800, height: 600, seed: 8, boneAt: 400)) == nil)
        #expect(detector.suggest(Self.picture(width: 20, height: 20, seed: 9)) == nil)
    }

    /// tools/bench-needle's figures on eight clips (`tools/bench-needle 8 0x7000 --variants
    /// standard`, frames 3, 30, 42 and 55 here): thresholds a little looser than what this set
    /// measures (tip median 0.12 mm, angle 0.06°, found 84 %, no false alarm in eight).
    @Test("on SampleKit clips: tip and angle within the targets, most needles found, few false alarms")
    func sampleClips() throws {
        let detector = NeedleDetector()
        var tipErrors: [Double] = [], angleErrors: [Double] = []
        var shown = 0, found = 0, empty = 0, falseAlarms = 0
        for index in 0..<8 {
            let screen = ScannerScreen(spec: .needleCase(seed: 0x7000 + UInt64(index)))
            let truth = screen.groundTruth
            for frame in [3, 30, 42, 55] {
                let image = try Image(width: truth.width, height: truth.height, format: .rgb24, pixels: screen.render(frame: frame))
                let suggestion = detector.suggest(image)
                guard let needle = truth.needle[frame] else {
                    empty += 1
                    if suggestion != nil { falseAlarms += 1 }
                    continue
                }
                guard needle.entry.distance(to: needle.tip) * truth.mmPerPixel >= 5 else { continue }
                shown += 1
                guard let suggestion else { continue }
                let tipError = hypot(suggestion.tip.x - needle.tip.x, suggestion.tip.y - needle.tip.y) * truth.mmPerPixel
                let angleError = abs(suggestion.angleDegrees - needle.angleDegrees)
                if tipError <= 5, angleError <= 5 {
                    found += 1
                    tipErrors.append(tipError)
                    angleErrors.append(angleError)
                }
            }
        }
        #expect(shown >= 20 && empty == 8)
        #expect(tipErrors.sorted()[tipErrors.count / 2] <= 1.5)
        #expect(angleErrors.sorted()[angleErrors.count / 2] <= 3)
        #expect(Double(found) >= 0.75 * Double(shown), "found \(found) of \(shown)")
        #expect(falseAlarms <= 2, "\(falseAlarms) false alarms in \(empty)")
    }
}
