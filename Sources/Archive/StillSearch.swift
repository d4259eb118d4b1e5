import Anatomy
import Foundation
import Records

/// A search of the archive's stills. Every filter is optional; those given must all hold.
///
/// Ranking (DESIGN.md): with a site, exact matches first, then by how much of the
/// still's tag the site covers, then newest first; without one, newest first.
public struct StillSearch: Sendable, Equatable {
    /// Level, segment, range, region or site (its side, if any, filters too).
    public var site: SiteQuery?
    public var structure: TargetStructure.ID?
    /// A side without a site: that side or bilateral.
    public var side: Laterality?
    public var patient: PatientID?
    /// Stills taken on or after this moment.
    public var from: Date?
    /// Stills taken before this moment.
    public var to: Date?
    /// Sessions in which this kind of injectate was given.
    public var injectate: Injectate.Kind?
    /// Only stills with (true) or without (false) a needle annotation.
    public var annotated: Bool?
    /// Words to find in the session's indication, notes and complications.
    public var text: String?
    /// Only stills of sessions this tech recorded: what a tech may see.
    public var recordedBy: String?
    public var limit: Int

    public init(site: SiteQuery? = nil, structure: TargetStructure.ID? = nil, side: Laterality? = nil,
                patient: PatientID? = nil, from: Date? = nil, to: Date? = nil, injectate: Injectate.Kind? = nil,
                annotated: Bool? = nil, text: String? = nil, limit: Int = 50) {
        self.site = site
        self.structure = structure
        self.side = side
        self.patient = patient
        self.from = from
        self.to = to
        self.injectate = injectate
        self.annotated = annotated
        self.text = text
        self.limit = limit
    }
}

/// One still found, with where it belongs and how well it matched.
public struct StillSearchResult: Sendable, Equatable {
    public var still: Still
    public var patientID: PatientID
    public var takenAt: Date
    /// How the still's tag answered the site query; nil when the search had no site.
    public var match: SiteMatch?
}
