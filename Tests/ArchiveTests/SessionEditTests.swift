import Anatomy
import Foundation
import Records
import Testing
@testable import Archive

/// No lost update on a session's record: each change is read, applied and written in one
/// write under the next version; an editor whose copy is older is refused, naming who
/// changed it in between.
@Suite("editing a session's record: versions and compare-and-swap")
struct SessionEditTests {
    @Test("two editors from the same version: the second is refused with who saved, and the first's notes stay")
    func twoEditors() async throws {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        let session = try await f.session("P-1", day: 1)
        let opened = try #require(try await f.archive.sessionRevision(session.id))
        #expect(opened.version == 1 && opened.changedBy == nil)

        let (saved, revision) = try await f.archive.editSession(session.id, expecting: opened.version, by: "dr.lee") { $0.notes = "tolerated well" }
        #expect(saved.notes == "tolerated well" && revision.version == 2 && revision.changedBy == "dr.lee")
        await #expect {
            try await f.archive.editSession(session.id, expecting: opened.version, by: "dr.okafor") { $0.painScores = try PainScores(before: 7, after: 2) }
        } throws: { error in
            guard let error = error as? ArchiveError, error.kind == .conflict else { return false }
            return error.message.contains("changed by dr.lee") && error.message.contains("version 2, yours is 1")
        }
        let stored = try #require(try await f.archive.session(session.id))
        #expect(stored.notes == "tolerated well" && stored.painScores.before == nil)
        let stillStored = try #require(try await f.archive.sessionRevision(session.id))
        #expect(stillStored.version == revision.version && stillStored.changedBy == "dr.lee")

        // From the version they were shown, the second editor's change goes in on top.
        let (both, next) = try await f.archive.editSession(session.id, expecting: revision.version, by: "dr.okafor") { $0.painScores = try PainScores(before: 7, after: 2) }
        #expect(both.notes == "tolerated well" && both.painScores.after == 2 && next.version == 3 && next.changedBy == "dr.okafor")
    }

    @Test("40 changes sent at once, each to another part of the record: every one is kept")
    func concurrentMerges() async throws {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        let session = try await f.session("P-1", day: 1)
        let site = try AnatomicSite(parsing: "left L4-L5")
        let prp = Injectate.prp(try PlateletRichPlasma(leukocytes: .poor, activated: false))
        let archive = f.archive
        let id = session.id
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<40 {
                group.addTask {
                    if i.isMultiple(of: 2) {
                        let injection = try InjectionSite(site: site, structure: TargetStructure.facetCapsule.id, injectate: prp,
                                                          volumeMillilitres: Double(i + 1) / 10, needleGauge: 25)
                        try await archive.editSession(id, expecting: nil, by: "dr.lee") { $0.injections.append(injection) }
                    } else {
                        try await archive.editSession(id, expecting: nil, by: "dr.okafor") { $0.complications.append("note \(i)") }
                    }
                }
            }
            try await group.waitForAll()
        }
        let stored = try #require(try await f.archive.session(session.id))
        #expect(stored.injections.count == 20)
        let volumes: Set<Double> = Set(stride(from: 0, to: 40, by: 2).map { Double($0 + 1) / 10 })
        let notes: Set<String> = Set(stride(from: 1, to: 40, by: 2).map { "note \($0)" })
        #expect(Set(stored.injections.map(\.volumeMillilitres)) == volumes)
        #expect(Set(stored.complications) == notes)
        #expect(try await f.archive.sessionRevision(session.id)?.version == 41)
    }

    @Test("the recorder's end of a session neither loses an edit made while it recorded nor counts as one")
    func editDuringRecording() async throws {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        let recording = try await f.session("P-1", day: 1)
        #expect(recording.status == .recording)
        let before = try #require(try await f.archive.sessionRevision(recording.id))
        try await f.archive.editSession(recording.id, expecting: before.version, by: "dr.lee") { $0.notes = "vasovagal, settled" }
        let ended = try await f.archive.endSession(recording.id, as: .completed, reason: nil, at: recording.startedAt.addingTimeInterval(600))
        #expect(ended.status == .completed && ended.notes == "vasovagal, settled")
        // The form opened after the edit still saves: the end changed only what the recorder owns.
        #expect(try await f.archive.sessionRevision(recording.id)?.version == before.version + 1)
    }

    @Test("a record change that breaks a rule is refused whole: nothing of it is written")
    func invalidChange() async throws {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        let session = try await f.session("P-1", day: 1)
        await #expect(throws: RecordError.self) {
            try await f.archive.editSession(session.id, expecting: 1, by: "dr.lee") { session in
                session.notes = "half a change"
                session.painScores = try PainScores(before: 11, after: 2)
            }
        }
        #expect(try await f.archive.session(session.id)?.notes == session.notes)
        #expect(try await f.archive.sessionRevision(session.id)?.version == 1)
    }
}
