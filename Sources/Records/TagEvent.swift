import Anatomy
import Foundation

/// The tech (or a tag file, or the physician on review) saying what is on
/// screen from a moment of the session on.
///
/// Codable as `{"time": 12.5, "site": "left L4-L5", "structure": "facet-capsule",
/// "author": "tech1", "source": "live"}`.
public struct TagEvent: Hashable, Sendable {
    /// Seconds from the session's start; 0 or more.
    public let time: Double
    /// Where, including the side.
    public let site: AnatomicSite
    public let structure: TargetStructure.ID?
    /// The user name of whoever tagged.
    public let author: String
    public let source: Source

    /// Where a tag came from.
    public enum Source: String, CaseIterable, Hashable, Sendable, Codable {
        /// Marked during capture.
        case live
        /// Imported from a tag file with a clip.
        case tagFile = "tag-file"
        /// Added or corrected by the physician afterwards.
        case review
        /// Spoken at the table (`okay needle, L four L five left facet`).
        case voice
    }

    /// - Throws: ``RecordError`` when `time` is negative or not finite.
    public init(
        time: Double, site: AnatomicSite, structure: TargetStructure.ID? = nil, author: String, source: Source
    ) throws(RecordError) {
        try Self.checkTime(time)
        self.time = time
        self.site = site
        self.structure = structure
        self.author = author
        self.source = source
    }

    /// The site and structure, which is what a still inherits.
    public var tag: SiteTag { SiteTag(site: site, structure: structure) }

    /// Checks a time measured from the session's start.
    static func checkTime(_ time: Double) throws(RecordError) {
        guard time.isFinite, time >= 0 else { throw .outOfRange(.time, value: NumberText.decimal(time)) }
    }
}

extension TagEvent: Codable {
    private enum CodingKeys: String, CodingKey {
        case time, site, structure, author, source
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let time = try container.decode(Double.self, forKey: .time)
        let site = try container.decode(AnatomicSite.self, forKey: .site)
        let structure = try container.decodeIfPresent(TargetStructure.ID.self, forKey: .structure)
        let author = try container.decode(String.self, forKey: .author)
        let source = try container.decode(Source.self, forKey: .source)
        self = try validated(decoder) { () throws(RecordError) in
            try TagEvent(time: time, site: site, structure: structure, author: author, source: source)
        }
    }
}
