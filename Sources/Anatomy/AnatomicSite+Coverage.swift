import Foundation

extension AnatomicSite.Location {
    /// The vertebrae the place covers, which is what search matches on; `nil` for
    /// the sternum, which covers no vertebra.
    ///
    /// Non-vertebral places are given the levels they lie against, so that a level
    /// search finds them:
    /// - a rib covers its own thoracic level (rib 7 is T7);
    /// - the sacroiliac joint covers S1-S3, the levels of the sacrum's auricular
    ///   surface that forms the joint;
    /// - the iliolumbar region covers L4-L5, since the iliolumbar ligament arises
    ///   from the L5 transverse process and often from L4's as well;
    /// - a region covers all its ordinary levels (lumbar is L1-L5).
    public var span: VertebralSpan? {
        switch self {
        case .vertebrae(let span): span
        case .region(let region): region.span
        case .rib(let rib): VertebralSpan(rib.level)
        case .sternum: nil
        case .sacroiliacJoint: VertebralSpan(covering: .s1, .s3)
        case .iliolumbarRegion: VertebralSpan(covering: .l4, .l5)
        }
    }
}

extension AnatomicSite {
    /// The vertebrae the site covers for search; `nil` for the sternum.
    public var span: VertebralSpan? { location.span }

    /// The position that stands for the sternum in ``searchInterval``: outside the
    /// spine's 101-501, so no vertebral query reaches it and a sternum query
    /// reaches nothing else.
    public static let sternumPosition = 900

    /// The site as a closed interval of stable positions, for storage and indexed
    /// search: store ``spanLow`` and ``spanHigh``, index both, and find every tag a
    /// query overlaps with `spanLow <= :queryHigh AND spanHigh >= :queryLow`.
    ///
    /// Positions are those of ``VertebralLevel/position`` (L4 is 304, so `L3-S1`
    /// is 303...401); the sternum is ``sternumPosition``. The numbering is part of
    /// the storage format and never changes.
    public var searchInterval: ClosedRange<Int> {
        span?.positions ?? Self.sternumPosition...Self.sternumPosition
    }

    /// The lower bound of ``searchInterval``.
    public var spanLow: Int { searchInterval.lowerBound }

    /// The upper bound of ``searchInterval``.
    public var spanHigh: Int { searchInterval.upperBound }

    /// How many units of the spine the site covers when ranking by coverage: its
    /// vertebrae, or one for the sternum.
    var coverageUnits: Int { span?.levels.count ?? 1 }

    /// How many units of this site `other` covers; zero when they do not meet.
    func unitsCovered(by other: AnatomicSite) -> Int {
        switch (span, other.span) {
        case let (mine?, theirs?):
            mine.intersection(theirs)?.levels.count ?? 0
        case (nil, nil):
            1
        default:
            0
        }
    }
}
