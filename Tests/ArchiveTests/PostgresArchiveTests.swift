import Anatomy
import Foundation
import Records
import Testing
@testable import Archive

/// What only the shared store has: its address, its own refusals, and several stations
/// writing into one database at once. The conformance suite (every other archive test)
/// runs on it too, with `NEEDLELOG_TEST_STORE=postgresql`.
@Suite("the shared archive in PostgreSQL")
struct PostgresArchiveTests {
    @Test("a database address reads its user, host, port, database, TLS and socket folder, and shows no password")
    func addresses() throws {
        let plain = try DatabaseAddress(parsing: "postgresql://needlelog@db.clinic.local:6432/archive")
        #expect(plain == DatabaseAddress(user: "needlelog", host: "db.clinic.local", port: 6432, database: "archive"))
        #expect(plain.description == "postgresql://needlelog@db.clinic.local:6432/archive")
        let tls = try DatabaseAddress(parsing: "postgres://rooms@10.1.2.3/needlelog?sslmode=require")
        #expect(tls.tls == .require && tls.port == 5432 && tls.host == "10.1.2.3")
        let socket = try DatabaseAddress(parsing: "postgresql://needlelog@/archive?host=/run/postgresql")
        #expect(socket.socketFolder == "/run/postgresql" && socket.description.contains("host=/run/postgresql"))
        #expect(DatabaseAddress.looksLikeAddress("postgresql://a@b/c") && !DatabaseAddress.looksLikeAddress("/srv/needlelog"))
    }

    @Test("a password in the address, no user, no database, an unknown setting or a bad TLS mode is refused, saying how it is written")
    func badAddresses() throws {
        let cases: [(String, String)] = [
            ("postgresql://needlelog:secret@db/archive", "carries a password"),
            ("postgresql://db.clinic.local/archive", "names no user"),
            ("postgresql://needlelog@db.clinic.local", "names no database"),
            ("postgresql://needlelog@db/archive?sslmode=sometimes", "is not a TLS mode"),
            ("postgresql://needlelog@db/archive?pool=9", "unknown setting pool"),
            ("mysql://needlelog@db/archive", "is not a PostgreSQL address"),
        ]
        for (text, words) in cases {
            let error = #expect(throws: ArchiveError.self) { try DatabaseAddress(parsing: text) }
            #expect(error?.kind == .invalid && error?.message.contains(words) == true, "\(text): \(error?.message ?? "")")
            #expect(error?.message.contains("secret") == false)
        }
    }

    @Test("the password comes from the environment or a file, never the address")
    func passwords() throws {
        let address = try DatabaseAddress(parsing: "postgresql://needlelog@db/archive")
        #expect(try address.password(environment: [:]) == nil)
        #expect(try address.password(environment: ["NEEDLELOG_DATABASE_PASSWORD": "s3cret"]) == "s3cret")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("needlelog-password-\(UUID().uuidString)")
        try "from-file\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try address.password(environment: ["NEEDLELOG_DATABASE_PASSWORD_FILE": file.path]) == "from-file")
        #expect(throws: ArchiveError.self) { try address.password(environment: ["NEEDLELOG_DATABASE_PASSWORD_FILE": "/nonexistent/pw"]) }
    }

    @Test("full-text words fold case and diacritics and split as SQLite's tokenizer does")
    func words() {
        #expect(PostgresText.lexemes("Café-au-lait, L4-L5 facet; CAFÉ") == ["cafe", "au", "lait", "l4", "l5", "facet"])
        #expect(PostgresText.query("l4 ... Facet") == "'l4' & 'facet'")
        #expect(PostgresText.query(" -- ") == nil)
    }

