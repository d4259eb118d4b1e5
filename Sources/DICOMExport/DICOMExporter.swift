import Archive
import Foundation
import Media
import Records

/// Reads what an export needs from the archive: stills with their pixels, session,
/// patient and current needle, as ``StillRecord`` values for ``ExportWriter``.
public struct DICOMExporter: Sendable {
    public let archive: any ArchiveStore
    /// The needle in force on a still; the archive's annotation history in the
    /// command, anything in tests.
    public let annotation: @Sendable (UUID) async throws -> NeedleAnnotation?
    /// The image scale for stills when neither their needle nor their session gives one.
    public var millimetresPerPixel: Double?

    public init(archive: any ArchiveStore, millimetresPerPixel: Double? = nil,
                annotation: @escaping @Sendable (UUID) async throws -> NeedleAnnotation?) {
        self.archive = archive
        self.millimetresPerPixel = millimetresPerPixel
        self.annotation = annotation
    }

    /// Every still of a session, in the order taken.
    /// - Throws: ``DICOMExportError`` `.notFound` for an unknown session or a missing patient or file.
    public func records(ofSession id: UUID) async throws -> [StillRecord] {
        let parts = try await sessionParts(id)
        var records: [StillRecord] = []
        for (index, still) in parts.stills.enumerated() {
            records.append(try await record(still, number: index + 1, parts))
        }
        return records
    }

    /// The given stills (a search's results), keeping each one's number within its session.
    public func records(of stills: [Still]) async throws -> [StillRecord] {
        var sessions: [UUID: SessionParts] = [:]
        var records: [StillRecord] = []
        for still in stills {
            if sessions[still.sessionID] == nil { sessions[still.sessionID] = try await sessionParts(still.sessionID) }
            guard let parts = sessions[still.sessionID] else { continue }
            let number = (parts.stills.firstIndex { $0.id == still.id } ?? parts.stills.count) + 1
            records.append(try await record(still, number: number, parts))
        }
        return records
    }

    private struct SessionParts {
        var session: ProcedureSession
        var patient: Patient
        var stills: [Still]
        /// The scale set on the session (at import, or by the physician), else the default.
        var millimetresPerPixel: Double?
        /// The people the session names, from their accounts.
        var physician: PersonName?
        var tech: PersonName?
        var signature: Signature?
        var addenda: [Addendum] = []
        var order: ScheduledOrder?
        /// Everyone's name as a person ("Ann Lee, MD"), for the signature and addenda.
        var people: [String: String] = [:]

        /// The signature and the addenda that concern `still` (its tag, its needle, the scale),
        /// as lines; the other changes of an addendum are named only by their fields.
        func signing(of still: UUID) -> [String] {
            guard let signature else { return [] }
            let name = { (user: String) in people[user] ?? user }
            let day = { (date: Date) in ISO8601DateFormatter.string(from: date, timeZone: .gmt, formatOptions: [.withFullDate]) }
            var lines = ["Record signed by \(name(signature.signedBy)) on \(day(signature.signedAt)) (SHA-256 \(signature.contentHash.hexDigits.prefix(16)))"]
            for addendum in addenda {
                let here = addendum.changes.filter { $0.still == still || $0.field == "scale" }
                let elsewhere = Set(addendum.changes.filter { $0.still == nil && $0.field != "scale" }.map(\.field)).sorted()
                var line = "Addendum \(addendum.number) by \(name(addendum.author)) on \(day(addendum.createdAt)): \(addendum.reason)"
                line += here.map { "; \($0.field): \($0.before) → \($0.after)" }.joined()
                if !elsewhere.isEmpty { line += "; also changed: " + elsewhere.joined(separator: ", ") }
                if !here.isEmpty || !elsewhere.isEmpty { lines.append(line) }
            }
            return lines
        }
    }

    private func sessionParts(_ id: UUID) async throws -> SessionParts {
        guard let session = try await archive.session(id) else {
            throw DICOMExportError(.notFound, "no session \(id.uuidString.lowercased()) in the archive at \(archive.location.root.path): look it up among the archive's sessions", remedy: .listSessions)
        }
        guard let patient = try await archive.patient(session.patientID) else {
            throw DICOMExportError(.notFound, "session \(id.uuidString.lowercased()) names patient \(session.patientID), who is not in the archive: check the archive", remedy: .checkArchive)
        }
        let stills = try await archive.stills(ofSession: id).sorted { ($0.time, $0.createdAt) < ($1.time, $1.createdAt) }
        let scale = try await archive.scale(ofSession: id) ?? millimetresPerPixel
        // Staff are named as people (Family^Given) from their accounts; a name from before
        // accounts had names is written as it was recorded.
        var parts = SessionParts(session: session, patient: patient, stills: stills, millimetresPerPixel: scale,
                                 physician: try await archive.account(named: session.physician)?.person,
                                 tech: try await archive.account(named: session.tech)?.person)
        parts.order = try await archive.order(ofSession: id)
        if let signature = try await archive.signature(ofSession: id) {
            parts.signature = signature
            parts.addenda = try await archive.addenda(ofSession: id)
            for account in try await archive.accounts() { parts.people[account.name] = account.person?.display }
        }
        return parts
    }

    private func record(_ still: Still, number: Int, _ parts: SessionParts) async throws -> StillRecord {
        let png = try archive.png(of: still)
        let image: Image
        do { image = try PNG.decode(png).image } catch {
            throw DICOMExportError(.invalid, "the file of still \(still.id.uuidString.lowercased()) is not a readable PNG (\(error)): check the archive", remedy: .checkArchive)
        }
        let needle = try await annotation(still.id)
        if let needle {
            // A drawing stored before points were checked against the picture is refused
            // here rather than written into a presentation state no viewer can show.
            do { try needle.geometry.requireInside(width: image.width, height: image.height) } catch {
                throw DICOMExportError(.invalid, "the needle on still \(still.id.uuidString.lowercased()) (revision \(needle.revision)) cannot be exported: \(error); draw it again on the still page")
            }
        }
        var record = StillRecord(patient: parts.patient, session: parts.session, still: still, instanceNumber: number, image: image,
                                 annotation: needle, defaultMillimetresPerPixel: parts.millimetresPerPixel,
                                 physician: parts.physician, tech: parts.tech)
        record.signing = parts.signing(of: still.id)
        record.order = parts.order
        return record
    }
}
