import Anatomy
import Archive
import Foundation
import Records

/// The physician's changes to the archive after the procedure: the needle drawn on a still,
/// a still's tag corrected, a session's image scale, the record completed (indication,
/// notes, pain scores), an injection recorded at a still's site. Each is one whole write
/// that cannot lose another's change (compare-and-swap on versions and revisions); the
/// server and any other edge only decide who may, audit it and map the errors.
public struct RecordEditor: Sendable {
    public let archive: any ArchiveStore

    public init(archive: any ArchiveStore) {
        self.archive = archive
    }

    /// The record form's changes: fields left out stay as they are.
    public struct RecordChanges: Sendable {
        public var indication: String?
        public var notes: String?
        public var complications: [String]?
        public var painBefore: Int?
        public var painAfter: Int?
        public var followUp: FollowUpScore?
        /// The version the form was filled from; a save over a newer one is refused.
        public var version: Int?
        /// Why a signed record changes: the change is then an addendum (required once signed).
        public var reason: String?

        public init(indication: String? = nil, notes: String? = nil, complications: [String]? = nil, painBefore: Int? = nil,
                    painAfter: Int? = nil, followUp: FollowUpScore? = nil, version: Int? = nil, reason: String? = nil) {
            self.reason = reason
            self.indication = indication
            self.notes = notes
            self.complications = complications
            self.painBefore = painBefore
            self.painAfter = painAfter
            self.followUp = followUp
            self.version = version
        }
    }

    /// Applies the changes to the stored record inside one write: a change saved meanwhile
    /// by someone else is kept, or (with the form's version) this save is refused.
    ///
    /// Once the record is signed, the change is stored as an addendum with `changes.reason`.
    ///
    /// - Throws: `ArchiveError(.conflict)` naming who saved in between; `ArchiveError(.invalid)`
    ///   for a signed record and no reason; `RecordError` for a value a record refuses (a
    ///   pain score of 11, two follow-ups on one day).
    public func completeRecord(_ id: UUID, _ changes: RecordChanges, by editor: String) async throws -> ProcedureSession {
        try await archive.editSession(id, expecting: changes.version, by: editor, reason: changes.reason) { session in
            if let indication = changes.indication { session.indication = indication }
            if let notes = changes.notes { session.notes = notes }
            if let complications = changes.complications { session.complications = complications }
            let scores = session.painScores
            var updated = try PainScores(before: changes.painBefore ?? scores.before, after: changes.painAfter ?? scores.after,
                                         followUps: scores.followUps)
            if let followUp = changes.followUp { updated = try updated.adding(followUp) }
            session.painScores = updated
        }.0
    }

    /// Records an injection at the still's tagged site, appended to the stored record in one
    /// write: two recorded at once are both kept.
    ///
    /// - Throws: ``WorkflowError`` `.conflict` for an untagged still; `RecordError` for a
    ///   volume or gauge out of range.
    public func recordInjection(at still: Still, injectate: Injectate, volumeMillilitres: Double, needleGauge: Int?,
                                reason: String? = nil, by editor: String) async throws -> ProcedureSession {
        guard let tag = still.tag else {
            throw WorkflowError(.conflict, "tag the still with its level first: an injection is recorded at the still's site")
        }
        let injection = try InjectionSite(site: tag.site, structure: tag.structure, injectate: injectate,
                                          volumeMillilitres: volumeMillilitres, needleGauge: needleGauge ?? 25)
        return try await archive.editSession(still.sessionID, expecting: nil, by: editor, reason: reason) { $0.injections.append(injection) }.0
    }

