import Foundation
import Records
import Testing
@testable import Archive

/// A procedure cut short and taken up again: each part a session of its own, linked to
/// the one before, read back as one line of parts.
@Suite("the parts of a procedure cut short and continued")
struct ProcedurePartsTests {
    /// A session for P-1 that ended cut short.
    func cutShort(_ f: ArchiveFixture, day: Int, _ status: ProcedureSession.Status = .interrupted) async throws -> ProcedureSession {
        let session = try await f.session("P-1", day: day)
        return try await f.archive.endSession(session.id, as: status, reason: "the daemon was stopped while recording", at: session.startedAt.addingTimeInterval(300))
    }

    @Test("three parts: each reads back the same line, first to last, from any of them")
    func threeParts() async throws {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        let first = try await cutShort(f, day: 1)
        var second = try first.continued(at: first.startedAt.addingTimeInterval(400), tech: "kim")
        try await f.archive.add(second)
        second = try await f.archive.endSession(second.id, as: .failed, reason: "no signal", at: second.startedAt.addingTimeInterval(60))
        let third = try second.continued(at: second.startedAt.addingTimeInterval(120), tech: "kim")
        try await f.archive.add(third)
        try await f.still(second, at: 3, site: "L4-L5")

        for id in [first.id, second.id, third.id] {
            let parts = try await f.archive.procedureParts(of: id)
            #expect(parts.map(\.session.id) == [first.id, second.id, third.id])
            #expect(parts.map(\.session.part) == [1, 2, 3] && parts.map(\.stillCount) == [0, 1, 0])
        }
        let stored = try #require(try await f.archive.session(third.id))
        #expect(stored.continuation == ProcedureSession.Continuation(previous: second.id, part: 3))
        #expect(stored.patientID == first.patientID && stored.treatment == first.treatment && stored.physician == first.physician
                && stored.indication == first.indication && stored.tech == "kim" && stored.injections.isEmpty)
        // A session never cut short is a procedure of one part.
        let alone = try await f.session("P-1", day: 5)
        #expect(try await f.archive.procedureParts(of: alone.id).map(\.session.id) == [alone.id])
        #expect(try await f.archive.procedureParts(of: UUID()).isEmpty)
    }

    @Test("refused: a second continuation of one part, a completed or recording session, another patient, a wrong part number")
    func refusals() async throws {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        try await f.patient("P-2")
        let first = try await cutShort(f, day: 1)
        let next = try first.continued(at: first.startedAt.addingTimeInterval(400), tech: "sam")
        try await f.archive.add(next)
        let rows = try await f.archive.sessions(SessionFilter()).count

        await #expect { try await f.archive.add(try first.continued(at: first.startedAt.addingTimeInterval(500), tech: "sam")) } throws: { error in
            guard let error = error as? ArchiveError, error.kind == .conflict else { return false }
            return error.message.contains("continued already") && error.message.contains(String(next.id.uuidString.lowercased().prefix(8)))
        }
        // `next` is still recording, and a completed session was not cut short.
        #expect(throws: RecordError.notContinuable(.recording)) { try next.continued(at: Date(), tech: "sam") }
        let done = try await f.archive.endSession(try await f.session("P-1", day: 3).id, as: .completed, reason: nil, at: ArchiveFixture.date(day: 3, seconds: 60))
        #expect(throws: RecordError.notContinuable(.completed)) { try done.continued(at: Date(), tech: "sam") }
        #expect("\(RecordError.notContinuable(.completed))".contains("only an interrupted or failed session continues"))
        // Built by hand around the checks above: the archive refuses them too.
        let forged = try ProcedureSession(patientID: PatientID("P-1"), startedAt: Date(), physician: "dr.lee", tech: "sam",
                                          treatment: TreatmentNumber(1, of: 4), continuation: .init(previous: done.id, part: 2))
        await #expect { try await f.archive.add(forged) } throws: { ($0 as? ArchiveError)?.message.contains("cannot be continued") == true }
        let otherPatient = try ProcedureSession(patientID: PatientID("P-2"), startedAt: Date(), physician: "dr.lee", tech: "sam",
                                                treatment: TreatmentNumber(1, of: 4), continuation: .init(previous: try await cutShort(f, day: 4).id, part: 2))
        await #expect { try await f.archive.add(otherPatient) } throws: { ($0 as? ArchiveError)?.message.contains("is patient P-1's, not P-2's") == true }
        let wrongPart = try ProcedureSession(patientID: PatientID("P-1"), startedAt: Date(), physician: "dr.lee", tech: "sam",
                                             treatment: TreatmentNumber(1, of: 4), continuation: .init(previous: try await cutShort(f, day: 6).id, part: 3))
        await #expect { try await f.archive.add(wrongPart) } throws: { ($0 as? ArchiveError)?.message.contains("the part after it is 2, not 3") == true }
        #expect(throws: RecordError.outOfRange(.part, value: "1")) {
            try ProcedureSession(patientID: PatientID("P-1"), startedAt: Date(), physician: "x", tech: "y", treatment: TreatmentNumber(1, of: 1),
                                 continuation: .init(previous: UUID(), part: 1))
        }
        // Refusals write nothing (three sessions were added for them on purpose).
        #expect(try await f.archive.sessions(SessionFilter()).count == rows + 3)
    }

    @Test("the session to continue: the latest started, only if cut short, recent and not yet continued")
    func continuable() async throws {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        let old = try await cutShort(f, day: 1)
        #expect(try await f.archive.continuableSession(startedAfter: ArchiveFixture.date(day: 0))?.session.id == old.id)
        #expect(try await f.archive.continuableSession(startedAfter: ArchiveFixture.date(day: 2)) == nil, "too old")
        let failed = try await cutShort(f, day: 3, .failed)
        #expect(try await f.archive.continuableSession(startedAfter: ArchiveFixture.date(day: 0))?.session.id == failed.id)
        try await f.archive.add(try failed.continued(at: failed.startedAt.addingTimeInterval(600), tech: "sam"))
        #expect(try await f.archive.continuableSession(startedAfter: ArchiveFixture.date(day: 0)) == nil, "the latest is recording")
        let done = try await f.session("P-1", day: 4)
        _ = try await f.archive.endSession(done.id, as: .completed, reason: nil, at: done.startedAt.addingTimeInterval(60))
        #expect(try await f.archive.continuableSession(startedAfter: ArchiveFixture.date(day: 0)) == nil, "the latest completed")
    }

    @Test("a crash found hours later: the session ends when its recording was last written, not when it was found")
    func endFromRecording() async throws {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        var session = try await f.session("P-1", day: 1)
        let recording = try ArchivePath("recordings/\(session.id.uuidString.lowercased()).mkv")
        let file = f.root.appendingPathComponent(recording.value)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(count: 100).write(to: file)
        let lastWritten = session.startedAt.addingTimeInterval(312)
        try FileManager.default.setAttributes([.modificationDate: lastWritten], ofItemAtPath: file.path)
        session.recording = recording
        try await f.archive.update(session)
        let found = session.startedAt.addingTimeInterval(4 * 3600)
        let marked = try await f.archive.markInterruptedSessions(at: found)
        #expect(marked.map(\.id) == [session.id])
        let stored = try #require(try await f.archive.session(session.id))
        #expect(stored.status == .interrupted)
        #expect(abs((stored.duration ?? 0) - 312) < 1, "duration \(stored.duration ?? -1) s")
    }
}
