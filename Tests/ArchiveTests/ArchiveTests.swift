import Anatomy
import Foundation
import GRDB
import Records
import Testing
@testable import Archive

@Suite("the archive keeps records and files together")
struct ArchiveTests {
    @Test("patients, sessions, tags and stills come back as they were stored")
    func roundTrips() async throws {
        let f = try await ArchiveFixture()
        let patient = try await f.patient("P-7", family: "Müller", given: "Jörg")
        #expect(try await f.archive.patient(patient.id) == patient)
        #expect(try await f.archive.patients() == [patient])

        let prolo = try Injectate.prolotherapy(Prolotherapy(dextrosePercent: 12.5, lidocainePercent: 0.1))
        var session = try await f.session("P-7", day: 3, notes: "first of series", injectate: prolo)
        #expect(try await f.archive.session(session.id) == session)

        let tags = [
            try TagEvent(time: 0, site: AnatomicSite(parsing: "L4-L5"), structure: TargetStructure.interspinousLigament.id, author: "sam", source: .live),
            try TagEvent(time: 12.5, site: AnatomicSite(parsing: "left SI joint"), structure: TargetStructure.posteriorSacroiliacLigament.id, author: "sam", source: .tagFile),
        ]
        try await f.archive.add(tags, toSession: session.id)
        #expect(try await f.archive.tags(ofSession: session.id) == tags)

        let still = try await f.still(session, at: 13, site: "left SI joint", structure: .posteriorSacroiliacLigament)
        #expect(try await f.archive.stills(ofSession: session.id) == [still])
        #expect(try await f.archive.still(still.id) == still)
        let file = f.archive.files.url(for: still.fileHash)
        #expect(file.path.hasPrefix(f.root.path + "/stills/" + still.fileHash.hexDigits.prefix(2)))
        #expect(StillFileStore.hash(try Data(contentsOf: file)) == still.fileHash)

        try session.transition(to: .completed, at: ArchiveFixture.date(day: 3, seconds: 1800))
        session.painScores = try PainScores(before: 7, after: 3)
        try await f.archive.update(session)
        #expect(try await f.archive.session(session.id) == session)
        let listed = try await f.archive.sessions(SessionFilter(patient: patient.id))
        #expect(listed.map(\.session) == [session])
        #expect(listed.first?.stillCount == 1)
    }

    @Test("a duplicate patient id, a session for an unknown patient and a still for an unknown session are refused")
    func refusals() async throws {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        let duplicate = await #expect(throws: ArchiveError.self) { try await f.patient("P-1") }
        #expect(duplicate?.kind == .conflict)
        let orphan = await #expect(throws: ArchiveError.self) { _ = try await f.session("P-404", day: 1) }
        #expect(orphan?.message.contains("no patient P-404") == true)

        let (data, image) = try f.png()
        let draft = StillDraft(sessionID: UUID(), time: 1, tag: nil, reason: .snap, width: image.width, height: image.height, colour: .gray)
        let noSession = await #expect(throws: ArchiveError.self) { _ = try await f.archive.addStill(draft, png: data) }
        #expect(noSession?.kind == .notFound)
        // Nothing half-written: no file was left for the refused still.
        #expect(f.archive.files.inventory().stills.isEmpty)
        #expect(try await f.archive.verify(repair: false).isHealthy)
    }

    @Test("the same picture stored twice is one file with two rows")
    func deduplicatedFiles() async throws {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        let session = try await f.session("P-1", day: 1)
        let (data, image) = try f.png()
        for time in [1.0, 1.2] {
            let draft = StillDraft(sessionID: session.id, time: time, tag: nil, reason: .freeze, width: image.width, height: image.height, colour: .gray)
            _ = try await f.archive.addStill(draft, png: data)
        }
        #expect(try await f.archive.stills(ofSession: session.id).count == 2)
        #expect(f.archive.files.inventory().stills.count == 1)
    }

    @Test("an archive written by a newer schema version is refused with a clear message, untouched", .enabled(if: ArchiveFixture.Store.isSQLite, "SQLite's own file"))
    func newerSchema() async throws {
        let f = try await ArchiveFixture()
        try await f.sqlite.pool.write { db in try db.execute(sql: "PRAGMA user_version = 99") }
        let error = #expect(throws: ArchiveError.self) { try SQLiteArchive(location: f.archive.location) }
        #expect(error?.kind == .newerSchema)
        #expect(error?.message.contains("schema version 99") == true)
        #expect(error?.message.contains("up to version \(ArchiveSchema.currentVersion)") == true)
        #expect(try await f.archive.schemaVersion() == 99)
    }

    @Test("a read-only command on a folder with no archive says so instead of creating one", .enabled(if: ArchiveFixture.Store.isSQLite, "SQLite's own file"))
    func missingArchive() throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nothing-" + UUID().uuidString)
        let error = #expect(throws: ArchiveError.self) { try SQLiteArchive(location: ArchiveLocation(root: folder), create: false) }
        #expect(error?.kind == .notFound)
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test("the archive folder comes from the flag, then NEEDLELOG_ARCHIVE, then XDG_DATA_HOME, then ~/.local/share")
    func location() {
        #expect(ArchiveLocation.resolve(explicit: "/a", environment: ["NEEDLELOG_ARCHIVE": "/b"]).root.path == "/a")
        #expect(ArchiveLocation.resolve(explicit: nil, environment: ["NEEDLELOG_ARCHIVE": "/b", "XDG_DATA_HOME": "/c"]).root.path == "/b")
        #expect(ArchiveLocation.resolve(explicit: nil, environment: ["XDG_DATA_HOME": "/c", "HOME": "/h"]).root.path == "/c/needlelog")
        #expect(ArchiveLocation.resolve(explicit: nil, environment: ["HOME": "/h"]).root.path == "/h/.local/share/needlelog")
    }

    @Test("one writer and several readers at once: readers always see whole stills")
    func concurrentReadersAndWriter() async throws {
        let f = try await ArchiveFixture()
        try await f.patient("P-1")
        let session = try await f.session("P-1", day: 1)
        let archive = f.archive
        let pictures = try (0..<40).map { _ in try f.png() }
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for (i, picture) in pictures.enumerated() {
                    let draft = StillDraft(sessionID: session.id, time: Double(i), tag: SiteTag(site: try AnatomicSite(parsing: "L4")),
                                           reason: .snap, width: 8, height: 8, colour: .gray)
                    _ = try await archive.addStill(draft, png: picture.data)
                }
                return pictures.count
            }
            for _ in 0..<3 {
                group.addTask {
                    var lastCount = 0
                    for _ in 0..<30 {
                        let found = try await archive.search(StillSearch(site: try SiteQuery(parsing: "L4"), limit: 1000))
                        #expect(found.count >= lastCount)   // never goes backwards
                        for result in found {
                            // A row is only visible once its file is durable.
                            #expect(FileManager.default.fileExists(atPath: archive.files.url(for: result.still.fileHash).path))
                        }
                        lastCount = found.count
                    }
                    return lastCount
                }
            }
            for try await _ in group {}
        }
        #expect(try await archive.stills(ofSession: session.id).count == 40)
    }
}
