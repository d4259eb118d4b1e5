import CNotify
import Foundation
import Server
import ServiceLifecycle
import Workflows

/// Tells systemd how the daemon is doing (`Type=notify`, see tools/needlelog.service):
/// ready once the server listens, stopping when asked to, and a watchdog ping while the
/// capture desk answers, so a wedged daemon is restarted. Outside systemd
/// (`$NOTIFY_SOCKET` unset) every call does nothing.
enum ServiceManager {
    static func notify(_ message: String) {
        _ = nl_notify(message)
    }

    /// How often to ping: half the watchdog interval systemd set for this process (nil when
    /// it set none, or set it for another process).
    static func watchdogInterval(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"].flatMap(Int32.init), pid != getpid() { return nil }
        return .microseconds(microseconds / 2)
    }
}

/// Pings systemd's watchdog while the capture desk answers: the desk's actor runs start,
/// stop, tag and snap, so a desk that no longer answers is a daemon worth restarting.
struct WatchdogPing: Service {
    /// `nil` on a review-only daemon: the pings then only say the process runs.
    let desk: CaptureDesk?
    let interval: Duration

    func run() async {
        // Ends quietly at shutdown: a service that throws makes the daemon exit 1.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                // The first ping after READY, which the server sends once it listens.
                try await Task.sleep(for: interval)
                _ = await desk?.status()
                ServiceManager.notify("WATCHDOG=1")
            }
        }
    }
}
