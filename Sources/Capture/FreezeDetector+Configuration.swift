extension FreezeDetector {
    /// What counts as a freeze. The defaults were measured on the SampleData clips (H.264 at
    /// 480p, 720p and 1080p, MJPEG at 480p); see each property for the figures.
    public struct Configuration: Sendable, Equatable {
        /// How long the picture must stand still before a freeze is reported, in seconds.
        /// Shorter stills are live imaging that paused, or frame-rate conversion repeating a
        /// frame (one repeat lasts a frame time).
        public var minimumDuration: Double = 0.5

        /// Side of the square blocks the screen is averaged over, in pixels.
        public var blockSize: Int = 16

        /// A block whose mean moves by more than this many 8-bit levels from one frame to
        /// the next has changed. Codec noise on a frozen screen stays below it: on the
        /// SampleData clips at most 2.5 % of the active blocks exceed 1.5 levels inside a
        /// freeze, keyframes (which re-encode the frozen picture) and ticking text included,
        /// while live imaging moves at least 12 % of them from one frame to the next.
        public var changeThreshold: Float = 1.5

        /// The screen is still when at most this share of the active blocks changed since
        /// the previous frame: twice the most a SampleData freeze showed (2.5 %: codec noise
        /// plus the burned-in text of a 640x480 screen before it has been learnt), below
        /// the least change of live imaging on SampleData (12 %; 7.6 % through `LumaGrid`,
        /// whose limited-range luma shrinks differences by 14 %).
        public var maximumChangedFraction: Double = 0.05

        /// Against slow drift, which can stay under `changeThreshold` frame by frame: a
        /// still run also ends when more than `maximumDriftFraction` of the active blocks
        /// differ from its first frame by more than `driftThreshold` levels. Codec noise
        /// against the first frozen frame reaches 3 levels in a few blocks at most; the
        /// generous share leaves room for text that changed during the run.
        public var driftThreshold: Float = 3
        public var maximumDriftFraction: Double = 0.25

        /// A reported freeze ends (and the detector re-arms) only when two frames in a row
        /// changed from their predecessors (as for `maximumChangedFraction`) *and* more than
        /// this share of the active blocks differ from the frozen picture by more than
        /// `changeThreshold`. Needing two moving frames keeps one noisy keyframe from ending
        /// a freeze and starting a second one; needing the picture to have left the frozen
        /// one keeps text that changed during a long freeze from looking like a new picture.
        public var resumeFraction: Double = 0.1

        /// A block counts as part of the live picture when it changed in at least this
        /// share of live frame steps.
        public var activityThreshold: Float = 0.05

        /// A block that changes while frozen at least this share as often as while live is
        /// burned-in text (clock, frame counter) and is left out once a freeze has been seen.
        public var overlayRatio: Float = 0.5

        /// Time constant, in seconds of live (or frozen) imaging, over which the activity
        /// map forgets: a new preset or depth moves the image, and the map follows.
        public var learningTime: Double = 10

        /// Below this many active blocks the detector has not yet seen enough live imaging
        /// to know where the picture is; until the screen first moves it judges every
        /// block (a recording started on a frozen image), afterwards it keeps learning.
        public var minimumActiveBlocks: Int = 16
        /// A screen frozen from the start is reported only when its block means spread by at
        /// least this many levels (standard deviation): a scanner's picture on its dark
        /// background spreads by tens of levels, a blank or no-signal screen by almost none.
        public var minimumPictureSpread: Double = 6
        /// Until the picture is located, blocks darker than this (a scanner's black
        /// background; limited-range black is 16) are left out of the shares above.
        public var contentLevel: Float = 24
        /// Until the picture is located, a still run also ends when more than this share
        /// of the blocks with content drift beyond `driftThreshold` from its first frame:
        /// twice the worst keyframe re-encoding modelled in the tests (4 %), far below what
        /// live imaging drifts in half a second.
        public var startDriftFraction: Double = 0.08

        public init() {}

        public init(minimumDuration: Double) {
            self.minimumDuration = minimumDuration
        }
    }
}
