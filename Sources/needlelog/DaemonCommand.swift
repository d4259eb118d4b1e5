import ArgumentParser
import DICOMNetwork
import Archive
import Foundation
import Hummingbird
import Media
import Server
import ServiceLifecycle
import Voice
import Workflows

/// `needlelog daemon`: the recorder beside the scanner, controlled over HTTP.
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Run the recorder with its control API, the tech's page and the review pages on a loopback port.",
        discussion: """
            Settings come from flags, else from the TOML file (--config, $NEEDLELOG_CONFIG, or \
            ~/.config/needlelog/daemon.toml when it exists), else from the defaults. SIGTERM or \
            SIGINT finishes the recording and the session before the daemon exits.
            """
    )

    @OptionGroup var archive: ArchiveOptions
    @Option(help: ArgumentHelp("With --database: the station's journal, where what it records waits while the database is away (default: $NEEDLELOG_JOURNAL, else $XDG_STATE_HOME/needlelog/journal.sqlite, else ~/.local/state/needlelog/journal.sqlite).", valueName: "file"))
    var journal: String?
    @OptionGroup var source: CaptureSourceOptions
    @Option(help: ArgumentHelp("TOML settings file (see the README).", valueName: "file")) var config: String?
    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default 8080).") var port: Int?
    @Flag(name: .customLong("behind-tls-proxy"), help: "Allow a non-loopback address because a TLS proxy terminates connections in front.")
    var behindTLSProxy = false
    @Option(name: .customLong("disk-reserve-mb"),
            help: "Megabytes the recording leaves free for the archive's database and stills (default 2 % of the disk, at least 1024).")
    var diskReserveMB: Int?
    @Option(name: .customLong("no-signal-minutes"), help: "Minutes a session waits for a lost picture to return before it ends (default 30).")
    var noSignalMinutes: Double?
    @Option(name: .customLong("idle-minutes"), help: "Sign a browser out after this many minutes without a request (default 15).")
    var idleMinutes: Int?
    @Option(help: ArgumentHelp("Listen for spoken commands: a microphone (alsa:default), a sound file, - or a FIFO carrying WAV (default: [voice] device).", valueName: "input"))
    var voice: String?
    @Option(help: "Words said before each voice command (default \"okay needle\"; [voice] wake_word).") var voiceWakeWord: String?
    @Flag(help: "Take voice commands without a wake word: talk in the room will tag too.") var noVoiceWakeWord = false
    @Option(help: ArgumentHelp("The RIS's modality worklist the tech page lists (default: [dicom] worklist).", valueName: "AE@HOST:PORT"))
    var worklist: String?
    @Option(help: ArgumentHelp("The RIS told of each session's start and end with MPPS (default: [dicom] mpps).", valueName: "AE@HOST:PORT"))
    var mpps: String?
    @Option(help: ArgumentHelp("The PACS the session page sends images to by C-STORE (default: [dicom] pacs).", valueName: "AE@HOST:PORT"))
    var pacs: String?
    @Flag(help: "Ask the PACS to commit to what it stored (default: [dicom] storage_commitment).") var storageCommitment = false
    @Option(help: "Where the PACS's storage commitment reports come back (default: [dicom] listen_port, else 11113).") var listenPort: Int?
    @Option(help: "This station's DICOM AE title (default: [dicom] ae_title, else NEEDLELOG).") var aeTitle: String?

    /// Flags over the file over the defaults, checked together.
    struct Resolved {
        var settings: DaemonSettings
        var source: CaptureSourceOptions
        var archive: ArchiveOptions
        var host: String
        var port: Int
        var behindTLSProxy: Bool
        var idleMinutes: Int
        /// Where spoken commands come from, and how they are judged; nil for no voice.
        var voice: (input: AudioInput, settings: VoiceRecognizer.Settings)?
        /// The worklist server and this station's AE title; nil for none.
        var worklist: (peer: ApplicationEntity, title: String)?
        /// The RIS's MPPS SCP and this station's AE title; nil for none.
        var mpps: (peer: ApplicationEntity, title: String)?
        /// The PACS, this station's AE title, and the commitment listener's port when asked; nil for none.
        var pacs: (peer: ApplicationEntity, title: String, commitmentPort: Int?)?
    }

    func resolve() throws -> Resolved {
        let path = config ?? DaemonSettings.defaultPath()
        let settings = try path.map { try DaemonSettings(contentsOf: $0) } ?? DaemonSettings()
        var archive = self.archive
        if archive.path == nil { archive.path = settings.archive }
        if archive.database == nil { archive.database = settings.database }
        var voiceInput: (input: AudioInput, settings: VoiceRecognizer.Settings)?
        if let device = voice ?? settings.voiceDevice {
            let wakeWord = noVoiceWakeWord ? nil : (voiceWakeWord ?? settings.voiceWakeWord ?? VoiceRecognizer.Settings.defaultWakeWord)
            var judged = VoiceRecognizer.Settings(wakeWord: wakeWord.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 })
            if let least = settings.voiceMinimumConfidence { judged.minimumConfidence = least }
            do {
                voiceInput = (try AudioInput(parsing: device), judged)
            } catch {
                throw ValidationError("--voice \(device): \(error)")
            }
        }
        func peer(_ address: String?, option: String) throws -> (peer: ApplicationEntity, title: String)? {
            guard let address else { return nil }
            do {
                let title = aeTitle ?? settings.dicomTitle ?? "NEEDLELOG"
                try ApplicationEntity.check(title: title)
                return (try ApplicationEntity(parsing: address), title)
            } catch {
                throw ValidationError("--\(option) \(address): \(error)")
            }
        }
        let worklistPeer = try peer(worklist ?? settings.worklist, option: "worklist")
        let mppsPeer = try peer(mpps ?? settings.mpps, option: "mpps")
        let pacsPeer = try peer(pacs ?? settings.pacs, option: "pacs")
        let commitmentPort = listenPort ?? settings.listenPort ?? 11113
        guard (1...65535).contains(commitmentPort) else { throw ValidationError("--listen-port must be 1-65535") }
        let commits = storageCommitment || settings.storageCommitment == true
        let resolved = Resolved(settings: settings, source: source.filling(from: settings), archive: archive,
                                host: host ?? settings.host ?? "127.0.0.1", port: port ?? settings.port ?? 8080,
                                behindTLSProxy: behindTLSProxy || settings.behindTLSProxy == true,
                                idleMinutes: idleMinutes ?? settings.idleMinutes ?? 15, voice: voiceInput, worklist: worklistPeer, mpps: mppsPeer,
                                pacs: pacsPeer.map { ($0.peer, $0.title, commits ? commitmentPort : nil) })
        let loopback = ["127.0.0.1", "::1", "localhost"]
        if !loopback.contains(resolved.host) && !resolved.behindTLSProxy {
            throw ValidationError("host \(resolved.host) is not loopback: clinical data must not cross a network in clear text. Put a TLS proxy in front and pass --behind-tls-proxy (or server.behind_tls_proxy = true), or listen on 127.0.0.1")
        }
        guard (1...65535).contains(resolved.port) else { throw ValidationError("--port must be 1-65535") }
        guard (1...24 * 60).contains(resolved.idleMinutes) else { throw ValidationError("--idle-minutes must be 1-1440") }
        return resolved
    }

    func run() async throws {
        let started = ContinuousClock.now
        let resolved = try resolve()
        // No source at all: the physician's office, which reviews what the stations recorded.
        let input = resolved.source.isGiven ? try resolved.source.input() : nil
        let store = try await resolved.archive.openStation(create: true, journal: journal)
        let lock = try await ArchiveLock.acquire(.shared, in: store.location, wait: .seconds(60), purpose: "start the daemon", waiting: ArchiveLock.tell)
        defer { lock.release() }
        try await SessionRecovery.markInterrupted(in: store) { FileHandle.standardError.write(Data("daemon: \($0)\n".utf8)) }
        let procedureSteps = resolved.mpps.map { ProcedureStepReporter(peer: $0.peer, callingTitle: $0.title, archive: store) }
        let desk = input.map {
            CaptureDesk(archive: store, input: $0, realTime: resolved.source.isFile,
                        noSignalLimit: (noSignalMinutes ?? 30) * 60, diskReserve: diskReserveMB.map { Int64($0) << 20 },
                        procedureSteps: procedureSteps)
        }
        try await desk?.recallContinuableSession()
        if desk == nil {
            FileHandle.standardError.write(Data("daemon: no capture source (--device, --pipe or --file, or [capture] in the settings): serving the review pages only\n".utf8))
        }
        if resolved.voice != nil && desk == nil {
            FileHandle.standardError.write(Data("daemon: --voice needs a capture source: voice commands tag and snap a recording\n".utf8))
        }
        let voiceDesk = desk.flatMap { desk in resolved.voice.map { VoiceDesk(desk: desk, input: $0.input, settings: $0.settings) } }
        let worklistDesk = resolved.worklist.map { WorklistDesk(peer: $0.peer, callingTitle: $0.title) }
        let pacsDesk = resolved.pacs.map {
            PACSDesk(archive: store, peer: $0.peer, callingTitle: $0.title, commitment: $0.commitmentPort.map { .init(port: $0, wait: .seconds(60)) })
        }
        let server = NeedleServer(archive: store, desk: desk, voice: voiceDesk, worklist: worklistDesk, pacs: pacsDesk, sessions: LoginSessions(idleTimeout: .seconds(resolved.idleMinutes * 60)),
                                  secureCookies: resolved.behindTLSProxy, pageKeys: resolved.settings.keys,
                                  proxy: resolved.settings.proxy(behindTLSProxy: resolved.behindTLSProxy))
        try StationToken.write(server.stationToken, to: store.location.stationToken)
        if try await store.accounts().isEmpty {
            FileHandle.standardError.write(Data("daemon: no accounts yet: add one with `needlelog users add NAME --role physician` to sign in to the pages\n".utf8))
        }
        let (host, port) = (resolved.host, resolved.port)
        let app = buildApplication(
            server, host: host, port: port,
            onServerRunning: { _ in
                let ready = ContinuousClock.now - started
                let milliseconds = Double(ready.components.seconds) * 1000 + Double(ready.components.attoseconds) / 1e15
                // Written straight to the descriptor: a script waiting for readiness sees it at once.
                FileHandle.standardOutput.write(Data(String(format: "daemon: ready on http://%@:%d in %.0f ms\n", host, port, milliseconds).utf8))
                ServiceManager.notify("READY=1\nSTATUS=listening on \(host):\(port)")
            })
        // One group around the server, shut down in reverse order on SIGTERM or SIGINT: the
        // watchdog, then the capture (its session ends, so live picture streams close), then
        // the HTTP server, which waits for the requests in flight. The server first would
        // wait for an open live picture stream, and the capture would never be told to stop.
        var services: [any Service] = [app, StopCaptureOnShutdown(desk: desk, server: server)]
        if let interval = ServiceManager.watchdogInterval() { services.append(WatchdogPing(desk: desk, interval: interval)) }
        services.append(SuggestNeedles(suggester: NeedleSuggester(archive: store), desk: desk))
        if let voiceDesk { services.append(ListenForVoice(voice: voiceDesk)) }
        if let procedureSteps { services.append(ReportProcedureSteps(reporter: procedureSteps)) }
        try await ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger).run()
    }
}

