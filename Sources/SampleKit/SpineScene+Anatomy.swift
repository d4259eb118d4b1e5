extension SpineScene {
    /// For sagittal scenes, the distance between consecutive levels along the spine, mm;
    /// views of adjacent segments are this far apart. Transverse scenes: 0.
    public var segmentMillimetres: Double {
        switch self {
        case .lumbarTransverseSpinous, .lumbarTransverseInterlaminar: 0
        case .lumbarParasagittalArticular: 34
        case .cervicalParasagittalPillar: 16
        case .thoracicParasagittalCostotransverse: 24
        }
    }

    /// The anatomical model of this scene over the lateral range [xMin, xMax], mm.
    func anatomy(xMin: Double, xMax: Double, seed: UInt64) -> AnatomyScene {
        switch self {
        case .lumbarTransverseSpinous: .lumbarTransverseSpinous(xMin: xMin, xMax: xMax, seed: seed)
        case .lumbarTransverseInterlaminar: .lumbarTransverseInterlaminar(xMin: xMin, xMax: xMax, seed: seed)
        case .lumbarParasagittalArticular: .lumbarParasagittalArticular(xMin: xMin, xMax: xMax, seed: seed)
        case .cervicalParasagittalPillar: .cervicalParasagittalPillar(xMin: xMin, xMax: xMax, seed: seed)
        case .thoracicParasagittalCostotransverse: .thoracicParasagittalCostotransverse(xMin: xMin, xMax: xMax, seed: seed)
        }
    }
}
