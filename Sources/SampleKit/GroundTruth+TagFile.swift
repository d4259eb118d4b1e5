import Anatomy

extension GroundTruth {
    /// The tech's script as a tag file: one event a line, `mm:ss.s LEVEL STRUCTURE SIDE`, e.g.
    /// `00:12.5 L4-L5 facet-capsule left`, stamped with the time the tag comes into force.
    /// Records' `TagFile(parsing:author:)` reads it.
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
}
