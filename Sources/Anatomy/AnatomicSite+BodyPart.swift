import Foundation

extension AnatomicSite {
    /// The DICOM Body Part Examined defined term for the site.
    ///
    /// A span within one region takes that region's term (`L4-L5` is LSPINE); a
    /// span across two neighbouring regions takes the junction's term (`C7-T1` is
    /// CTSPINE, `T12-L1` TLSPINE, `L5-S1` and `L3-S1` LSSPINE). Spans that reach
    /// further, or from the sacrum into the coccyx, for which DICOM has no junction
    /// term, are SPINE. The iliolumbar region is LSSPINE: its ligament sits at the
    /// lumbosacral junction and DICOM has no term of its own for it.
    public var bodyPartExamined: BodyPartExamined {
        switch location {
        case .rib: .rib
        case .sternum: .sternum
        case .sacroiliacJoint: .sacroiliacJoint
        case .iliolumbarRegion: .lumbosacralSpine
        case .region(let region): Self.bodyPart(from: region, to: region)
        case .vertebrae(let span): Self.bodyPart(from: span.upper.region, to: span.lower.region)
        }
    }

    private static func bodyPart(from upper: SpinalRegion, to lower: SpinalRegion) -> BodyPartExamined {
        switch (upper, lower) {
        case (.cervical, .cervical): .cervicalSpine
        case (.cervical, .thoracic): .cervicothoracicSpine
        case (.thoracic, .thoracic): .thoracicSpine
        case (.thoracic, .lumbar): .thoracolumbarSpine
        case (.lumbar, .lumbar): .lumbarSpine
        case (.lumbar, .sacral): .lumbosacralSpine
        case (.sacral, .sacral): .sacrum
        case (.coccygeal, .coccygeal): .coccyx
        default: .spine
        }
    }
}
