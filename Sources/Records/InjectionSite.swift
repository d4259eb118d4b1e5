import Anatomy
import Foundation

/// One injection: where, into what, with what, how much, and with which needle.
///
/// Codable as `{"site": "left L4-L5", "structure": "facet-capsule", "injectate": {...},
/// "volumeMillilitres": 1.5, "needleGauge": 25, "needleLengthMillimetres": 90}`.
public struct InjectionSite: Hashable, Sendable {
    /// Where, including the side.
    public let site: AnatomicSite
    /// The structure injected, when recorded.
    public let structure: TargetStructure.ID?
    public let injectate: Injectate
    /// More than 0 and at most ``maximumVolumeMillilitres``.
    public let volumeMillilitres: Double
    /// 18-30 gauge.
    public let needleGauge: Int
    /// More than 0 and at most 200 mm, when recorded.
    public let needleLengthMillimetres: Double?

    /// The most the clinic puts into one site.
    public static let maximumVolumeMillilitres = 20.0
    /// The needle gauges in use.
    public static let needleGauges = 18...30

    /// - Throws: ``RecordError`` for a volume, gauge or needle length outside its range.
    public init(
        site: AnatomicSite, structure: TargetStructure.ID? = nil, injectate: Injectate,
        volumeMillilitres: Double, needleGauge: Int, needleLengthMillimetres: Double? = nil
    ) throws(RecordError) {
        try NumberText.requirePositive(volumeMillilitres, atMost: Self.maximumVolumeMillilitres, field: .volume)
        try NumberText.require(needleGauge, in: Self.needleGauges, field: .needleGauge)
        if let needleLengthMillimetres {
            try NumberText.requirePositive(needleLengthMillimetres, atMost: 200, field: .needleLength)
        }
        self.site = site
        self.structure = structure
        self.injectate = injectate
        self.volumeMillilitres = volumeMillilitres
        self.needleGauge = needleGauge
        self.needleLengthMillimetres = needleLengthMillimetres
    }
}

extension InjectionSite: Codable {
    private enum CodingKeys: String, CodingKey {
        case site, structure, injectate, volumeMillilitres, needleGauge, needleLengthMillimetres
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let site = try container.decode(AnatomicSite.self, forKey: .site)
        let structure = try container.decodeIfPresent(TargetStructure.ID.self, forKey: .structure)
        let injectate = try container.decode(Injectate.self, forKey: .injectate)
        let volume = try container.decode(Double.self, forKey: .volumeMillilitres)
        let gauge = try container.decode(Int.self, forKey: .needleGauge)
        let length = try container.decodeIfPresent(Double.self, forKey: .needleLengthMillimetres)
        self = try validated(decoder) { () throws(RecordError) in
            try InjectionSite(
                site: site, structure: structure, injectate: injectate, volumeMillilitres: volume,
                needleGauge: gauge, needleLengthMillimetres: length)
        }
    }
}
