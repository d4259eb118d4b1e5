import Foundation
import Testing
@testable import Archive

/// The audit trail is append-only and its hash chain shows any edit or deletion.
@Suite("the audit trail")
struct AuditTrailTests {
    func filled() async throws -> ArchiveFixture {
        let f = try await ArchiveFixture()
        let events: [(String, AuditAction, String?)] = [("dr.lee", .login, nil), ("dr.lee", .viewSession, "P-1"), ("dr.lee", .annotate, "P-1"),
                                                        ("sam", .viewStill, "P-2"), ("dr.lee", .export, "P-1")]
        for (actor, action, patient) in events {
            try await f.archive.audit(AuditEvent(actor: actor, action: action, target: "session:x", patientID: patient))
        }
        return f
    }

    /// Changes the trail in the database itself, as someone with shell access could, without the triggers.
    func tamper(_ f: ArchiveFixture, _ sql: String) async throws {
        try await f.tamper(sql, table: "audit_event")
    }

    @Test("events chain in order and verify; listing by patient finds only theirs")
    func intact() async throws {
        let f = try await filled()
        let report = try await f.archive.verifyAudit()
        #expect(report.isIntact && report.events == 5)
        let events = try await f.archive.auditEvents(patient: "P-1")
        #expect(events.map(\.seq) == [5, 3, 2])
        #expect(events.map(\.action) == ["export", "annotate", "view-session"])
    }

    @Test("the archive itself refuses to change or delete an event")
    func appendOnly() async throws {
        let f = try await filled()
        await #expect(throws: (any Error).self) { try await f.raw("UPDATE audit_event SET actor = 'x' WHERE seq = 2") }
        await #expect(throws: (any Error).self) { try await f.raw("DELETE FROM audit_event WHERE seq = 2") }
        #expect(try await f.archive.verifyAudit().isIntact)
    }

    @Test("an edited event is found", arguments: ["actor = 'someone.else'", "outcome = 'failure'", "at = '2020-01-01T00:00:00.000Z'", "detail = 'x'"])
    func edited(change: String) async throws {
        let f = try await filled()
        try await tamper(f, "UPDATE audit_event SET \(change) WHERE seq = 3")
        let report = try await f.archive.verifyAudit()
        #expect(report.problems == ["event 3 was changed after it was written (its hash no longer matches)"])
    }

    @Test("a deleted event in the middle, or at the end, is found")
    func deleted() async throws {
        let middle = try await filled()
        try await tamper(middle, "DELETE FROM audit_event WHERE seq = 2")
        let report = try await middle.archive.verifyAudit()
        #expect(report.problems.contains("events 2-2 are missing (deleted)"))
        #expect(report.events == 4)

        let tail = try await filled()
        try await tamper(tail, "DELETE FROM audit_event WHERE seq = 5")
        #expect(try await tail.archive.verifyAudit().problems.contains { $0.contains("events at the end were deleted") })
    }

    @Test("a rewritten chain (hashes recomputed by hand) still breaks at the head")
    func rewritten() async throws {
        let f = try await filled()
        try await tamper(f, "DELETE FROM audit_event WHERE seq >= 4")
        #expect(!(try await f.archive.verifyAudit().isIntact))
        // Writing on after the tampering does not heal it: the next event follows the head.
        try await f.archive.audit(AuditEvent(actor: "dr.lee", action: .login, target: "user:dr.lee"))
        #expect(!(try await f.archive.verifyAudit().isIntact))
    }
}
