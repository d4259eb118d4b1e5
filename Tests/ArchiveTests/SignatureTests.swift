import Anatomy
import Foundation
import GRDB
import Records
import Testing
@testable import Archive

/// The physician's signature and the addenda after it, through `ArchiveStore`: what is
/// signed stays as signed, every later change is an addendum written in the change's own
/// write, and the trail carries the signed record's hash.
@Suite("signing a record and amending it by addenda")
struct SignatureTests {
    /// An ended session of dr.lee's with notes, pain scores, two tagged stills and a needle on the first.
    func signable(_ f: ArchiveFixture) async throws -> (ProcedureSession, [Still]) {
        try await f.patient("P-1")
        var session = try await f.session("P-1", day: 1, notes: "tolerated well")
        session = try await f.archive.editSession(session.id, expecting: nil, by: "dr.lee") { $0.painScores = try PainScores(before: 7, after: 3) }.0
        let stills = [try await f.still(session, at: 4, site: "left L4-L5", structure: .facetCapsule),
                      try await f.still(session, at: 9, site: "L5-S1", structure: nil)]
        let geometry = try NeedleGeometry(entry: ImagePoint(x: 1, y: 1), tip: ImagePoint(x: 6, y: 5), target: nil, millimetresPerPixel: nil)
        try await f.archive.saveAnnotation(geometry, onStill: stills[0].id, by: "dr.lee", basedOn: nil)
        session = try await f.archive.endSession(session.id, as: .completed, reason: nil, at: session.startedAt.addingTimeInterval(900))
        return (session, stills)
    }

    @Test("the signature keeps the record and its stills as they were, and its hash is in the audit trail")
    func sign() async throws {
        let f = try await ArchiveFixture()
        let (session, stills) = try await signable(f)
        let version = try #require(try await f.archive.sessionRevision(session.id)).version
        let signature = try await f.archive.sign(session: session.id, by: "dr.lee", expecting: version)
        #expect(signature.signedBy == "dr.lee" && signature.record.notes == "tolerated well" && signature.record.painScores.before == 7)
        #expect(signature.record.stills.map(\.id) == stills.map(\.id))
        #expect(signature.record.stills[0].tag?.description == "left L4-L5 facet-capsule" && signature.record.stills[0].needle?.revision == 1)
        #expect(signature.record.stills[1].needle == nil && signature.record.stills[1].fileHash == stills[1].fileHash)
        #expect(try await f.archive.signature(ofSession: session.id) == signature)

        let events = try await f.archive.auditEvents(patient: "P-1")
        let signed = try #require(events.first { $0.action == "sign" })
        #expect(signed.actor == "dr.lee" && signed.target == "session:\(session.id.uuidString.lowercased())")
        #expect(signed.detail == "record sha256 \(signature.contentHash.hexDigits)")
        #expect(try await f.archive.verifyAudit().isIntact)
    }

