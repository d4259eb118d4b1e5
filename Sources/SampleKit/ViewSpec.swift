import Anatomy

/// One probe position in a clip's scenario: the level and scene shown once the probe settles.
public struct ViewSpec: Codable, Sendable, Equatable {
    /// The segment shown, e.g. `L4-L5`, `L5-S1`, `C5-C6`.
    public var level: VertebralSpan
    public var scene: SpineScene
    /// Where on the scene's lateral axis the probe is centred, in millimetres. For sagittal
    /// scenes, consecutive levels sit one segment height apart, so moving between two views
    /// of the same scene slides the image continuously.
    public var centerMillimetres: Double
    /// Content time at which the probe has settled on this view.
    public var arriveSeconds: Double
    /// Duration of the probe move that ends at `arriveSeconds` (0 for the first view).
    public var moveSeconds: Double

    public init(
        level: VertebralSpan, scene: SpineScene, centerMillimetres: Double = 0, arriveSeconds: Double, moveSeconds: Double = 0
    ) {
        self.level = level
        self.scene = scene
        self.centerMillimetres = centerMillimetres
        self.arriveSeconds = arriveSeconds
        self.moveSeconds = moveSeconds
    }

    /// Content time at which the move onto this view begins.
    public var moveStartSeconds: Double { arriveSeconds - moveSeconds }
}
