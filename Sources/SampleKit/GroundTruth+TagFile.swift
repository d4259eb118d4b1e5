import Foundation

/// One line of a tech's tag file.
public struct TagEvent: Sendable, Equatable {
    public var seconds: Double
    public var level: String
    public var structure: TargetStructure
    public var side: Laterality

    public init(seconds: Double, level: String, structure: TargetStructure, side: Laterality) {
        self.seconds = seconds
        self.level = level
        self.structure = structure
        self.side = side
    }
}

/// A tag file line that could not be read.
public struct TagFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public var description: String { "tag file line \(line): \(message)" }
}

extension GroundTruth {
    /// The tech's script as a tag file: one event a line, `mm:ss.s LEVEL STRUCTURE SIDE`, e.g.
    /// `00:12.5 L4-L5 facet-capsule left`, stamped with the time the tag comes into force.
    public var tagFileText: String {
        tags.map { tag in
            "\(GroundTruth.stamp(tag.startSeconds)) \(tag.level) \(tag.structure.rawValue) \(tag.side.rawValue)\n"
        }.joined()
    }

    /// `mm:ss.s`, tenths rounded.
    static func stamp(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        let minutes = tenths / 600, rest = tenths % 600
        let whole = rest / 10, tenth = rest % 10
        return (minutes < 10 ? "0" : "") + "\(minutes):" + (whole < 10 ? "0" : "") + "\(whole).\(tenth)"
    }

    /// Parses a tag file as `tagFileText` writes it. Blank lines are skipped.
    /// - Throws: `TagFileError` naming the line and what was expected.
    public static func parseTagFile(_ text: String) throws -> [TagEvent] {
        var events: [TagEvent] = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            let number = offset + 1
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 4 else {
                throw TagFileError(line: number, message: "expected 4 fields `mm:ss.s LEVEL STRUCTURE SIDE`, found \(fields.count)")
            }
            let clock = fields[0].split(separator: ":")
            guard clock.count == 2, let minutes = Int(clock[0]), let seconds = Double(clock[1]), minutes >= 0, seconds >= 0,
                  seconds < 60 else {
                throw TagFileError(line: number, message: "time `\(fields[0])` is not mm:ss.s")
            }
            guard let structure = TargetStructure(rawValue: String(fields[2])) else {
                let known = TargetStructure.allCases.map(\.rawValue).joined(separator: ", ")
                throw TagFileError(line: number, message: "unknown structure `\(fields[2])`; known: \(known)")
            }
            guard let side = Laterality(rawValue: String(fields[3])) else {
                throw TagFileError(line: number, message: "side `\(fields[3])` is not left, right, midline or bilateral")
            }
            let total = (Double(minutes * 60) + seconds) * 10
            events.append(TagEvent(seconds: total.rounded() / 10, level: String(fields[1]), structure: structure, side: side))
        }
        return events
    }
}
