import Foundation

/// Bone-marrow concentrate: marrow aspirated (usually from the iliac crest),
/// spun down, and injected.
///
/// Codable as `{"aspirateMillilitres": 60, "totalNucleatedCells": 240000000}`.
public struct BoneMarrowConcentrate: Hashable, Sendable {
    /// The total nucleated cell count of the concentrate, when counted.
    public let totalNucleatedCells: Int?
    /// How much marrow was aspirated, when recorded; more than 0 and at most 500 mL.
    public let aspirateMillilitres: Double?

    /// - Throws: ``RecordError`` for a count below 1 or an aspirate volume outside its range.
    public init(totalNucleatedCells: Int? = nil, aspirateMillilitres: Double? = nil) throws(RecordError) {
        if let totalNucleatedCells { try NumberText.require(totalNucleatedCells, in: 1..., field: .nucleatedCells) }
        if let aspirateMillilitres { try NumberText.requirePositive(aspirateMillilitres, atMost: 500, field: .aspirateVolume) }
        self.totalNucleatedCells = totalNucleatedCells
        self.aspirateMillilitres = aspirateMillilitres
    }

    /// For people: `BMC, 60 mL aspirate, 240,000,000 nucleated cells`.
    public var summary: String {
        var parts = ["BMC"]
        if let aspirateMillilitres { parts.append("\(NumberText.decimal(aspirateMillilitres)) mL aspirate") }
        if let totalNucleatedCells { parts.append("\(NumberText.grouped(totalNucleatedCells)) nucleated cells") }
        return parts.joined(separator: ", ")
    }
}

extension BoneMarrowConcentrate: Codable {
    private enum CodingKeys: String, CodingKey {
        case totalNucleatedCells, aspirateMillilitres
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let cells = try container.decodeIfPresent(Int.self, forKey: .totalNucleatedCells)
        let aspirate = try container.decodeIfPresent(Double.self, forKey: .aspirateMillilitres)
        self = try validated(decoder) { () throws(RecordError) in
            try BoneMarrowConcentrate(totalNucleatedCells: cells, aspirateMillilitres: aspirate)
        }
    }
}
