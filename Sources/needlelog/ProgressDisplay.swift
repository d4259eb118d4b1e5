import Capture
import Foundation
import Synchronization

/// Import progress: a bar redrawn in place on a terminal, JSON lines for scripts.
/// Written to standard error, so standard output stays the result.
final class ProgressDisplay: Sendable {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    /// Whether a bar is on the line, to be ended by `finish`; progress comes from the import's thread.
    private let drawn = Mutex(false)

    func show(_ progress: ImportProgress) {
        if isTerminal {
            let fraction = progress.fraction ?? 0
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            let left = progress.secondsLeft.map { String(format: "%.0f s left", $0) } ?? ""
            let name = URL(fileURLWithPath: progress.file).lastPathComponent
            let line = String(format: "\r%@ [%@] %3.0f%%  %d frames  %.0f fps  %@", name, bar, fraction * 100,
                              progress.frames, progress.framesPerSecond, left)
            FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
            drawn.withLock { $0 = true }
        } else {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            struct Line: Encodable { var progress: ImportProgress; var fraction: Double?; var secondsLeft: Double? }
            if let data = try? encoder.encode(Line(progress: progress, fraction: progress.fraction, secondsLeft: progress.secondsLeft)) {
                FileHandle.standardError.write(data + Data("\n".utf8))
            }
        }
    }

    func finish() {
        if drawn.withLock({ was in defer { was = false }; return was }) { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
