import Foundation

/// Messages for a peer that may be away (the RIS's MPPS), kept in the archive folder until
/// the peer takes them: one durable file per message in `queued/`, moved to `sent/` when
/// taken and to `refused/` (with the peer's reason) when refused for good. A power cut or
/// restart loses nothing: the files are written whole or not at all, and read back at start.
///
/// One process sends from an outbox (the station's daemon); it is not shared by stations.
public struct Outbox: Sendable {
    /// One message: opaque bytes (a DICOM data set) with what the sender needs to order
    /// and show it.
    public struct Letter: Codable, Sendable, Equatable {
        /// The file's name without its extension: a sequence number first, so names sort
        /// in the order the messages were queued.
        public var id: String
        public var session: UUID
        /// What the message is (`N-CREATE`, `N-SET`), for the sender and for people.
        public var kind: String
        /// The state it reports, in words (`IN PROGRESS`, `COMPLETED`).
        public var summary: String
        public var payload: Data
        public var queuedAt: Date
        /// Why the peer refused it, once it has.
        public var refusal: String?
    }

    public enum Box: String, CaseIterable, Sendable { case queued, sent, refused }

    public let folder: URL
    private let staging: URL

    public init(_ name: String, in location: ArchiveLocation) {
        folder = location.root.appendingPathComponent("outbox", isDirectory: true).appendingPathComponent(name, isDirectory: true)
        staging = location.incoming
    }

    /// Queues a message after the ones already queued.
    @discardableResult
    public func enqueue(session: UUID, kind: String, summary: String, payload: Data, at date: Date = Date()) throws -> Letter {
        // Names start with their number: the next one comes from the names alone.
        let names = [Box.queued, .sent].flatMap { (try? FileManager.default.contentsOfDirectory(atPath: url($0).path)) ?? [] }
        let highest = names.compactMap { Int($0.prefix(12)) }.max() ?? 0
        let id = String(format: "%012d", highest + 1) + "-" + session.uuidString.lowercased() + "-" + kind
        let letter = Letter(id: id, session: session, kind: kind, summary: summary, payload: payload, queuedAt: date)
        try write(letter, to: .queued)
        return letter
    }

    /// The letters in `box`, oldest first.
    public func letters(in box: Box) throws -> [Letter] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: url(box).path).filter { $0.hasSuffix(".json") }.sorted()
        } catch CocoaError.fileReadNoSuchFile {
            return []
        } catch {
            throw ArchiveError(.storage, "cannot read the outbox \(url(box).path): \(error)")
        }
        return try names.map { name in
            let file = url(box).appendingPathComponent(name)
            do {
                return try JSONDecoder().decode(Letter.self, from: Data(contentsOf: file))
            } catch {
                throw ArchiveError(.storage, "the outbox message \(file.path) does not read (\(error)): move it aside to let the others go")
            }
        }
    }

    /// Whether any message about `session` was ever queued (and is still queued, sent or refused).
    public func mentions(_ session: UUID, kind: String? = nil) -> Bool {
        let key = "-" + session.uuidString.lowercased() + "-" + (kind ?? "")
        return Box.allCases.contains { box in
            ((try? FileManager.default.contentsOfDirectory(atPath: url(box).path)) ?? []).contains { $0.contains(key) }
        }
    }

    /// The sessions with a message of `kind` in any box.
    public func sessions(withKind kind: String) -> Set<UUID> {
        var found = Set<UUID>()
        for box in Box.allCases {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: url(box).path)) ?? [] where name.hasSuffix("-" + kind + ".json") {
                // 000000000001-<session uuid>-<kind>.json
                let parts = name.dropFirst(13).prefix(36)
                if let session = UUID(uuidString: String(parts)) { found.insert(session) }
            }
        }
        return found
    }

    /// The peer took `letter`.
    public func markSent(_ letter: Letter) throws {
        try move(letter, to: .sent)
    }

    /// The peer refused `letter` for good, for `reason`.
    public func markRefused(_ letter: Letter, reason: String) throws {
        var refused = letter
        refused.refusal = reason
        try write(refused, to: .refused)
        try remove(letter, from: .queued)
    }

    private func move(_ letter: Letter, to box: Box) throws {
        do {
            try OwnerOnly.createFolder(url(box))
        } catch {
            throw ArchiveError(.storage, "cannot make the outbox folder \(url(box).path): \(error)")
        }
        let from = file(letter, in: .queued), to = file(letter, in: box)
        guard rename(from.path, to.path) == 0 else {
            throw ArchiveError(.storage, "cannot move \(from.path) to \(box.rawValue)/: \(String(cString: strerror(errno)))")
        }
        DurableFile.syncFolder(url(box))
        DurableFile.syncFolder(url(.queued))
    }

    private func write(_ letter: Letter, to box: Box) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            try DurableFile.write(try encoder.encode(letter), to: file(letter, in: box), staging: staging)
        } catch {
            throw ArchiveError(.storage, "cannot keep the outbox message \(letter.id) in \(url(box).path): \(error)")
        }
    }

    private func remove(_ letter: Letter, from box: Box) throws {
        guard unlink(file(letter, in: box).path) == 0 || errno == ENOENT else {
            throw ArchiveError(.storage, "cannot take \(letter.id) out of \(box.rawValue)/: \(String(cString: strerror(errno)))")
        }
        DurableFile.syncFolder(url(box))
    }

    private func url(_ box: Box) -> URL { folder.appendingPathComponent(box.rawValue, isDirectory: true) }

    private func file(_ letter: Letter, in box: Box) -> URL { url(box).appendingPathComponent(letter.id + ".json") }
}
