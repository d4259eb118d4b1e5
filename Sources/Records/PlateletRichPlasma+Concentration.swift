import Foundation

extension PlateletRichPlasma {
    /// How concentrated the platelets are, in whichever form the preparation
    /// system reports.
    ///
    /// Codable as an object with one key: `{"multipleOfBaseline": 5}` or
    /// `{"perMicrolitre": 1200000}`.
    public enum Concentration: Hashable, Sendable {
        /// A multiple of the patient's whole-blood count, more than 0 and at most 20.
        case multipleOfBaseline(Double)
        /// Platelets per microlitre, 1-10,000,000.
        case perMicrolitre(Int)

        func check() throws(RecordError) {
            switch self {
            case .multipleOfBaseline(let multiple):
                try NumberText.requirePositive(multiple, atMost: 20, field: .plateletMultiple)
            case .perMicrolitre(let count):
                try NumberText.require(count, in: 1...10_000_000, field: .plateletCount)
            }
        }
    }
}

extension PlateletRichPlasma.Concentration: CustomStringConvertible {
    /// `5x baseline`, `1,200,000/µL`.
    public var description: String {
        switch self {
        case .multipleOfBaseline(let multiple): "\(NumberText.decimal(multiple))x baseline"
        case .perMicrolitre(let count): "\(NumberText.grouped(count))/µL"
        }
    }
}

extension PlateletRichPlasma.Concentration: Codable {
    private enum CodingKeys: String, CodingKey {
        case multipleOfBaseline, perMicrolitre
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let multiple = try container.decodeIfPresent(Double.self, forKey: .multipleOfBaseline)
        let count = try container.decodeIfPresent(Int.self, forKey: .perMicrolitre)
        switch (multiple, count) {
        case (let multiple?, nil): self = .multipleOfBaseline(multiple)
        case (nil, let count?): self = .perMicrolitre(count)
        default:
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath,
                debugDescription: "platelet concentration needs exactly one of multipleOfBaseline and perMicrolitre"))
        }
        try validated(decoder) { () throws(RecordError) in try check() }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .multipleOfBaseline(let multiple): try container.encode(multiple, forKey: .multipleOfBaseline)
        case .perMicrolitre(let count): try container.encode(count, forKey: .perMicrolitre)
        }
    }
}
