import Foundation

/// Slows down password guessing: after `freeAttempts` failures for one user name within
/// the window, further attempts wait, twice as long each time. An address gets four times
/// as many, so one guesser behind a clinic's proxy cannot lock everyone else out at once.
///
/// An attempt is counted when it is admitted, before its password is checked, so
/// parallel attempts cannot all pass the count while their hashes are being checked:
/// however many arrive at once, at most `freeAttempts` passwords are checked for a name.
/// A sign-in that succeeds clears the count again.
///
/// Attempts refused while a key waits are not written one by one: they are tallied per
/// key and written as one event with a count per `reportInterval` (see ``dueReports(force:)``).
public actor LoginThrottle {
    struct Record {
        var failures: Int
        var last: ContinuousClock.Instant
    }

    /// Refused attempts for one key, not yet written to the audit trail.
    struct Tally {
        var count: Int
        var first: Date
        var last: Date
        var started: ContinuousClock.Instant
    }

    /// What became of an attempt.
    enum Admission: Equatable {
        /// Counted already: check the password, then report success or leave it counted.
        case admitted
        /// Refused without a check: wait this long. `firstOfTally` is true for the first
        /// refusal of a reporting period, when its report must be scheduled.
        case wait(Duration, key: String, firstOfTally: Bool)
    }

    /// One audit event's worth of refused attempts for a key (`user:NAME` or `address:IP`).
    public struct Report: Sendable, Equatable {
        public var key: String
        public var count: Int
        public var first: Date
        public var last: Date
    }

    let freeAttempts: Int
    let window: Duration
    let firstDelay: Duration
    /// How long refused attempts are tallied before they are written as one event.
    public let reportInterval: Duration
    private var records: [String: Record] = [:]
    private var tallies: [String: Tally] = [:]

    public init(freeAttempts: Int = 5, window: Duration = .seconds(15 * 60), firstDelay: Duration = .seconds(30),
                reportInterval: Duration = .seconds(60)) {
        self.freeAttempts = freeAttempts
        self.window = window
        self.firstDelay = firstDelay
        self.reportInterval = reportInterval
    }

    /// Admits an attempt and counts it as a failure at once, or refuses it with the
    /// wait. Checked and counted in one step on the actor, so nothing slips in between.
    func admit(_ keys: [String]) -> Admission {
        let now = ContinuousClock.now
        if let (wait, key) = wait(for: keys, now: now) {
            return .wait(wait, key: key, firstOfTally: tally(key))
        }
        // Guessing across many made-up names must not grow this table without end.
        if records.count > 10_000 { records = records.filter { now - $0.value.last <= window } }
        for key in keys {
            var record = records[key] ?? Record(failures: 0, last: now)
            if now - record.last > window { record.failures = 0 }
            record.failures += 1
            record.last = now
            records[key] = record
        }
        return .admitted
    }

    /// The attempt was admitted but its password could not be checked (the bcrypt
    /// threads were busy): it does not count.
    func notChecked(_ keys: [String]) {
        for key in keys {
            guard var record = records[key] else { continue }
            record.failures = max(0, record.failures - 1)
            records[key] = record
        }
    }

    /// The attempt's password was right: its keys start afresh.
    func succeeded(_ keys: [String]) {
        for key in keys { records[key] = nil }
    }

    /// Tallies that have run their `reportInterval` (all of them when `force`), taken
    /// out so each is written once.
    public func dueReports(force: Bool = false) -> [Report] {
        let now = ContinuousClock.now
        let due = tallies.filter { force || now - $0.value.started >= reportInterval }
        for key in due.keys { tallies[key] = nil }
        return due.map { Report(key: $0.key, count: $0.value.count, first: $0.value.first, last: $0.value.last) }
            .sorted { $0.first < $1.first }
    }

    /// The longest wait any of the keys imposes, and that key.
    private func wait(for keys: [String], now: ContinuousClock.Instant) -> (Duration, String)? {
        var longest: (Duration, String)?
        for key in keys {
            guard let record = records[key] else { continue }
            if now - record.last > window {
                records[key] = nil
                continue
            }
            let free = key.hasPrefix("address:") ? freeAttempts * 4 : freeAttempts
            guard record.failures >= free else { continue }
            let doublings = min(record.failures - free, 5)
            let until = record.last + firstDelay * (1 << doublings)
            if until > now, longest.map({ until - now > $0.0 }) ?? true { longest = (until - now, key) }
        }
        return longest
    }

    /// Counts a refusal for `key`; true when it opens a new tally.
    private func tally(_ key: String) -> Bool {
        let date = Date()
        // Bounded like the records: past 10,000 keys in one interval, the rest share one tally.
        let key = tallies[key] == nil && tallies.count >= 10_000 ? Self.overflowKey : key
        if var tally = tallies[key] {
            tally.count += 1
            tally.last = date
            tallies[key] = tally
            return false
        }
        tallies[key] = Tally(count: 1, first: date, last: date, started: .now)
        return true
    }

    /// The tally of refusals for keys beyond the 10,000 tallied one by one.
    static let overflowKey = "others"
}
