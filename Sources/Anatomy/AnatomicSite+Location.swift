import Foundation

extension AnatomicSite {
    /// A place on the spine or trunk, without its side.
    public enum Location: Hashable, Sendable {
        /// A level, segment or range of the spine (`L4`, `L4-L5`, `L3-S1`).
        case vertebrae(VertebralSpan)
        /// A whole region (`lumbar`).
        case region(SpinalRegion)
        /// A rib, at its costotransverse and costovertebral joints (`T7 rib`).
        case rib(Rib)
        /// The sternum, including the sternocostal and sternoclavicular joints
        /// (the joint itself is recorded as the target structure).
        case sternum
        /// The sacroiliac joint and its ligaments.
        case sacroiliacJoint
        /// The iliolumbar region: the iliolumbar ligament between L4-L5 and the ilium.
        case iliolumbarRegion
    }
}

extension AnatomicSite.Location: CustomStringConvertible {
    /// The canonical form, which the site parser reads back.
    public var description: String {
        switch self {
        case .vertebrae(let span): span.description
        case .region(let region): region.description
        case .rib(let rib): rib.description
        case .sternum: "sternum"
        case .sacroiliacJoint: "SI joint"
        case .iliolumbarRegion: "iliolumbar region"
        }
    }
}
