import Foundation

/// A prolotherapy solution: dextrose proliferant, usually with lidocaine, made
/// up with saline or water, sometimes with additives.
///
/// Codable as `{"dextrosePercent": 15, "lidocainePercent": 0.2, "salineFraction": 0.5, "additives": ["sarapin"]}`.
public struct Prolotherapy: Hashable, Sendable {
    /// Final dextrose concentration, 0-50% (50% is the stock solution).
    public let dextrosePercent: Double
    /// Final lidocaine concentration, 0-2%, when lidocaine was added.
    public let lidocainePercent: Double?
    /// The share of the volume that is normal saline, 0-1, when recorded; the
    /// rest of the diluent is sterile water.
    public let salineFraction: Double?
    /// Anything else in the syringe, in the order recorded.
    public let additives: [Additive]

    /// - Throws: ``RecordError`` for dextrose outside 0-50%, lidocaine outside
    ///   0-2%, or a saline fraction outside 0-1.
    public init(
        dextrosePercent: Double, lidocainePercent: Double? = nil, salineFraction: Double? = nil,
        additives: [Additive] = []
    ) throws(RecordError) {
        try NumberText.require(dextrosePercent, in: 0...50, field: .dextrose)
        if let lidocainePercent { try NumberText.require(lidocainePercent, in: 0...2, field: .lidocaine) }
        if let salineFraction { try NumberText.require(salineFraction, in: 0...1, field: .salineFraction) }
        self.dextrosePercent = dextrosePercent
        self.lidocainePercent = lidocainePercent
        self.salineFraction = salineFraction
        self.additives = additives
    }

    /// For people: `dextrose 15% + lidocaine 0.2% + Sarapin in saline (50% of volume)`.
    public var summary: String {
        var parts = ["dextrose \(NumberText.decimal(dextrosePercent))%"]
        if let lidocainePercent { parts.append("lidocaine \(NumberText.decimal(lidocainePercent))%") }
        parts += additives.map(\.name)
        let mixture = parts.joined(separator: " + ")
        guard let salineFraction, salineFraction > 0 else { return mixture }
        return mixture + " in saline (\(NumberText.decimal(salineFraction * 100))% of volume)"
    }
}

extension Prolotherapy: Codable {
    private enum CodingKeys: String, CodingKey {
        case dextrosePercent, lidocainePercent, salineFraction, additives
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let dextrose = try container.decode(Double.self, forKey: .dextrosePercent)
        let lidocaine = try container.decodeIfPresent(Double.self, forKey: .lidocainePercent)
        let saline = try container.decodeIfPresent(Double.self, forKey: .salineFraction)
        let additives = try container.decodeIfPresent([Additive].self, forKey: .additives) ?? []
        self = try validated(decoder) { () throws(RecordError) in
            try Prolotherapy(dextrosePercent: dextrose, lidocainePercent: lidocaine, salineFraction: saline, additives: additives)
        }
    }
}
