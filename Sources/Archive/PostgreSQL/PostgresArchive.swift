import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Records

/// The shared archive of a clinic with several rooms (issue 18): the index in a PostgreSQL
/// database that every station and desk reaches, the still and recording files in a shared
/// folder (`location`, on NFS or similar; files are named by their content, so writers
/// never collide).
///
/// It keeps the rules every ``ArchiveStore`` keeps, and answers every query as
/// ``SQLiteArchive`` does: the conformance suite (the archive tests) runs on both. Writes
/// take one advisory lock for their transaction, as SQLite has one writer: a version
/// compared and swapped, a revision counted up or an audit event chained sees every write
/// before it, whichever station made it. Reads run beside writes on their own snapshots.
public final class PostgresArchive: ArchiveStore, @unchecked Sendable {
    public let location: ArchiveLocation
    public let files: StillFileStore
    public let address: DatabaseAddress
    let client: PostgresClient
    let logger: Logger
    private let running: Task<Void, Never>

    /// The advisory lock every write holds for its transaction ("NLOG" in ASCII).
    static let writeLock: Int64 = 0x4E4C_4F47

    /// Connects, creating the tables (or bringing them up to date) when needed.
    ///
    /// - Parameter create: when false, a database with no archive is an error rather than
    ///   a new empty archive (for commands that only read).
    /// - Throws: ``ArchiveError`` `.storage` when the database cannot be reached (saying
    ///   where and why), `.notFound`, `.newerSchema`.
    public static func open(_ address: DatabaseAddress, files location: ArchiveLocation, create: Bool = true,
                            environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> PostgresArchive {
        let archive = try PostgresArchive(address, location: location, password: try address.password(environment: environment))
        do {
            try await archive.prepare(create: create)
        } catch {
            archive.close()
            throw error
        }
        return archive
    }

    private init(_ address: DatabaseAddress, location: ArchiveLocation, password: String?) throws {
        self.address = address
        self.location = location
        files = StillFileStore(location: location)
        var configuration: PostgresClient.Configuration
        if let folder = address.socketFolder {
            configuration = .init(unixSocketPath: folder + "/.s.PGSQL.\(address.port)", username: address.user, password: password,
                                  database: address.database)
        } else {
            let tls: PostgresClient.Configuration.TLS
            switch address.tls {
            case .disable: tls = .disable
            case .require:
                tls = .require(.makeClientConfiguration())
            }
            configuration = .init(host: address.host, port: address.port, username: address.user, password: password,
                                  database: address.database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(5)
        // A station has a recorder, a server and a few background tasks: a handful of
        // connections is plenty, and a clinic's server serves many stations.
        configuration.options.maximumConnections = 8
        configuration.options.minimumConnections = 0
        var logger = Logger(label: "needlelog.archive.postgresql")
        logger.logLevel = .critical
        self.logger = logger
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        running = Task { await client.run() }
    }

    deinit { running.cancel() }

    /// Ends the connections (the archive cannot be used afterwards).
    public func close() { running.cancel() }

    private func prepare(create: Bool) async throws {
        if create {
            do {
                for folder in [location.root, location.stills, location.recordings, location.incoming] {
                    try OwnerOnly.createFolder(folder)
                }
            } catch {
                throw ArchiveError(.storage, "cannot create the archive's file folder \(location.root.path): \(error)")
            }
        } else if !FileManager.default.fileExists(atPath: location.stills.path) {
            throw ArchiveError(.notFound, "the archive's file folder \(location.root.path) holds no archive: choose the shared folder its stills are in (--archive)",
                               remedy: .chooseArchive)
        }
        try await write("bring the archive's schema up to date") { db in
            let exists = try await db.value("SELECT to_regclass('archive_schema') IS NOT NULL", as: Bool.self) ?? false
            let version = exists ? try await db.value("SELECT version FROM archive_schema WHERE id = 1", as: Int.self) ?? 0 : 0
            if version > PostgresSchema.currentVersion {
                throw ArchiveError(.newerSchema,
                                   "the archive in \(self.address) has schema version \(version), written by a newer NeedleLog; this one understands up to version \(PostgresSchema.currentVersion). Upgrade NeedleLog to open it; nothing was changed.")
            }
            if version == 0, !create {
                throw ArchiveError(.notFound, "the database \(self.address) holds no NeedleLog archive: name the database the archive is in, or create it with a command that writes",
                                   remedy: .chooseArchive)
            }
            for migration in PostgresSchema.migrations where migration.version > version {
                for statement in PostgresSchema.statements(migration.sql) { try await db.execute(statement) }
                try await db.execute("UPDATE archive_schema SET version = ? WHERE id = 1", [migration.version])
            }
        }
    }

    public func schemaVersion() async throws -> Int {
        try await read("read the schema version") { db in
            try await db.value("SELECT version FROM archive_schema WHERE id = 1", as: Int.self) ?? 0
        }
    }

    // MARK: - Transactions

    /// Runs `body` in a transaction holding the archive's write lock; rolled back when it throws.
    func write<T: Sendable>(_ what: String, _ body: @escaping @Sendable (PGSession) async throws -> T) async throws -> T {
        try await run(what) { [logger] connection in
            let db = PGSession(connection: connection, logger: logger)
            try await db.execute("BEGIN")
            do {
                try await db.execute("SELECT pg_advisory_xact_lock(?)", [Self.writeLock])
                let value = try await body(db)
                try await db.execute("COMMIT")
                return value
            } catch {
                try? await db.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs `body` on one snapshot: every statement sees the same archive.
    func read<T: Sendable>(_ what: String, _ body: @escaping @Sendable (PGSession) async throws -> T) async throws -> T {
        try await run(what) { [logger] connection in
            let db = PGSession(connection: connection, logger: logger)
            try await db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let value = try await body(db)
                try await db.execute("COMMIT")
                return value
            } catch {
                try? await db.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// A single statement's read, without a transaction around it.
    func query<T: Sendable>(_ what: String, _ body: @escaping @Sendable (PGSession) async throws -> T) async throws -> T {
        try await run(what) { [logger] connection in try await body(PGSession(connection: connection, logger: logger)) }
    }

    /// Leases a connection, turning PostgreSQL's failures into messages about the records.
    private func run<T: Sendable>(_ what: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await withDeadline(what) { [client] in try await client.withConnection(body) }
        } catch let error as ArchiveError {
            throw error
        } catch let error as Records.RecordError {
            throw error
        } catch let error as PSQLError {
            throw Self.archiveError(error, what: what, address: address)
        } catch {
            throw ArchiveError(.storage, "cannot \(what): \(error)")
        }
    }

    /// How long an operation may wait for a connection and its answer at most; bulk writes get longer.
    static let deadline = Duration.seconds(30)
    /// How often a waiting operation checks that the server still takes connections: a
    /// station must know in seconds that the database is away, while writes queued behind
    /// the write lock on a busy server may wait longer than that.
    static let probeInterval = Duration.seconds(2)

    private func withDeadline<T: Sendable>(_ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let limit = what == "bulk insert" ? Duration.seconds(600) : Self.deadline
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask { [address] in
                let start = ContinuousClock.now
                while true {
                    try await Task.sleep(for: Self.probeInterval)
                    if await !Self.answers(address) {
                        throw ArchiveError(.unreachable, "cannot \(what): the archive's database at \(address) cannot be reached: check that PostgreSQL runs there and the network to it")
                    }
                    if ContinuousClock.now - start > limit {
                        throw ArchiveError(.unreachable, "cannot \(what): the archive's database at \(address) took no answer within \(limit.components.seconds) s")
                    }
                }
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first
        }
    }

    /// Whether the server accepts a connection within two seconds.
    static func answers(_ address: DatabaseAddress) async -> Bool {
        let bootstrap = ClientBootstrap(group: PostgresClient.defaultEventLoopGroup).connectTimeout(.seconds(2))
        do {
            let channel = if let folder = address.socketFolder {
                try await bootstrap.connect(unixDomainSocketPath: folder + "/.s.PGSQL.\(address.port)").get()
            } else {
                try await bootstrap.connect(host: address.host, port: address.port).get()
            }
            try? await channel.close()
            return true
        } catch {
            return false
        }
    }

    static func archiveError(_ error: PSQLError, what: String, address: DatabaseAddress) -> ArchiveError {
        let state = error.serverInfo?[.sqlState] ?? ""
        let message = error.serverInfo?[.message] ?? "\(error.code)"
        if state.hasPrefix("23") {
            return ArchiveError(.conflict, "cannot \(what): \(message)")
        }
        if state == "40P01" || state == "55P03" {
            return ArchiveError(.busy, "cannot \(what): another station holds the rows locked; try again")
        }
        if error.serverInfo == nil {
            return ArchiveError(.unreachable, "cannot \(what): the archive's database at \(address) cannot be reached (\(error.code)): check that PostgreSQL runs there and this station may connect")
        }
        return ArchiveError(.storage, "cannot \(what): \(message)")
    }
}

/// Dates to the millisecond, as the SQLite store keeps them, so both stores give back the same.
extension Date {
    var archiveMilliseconds: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}
