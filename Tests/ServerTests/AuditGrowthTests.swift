import Archive
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Workflows
@testable import Server

/// Nobody can fill the disk through the audit trail without signing in: names no account
/// can have are refused before anything is written, and refused attempts are counted, not
/// written one by one.
@Suite("the audit trail stays bounded under failed sign-ins")
struct AuditGrowthTests {
    /// archive.sqlite and its WAL together, in bytes.
    static func archiveBytes(_ archive: SQLiteArchive) -> Int {
        let database = archive.location.database.path
        return [database, database + "-wal"].reduce(0) { total, path in
            total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
    }

    @Test("1,000 failed sign-ins with 60 kB user names grow the archive by less than 1 MB and write nothing")
    func hugeNames() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let eventsBefore = try await f.archive.auditEvents(limit: 100_000).count
        let bytesBefore = Self.archiveBytes(f.archive)
        let filler = String(repeating: "a", count: 60_000)
        let (statuses, message) = try await Application(router: buildRouter(f.server)).test(.router) { client in
            var statuses: [Int: Int] = [:]
            var message = ""
            for index in 0..<1_000 {
                let response = try await client.execute(uri: "/api/login", method: .post,
                                                        body: ByteBuffer(string: #"{"user":"\#(filler)\#(index)","password":"not the password"}"#))
                statuses[response.status.code, default: 0] += 1
                message = errorMessage(response.body)
            }
            return (statuses, message)
        }
        let growth = Self.archiveBytes(f.archive) - bytesBefore
        let events = try await f.archive.auditEvents(limit: 100_000)
        #expect(growth < 1_000_000, "the archive grew by \(growth) bytes")
        #expect(statuses == [400: 1_000], "\(statuses)")
        #expect(message.contains("1-64 lower-case letters") && message.count < 200)
        #expect(events.count == eventsBefore, "\(events.count - eventsBefore) events were written")
        #expect(!events.contains { $0.target.count > 100 || $0.detail.count > 200 })
    }

    @Test("1,000 wrong passwords for one name: 5 events one by one, the 995 refused ones counted in a few events")
    func throttledAggregated() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let interval = Duration.milliseconds(250)
        let server = NeedleServer(archive: f.archive, desk: f.desk.desk, throttle: LoginThrottle(reportInterval: interval),
                                  hasher: PasswordHasher(cost: 4))
        let eventsBefore = try await f.archive.auditEvents(limit: 100_000).count
        let bytesBefore = Self.archiveBytes(f.archive)
        let started = ContinuousClock.now
        let refused = try await Application(router: buildRouter(server)).test(.router) { client in
            var refused = 0
            for index in 0..<1_000 {
                let response = try await client.execute(uri: "/api/login", method: .post,
                                                        body: ByteBuffer(string: #"{"user":"dr.kim","password":"guess number \#(index)"}"#))
                if response.status == .tooManyRequests { refused += 1 }
            }
            return refused
        }
        let elapsed = ContinuousClock.now - started
        // What is still being tallied is written at shutdown; a report the timer took just
        // before may still be on its way into the archive.
        await server.writeThrottleReports(force: true)
        var events: [AuditEvent] = []
        var reports: [AuditEvent] = []
        var counted = 0
        for _ in 0..<20 {
            events = Array(try await f.archive.auditEvents(limit: 100_000).dropLast(eventsBefore))
            reports = events.filter { $0.detail.hasPrefix("throttled: ") }
            counted = reports.compactMap { Int($0.detail.dropFirst("throttled: ".count).prefix { $0.isNumber }) }.reduce(0, +)
            if counted >= refused { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let checked = events.filter { $0.detail == "wrong password" }
        #expect(refused == 995 && checked.count == 5)
        #expect(counted == 995, "the reports count \(counted) refusals")
        #expect(reports.allSatisfy { $0.target == "user:dr.kim" && $0.outcome == .failure && $0.actor == "-" })
        // One report per interval at most (and the last one at shutdown).
        let intervals = Int((elapsed / interval).rounded(.up))
        #expect(reports.count >= 1 && reports.count <= intervals + 1, "\(reports.count) reports in \(elapsed)")
        #expect(events.count == checked.count + reports.count)
        #expect(Self.archiveBytes(f.archive) - bytesBefore < 1_000_000)
        #expect(try await f.archive.verifyAudit().isIntact)
    }

    @Test("refusals for many made-up names from one address are counted under the address")
    func manyNamesOneAddress() async throws {
        let f = try await ReviewFixture()
        defer { f.remove() }
        let server = NeedleServer(archive: f.archive, desk: f.desk.desk, throttle: LoginThrottle(reportInterval: .seconds(60)),
                                  hasher: PasswordHasher(cost: 4))
        let eventsBefore = try await f.archive.auditEvents(limit: 100_000).count
        try await Application(router: buildRouter(server)).test(.router) { client in
            for index in 0..<200 {
                _ = try await client.execute(uri: "/api/login", method: .post,
                                             body: ByteBuffer(string: #"{"user":"made.up.\#(index)","password":"guess"}"#))
            }
        }
        await server.writeThrottleReports(force: true)
        let events = try await f.archive.auditEvents(limit: 100_000).dropLast(eventsBefore)
        // 20 checked (the address's allowance), then one event counting the other 180.
        #expect(events.filter { $0.detail == "unknown user" }.count == 20)
        let reports = events.filter { $0.detail.hasPrefix("throttled: ") }
        #expect(reports.map(\.target) == ["address:local"] && reports.first?.detail.hasPrefix("throttled: 180 sign-ins refused") == true,
                "\(reports.map(\.detail))")
    }
}
