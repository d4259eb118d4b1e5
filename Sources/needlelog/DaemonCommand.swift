import ArgumentParser
import Archive
import Foundation
import Hummingbird
import Server
import ServiceLifecycle

/// `needlelog daemon`: the recorder beside the scanner, controlled over HTTP.
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Run the recorder with its control API (start, tag, snap, stop, status) on a loopback port.",
        discussion: "SIGTERM or SIGINT finishes the recording and the session before the daemon exits."
    )

    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var source: CaptureSourceOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(name: .customLong("behind-tls-proxy"), help: "Allow a non-loopback address because a TLS proxy terminates connections in front.")
    var behindTLSProxy = false
    @Option(name: .customLong("idle-minutes"), help: "Sign a browser out after this many minutes without a request.")
    var idleMinutes = 15

    func validate() throws {
        let loopback = ["127.0.0.1", "::1", "localhost"]
        if !loopback.contains(host) && !behindTLSProxy {
            throw ValidationError("--host \(host) is not loopback: clinical data must not cross a network in clear text. Put a TLS proxy in front and pass --behind-tls-proxy, or listen on 127.0.0.1")
        }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1-65535") }
        guard (1...24 * 60).contains(idleMinutes) else { throw ValidationError("--idle-minutes must be 1-1440") }
    }

    func run() async throws {
        let started = ContinuousClock.now
        let store = try archive.open(create: true)
        for interrupted in try await store.markInterruptedSessions() {
            FileHandle.standardError.write(Data("daemon: session \(interrupted.id.uuidString.lowercased().prefix(8)) had been left recording; marked interrupted\n".utf8))
        }
        let desk = CaptureDesk(archive: store, input: try source.input(), realTime: source.isFile)
        let server = NeedleServer(archive: store, desk: desk, sessions: LoginSessions(idleTimeout: .seconds(idleMinutes * 60)),
                                  secureCookies: behindTLSProxy)
        try StationToken.write(server.stationToken, to: store.location.stationToken)
        if try await store.accounts().isEmpty {
            FileHandle.standardError.write(Data("daemon: no accounts yet: add one with `needlelog users add NAME --role physician` to sign in to the pages\n".utf8))
        }
        let app = Application(
            router: buildRouter(server),
            configuration: .init(address: .hostname(host, port: port), serverName: "NeedleLog"),
            services: [StopCaptureOnShutdown(desk: desk)],
            onServerRunning: { [host, port] _ in
                let ready = ContinuousClock.now - started
                let milliseconds = Double(ready.components.seconds) * 1000 + Double(ready.components.attoseconds) / 1e15
                // Written straight to the descriptor: a script waiting for readiness sees it at once.
                FileHandle.standardOutput.write(Data(String(format: "daemon: ready on http://%@:%d in %.0f ms\n", host, port, milliseconds).utf8))
            })
        try await app.runService()
    }
}

/// Finishes a running session when the daemon is asked to stop (SIGTERM, SIGINT).
struct StopCaptureOnShutdown: Service {
    let desk: CaptureDesk

    func run() async throws {
        try? await gracefulShutdown()
        _ = try? await desk.stop()
    }
}
