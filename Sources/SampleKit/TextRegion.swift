/// A rectangle of burned-in text, named by what it shows.
public struct TextRegion: Codable, Sendable, Equatable {
    /// e.g. `header`, `accession`.
    public var name: String
    public var rect: PixelRect

    public init(name: String, rect: PixelRect) {
        self.name = name
        self.rect = rect
    }
}