    @Test("a record is signed once, by its own physician, after it ended, as the physician read it")
    func refusals() async throws {
        let f = try await ArchiveFixture()
        try await f.patient("P-2")
        let recording = try await f.session("P-2", day: 2)
        await #expect { try await f.archive.sign(session: recording.id, by: "dr.lee", expecting: nil) } throws: { error in
            (error as? ArchiveError)?.kind == .conflict && "\(error)".contains("still recording")
        }
        let (session, _) = try await signable(f)
        await #expect { try await f.archive.sign(session: session.id, by: "dr.kim", expecting: nil) } throws: { error in
            (error as? ArchiveError)?.kind == .conflict && "\(error)".contains("only dr.lee")
        }
        await #expect { try await f.archive.sign(session: session.id, by: "dr.lee", expecting: 1) } throws: { error in
            (error as? ArchiveError)?.kind == .conflict && "\(error)".contains("yours is 1")
        }
        _ = try await f.archive.sign(session: session.id, by: "dr.lee")
        await #expect { try await f.archive.sign(session: session.id, by: "dr.lee") } throws: { error in
            (error as? ArchiveError)?.kind == .conflict && "\(error)".contains("signed already by dr.lee")
        }
        await #expect { try await f.archive.sign(session: UUID(), by: "dr.lee") } throws: { ($0 as? ArchiveError)?.kind == .notFound }
    }

    @Test("after signing, the record changes only with a reason, as an addendum; the signed version stays")
    func addenda() async throws {
        let f = try await ArchiveFixture()
        let (session, stills) = try await signable(f)
        let signature = try await f.archive.sign(session: session.id, by: "dr.lee")
        let before = try #require(try await f.archive.sessionRevision(session.id))

        await #expect { try await f.archive.editSession(session.id, expecting: nil, by: "dr.kim") { $0.notes = "vasovagal" } } throws: { error in
            (error as? ArchiveError)?.kind == .invalid && "\(error)".contains("signed by dr.lee") && "\(error)".contains("reason")
        }
        #expect(try await f.archive.addenda(ofSession: session.id).isEmpty)
        #expect(try await f.archive.sessionRevision(session.id) == before, "a refused change writes nothing")

        let (amended, revision) = try await f.archive.editSession(session.id, expecting: before.version, by: "dr.kim", reason: "  brief vasovagal episode after the last injection ") {
            $0.notes = "tolerated well; vasovagal, settled"
            $0.painScores = try PainScores(before: 7, after: 2)
        }
        #expect(amended.notes == "tolerated well; vasovagal, settled" && revision.version == before.version + 1)
        // The same change again changes nothing: no addendum, no new version.
        let (_, same) = try await f.archive.editSession(session.id, expecting: nil, by: "dr.kim", reason: "again") { $0.notes = "tolerated well; vasovagal, settled" }
        #expect(same.version == revision.version)

        try await f.archive.retag(still: stills[1].id, to: SiteTag(site: try AnatomicSite(parsing: "right L5-S1"), structure: TargetStructure.facetCapsule.id),
                                  by: "dr.lee", note: "the side was missing", basedOn: 1)
        await #expect { try await f.archive.retag(still: stills[0].id, to: nil, by: "dr.lee", note: " ", basedOn: 1) } throws: {
            ($0 as? ArchiveError)?.kind == .invalid
        }
        let geometry = try NeedleGeometry(entry: ImagePoint(x: 1, y: 2), tip: ImagePoint(x: 7, y: 7), target: nil, millimetresPerPixel: nil)
        await #expect { try await f.archive.saveAnnotation(geometry, onStill: stills[0].id, by: "dr.lee", note: "", basedOn: 1) } throws: {
            ($0 as? ArchiveError)?.kind == .invalid
        }
        try await f.archive.saveAnnotation(geometry, onStill: stills[0].id, by: "dr.lee", note: "tip was deeper than drawn", basedOn: 1)
        try await f.archive.setScale(ofSession: session.id, millimetresPerPixel: 0.2, by: "dr.lee", reason: "depth scale recalibrated")

        let addenda = try await f.archive.addenda(ofSession: session.id)
        #expect(addenda.map(\.number) == [1, 2, 3, 4])
        #expect(addenda.map(\.author) == ["dr.kim", "dr.lee", "dr.lee", "dr.lee"])
        #expect(addenda[0].reason == "brief vasovagal episode after the last injection")
        #expect(addenda[0].changes == [
            Addendum.Change(field: "notes", before: "tolerated well", after: "tolerated well; vasovagal, settled"),
            Addendum.Change(field: "pain after", before: "3", after: "2"),
        ])
        #expect(addenda[1].changes == [Addendum.Change(field: "tag", still: stills[1].id, before: "L5-S1", after: "right L5-S1 facet-capsule")])
        #expect(addenda[2].changes.first?.field == "needle" && addenda[2].changes.first?.before.hasPrefix("revision 1:") == true
                && addenda[2].changes.first?.after.hasPrefix("revision 2:") == true)
        #expect(addenda[3].changes == [Addendum.Change(field: "scale", before: "not set", after: "0.2000 mm/px")])

        // The signed version is as it was; the record now carries the changes; search sees the new tag.
        let kept = try #require(try await f.archive.signature(ofSession: session.id))
        #expect(kept == signature && kept.record.notes == "tolerated well" && kept.record.painScores.after == 3)
        #expect(kept.record.applied(to: amended).notes == "tolerated well")
        #expect(try await f.archive.still(stills[1].id)?.tag?.site.laterality == .right)
        let events = try await f.archive.auditEvents(patient: "P-1").filter { $0.action == "addendum" }
        #expect(events.count == 4 && events.allSatisfy { !$0.detail.contains("vasovagal") })
        #expect(try await f.archive.verifyAudit().isIntact)
    }

    @Test("a physician's to-sign list: their ended sessions without a signature")
    func toSign() async throws {
        let f = try await ArchiveFixture()
        let (session, _) = try await signable(f)
        try await f.patient("P-3")
        let recording = try await f.session("P-3", day: 3)
        let list = { try await f.archive.sessions(SessionFilter(toSignBy: "dr.lee")).map(\.session.id) }
        #expect(try await list() == [session.id], "not \(recording.id), which is still recording")
        #expect(try await f.archive.sessions(SessionFilter(toSignBy: "dr.kim")).isEmpty)
        let signature = try await f.archive.sign(session: session.id, by: "dr.lee")
        #expect(try await list().isEmpty)
        let row = try #require(try await f.archive.sessions(SessionFilter(patient: PatientID("P-1"))).first)
        #expect(row.signedAt == signature.signedAt)
    }

    @Test("a signed record altered behind the archive's back fails audit verify, even with its hash rewritten to match")
    func tampering() async throws {
        let f = try await ArchiveFixture()
        let (session, _) = try await signable(f)
        _ = try await f.archive.sign(session: session.id, by: "dr.lee")
        await #expect(throws: (any Error).self) { try await f.raw("UPDATE session_signature SET signed_by = 'dr.kim'") }
        await #expect(throws: (any Error).self) { try await f.raw("DELETE FROM session_signature") }
        try await f.tamper("UPDATE session_signature SET record = replace(record, 'tolerated well', 'no problems')", table: "session_signature")
        var report = try await f.archive.verifyAudit()
        #expect(report.problems.count == 1 && report.problems[0].contains("was changed after signing"), "\(report.problems)")

        // Someone who also rewrites the stored hash is caught by the chained trail, which still has the one signed.
        let altered = try await f.rawText("SELECT record FROM session_signature") ?? ""
        try await f.tamper("UPDATE session_signature SET record_hash = '\(StillFileStore.hash(Data(altered.utf8)).hexDigits)'", table: "session_signature")
        report = try await f.archive.verifyAudit()
        #expect(report.problems.count == 1 && report.problems[0].contains("not in the audit trail"), "\(report.problems)")
    }
}
