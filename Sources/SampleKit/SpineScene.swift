/// The sonographic view a probe position shows: which window onto which part of the spine.
///
/// Each scene is a small anatomical model (soft-tissue layers, bone surfaces, ligaments)
/// in millimetres; SampleKit turns it into a speckled B-mode image.
public enum SpineScene: String, Codable, Sendable, CaseIterable {
    /// Lumbar transverse at the spinous process: the spinous process tip in the midline, the
    /// laminae sloping away like a bat's wings, facets and transverse processes laterally.
    case lumbarTransverseSpinous = "lumbar-transverse-spinous"
    /// Lumbar transverse through the interlaminar space: posterior complex (ligamentum flavum,
    /// dura) and anterior complex in the midline window, facet joints on both sides.
    case lumbarTransverseInterlaminar = "lumbar-transverse-interlaminar"
    /// Lumbar paramedian sagittal over the articular processes: the facet "camel humps".
    case lumbarParasagittalArticular = "lumbar-parasagittal-articular"
    /// Cervical posterior paramedian sagittal over the articular pillars: a sawtooth of
    /// pillars with the facet joints and their capsules in the notches.
    case cervicalParasagittalPillar = "cervical-parasagittal-pillar"
    /// Thoracic paramedian sagittal over the transverse processes: square-topped processes,
    /// the costotransverse ligament between them and the pleura deeper in the gaps.
    case thoracicParasagittalCostotransverse = "thoracic-parasagittal-costotransverse"

    /// Whether the scene's lateral axis runs along the spine (sagittal) or across it.
    public var isSagittal: Bool {
        switch self {
        case .lumbarTransverseSpinous, .lumbarTransverseInterlaminar: false
        default: true
        }
    }
}
