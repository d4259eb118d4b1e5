/// Where a view's probe position lies in the tissue textures: which world and the lateral
/// texture coordinate under the image centre.
struct ViewPlacement: Sendable {
    var world: Int
    var uCenter: Double
}
