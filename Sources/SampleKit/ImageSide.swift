/// A side of the displayed image (not of the patient).
public enum ImageSide: String, Codable, Sendable, CaseIterable {
    case left
    case right
}
