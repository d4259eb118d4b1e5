import Foundation

/// One frame kept from a session as an image file, with the tag in force when
/// it was taken.
///
/// Codable as a flat object; the image itself lives in the still store under
/// ``fileHash``.
public struct Still: Identifiable, Hashable, Sendable {
    public let id: UUID
    public let sessionID: UUID
    /// Seconds from the session's start.
    public let time: Double
    /// The frame's index in the source, when known (imports know it; live capture may not).
    public let sourceFrame: Int?
    /// The site and structure tagged when the still was taken; `nil` before the first tag.
    public let tag: SiteTag?
    public let reason: Reason
    public let fileHash: ContentHash
    /// The image file's size.
    public let byteSize: Int
    /// In pixels.
    public let width: Int
    /// In pixels.
    public let height: Int
    public let colour: Colour
    public let createdAt: Date

    /// Why a still was taken.
    public enum Reason: String, CaseIterable, Hashable, Sendable, Codable {
        /// The tech pressed the key or foot pedal.
        case snap
        /// The scanner's image froze, which is when the physician looks.
        case freeze
        /// Taken from an imported file (a clip frame or an exported image).
        case `import`
    }

    /// How the image's pixels are stored: ultrasound is grey, so most stills are
    /// 8-bit grey; RGB is kept for colour Doppler and scanner overlays.
    public enum Colour: String, CaseIterable, Hashable, Sendable, Codable {
        case gray
        case rgb
    }

    /// The largest width or height accepted.
    public static let maximumDimension = 65535

    /// - Throws: ``RecordError`` when `time` is negative or not finite, `sourceFrame`
    ///   is negative, `byteSize` is below 1, or a dimension is outside 1-65535.
    public init(
        id: UUID = UUID(), sessionID: UUID, time: Double, sourceFrame: Int? = nil, tag: SiteTag?,
        reason: Reason, fileHash: ContentHash, byteSize: Int, width: Int, height: Int, colour: Colour,
        createdAt: Date
    ) throws(RecordError) {
        try TagEvent.checkTime(time)
        if let sourceFrame { try NumberText.require(sourceFrame, in: 0..., field: .sourceFrame) }
        try NumberText.require(byteSize, in: 1..., field: .byteSize)
        try NumberText.require(width, in: 1...Self.maximumDimension, field: .width)
        try NumberText.require(height, in: 1...Self.maximumDimension, field: .height)
        self.id = id
        self.sessionID = sessionID
        self.time = time
        self.sourceFrame = sourceFrame
        self.tag = tag
        self.reason = reason
        self.fileHash = fileHash
        self.byteSize = byteSize
        self.width = width
        self.height = height
        self.colour = colour
        self.createdAt = createdAt
    }
}

extension Still: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, sessionID, time, sourceFrame, tag, reason, fileHash, byteSize, width, height, colour, createdAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try container.decode(UUID.self, forKey: .id)
        let sessionID = try container.decode(UUID.self, forKey: .sessionID)
        let time = try container.decode(Double.self, forKey: .time)
        let sourceFrame = try container.decodeIfPresent(Int.self, forKey: .sourceFrame)
        let tag = try container.decodeIfPresent(SiteTag.self, forKey: .tag)
        let reason = try container.decode(Reason.self, forKey: .reason)
        let fileHash = try container.decode(ContentHash.self, forKey: .fileHash)
        let byteSize = try container.decode(Int.self, forKey: .byteSize)
        let width = try container.decode(Int.self, forKey: .width)
        let height = try container.decode(Int.self, forKey: .height)
        let colour = try container.decode(Colour.self, forKey: .colour)
        let createdAt = try container.decode(Date.self, forKey: .createdAt)
        self = try validated(decoder) { () throws(RecordError) in
            try Still(
                id: id, sessionID: sessionID, time: time, sourceFrame: sourceFrame, tag: tag, reason: reason,
                fileHash: fileHash, byteSize: byteSize, width: width, height: height, colour: colour, createdAt: createdAt)
        }
    }
}