    @Test("a database with no archive is not created by a reading command; a newer schema is refused untouched",
          .enabled(if: ArchiveFixture.Store.current == .postgresql, "needs the test server"))
    func refusals() async throws {
        let address = try ArchiveFixture.newDatabase()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("needlelog-pg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("stills"), withIntermediateDirectories: true)
        let empty = await #expect(throws: ArchiveError.self) { try await PostgresArchive.open(address, files: ArchiveLocation(root: folder), create: false) }
        #expect(empty?.kind == .notFound && empty?.message.contains("holds no NeedleLog archive") == true)

        let archive = try await PostgresArchive.open(address, files: ArchiveLocation(root: folder))
        try await archive.query("tamper") { db in try await db.execute("UPDATE archive_schema SET version = 99") }
        archive.close()
        let newer = await #expect(throws: ArchiveError.self) { try await PostgresArchive.open(address, files: ArchiveLocation(root: folder)) }
        #expect(newer?.kind == .newerSchema && newer?.message.contains("schema version 99") == true)

        let backup = await #expect(throws: ArchiveError.self) { try await archive.backup(to: folder.appendingPathComponent("copy")) }
        #expect(backup?.message.contains("pg_dump") == true)
    }

    @Test("two stations writing into one database at once: one audit chain, every still, each sees the other's",
          .enabled(if: ArchiveFixture.Store.current == .postgresql, "needs the test server"))
    func twoStations() async throws {
        let f = try await ArchiveFixture()
        let address = try #require((f.archive as? PostgresArchive)?.address)
        let second = try await PostgresArchive.open(address, files: f.archive.location)
        defer { second.close() }
        try await f.patient("P-1")
        let session = try await f.session("P-1", day: 1)
        let png = try f.png()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (station, store) in [("room-1", f.archive), ("room-2", second as any ArchiveStore)] {
                group.addTask {
                    for index in 0..<20 {
                        try await store.audit(AuditEvent(actor: station, action: .viewStill, target: "still:\(index)"))
                        let draft = StillDraft(sessionID: session.id, time: Double(index), tag: nil, reason: .snap,
                                               width: png.image.width, height: png.image.height, colour: .gray)
                        _ = try await store.addStill(draft, png: png.data)
                    }
                }
            }
            try await group.waitForAll()
        }
        let report = try await second.verifyAudit()
        #expect(report.isIntact && report.events == 40, "\(report.problems)")
        #expect(try await f.archive.stills(ofSession: session.id).count == 40)
        #expect(try await second.search(StillSearch(patient: PatientID("P-1"), limit: 100)).count == 40)
    }

