/// Slows down password guessing: after `freeAttempts` failures for one user name within
/// the window, further attempts wait, twice as long each time. An address gets four times
/// as many, so one guesser behind a clinic's proxy cannot lock everyone else out at once.
public actor LoginThrottle {
    struct Record {
        var failures: Int
        var last: ContinuousClock.Instant
    }

    let freeAttempts: Int
    let window: Duration
    let firstDelay: Duration
    private var records: [String: Record] = [:]

    public init(freeAttempts: Int = 5, window: Duration = .seconds(15 * 60), firstDelay: Duration = .seconds(30)) {
        self.freeAttempts = freeAttempts
        self.window = window
        self.firstDelay = firstDelay
    }

    /// How long the caller must wait before trying again, or `nil` when it may try now.
    func wait(for keys: [String]) -> Duration? {
        let now = ContinuousClock.now
        var longest: Duration?
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
            if until > now, longest.map({ until - now > $0 }) ?? true { longest = until - now }
        }
        return longest
    }

    func failed(_ keys: [String]) {
        let now = ContinuousClock.now
        // Guessing across many made-up names must not grow this table without end.
        if records.count > 10_000 { records = records.filter { now - $0.value.last <= window } }
        for key in keys {
            var record = records[key] ?? Record(failures: 0, last: now)
            if now - record.last > window { record.failures = 0 }
            record.failures += 1
            record.last = now
            records[key] = record
        }
    }

    func succeeded(_ keys: [String]) {
        for key in keys { records[key] = nil }
    }
}
