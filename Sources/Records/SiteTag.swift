import Anatomy
import Foundation

/// What a tag says is on screen: a site (with its side) and, when named, the
/// target structure. A still carries the one in force when it was taken.
///
/// Codable as `{"site": "left L4-L5", "structure": "facet-capsule"}`.
public struct SiteTag: Hashable, Sendable, Codable {
    public let site: AnatomicSite
    public let structure: TargetStructure.ID?

    public init(site: AnatomicSite, structure: TargetStructure.ID? = nil) {
        self.site = site
        self.structure = structure
    }
}

extension SiteTag: CustomStringConvertible {
    /// `left L4-L5 facet-capsule`, as a tag file line writes it after the time.
    public var description: String {
        [site.description, structure?.rawValue].compactMap(\.self).joined(separator: " ")
    }
}
