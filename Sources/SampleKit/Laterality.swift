/// The patient's side a tag refers to.
public enum Laterality: String, Codable, Sendable, CaseIterable {
    case left
    case right
    case midline
    case bilateral
}
