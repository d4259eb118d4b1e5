import Foundation
import Records

/// One tag a still has had. Revision 1 is the tag capture gave it; a physician's
/// correction adds the next one, and the still's searchable tag follows the latest.
public struct StillTagRevision: Sendable, Equatable {
    public let stillID: UUID
    public let revision: Int
    /// `nil` when the still was (or is now) untagged.
    public let tag: SiteTag?
    public let author: String
    public let createdAt: Date
    public let note: String
}
