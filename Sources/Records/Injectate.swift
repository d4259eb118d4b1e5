import Foundation

/// What was injected at a site.
///
/// Codable as one flat object whose `kind` says which fields follow, so the
/// archive can filter on `$.kind` and read `$.dextrosePercent` directly:
/// `{"kind": "prolotherapy", "dextrosePercent": 15, "lidocainePercent": 0.2, "additives": []}`,
/// `{"kind": "prp", "leukocytes": "poor", "activated": false, ...}`,
/// `{"kind": "bmc", ...}`, `{"kind": "other", "description": "ozone"}`.
public enum Injectate: Hashable, Sendable {
    case prolotherapy(Prolotherapy)
    case prp(PlateletRichPlasma)
    case bmc(BoneMarrowConcentrate)
    /// Anything else, described as the physician wrote it.
    case other(String)

    /// The kind, for search.
    public var kind: Kind {
        switch self {
        case .prolotherapy: .prolotherapy
        case .prp: .prp
        case .bmc: .bmc
        case .other: .other
        }
    }

    /// For people: `dextrose 15% + lidocaine 0.2%`, `PRP 5x baseline, leukocyte-poor, not activated`.
    public var summary: String {
        switch self {
        case .prolotherapy(let solution): solution.summary
        case .prp(let prp): prp.summary
        case .bmc(let bmc): bmc.summary
        case .other(let description): description
        }
    }
}

extension Injectate: CustomStringConvertible {
    public var description: String { summary }
}

extension Injectate: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind, description
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // The payload's fields sit beside `kind` in the same object, so it decodes from the same decoder.
        switch try container.decode(Kind.self, forKey: .kind) {
        case .prolotherapy: self = .prolotherapy(try Prolotherapy(from: decoder))
        case .prp: self = .prp(try PlateletRichPlasma(from: decoder))
        case .bmc: self = .bmc(try BoneMarrowConcentrate(from: decoder))
        case .other: self = .other(try container.decode(String.self, forKey: .description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        // Encoders merge keyed containers requested at one path (as for a subclass
        // calling super.encode), which keeps the stored object flat.
        switch self {
        case .prolotherapy(let solution): try solution.encode(to: encoder)
        case .prp(let prp): try prp.encode(to: encoder)
        case .bmc(let bmc): try bmc.encode(to: encoder)
        case .other(let description): try container.encode(description, forKey: .description)
        }
    }
}
