import Foundation
import Records
import Testing
@testable import Archive

/// The RIS order a session carries out (issue 15): kept, replaced, refused for a session
/// that does not exist, and checked as DICOM will carry it.
@Suite("a session's RIS order")
struct SessionOrderTests {
    static let order = try! ScheduledOrder(accessionNumber: "ACC0001", requestedProcedureID: "RP-ACC0001",
                                           requestedProcedureDescription: "US-guided facet joint injection L4-L5",
                                           studyInstanceUID: "1.2.826.0.1.3680043.10.543.1.1", scheduledStepID: "SPS-ACC0001",
                                           scheduledStepDescription: "Prolotherapy")

    @Test("kept with its session, read back whole, replaced by a second, absent for another session")
    func keptAndReplaced() async throws {
        let f = try await ArchiveFixture()
        _ = try await f.patient("P-1")
        let session = try await f.session("P-1", day: 1)
        let other = try await f.session("P-1", day: 2)
        #expect(try await f.archive.order(ofSession: session.id) == nil)
        try await f.archive.setOrder(Self.order, ofSession: session.id)
        #expect(try await f.archive.order(ofSession: session.id) == Self.order)
        let corrected = try ScheduledOrder(accessionNumber: "ACC0009", studyInstanceUID: "1.2.826.0.1.3680043.10.543.1.9")
        try await f.archive.setOrder(corrected, ofSession: session.id)
        #expect(try await f.archive.order(ofSession: session.id) == corrected)
        #expect(try await f.archive.order(ofSession: other.id) == nil)
        let error = await #expect(throws: ArchiveError.self) { try await f.archive.setOrder(Self.order, ofSession: UUID()) }
        #expect(error?.kind == .notFound)
    }

    @Test("values DICOM cannot carry are refused, saying what is right")
    func checked() {
        #expect(throws: RecordError.self) { try ScheduledOrder(accessionNumber: "ACC-00000000000001") }   // 18 > 16 (SH)
        #expect(throws: RecordError.self) { try ScheduledOrder(accessionNumber: "A\\B") }
        #expect(throws: RecordError.self) { try ScheduledOrder(accessionNumber: "A", studyInstanceUID: "1.2.03") }
        #expect(throws: RecordError.self) { try ScheduledOrder(accessionNumber: "A", studyInstanceUID: "1.2.x") }
        #expect(throws: RecordError.self) { try ScheduledOrder(accessionNumber: "A", requestedProcedureDescription: String(repeating: "x", count: 65)) }
        do {
            _ = try ScheduledOrder(accessionNumber: "A", studyInstanceUID: "1..2")
        } catch {
            #expect("\(error)".contains("digits and dots"), "\(error)")
        }
        #expect((try? ScheduledOrder(accessionNumber: "", studyInstanceUID: "0.1.2"))?.studyInstanceUID == "0.1.2")
    }
}
