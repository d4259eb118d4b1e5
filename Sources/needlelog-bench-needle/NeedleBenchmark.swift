import ArgumentParser
import Foundation
import Media
import NeedleDetection
import Records
import SampleKit

/// How well the needle detector does against SampleKit's ground truth, on clips made from
/// seeds it was not tuned on: tip and angle error, detection rate where a needle is
/// visible, false alarms where none is, and the time per still. Run through
/// tools/bench-needle, in a release build.
@main
struct NeedleBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "needlelog-bench-needle")

    @Option(help: "Clips to generate (each gives frames with a needle and frames without).") var clips = 40
    @Option(help: "First seed, decimal or 0x hex; the detector was tuned on seeds from 0x7000.",
            transform: { text in
                let hex = text.lowercased().hasPrefix("0x")
                guard let value = UInt64(hex ? String(text.dropFirst(2)) : text, radix: hex ? 16 : 10) else {
                    throw ValidationError("--seed takes a number such as 0xBE0000 or 12451840, not \(text)")
                }
                return value
            })
    var seed: UInt64 = 0xBE_0000
    @Flag(help: "Print one line per frame.") var verbose = false
    @Option(help: "Write each frame measured, as PNG, into this folder (to look at what was missed).") var dump: String?

    /// A needle counts as visible from 5 mm of shaft on screen.
    static let visibleMillimetres = 5.0

    static func describe(_ finding: NeedleDetector.Finding) -> String {
        let s = finding.suggestion
        return String(format: "%.0f,%.0f-%.0f,%.0f %.1f° conf %.2f contrast %.1f texture %.1f coverage %.2f straight %.2f shadow %.2f",
                      s.entry.x, s.entry.y, s.tip.x, s.tip.y, s.angleDegrees, s.confidence, finding.contrast, finding.texture,
                      finding.coverage, finding.straightness, finding.shadow)
    }

    func run() throws {
        let detector = NeedleDetector()
        var tipErrors: [Double] = [], angleErrors: [Double] = []
        var withNeedle = 0, found = 0, wrong = 0, without = 0, falseAlarms = 0
        var milliseconds: [Double] = [], millisecondsHD: [Double] = []
        // Best candidates' confidences, to show the trade between found and false alarms.
        var rightConfidences: [Double] = [], emptyConfidences: [Double] = []
        for index in 0..<clips {
            let clipSeed = seed &+ UInt64(index)
            let screen = ScannerScreen(spec: .needleCase(seed: clipSeed))
            let truth = screen.groundTruth
            let mm = truth.mmPerPixel
            // Frames as the needle advances and once it is held, and one before it enters.
            for frame in [3, 20, 30, 42, 55] {
                let image = try Image(width: truth.width, height: truth.height, format: .rgb24, pixels: screen.render(frame: frame))
                if let dump {
                    try PNG.encode(image).write(to: URL(fileURLWithPath: dump).appendingPathComponent("\(truth.name)-\(frame).png"))
                }
                let started = ContinuousClock.now
                let finding = detector.bestCandidate(image)
                let suggestion = finding.flatMap { $0.suggestion.confidence >= detector.minimumConfidence ? $0.suggestion : nil }
                let took = ContinuousClock.now - started
                let ms = Double(took.components.attoseconds) / 1e15 + Double(took.components.seconds) * 1000
                milliseconds.append(ms)
                if truth.width == 1920 { millisecondsHD.append(ms) }
                let shown = truth.needle[frame].flatMap { needle in
                    needle.entry.distance(to: needle.tip) * mm >= Self.visibleMillimetres ? needle : nil
                }
                var line = String(format: "%@ frame %2d %4dx%-4d", truth.name, frame, truth.width, truth.height)
                if let shown, let best = finding?.suggestion {
                    let tipError = hypot(best.tip.x - shown.tip.x, best.tip.y - shown.tip.y) * mm
                    if tipError <= 5, abs(best.angleDegrees - shown.angleDegrees) <= 5 { rightConfidences.append(best.confidence) }
                } else if truth.needle[frame] == nil {
                    emptyConfidences.append(finding?.suggestion.confidence ?? 0)
                }
                if let shown {
                    withNeedle += 1
                    if let suggestion {
                        let tipError = hypot(suggestion.tip.x - shown.tip.x, suggestion.tip.y - shown.tip.y) * mm
                        let angleError = abs(suggestion.angleDegrees - shown.angleDegrees)
                        if tipError <= 5, angleError <= 5 {
                            found += 1
                            tipErrors.append(tipError)
                            angleErrors.append(angleError)
                        } else {
                            wrong += 1
                        }
                        line += String(format: " needle %4.1f°: tip error %5.2f mm, angle error %4.2f°, confidence %.2f",
                                       shown.angleDegrees, tipError, angleError, suggestion.confidence)
                        if verbose, let best = detector.bestCandidate(image) { line += " | " + Self.describe(best) }
                        if verbose, tipError > 5 || angleError > 5 {
                            line += String(format: " truth %.0f,%.0f-%.0f,%.0f found %.0f,%.0f-%.0f,%.0f", shown.entry.x, shown.entry.y,
                                           shown.tip.x, shown.tip.y, suggestion.entry.x, suggestion.entry.y, suggestion.tip.x, suggestion.tip.y)
                        }
                    } else {
                        line += String(format: " needle %4.1f°: MISSED", shown.angleDegrees)
                        if verbose, let best = detector.bestCandidate(image) { line += " best: " + Self.describe(best) }
                    }
                } else if truth.needle[frame] == nil {
                    without += 1
                    if let suggestion {
                        falseAlarms += 1
                        line += String(format: " no needle: FALSE ALARM at %.0f,%.0f-%.0f,%.0f (%.2f)", suggestion.entry.x,
                                       suggestion.entry.y, suggestion.tip.x, suggestion.tip.y, suggestion.confidence)
                        if verbose, let best = detector.bestCandidate(image) { line += " | " + Self.describe(best) }
                    } else {
                        line += " no needle: none found"
                    }
                } else {
                    line += " needle under 5 mm: not counted"
                }
                if verbose { print(line) }
            }
        }
        func percentile(_ values: [Double], _ p: Double) -> Double {
            guard !values.isEmpty else { return .nan }
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p + 0.5))]
        }
        print("needle detection on \(clips) SampleKit clips from seed 0x\(String(seed, radix: 16)) (\(NeedleDetector.version))")
        print(String(format: "  tip error       median %.2f mm, 90th percentile %.2f mm   (target: median <= 1 mm)",
                     percentile(tipErrors, 0.5), percentile(tipErrors, 0.9)))
        print(String(format: "  angle error     median %.2f°, 90th percentile %.2f°       (target: median <= 2°)",
                     percentile(angleErrors, 0.5), percentile(angleErrors, 0.9)))
        print(String(format: "  found           %.1f %% of %d frames with a needle (%d more found wrongly)   (target: >= 95 %%)",
                     100 * Double(found) / Double(max(1, withNeedle)), withNeedle, wrong))
        print(String(format: "  false alarms    %.1f %% of %d frames without one   (target: <= 2 %%)",
                     100 * Double(falseAlarms) / Double(max(1, without)), without))
        let trade = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8].map { level in
            String(format: "%.1f: %.0f/%.0f %%", level, 100 * Double(rightConfidences.filter { $0 >= level }.count) / Double(max(1, withNeedle)),
                   100 * Double(emptyConfidences.filter { $0 >= level }.count) / Double(max(1, without)))
        }
        print("  at other minimum confidences (found / false alarms): " + trade.joined(separator: ", "))
        print(String(format: "  time per still  median %.1f ms, 1080p median %.1f ms, slowest %.1f ms   (target: <= 30 ms at 1080p)",
                     percentile(milliseconds, 0.5), percentile(millisecondsHD, 0.5), milliseconds.max() ?? .nan))
    }
}