/// Listens for spoken commands until shutdown; a microphone that fails leaves the
/// recorder running and says so in the tech page's status.
struct ListenForVoice: Service {
    let voice: VoiceDesk

    func run() async {
        await cancelWhenGracefulShutdown { await voice.run() }
        // The sound ended (a file, a closed pipe): the recorder goes on without voice. A
        // service that returns would end the daemon.
        try? await gracefulShutdown()
    }
}

/// Sends the RIS the procedure steps queued in the archive's outbox until shutdown; what
/// is still queued then goes at the next start.
struct ReportProcedureSteps: Service {
    let reporter: ProcedureStepReporter

    func run() async {
        await cancelWhenGracefulShutdown { await reporter.run() }
    }
}

/// Looks for the needle on every still once it is stored (the tech's snaps, the freezes,
/// imports) and keeps the suggestion beside it for the still page: its own task, off the
/// recording's path, paused while a session records (the stills of a session are looked at
/// as it ends); stopped first at shutdown.
struct SuggestNeedles: Service {
    let suggester: NeedleSuggester
    let desk: CaptureDesk?

    func run() async {
        let desk = self.desk
        await cancelWhenGracefulShutdown {
            await suggester.watch(paused: { await desk?.isRecording ?? false })
        }
    }
}

/// Finishes a running session when the daemon is asked to stop (SIGTERM, SIGINT), and
/// writes the sign-in throttle's last counts into the audit trail.
struct StopCaptureOnShutdown: Service {
    let desk: CaptureDesk?
    let server: NeedleServer

    func run() async throws {
        try? await gracefulShutdown()
        ServiceManager.notify("STOPPING=1\nSTATUS=finishing the recording")
        // A session cut short by a restart is interrupted, not completed: the tech page
        // offers to continue it as the next part when the daemon is back.
        do {
            _ = try await desk?.stop(interruption: "the daemon was stopped while recording (restart or shutdown)")
        } catch {
            // The recording is on disk either way; the next start marks the session interrupted.
            FileHandle.standardError.write(Data("daemon: could not finish the session at shutdown: \(error); it is marked interrupted at the next start\n".utf8))
        }
        await server.writeThrottleReports(force: true)
    }
}
