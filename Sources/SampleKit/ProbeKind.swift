/// The transducer that made a clip: a linear array gives a rectangular image, a
/// curvilinear (convex) array a fan whose apex lies above the top edge.
public enum ProbeKind: String, Codable, Sendable, CaseIterable {
    case linear
    case curvilinear
}
