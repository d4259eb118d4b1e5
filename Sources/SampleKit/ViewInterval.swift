import Anatomy

/// A run of output frames showing one view, or the probe moving between two.
public struct ViewInterval: Codable, Sendable, Equatable {
    public var firstFrame: Int
    public var lastFrame: Int
    public var startSeconds: Double
    public var endSeconds: Double
    /// The level shown (while moving: the level the probe leaves); JSON holds its canonical
    /// text (`L4-L5`).
    public var level: VertebralSpan
    public var view: SpineScene
    public var moving: Bool
    /// While moving: where the probe is going.
    public var toLevel: VertebralSpan?
    public var toView: SpineScene?

    public init(firstFrame: Int, lastFrame: Int, startSeconds: Double, endSeconds: Double, level: VertebralSpan,
                view: SpineScene, moving: Bool, toLevel: VertebralSpan? = nil, toView: SpineScene? = nil) {
        self.firstFrame = firstFrame
        self.lastFrame = lastFrame
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.level = level
        self.view = view
        self.moving = moving
        self.toLevel = toLevel
        self.toView = toView
    }
}
