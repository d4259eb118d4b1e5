import Foundation

/// Every revision of the needle drawn on one still, oldest first.
///
/// The history only grows: ``append(_:by:at:note:basedOn:)`` adds the next
/// revision and ``restore(revision:by:at:)`` brings an old drawing back as a new
/// revision, so nothing once drawn is ever lost. Codable as
/// `{"stillID": ..., "revisions": [...]}`.
public struct NeedleAnnotationHistory: Hashable, Sendable {
    public let stillID: UUID
    /// Revisions 1, 2, ... in order.
    public private(set) var revisions: [NeedleAnnotation]

    /// An empty history for a still nobody has drawn on yet.
    public init(stillID: UUID) {
        self.stillID = stillID
        self.revisions = []
    }

    /// A history as stored.
    /// - Throws: ``RecordError`` when a revision belongs to another still, or the
    ///   revisions are not numbered 1, 2, 3, ... in order.
    public init(stillID: UUID, revisions: [NeedleAnnotation]) throws(RecordError) {
        self.init(stillID: stillID)
        for annotation in revisions { try add(annotation) }
    }

    /// The revision in force: the latest, or `nil` when nothing is drawn.
    public var current: NeedleAnnotation? { revisions.last }

    /// Revision `number`, if the history has it.
    public func revision(_ number: Int) -> NeedleAnnotation? {
        // Compared before subtracting: `number - 1` traps for Int.min, which the JSON of a
        // restore request (`{"revision": -9223372036854775808}`) can carry.
        guard number >= 1, number <= revisions.count else { return nil }
        return revisions[number - 1]
    }

    /// Adds a drawing as the next revision and returns it.
    ///
    /// - Parameter basedOn: the revision the author started from, for conflict
    ///   detection; it must exist in the history.
    /// - Throws: ``RecordError`` when `basedOn` is not in the history.
    @discardableResult
    public mutating func append(
        _ geometry: NeedleGeometry, by author: String, at date: Date, note: String = "", basedOn: Int? = nil
    ) throws(RecordError) -> NeedleAnnotation {
        if let basedOn, revision(basedOn) == nil { throw .noSuchRevision(basedOn, latest: revisions.count) }
        let annotation = try NeedleAnnotation(
            stillID: stillID, revision: revisions.count + 1, geometry: geometry, author: author, createdAt: date,
            note: note, basedOnRevision: basedOn)
        revisions.append(annotation)
        return annotation
    }

    /// Brings back an earlier drawing: appends a new revision with the geometry of
    /// revision `number`, based on the current one, and returns it.
    ///
    /// - Throws: ``RecordError/noSuchRevision(_:latest:)`` when the history has no such revision.
    @discardableResult
    public mutating func restore(revision number: Int, by author: String, at date: Date) throws(RecordError) -> NeedleAnnotation {
        guard let old = revision(number) else { throw .noSuchRevision(number, latest: revisions.count) }
        return try append(old.geometry, by: author, at: date, note: "restored revision \(number)", basedOn: current?.revision)
    }

    /// Adds a stored revision, checking it continues the history.
    private mutating func add(_ annotation: NeedleAnnotation) throws(RecordError) {
        guard annotation.stillID == stillID else { throw .stillMismatch(history: stillID, annotation: annotation.stillID) }
        let expected = revisions.count + 1
        guard annotation.revision == expected else { throw .revisionOutOfSequence(annotation.revision, expected: expected) }
        revisions.append(annotation)
    }
}

extension NeedleAnnotationHistory: Codable {
    private enum CodingKeys: String, CodingKey {
        case stillID, revisions
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let stillID = try container.decode(UUID.self, forKey: .stillID)
        let revisions = try container.decode([NeedleAnnotation].self, forKey: .revisions)
        self = try validated(decoder) { () throws(RecordError) in
            try NeedleAnnotationHistory(stillID: stillID, revisions: revisions)
        }
    }
}