    /// Sets a session's image scale, given directly or as the millimetres between two ticks
    /// of the depth scale that lie `pixels` apart. Returns the scale set.
    public func setScale(ofSession id: UUID, millimetresPerPixel: Double?, pixels: Double?, millimetres: Double?,
                         reason: String? = nil, by editor: String) async throws -> Double {
        let scale: Double
        if let given = millimetresPerPixel {
            scale = given
        } else if let pixels, let millimetres, pixels > 0, millimetres > 0 {
            scale = millimetres / pixels
        } else {
            throw WorkflowError(.invalid, "give the scale in millimetres per pixel, or the pixels and millimetres between two ticks of the depth scale (both above 0)")
        }
        try await archive.setScale(ofSession: id, millimetresPerPixel: scale, by: editor, reason: reason)
        return scale
    }

    /// Saves a needle drawing as the still's next revision, measured with its session's scale.
    ///
    /// - Throws: `RecordError` for a drawing without length or outside the still;
    ///   `ArchiveError(.conflict)` when `basedOn` is not the latest revision.
    /// - Parameter suggestedBy: the detector whose suggestion this drawing accepts, as it was.
    public func annotate(_ still: Still, entry: ImagePoint, tip: ImagePoint, target: ImagePoint?, note: String,
                         basedOn: Int?, suggestedBy: String? = nil, by editor: String) async throws -> NeedleAnnotation {
        let geometry = try await measure(still, entry: entry, tip: tip, target: target)
        try geometry.requireInside(width: still.width, height: still.height)
        return try await archive.saveAnnotation(geometry, onStill: still.id, by: editor, note: note, basedOn: basedOn,
                                                suggestedBy: suggestedBy)
    }

    /// A drawing measured as it would be saved: with the session's scale now.
    public func measure(_ still: Still, entry: ImagePoint, tip: ImagePoint, target: ImagePoint?) async throws -> NeedleGeometry {
        try NeedleGeometry(entry: entry, tip: tip, target: target, millimetresPerPixel: try await archive.scale(ofSession: still.sessionID))
    }

    /// Restores an earlier revision as the newest; on a signed record, `reason` says why
    /// (the addendum's reason).
    public func restore(_ still: Still, revision: Int, basedOn: Int?, reason: String? = nil, by editor: String) async throws -> NeedleAnnotation {
        guard let old = try await archive.annotationHistory(ofStill: still.id).revision(revision) else {
            throw WorkflowError(.notFound, "still \(still.id.uuidString.lowercased()) has no revision \(revision)")
        }
        do {
            try old.geometry.requireInside(width: still.width, height: still.height)
        } catch {
            throw WorkflowError(.unusable, "revision \(revision) cannot be restored: \(error)")
        }
        var note = "restored revision \(revision)"
        if let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty {
            note += ": " + reason
        } else if try await archive.signature(ofSession: still.sessionID) != nil {
            throw WorkflowError(.invalid, "the record is signed, so restoring revision \(revision) is an addendum: say why")
        }
        return try await archive.saveAnnotation(old.geometry, onStill: still.id, by: editor, note: note, basedOn: basedOn)
    }

    /// Corrects a still's tag from what a person typed (`left L4-L5`, a structure, a side);
    /// no site clears it.
    public func retag(_ still: Still, site text: String?, structure: String?, side: String?, note: String, basedOn: Int,
                      by editor: String) async throws -> StillTagRevision {
        var tag: SiteTag?
        if let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            var site = try AnatomicSite(parsing: text, options: .allowingTransitionalLevels)
            if let side, !side.isEmpty, site.laterality == nil { site.laterality = try Laterality(parsing: side) }
            let structure = try structure.flatMap { $0.isEmpty ? nil : try TargetStructure(parsing: $0).id }
            tag = SiteTag(site: site, structure: structure)
        }
        return try await archive.retag(still: still.id, to: tag, by: editor, note: note, basedOn: basedOn)
    }

    /// The session's physician signs its ended record (the password was checked again by the
    /// edge that asked). What is signed and its hash are in the returned signature.
    ///
    /// - Parameter version: the record's version the physician read; a record changed
    ///   since is not signed.
    public func sign(_ id: UUID, version: Int?, by physician: String) async throws -> Signature {
        try await archive.sign(session: id, by: physician, expecting: version)
    }
}
