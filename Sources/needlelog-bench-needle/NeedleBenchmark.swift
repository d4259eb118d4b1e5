import ArgumentParser
import Foundation
import Media
import NeedleDetection
import Records
import SampleKit

/// How well the needle detector does against SampleKit's ground truth, on clips made from
/// seeds it was not tuned on: tip and angle error, detection rate where a needle is
/// visible, false alarms where none is, and the time per still; then the same on the
/// harder variants (faint, broken, steep, beside a bright fascia, out of plane). Run
/// through tools/bench-needle, in a release build.
@main
struct NeedleBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "needlelog-bench-needle")

    @Option(help: "Clips to generate per variant (each gives frames with a needle and one without).") var clips = 40
    @Option(help: "First seed, decimal or 0x hex; the detector was tuned on seeds from 0x7000.",
            transform: { text in
                let hex = text.lowercased().hasPrefix("0x")
                guard let value = UInt64(hex ? String(text.dropFirst(2)) : text, radix: hex ? 16 : 10) else {
                    throw ValidationError("--seed takes a number such as 0xBE0000 or 12451840, not \(text)")
                }
                return value
            })
    var seed: UInt64 = 0xBE_0000
    @Option(help: "Variants to run, comma-separated, or all: \(NeedleCaseVariant.allCases.map(\.rawValue).joined(separator: ", ")).")
    var variants = "all"
    @Flag(help: "Print one line per frame, with the best candidate's measures where it went wrong.") var verbose = false
    @Option(help: "Write each frame measured, as PNG, into this folder (to look at what was missed).") var dump: String?

    /// A needle counts as visible from 5 mm of shaft on screen.
    static let visibleMillimetres = 5.0
    /// Frames as the needle advances and once it is held, and one before it enters.
    static let frames = [3, 20, 30, 42, 55]

    /// What one variant's clips gave.
    struct Tally {
        var tipErrors: [Double] = [], angleErrors: [Double] = []
        var withNeedle = 0, found = 0, wrong = 0, without = 0, falseAlarms = 0
        var milliseconds: [Double] = [], millisecondsHD: [Double] = []
        /// Best candidates' confidences, to show the trade between found and false alarms.
        var rightConfidences: [Double] = [], emptyConfidences: [Double] = []

        var foundPercent: Double { 100 * Double(found) / Double(max(1, withNeedle)) }
        var falseAlarmPercent: Double { 100 * Double(falseAlarms) / Double(max(1, without)) }
    }

    func validate() throws {
        _ = try chosen()
        guard clips > 0 else { throw ValidationError("--clips must be at least 1") }
    }

    func chosen() throws -> [NeedleCaseVariant] {
        if variants == "all" { return NeedleCaseVariant.allCases }
        return try variants.split(separator: ",").map { name in
            guard let variant = NeedleCaseVariant(rawValue: String(name)) else {
                throw ValidationError("--variants: no variant \(name); the variants are \(NeedleCaseVariant.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return variant
        }
    }

    func run() throws {
        let detector = NeedleDetector()
        var results: [(NeedleCaseVariant, Tally)] = []
        var withMotion: [NeedleCaseVariant: Tally] = [:]
        for variant in try chosen() {
            results.append((variant, try measure(variant, detector: detector, motion: false)))
            withMotion[variant] = try measure(variant, detector: detector, motion: true)
        }
        print("needle detection on \(clips) SampleKit clips per variant from seed 0x\(String(seed, radix: 16)) (\(NeedleDetector.version), "
              + "minimum confidence \(detector.minimumConfidence))")
        if let (_, standard) = results.first(where: { $0.0 == .standard }) {
            print(String(format: "  tip error       median %.2f mm, 90th percentile %.2f mm   (target: median <= 1 mm)",
                         Self.percentile(standard.tipErrors, 0.5), Self.percentile(standard.tipErrors, 0.9)))
            print(String(format: "  angle error     median %.2f°, 90th percentile %.2f°       (target: median <= 2°)",
                         Self.percentile(standard.angleErrors, 0.5), Self.percentile(standard.angleErrors, 0.9)))
            print(String(format: "  found           %.1f %% of %d frames with a needle (%d more found wrongly)   (target: >= 95 %%)",
                         standard.foundPercent, standard.withNeedle, standard.wrong))
            print(String(format: "  false alarms    %.1f %% of %d frames without one   (target: <= 2 %%)", standard.falseAlarmPercent, standard.without))
            let trade = [0.3, 0.5, 0.6, 0.7, 0.8, 0.9].map { level in
                String(format: "%.1f: %.0f/%.0f %%", level,
                       100 * Double(standard.rightConfidences.filter { $0 >= level }.count) / Double(max(1, standard.withNeedle)),
                       100 * Double(standard.emptyConfidences.filter { $0 >= level }.count) / Double(max(1, standard.without)))
            }
            print("  at other minimum confidences (found / false alarms): " + trade.joined(separator: ", "))
            print(String(format: "  time per still  median %.1f ms, 1080p median %.1f ms, slowest %.1f ms   (target: <= 30 ms at 1080p)",
                         Self.percentile(standard.milliseconds, 0.5), Self.percentile(standard.millisecondsHD, 0.5),
                         standard.milliseconds.max() ?? .nan))
        }
        print("by variant, the still alone    tip median  angle median  found    false alarms  ms median")
        for (variant, tally) in results {
            // Out of plane there is no shaft to find: every suggestion on it is a false alarm.
            let found = variant == .outOfPlane ? "   -  " : String(format: "%5.1f%%", tally.foundPercent)
            let name = variant.rawValue.padding(toLength: 28, withPad: " ", startingAt: 0)
            print("  " + name + String(format: " %7.2f mm %10.2f°  ", Self.percentile(tally.tipErrors, 0.5), Self.percentile(tally.angleErrors, 0.5))
                  + found + String(format: "  %9.1f%%  %9.1f", tally.falseAlarmPercent, Self.percentile(tally.milliseconds, 0.5)))
        }
        print("with the frame 0.3 s before (the needle's motion, as the suggester reads the recording)")
        for (variant, _) in results {
            guard let tally = withMotion[variant] else { continue }
            let found = variant == .outOfPlane ? "   -  " : String(format: "%5.1f%%", tally.foundPercent)
            let name = variant.rawValue.padding(toLength: 28, withPad: " ", startingAt: 0)
            print("  " + name + String(format: " %7.2f mm %10.2f°  ", Self.percentile(tally.tipErrors, 0.5), Self.percentile(tally.angleErrors, 0.5))
                  + found + String(format: "  %9.1f%%  %9.1f", tally.falseAlarmPercent, Self.percentile(tally.milliseconds, 0.5)))
        }
    }

    func measure(_ variant: NeedleCaseVariant, detector: NeedleDetector, motion: Bool) throws -> Tally {
        var tally = Tally()
        for index in 0..<clips {
            let screen = ScannerScreen(spec: .needleCase(seed: seed &+ UInt64(index), variant: variant))
            let truth = screen.groundTruth
            let mm = truth.mmPerPixel
            for frame in Self.frames {
                let image = try Image(width: truth.width, height: truth.height, format: .rgb24, pixels: screen.render(frame: frame))
                if let dump {
                    try PNG.encode(image).write(to: URL(fileURLWithPath: dump).appendingPathComponent("\(truth.name)-\(variant.rawValue)-\(frame).png"))
                }
                // The frame 0.3 s before, as the suggester reads it from the recording.
                let earlier = motion
                    ? try Image(width: truth.width, height: truth.height, format: .rgb24, pixels: screen.render(frame: max(0, frame - 9)))
                    : nil
                let started = ContinuousClock.now
                let finding = detector.bestCandidate(image, earlier: earlier)
                let took = ContinuousClock.now - started
                let suggestion = finding.flatMap { $0.suggestion.confidence >= detector.minimumConfidence ? $0.suggestion : nil }
                let ms = Double(took.components.attoseconds) / 1e15 + Double(took.components.seconds) * 1000
                tally.milliseconds.append(ms)
                if truth.width == 1920 { tally.millisecondsHD.append(ms) }
                // A needle out of plane is no in-plane shaft: its frames count as frames without one.
                let drawn = variant == .outOfPlane ? nil : truth.needle[frame]
                let shown = drawn.flatMap { $0.entry.distance(to: $0.tip) * mm >= Self.visibleMillimetres ? $0 : nil }
                var line = String(format: "%@ %@ frame %2d %4dx%-4d", truth.name, variant.rawValue, frame, truth.width, truth.height)
                if let shown {
                    tally.withNeedle += 1
                    if let best = finding?.suggestion, Self.error(best, shown, mm).tip <= 5, Self.error(best, shown, mm).angle <= 5 {
                        tally.rightConfidences.append(best.confidence)
                    }
                    if let suggestion {
                        let (tipError, angleError) = Self.error(suggestion, shown, mm)
                        if tipError <= 5, angleError <= 5 {
                            tally.found += 1
                            tally.tipErrors.append(tipError)
                            tally.angleErrors.append(angleError)
                        } else {
                            tally.wrong += 1
                        }
                        line += String(format: " needle %4.1f°: tip error %5.2f mm, angle error %4.2f°, confidence %.2f",
                                       shown.angleDegrees, tipError, angleError, suggestion.confidence)
                        if tipError > 5 || angleError > 5, let finding {
                            line += String(format: " | truth %.0f,%.0f-%.0f,%.0f | found ", shown.entry.x, shown.entry.y, shown.tip.x, shown.tip.y)
                                + Self.describe(finding)
                        }
                    } else {
                        line += String(format: " needle %4.1f°: MISSED", shown.angleDegrees) + (finding.map { " | best " + Self.describe($0) } ?? "")
                    }
                } else if drawn == nil {
                    tally.without += 1
                    tally.emptyConfidences.append(finding?.suggestion.confidence ?? 0)
                    if suggestion != nil, let finding {
                        tally.falseAlarms += 1
                        line += " no needle: FALSE ALARM | " + Self.describe(finding)
                    } else {
                        line += " no needle: none found"
                    }
                } else {
                    line += " needle under 5 mm: not counted"
                }
                if verbose { print(line) }
            }
        }
        return tally
    }

    static func error(_ suggestion: NeedleSuggestion, _ needle: NeedleFrame, _ mm: Double) -> (tip: Double, angle: Double) {
        (hypot(suggestion.tip.x - needle.tip.x, suggestion.tip.y - needle.tip.y) * mm, abs(suggestion.angleDegrees - needle.angleDegrees))
    }

    static func describe(_ finding: NeedleDetector.Finding) -> String {
        let s = finding.suggestion
        return String(format: "%.0f,%.0f-%.0f,%.0f %.1f° conf %.2f contrast %.1f texture %.1f coverage %.2f straight %.2f shadow %.2f",
                      s.entry.x, s.entry.y, s.tip.x, s.tip.y, s.angleDegrees, s.confidence, finding.contrast, finding.texture,
                      finding.coverage, finding.straightness, finding.shadow)
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p + 0.5))]
    }
}
