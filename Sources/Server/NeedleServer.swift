import Archive
import Foundation
import Hummingbird
import Workflows

/// Everything the routes share: the archive, the recorder's desk, who is signed in.
public final class NeedleServer: Sendable {
    public let archive: any ArchiveStore
    /// The recorder's desk; `nil` on a machine with no capture source (the physician's
    /// office), which serves the review pages only.
    public let desk: CaptureDesk?
    /// Spoken commands at the table (`[voice] device`); nil when the station listens to none.
    public let voice: VoiceDesk?
    /// The RIS's modality worklist (`[dicom] worklist`); nil when none is configured.
    public let worklist: WorklistDesk?
    /// The clinic's PACS the session page sends to (`[dicom] pacs`); nil when none is configured.
    public let pacs: PACSDesk?
    public let sessions: LoginSessions
    public let throttle: LoginThrottle
    public let hasher: PasswordHasher
    /// The bearer token the recorder's own command line (`needlelog tag ...`) sends; it
    /// lives in a file only the daemon's user can read.
    public let stationToken: String
    /// Cookies get `Secure` when a TLS proxy is in front.
    public let secureCookies: Bool
    /// The tech page's footswitch keys, from the daemon's settings.
    public let pageKeys: DaemonSettings.PageKeys
    /// The TLS proxy in front, if any: whose `X-Forwarded-For` is believed, and the public `Host`.
    public let proxy: ProxySettings
    /// WebM excerpts converted at once (one per core by default); more get 503.
    public let transcodes: WorkLimiter
    /// `/metrics`: the recorder's gauges and the counters over the daemon's life.
    let metrics = MetricsExporter()
    let hostCheck: HostCheck

    public init(archive: any ArchiveStore, desk: CaptureDesk?, voice: VoiceDesk? = nil, worklist: WorklistDesk? = nil, pacs: PACSDesk? = nil,
                sessions: LoginSessions = LoginSessions(),
                throttle: LoginThrottle = LoginThrottle(), hasher: PasswordHasher = PasswordHasher(),
                stationToken: String = LoginSessions.randomToken(), secureCookies: Bool = false,
                pageKeys: DaemonSettings.PageKeys = DaemonSettings.PageKeys(), proxy: ProxySettings = ProxySettings(),
                transcodes: WorkLimiter = WorkLimiter()) {
        self.archive = archive
        self.desk = desk
        self.voice = voice
        self.worklist = worklist
        self.pacs = pacs
        self.sessions = sessions
        self.throttle = throttle
        self.hasher = hasher
        self.stationToken = stationToken
        self.secureCookies = secureCookies
        self.pageKeys = pageKeys
        self.proxy = proxy
        self.transcodes = transcodes
        hostCheck = HostCheck(publicHosts: proxy.publicHosts)
    }

    /// Writes the sign-ins the throttle refused as one audit event per user name or
    /// address and reporting interval, with their count. Runs on its own after each
    /// interval; call it with `force` at shutdown so the last tallies are not lost.
    public func writeThrottleReports(force: Bool = false) async {
        for report in await throttle.dueReports(force: force) {
            let seconds = report.last.timeIntervalSince(report.first)
            let detail = "throttled: \(report.count) sign-in\(report.count == 1 ? "" : "s") refused"
                + (report.count > 1 ? String(format: seconds < 10 ? " over %.1f s" : " over %.0f s", seconds) : "")
            do {
                try await archive.audit(AuditEvent(actor: "-", action: .login, target: report.key, outcome: .failure, detail: detail))
            } catch {
                // Not silent: the count is lost from the trail, so the log says so (without the name).
                Self.log("could not write a throttled sign-in report to the audit trail: \(error)")
            }
        }
    }

    /// Records an event in the audit trail.
    func audit(_ identity: Identity?, _ action: AuditAction, _ target: String, patient: String? = nil,
               outcome: AuditEvent.Outcome = .success, detail: String = "") async throws {
        try await archive.audit(AuditEvent(actor: identity?.name ?? "-", action: action, target: target, patientID: patient,
                                           outcome: outcome, detail: detail))
    }

    /// `require(permission)`, with a refusal written to the audit trail before it is thrown.
    func authorize(_ context: NeedleContext, _ permission: Permission, action: AuditAction, target: String,
                   patient: String? = nil) async throws -> Identity {
        do {
            return try context.require(permission)
        } catch {
            try await audit(context.identity, action, target, patient: patient,
                            outcome: context.identity == nil ? .failure : .denied, detail: "\(permission)")
            throw error
        }
    }

    /// The desk, or 503 saying this daemon only serves review.
    func captureDesk() throws -> CaptureDesk {
        guard let desk else {
            throw HTTPError(.serviceUnavailable, message: "this NeedleLog serves review only: it was started without a capture source, so it records nothing; record at the station beside the scanner")
        }
        return desk
    }

    /// A line on standard error (the journal, under systemd): never a patient's or user's name.
    static func log(_ message: String) {
        FileHandle.standardError.write(Data("server: \(message)\n".utf8))
    }
}