    @Test("migrate: an embedded archive copied whole (records, revisions, signature, addenda, the audit chain); a second run adds nothing",
          .enabled(if: ArchiveFixture.Store.current == .postgresql, "needs the test server"))
    func migrate() async throws {
        let source = try await ArchiveFixture(store: .sqlite)
        let (session, stills) = try await SignatureTests().signable(source)
        try await source.archive.retag(still: stills[1].id, to: SiteTag(site: try AnatomicSite(parsing: "right L5-S1"), structure: nil),
                                       by: "dr.lee", note: "side", basedOn: 1)
        try await source.archive.saveNeedleSuggestion(nil, forStill: stills[1].id, detector: "needle-1", at: Date())
        try await source.archive.setScale(ofSession: session.id, millimetresPerPixel: 0.2, by: "dr.lee")
        _ = try await source.archive.sign(session: session.id, by: "dr.lee")
        try await source.archive.editSession(session.id, expecting: nil, by: "dr.lee", reason: "pain after was asked again") {
            $0.painScores = try PainScores(before: 7, after: 2)
        }
        try await source.archive.add(try Account(name: "dr.lee", role: .physician, person: try PersonName(family: "Lee", given: "Ann"), passwordHash: "!"))
        try await source.archive.audit(AuditEvent(actor: "dr.lee", action: .viewSession, target: "session:x", patientID: "P-1"))
        let delivery = PACSDelivery(session: session.id, destination: "PACS@127.0.0.1:4242", by: "dr.lee", startedAt: Date(timeIntervalSince1970: 1_700_000_000),
                                    finishedAt: Date(timeIntervalSince1970: 1_700_000_003), commitmentAsked: true,
                                    instances: [.init(sopInstanceUID: "2.25.1", kind: "image", still: stills[0].id, status: "stored", commitment: "committed")])
        try await source.archive.record(delivery)

        let target = try await ArchiveFixture()
        let shared = try #require(target.archive as? PostgresArchive)
        let report = try await shared.copy(from: source.archive)
        #expect(report.patients == 1 && report.accounts == 1 && report.sessions == 1 && report.stills == 2)
        #expect(report.auditEvents == (try await source.archive.auditEvents()).count)

        #expect(try await shared.session(session.id) == source.archive.session(session.id))
        #expect(try await shared.deliveries(ofSession: session.id) == [delivery])
        // Times to the millisecond: both stores keep milliseconds, each reads them back by its own arithmetic.
        func ms(_ date: Date?) -> Int64? { date.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } }
        let revisions = (try #require(try await shared.sessionRevision(session.id)), try #require(try await source.archive.sessionRevision(session.id)))
        #expect(revisions.0.version == revisions.1.version && revisions.0.changedBy == revisions.1.changedBy && ms(revisions.0.changedAt) == ms(revisions.1.changedAt))
        #expect(try await shared.stills(ofSession: session.id) == source.archive.stills(ofSession: session.id))
        #expect(try await shared.tags(ofSession: session.id) == source.archive.tags(ofSession: session.id))
        #expect(try await shared.scale(ofSession: session.id) == 0.2)
        for still in stills {
            func revision(_ tag: StillTagRevision) -> String { "\(tag.revision) \(tag.tag?.description ?? "-") \(tag.author) \(tag.note) \(ms(tag.createdAt) ?? 0)" }
            #expect(try await shared.tagHistory(ofStill: still.id).map(revision) == source.archive.tagHistory(ofStill: still.id).map(revision))
            #expect(try await shared.annotationHistory(ofStill: still.id) == source.archive.annotationHistory(ofStill: still.id))
            let suggestions = (try await shared.needleSuggestion(ofStill: still.id), try await source.archive.needleSuggestion(ofStill: still.id))
            #expect(suggestions.0?.detector == suggestions.1?.detector && suggestions.0?.suggestion == suggestions.1?.suggestion
                    && ms(suggestions.0?.computedAt) == ms(suggestions.1?.computedAt))
            #expect(try shared.png(of: still) == source.archive.png(of: still))
        }
        let signatures = (try #require(try await shared.signature(ofSession: session.id)), try #require(try await source.archive.signature(ofSession: session.id)))
        #expect(signatures.0.record == signatures.1.record && signatures.0.contentHash == signatures.1.contentHash
                && ms(signatures.0.signedAt) == ms(signatures.1.signedAt))
        let addenda = (try await shared.addenda(ofSession: session.id), try await source.archive.addenda(ofSession: session.id))
        #expect(addenda.0.count == 1 && addenda.0.map(\.changes) == addenda.1.map(\.changes) && addenda.0.map(\.reason) == addenda.1.map(\.reason)
                && addenda.0.map { ms($0.createdAt) } == addenda.1.map { ms($0.createdAt) })
        let trails = (try await shared.auditEvents(), try await source.archive.auditEvents())
        func shown(_ event: AuditEvent) -> String { "\(event.seq) \(event.actor) \(event.action) \(event.target) \(event.detail) \(ms(event.at) ?? 0)" }
        #expect(trails.0.map(shown) == trails.1.map(shown))
        let accounts = (try #require(try await shared.account(named: "dr.lee")), try #require(try await source.archive.account(named: "dr.lee")))
        #expect(accounts.0.role == accounts.1.role && accounts.0.person == accounts.1.person && accounts.0.passwordHash == accounts.1.passwordHash
                && ms(accounts.0.createdAt) == ms(accounts.1.createdAt) && ms(accounts.0.passwordChangedAt) == ms(accounts.1.passwordChangedAt))
        let search = StillSearch(site: try SiteQuery(parsing: "L5"))
        #expect(try await shared.search(search) == source.archive.search(search))
        let trail = try await shared.verifyAudit()
        #expect(trail.isIntact, "\(trail.problems)")
        #expect(try await shared.verify(repair: false).isHealthy)

        #expect(try await shared.copy(from: source.archive) == MigrationReport(sessionsPresent: 1))
    }
}
