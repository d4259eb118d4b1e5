import Foundation

/// Platelet-rich plasma as prepared at the clinic.
///
/// Codable as `{"concentration": {"multipleOfBaseline": 5}, "leukocytes": "poor", "activated": false}`.
public struct PlateletRichPlasma: Hashable, Sendable {
    /// The platelet concentration, when it was measured or known from the system.
    public let concentration: Concentration?
    public let leukocytes: Leukocytes
    /// Whether the PRP was activated before injection.
    public let activated: Bool
    /// What activated it (`calcium chloride`, `thrombin`); only for activated PRP.
    public let activationAgent: String?

    /// Leukocyte content, as PRP classifications split it.
    public enum Leukocytes: String, CaseIterable, Hashable, Sendable, Codable {
        /// Leukocyte-rich (LR-PRP).
        case rich
        /// Leukocyte-poor (LP-PRP).
        case poor
    }

    /// - Throws: ``RecordError`` for a concentration outside its range, or an
    ///   activation agent for PRP that was not activated. Empty agent text counts as none.
    public init(
        concentration: Concentration? = nil, leukocytes: Leukocytes, activated: Bool, activationAgent: String? = nil
    ) throws(RecordError) {
        try concentration?.check()
        let agent = activationAgent?.trimmingCharacters(in: .whitespacesAndNewlines)
        let namedAgent = agent?.isEmpty == false ? agent : nil
        if let namedAgent, !activated { throw .activationAgentWithoutActivation(namedAgent) }
        self.concentration = concentration
        self.leukocytes = leukocytes
        self.activated = activated
        self.activationAgent = namedAgent
    }

    /// For people: `PRP 5x baseline, leukocyte-poor, not activated`,
    /// `PRP 1,200,000/µL, leukocyte-rich, activated with calcium chloride`.
    public var summary: String {
        let head = ["PRP", concentration?.description].compactMap(\.self).joined(separator: " ")
        let activation = activated ? ["activated", activationAgent.map { "with \($0)" }].compactMap(\.self).joined(separator: " ")
            : "not activated"
        return [head, "leukocyte-\(leukocytes.rawValue)", activation].joined(separator: ", ")
    }
}

extension PlateletRichPlasma: Codable {
    private enum CodingKeys: String, CodingKey {
        case concentration, leukocytes, activated, activationAgent
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let concentration = try container.decodeIfPresent(Concentration.self, forKey: .concentration)
        let leukocytes = try container.decode(Leukocytes.self, forKey: .leukocytes)
        let activated = try container.decode(Bool.self, forKey: .activated)
        let agent = try container.decodeIfPresent(String.self, forKey: .activationAgent)
        self = try validated(decoder) { () throws(RecordError) in
            try PlateletRichPlasma(concentration: concentration, leukocytes: leukocytes, activated: activated, activationAgent: agent)
        }
    }
}
