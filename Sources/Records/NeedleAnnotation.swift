import Foundation

/// One revision of the needle the physician drew on a still.
///
/// Revisions are never changed: a correction is a new revision, kept by
/// ``NeedleAnnotationHistory``. Codable as one flat object, the geometry's
/// fields beside the revision's:
/// `{"stillID": ..., "revision": 2, "entry": {"x": 0, "y": 0}, "tip": {...},
/// "millimetresPerPixel": 0.5, "author": "dr.lee", "createdAt": ..., "note": "", "basedOnRevision": 1}`.
public struct NeedleAnnotation: Hashable, Sendable {
    public let stillID: UUID
    /// 1 for the first drawing, then 2, 3, ...
    public let revision: Int
    public let geometry: NeedleGeometry
    /// The user name of whoever drew it.
    public let author: String
    public let createdAt: Date
    public let note: String
    /// The revision the author was looking at when drawing this one; the archive
    /// compares it with the latest to catch two people editing at once. `nil` for
    /// a first drawing or when not known.
    public let basedOnRevision: Int?
    /// The detector (``NeedleSuggestion/detector``) whose suggestion the author accepted
    /// as this revision; nil for a drawing of the author's own.
    public let suggestedBy: String?

    /// - Throws: ``RecordError`` when `revision` is below 1 or `basedOnRevision`
    ///   is not an earlier revision.
    public init(
        stillID: UUID, revision: Int, geometry: NeedleGeometry, author: String, createdAt: Date,
        note: String = "", basedOnRevision: Int? = nil, suggestedBy: String? = nil
    ) throws(RecordError) {
        try NumberText.require(revision, in: 1..., field: .revision)
        if let basedOnRevision {
            try NumberText.require(basedOnRevision, in: 1..., field: .revision)
            guard basedOnRevision < revision else { throw .basedOnLaterRevision(basedOn: basedOnRevision, revision: revision) }
        }
        self.stillID = stillID
        self.revision = revision
        self.geometry = geometry
        self.author = author
        self.createdAt = createdAt
        self.note = note
        self.basedOnRevision = basedOnRevision
        self.suggestedBy = suggestedBy
    }

    /// A revision from its points and scale.
    /// - Throws: ``RecordError`` from ``NeedleGeometry`` or the revision checks.
    public init(
        stillID: UUID, revision: Int, entry: ImagePoint, tip: ImagePoint, target: ImagePoint? = nil,
        millimetresPerPixel: Double? = nil, author: String, createdAt: Date, note: String = "",
        basedOnRevision: Int? = nil
    ) throws(RecordError) {
        let geometry = try NeedleGeometry(entry: entry, tip: tip, target: target, millimetresPerPixel: millimetresPerPixel)
        try self.init(
            stillID: stillID, revision: revision, geometry: geometry, author: author, createdAt: createdAt,
            note: note, basedOnRevision: basedOnRevision)
    }

    public var entry: ImagePoint { geometry.entry }
    public var tip: ImagePoint { geometry.tip }
    public var target: ImagePoint? { geometry.target }
    public var millimetresPerPixel: Double? { geometry.millimetresPerPixel }
    /// See ``NeedleGeometry/angleDegrees``.
    public var angleDegrees: Double { geometry.angleDegrees }
    /// See ``NeedleGeometry/lengthMillimetres``.
    public var lengthMillimetres: Double? { geometry.lengthMillimetres }
    /// See ``NeedleGeometry/tipDepthMillimetres``.
    public var tipDepthMillimetres: Double? { geometry.tipDepthMillimetres }
}

extension NeedleAnnotation: Codable {
    private enum CodingKeys: String, CodingKey {
        case stillID, revision, author, createdAt, note, basedOnRevision, suggestedBy
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let stillID = try container.decode(UUID.self, forKey: .stillID)
        let revision = try container.decode(Int.self, forKey: .revision)
        // The geometry's fields sit in the same object.
        let geometry = try NeedleGeometry(from: decoder)
        let author = try container.decode(String.self, forKey: .author)
        let createdAt = try container.decode(Date.self, forKey: .createdAt)
        let note = try container.decodeIfPresent(String.self, forKey: .note) ?? ""
        let basedOn = try container.decodeIfPresent(Int.self, forKey: .basedOnRevision)
        let suggestedBy = try container.decodeIfPresent(String.self, forKey: .suggestedBy)
        self = try validated(decoder) { () throws(RecordError) in
            try NeedleAnnotation(
                stillID: stillID, revision: revision, geometry: geometry, author: author, createdAt: createdAt,
                note: note, basedOnRevision: basedOn, suggestedBy: suggestedBy)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stillID, forKey: .stillID)
        try container.encode(revision, forKey: .revision)
        try geometry.encode(to: encoder)
        try container.encode(author, forKey: .author)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(note, forKey: .note)
        try container.encodeIfPresent(basedOnRevision, forKey: .basedOnRevision)
        try container.encodeIfPresent(suggestedBy, forKey: .suggestedBy)
    }
}
