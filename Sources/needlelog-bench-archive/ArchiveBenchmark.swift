import Anatomy
import ArgumentParser
@_spi(Benchmark) import Archive
import Foundation
import Records

/// Builds a synthetic archive (by default 1 M stills in 100 k sessions) and measures
/// search latency for representative queries: p50 and p99 over many runs each.
/// Run through tools/bench-archive, in a release build.
@main
struct ArchiveBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "needlelog-bench-archive")

    @Option(help: "Sessions to create.") var sessions = 100_000
    @Option(help: "Stills per session.") var stillsPerSession = 10
    @Option(help: "Patients (each has sessions spread over two years).") var patients = 10_000
    @Option(help: "Runs of each query.") var runs = 300
    @Option(help: "Archive folder to build in (default: a temporary one, removed afterwards).") var archive: String?
    @Option(help: "Also build and measure the same archive in this PostgreSQL database (postgresql://USER@HOST:PORT/DB, an empty database), beside SQLite.")
    var database: String?
    @Flag(help: "Measure PostgreSQL alone (with --database).") var postgresqlOnly = false
    @Flag(help: "The database already holds this archive from an earlier run with the same sizes: measure the queries only (with --database and --postgresql-only).")
    var existing = false

    func run() async throws {
        let folder = archive ?? NSTemporaryDirectory() + "needlelog-bench-" + UUID().uuidString
        defer { if archive == nil { try? FileManager.default.removeItem(atPath: folder) } }
        if postgresqlOnly || existing {
            guard let database, postgresqlOnly else { throw ValidationError("--postgresql-only needs --database; --existing needs both") }
            print("== PostgreSQL (\(try DatabaseAddress(parsing: database)))")
            _ = try await measure(try await ArchiveLocation(path: folder).open(database: DatabaseAddress(parsing: database)), build: !existing)
            return
        }
        print("== SQLite (embedded)")
        let sqlite = try await measure(try ArchiveLocation(path: folder).open())
        guard let database else { return }
        print("\n== PostgreSQL (\(try DatabaseAddress(parsing: database)))")
        let files = folder + "-postgresql"
        defer { try? FileManager.default.removeItem(atPath: files) }
        let postgresql = try await measure(try await ArchiveLocation(path: files).open(database: DatabaseAddress(parsing: database)))
        print("\nquery                      SQLite p99   PostgreSQL p99   ratio")
        for (name, lite) in sqlite.p99 {
            let shared = postgresql.p99.first { $0.name == name }?.ms ?? .nan
            print(name.padding(toLength: 25, withPad: " ", startingAt: 0) + String(format: "  %9.2f   %14.2f   %5.1fx", lite, shared, shared / lite))
        }
        print(String(format: "build                      %7.1f s   %12.1f s   %5.1fx   (PostgreSQL target <= 180 s)",
                     sqlite.buildSeconds, postgresql.buildSeconds, postgresql.buildSeconds / sqlite.buildSeconds))
        print(String(format: "worst p99 on PostgreSQL: %.2f ms (target <= 5 ms)", postgresql.p99.map(\.ms).max() ?? .nan))
    }

    /// Builds the synthetic archive in `store` and times each query; prints as it goes.
    private func measure(_ store: any ArchiveStore, build: Bool = true) async throws -> (buildSeconds: Double, p99: [(name: String, ms: Double)]) {
        let clock = ContinuousClock()
        let buildSeconds = build ? try await self.build(store, clock: clock) : 0
        var random = SplitMix64(seed: 7)
        let levels = VertebralLevel.allCases.filter { !$0.isTransitional }.map(\.description)
        let structures = TargetStructure.catalogue.map(\.id)
        let queries: [(String, (inout SplitMix64) throws -> StillSearch)] = [
            ("single level", { r in StillSearch(site: try SiteQuery(parsing: levels[r.next(below: levels.count)])) }),
            ("single level, exact", { r in StillSearch(site: try SiteQuery(parsing: levels[r.next(below: levels.count)], exactOnly: true)) }),
            ("segment", { r in
                let i = r.next(below: levels.count - 1)
                return StillSearch(site: try SiteQuery(parsing: "\(levels[i])-\(levels[i + 1])"))
            }),
            ("range L3-S1", { _ in StillSearch(site: try SiteQuery(parsing: "L3-S1")) }),
            ("region", { r in StillSearch(site: try SiteQuery(parsing: ["cervical", "thoracic", "lumbar", "sacral"][r.next(below: 4)])) }),
            ("structure with side", { r in StillSearch(structure: structures[r.next(below: structures.count)], side: r.next(below: 2) == 0 ? .left : .right) }),
            ("patient with level", { r in
                StillSearch(site: try SiteQuery(parsing: levels[r.next(below: levels.count)]),
                            patient: try PatientID(String(format: "P-%06d", r.next(below: patients))))
            }),
            ("date range (one month)", { r in
                let start = SyntheticArchive.epoch.addingTimeInterval(Double(r.next(below: 700)) * 86_400)
                return StillSearch(from: start, to: start.addingTimeInterval(30 * 86_400))
            }),
            ("level in a date range", { r in
                let start = SyntheticArchive.epoch.addingTimeInterval(Double(r.next(below: 700)) * 86_400)
                return StillSearch(site: try SiteQuery(parsing: "L4-L5"), from: start, to: start.addingTimeInterval(30 * 86_400))
            }),
            ("level with injectate", { r in
                StillSearch(site: try SiteQuery(parsing: levels[r.next(below: levels.count)]), injectate: [.prp, .bmc][r.next(below: 2)])
            }),
            ("full text", { _ in StillSearch(text: SyntheticArchive.rareWord) }),
        ]
        print("")
        print("query                      p50 ms   p99 ms   max ms   results (last run)")
        var worstP99 = 0.0
        var p99s: [(name: String, ms: Double)] = []
        for (name, make) in queries {
            var latencies: [Double] = []
            var count = 0
            for _ in 0..<runs {
                let search = try make(&random)
                let start = clock.now
                count = try await store.search(search).count
                latencies.append(seconds(clock.now - start) * 1000)
            }
            latencies.sort()
            let p50 = latencies[latencies.count / 2]
            let p99 = latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.99))]
            worstP99 = max(worstP99, p99)
            p99s.append((name, p99))
            print(name.padding(toLength: 25, withPad: " ", startingAt: 0) + String(format: "  %7.2f  %7.2f  %7.2f   %d", p50, p99, latencies.last!, count))
        }
        print(String(format: "\nworst p99: %.2f ms (target <= 3 ms per query; DESIGN asks 5)", worstP99))
        return (buildSeconds, p99s)
    }

    /// Fills `store` with the synthetic archive; the seconds it took.
    private func build(_ store: any ArchiveStore, clock: ContinuousClock) async throws -> Double {
        var synthetic = SyntheticArchive(patients: patients, sessions: sessions, stillsPerSession: stillsPerSession)
        let buildStart = clock.now
        try await store.insertIndexRows(patients: synthetic.patientRecords(), sessions: [], stills: [])
        let batch = 2_000
        for first in stride(from: 0, to: sessions, by: batch) {
            var sessionBatch: [ProcedureSession] = []
            var stillBatch: [Still] = []
            for index in first..<min(first + batch, sessions) {
                let (session, stills) = try synthetic.session(index)
                sessionBatch.append(session)
                stillBatch += stills
            }
            try await store.insertIndexRows(patients: [], sessions: sessionBatch, stills: stillBatch)
        }
        try await store.analyze()
        let buildSeconds = seconds(clock.now - buildStart)
        let total = sessions * stillsPerSession
        print(String(format: "built %d stills in %d sessions (%d patients) in %.1f s (%.0f stills/s); target <= 120 s",
                     total, sessions, patients, buildSeconds, Double(total) / buildSeconds))
        return buildSeconds
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
