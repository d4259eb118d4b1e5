import Anatomy
import Foundation
import GRDB
import Media
import Records
import Testing
@testable import Archive

/// A fresh archive in a temporary folder, removed afterwards, with helpers that build
/// patients, sessions and stills the way the clinic's workflow does.
///
/// The tests speak to the store through `ArchiveStore` only, so they are the conformance
/// suite a second store must pass: `NEEDLELOG_TEST_STORE` names the store they run on
/// (`sqlite`, the default, or `postgresql`, on the server `NEEDLELOG_TEST_DATABASE` names:
/// `tools/test` starts one with `tools/postgres`). Each fixture has its own database there.
/// Checks of SQLite's own file reach it through ``sqlite`` and run on SQLite alone;
/// tampering behind the archive's back goes through ``tamper(_:table:)`` on either.
final class ArchiveFixture {
    let root: URL
    let archive: any ArchiveStore
    private var pictureSeed = 0

    /// The stores the suite knows how to open.
    enum Store: String {
        case sqlite
        case postgresql

        static var current: Store {
            let named = ProcessInfo.processInfo.environment["NEEDLELOG_TEST_STORE"] ?? "sqlite"
            guard let store = Store(rawValue: named) else { fatalError("NEEDLELOG_TEST_STORE=\(named): the stores are sqlite and postgresql") }
            return store
        }

        /// For checks of one store's own files.
        static var isSQLite: Bool { current == .sqlite }
    }

    init(store: Store = .current) async throws {
        root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("needlelog-archive-" + UUID().uuidString)
        switch store {
        case .sqlite: archive = try ArchiveLocation(root: root).open()
        case .postgresql:
            let address = try Self.newDatabase()
            archive = try await PostgresArchive.open(address, files: ArchiveLocation(root: root))
        }
    }

    /// A new, empty database on the test server, for one fixture.
    static func newDatabase() throws -> DatabaseAddress {
        guard let server = ProcessInfo.processInfo.environment["NEEDLELOG_TEST_DATABASE"] else {
            throw ArchiveError(.invalid, "NEEDLELOG_TEST_STORE=postgresql needs NEEDLELOG_TEST_DATABASE (tools/test starts a server with tools/postgres)")
        }
        let name = "needlelog_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        psql.arguments = [server, "-q", "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE \(name)"]
        try psql.run()
        psql.waitUntilExit()
        guard psql.terminationStatus == 0 else { throw ArchiveError(.storage, "psql could not create the test database \(name)") }
        return try DatabaseAddress(parsing: server).database(String(name))
    }

    /// Runs SQL on the store's database as someone with shell access could, around the
    /// archive: the triggers guarding `table` are set aside for it.
    func tamper(_ sql: String, table: String) async throws {
        if let sqlite = archive as? SQLiteArchive {
            try await sqlite.pool.writeWithoutTransaction { db in
                let triggers = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", arguments: [table])
                for trigger in triggers { try db.execute(sql: "DROP TRIGGER \(trigger)") }
                try db.execute(sql: sql)
            }
        } else if let postgres = archive as? PostgresArchive {
            try await postgres.query("tamper") { db in
                try await db.execute("ALTER TABLE \(table) DISABLE TRIGGER USER")
                try await db.execute(sql)
                try await db.execute("ALTER TABLE \(table) ENABLE TRIGGER USER")
            }
        }
    }

    /// Runs SQL on the store's database with its rules in force: throws what the database refuses.
    func raw(_ sql: String) async throws {
        if let sqlite = archive as? SQLiteArchive {
            try await sqlite.pool.write { db in try db.execute(sql: sql) }
        } else if let postgres = archive as? PostgresArchive {
            try await postgres.query("raw") { db in try await db.execute(sql) }
        }
    }

    /// The first column of the first row of a query, as text.
    func rawText(_ sql: String) async throws -> String? {
        if let sqlite = archive as? SQLiteArchive {
            return try await sqlite.pool.read { db in try String.fetchOne(db, sql: sql) }
        } else if let postgres = archive as? PostgresArchive {
            return try await postgres.query("raw") { db in try await db.value(sql, as: String.self) }
        }
        return nil
    }

    /// The SQLite store itself, for the checks of its file.
    var sqlite: SQLiteArchive {
        get throws { try #require(archive as? SQLiteArchive, "this check is SQLite's own") }
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    /// 2024-01-01 plus whole days and seconds, at millisecond precision the index keeps.
    static func date(day: Int, seconds: Double = 0) -> Date {
        Date(timeIntervalSince1970: 1_704_067_200 + Double(day) * 86_400 + seconds)
    }

    @discardableResult
    func patient(_ id: String, family: String = "Doe", given: String = "Jane") async throws -> Patient {
        let patient = try Patient(id: PatientID(id), familyName: family, givenName: given,
                                  birthDate: CalendarDate(year: 1970, month: 1, day: 2), sex: .female)
        try await archive.add(patient)
        return patient
    }

    func session(_ patient: String, day: Int, notes: String = "", injectate: Injectate? = nil) async throws -> ProcedureSession {
        var injections: [InjectionSite] = []
        if let injectate {
            injections.append(try InjectionSite(site: AnatomicSite(parsing: "left L4-L5"), structure: TargetStructure.facetCapsule.id,
                                                injectate: injectate, volumeMillilitres: 1, needleGauge: 25))
        }
        let session = try ProcedureSession(patientID: PatientID(patient), startedAt: Self.date(day: day), physician: "dr.lee",
                                           tech: "sam", region: .lumbar, indication: "chronic low back pain",
                                           treatment: TreatmentNumber(1, of: 4), notes: notes, injections: injections)
        try await archive.add(session)
        return session
    }

    /// A small PNG that differs from every other this fixture made.
    func png() throws -> (data: Data, image: Image) {
        pictureSeed += 1
        var image = Image(width: 8, height: 8, format: .gray8)
        for i in 0..<image.pixels.count { image.pixels[i] = UInt8(truncatingIfNeeded: pictureSeed &* 31 &+ i) }
        return (try PNG.encode(image), image)
    }

    @discardableResult
    func still(_ session: ProcedureSession, at time: Double, site: String?, structure: TargetStructure? = nil) async throws -> Still {
        let (data, image) = try png()
        let tag = try site.map { SiteTag(site: try AnatomicSite(parsing: $0), structure: structure?.id) }
        let draft = StillDraft(sessionID: session.id, time: time, tag: tag, reason: .snap, width: image.width,
                               height: image.height, colour: .gray, createdAt: Self.date(day: 0))
        return try await archive.addStill(draft, png: data)
    }
}
