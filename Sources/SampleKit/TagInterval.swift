import Anatomy

/// One tag of the tech's script with the span it is in force: from its time until the next
/// tag or the end of the clip.
public struct TagInterval: Codable, Sendable, Equatable {
    public var startSeconds: Double
    public var endSeconds: Double
    /// First and last output frames (inclusive) whose time falls in the interval.
    public var firstFrame: Int
    public var lastFrame: Int
    /// The segment tagged; JSON holds its canonical text (`L4-L5`).
    public var level: VertebralSpan
    /// The structure's catalogue id (`facet-capsule`).
    public var structure: TargetStructure.ID
    public var side: Laterality

    public init(startSeconds: Double, endSeconds: Double, firstFrame: Int, lastFrame: Int, level: VertebralSpan,
                structure: TargetStructure.ID, side: Laterality) {
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.firstFrame = firstFrame
        self.lastFrame = lastFrame
        self.level = level
        self.structure = structure
        self.side = side
    }
}
