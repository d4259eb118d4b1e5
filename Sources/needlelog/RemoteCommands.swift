import ArgumentParser
import Archive
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `--daemon URL`, shared by the commands that talk to a running daemon.
struct DaemonOptions: ParsableArguments {
    @Option(name: .customLong("daemon"), help: "The daemon's address.") var url = "http://127.0.0.1:8080"
    @Option(name: .customLong("token-file"), help: ArgumentHelp(
        "The daemon's token (default: daemon.token in the archive folder, as for --archive).", valueName: "file"))
    var tokenFile: String?
    @Option(name: .customLong("archive"), help: ArgumentHelp("Archive folder the daemon records into, where its token is.", valueName: "dir"))
    var archive: String?

    private var tokenURL: URL {
        tokenFile.map { URL(fileURLWithPath: $0) } ?? ArchiveLocation.resolve(explicit: archive).stationToken
    }

    /// POSTs (or GETs, without a body) and returns the JSON answer; a 4xx/5xx becomes
    /// an error carrying the daemon's message.
    func call(_ path: String, body: (any Encodable)? = nil) async throws -> Data {
        guard let endpoint = URL(string: url + "/api/" + path) else { throw ValidationError("--daemon \(url) is not a URL") }
        var request = URLRequest(url: endpoint)
        guard let token = StationToken.read(from: tokenURL) else {
            throw CommandError("no daemon token at \(tokenURL.path): start `needlelog daemon` with the same --archive, or pass --token-file")
        }
        request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization")
        if let body {
            request.httpMethod = "POST"
            request.httpBody = try JSONEncoder().encode(body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if path != "status" {
            request.httpMethod = "POST"
        }
        let data: Data, response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw CommandError("no daemon answers at \(url): start one with `needlelog daemon` (\(error.localizedDescription))")
        }
        if let http = response as? HTTPURLResponse, http.statusCode >= 400 {
            struct Failure: Decodable { struct Inner: Decodable { var message: String }; var error: Inner }
            let message = (try? JSONDecoder().decode(Failure.self, from: data).error.message) ?? String(decoding: data, as: UTF8.self)
            throw CommandError("daemon: \(message) (HTTP \(http.statusCode))")
        }
        return data
    }

    /// Prints the daemon's answer as compact JSON.
    func show(_ data: Data) {
        print(String(decoding: data, as: UTF8.self))
    }
}

/// `needlelog start --patient ID`: starts a session on the running daemon;
/// `needlelog start --continue SESSION` takes up one that was cut short, as its next part.
struct StartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start a session on the running daemon.")
    @OptionGroup var daemon: DaemonOptions
    @Option(help: "The patient's identifier.") var patient: String?
    @Option(name: .customLong("continue"), help: ArgumentHelp("Continue this interrupted or failed session as the next part of its procedure (`needlelog status` names it).", valueName: "session"))
    var continues: String?
    // Left out, the daemon decides: 1/1, the clinic's only physician, and the tech signed in
    // on its tech page (or the only tech) for a new session; the continued session's own for
    // a next part. A name that is no active account of the role is refused.
    @Option(help: "Treatment number of planned, e.g. 2/6 (default 1/1).") var treatment: String?
    @Option(help: "The physician's user name (default: the only physician account).") var physician: String?
    @Option(help: "The tech's user name (default: the tech signed in on the daemon's tech page, or the only tech).") var tech: String?

    func validate() throws {
        if patient == nil && continues == nil {
            throw ValidationError("say whose session it is: --patient ID, or --continue SESSION to take up one cut short")
        }
    }

    func run() async throws {
        struct Body: Encodable { var patient, treatment, physician, tech, continues: String? }
        daemon.show(try await daemon.call("session/start", body: Body(patient: patient, treatment: treatment, physician: physician, tech: tech,
                                                                     continues: continues)))
    }
}

/// `needlelog tag L4-L5 facet left`: what is on screen now.
struct TagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tag", abstract: "Tag what is on screen: level, structure, side.")
    @OptionGroup var daemon: DaemonOptions
    @Argument(help: "Level or site, then optionally a structure and a side: L4-L5 facet left.") var words: [String]

    func run() async throws {
        guard let site = words.first else { throw ValidationError("give a level or site, e.g. needlelog tag L4-L5 facet left") }
        var rest = Array(words.dropFirst())
        let sides = ["left", "right", "bilateral", "midline"]
        let side = rest.last.flatMap { sides.contains($0.lowercased()) ? $0 : nil }
        if side != nil { rest.removeLast() }
        struct Body: Encodable { var site: String; var structure: String?; var side: String? }
        daemon.show(try await daemon.call("tag", body: Body(site: site, structure: rest.isEmpty ? nil : rest.joined(separator: " "), side: side)))
    }
}

/// `needlelog snap`: a still of what is on screen.
struct SnapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "snap", abstract: "Take a still of what is on screen now.")
    @OptionGroup var daemon: DaemonOptions
    func run() async throws { daemon.show(try await daemon.call("snap")) }
}

/// `needlelog stop`: finishes the session (a repeated stop is harmless).
struct StopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the running session.")
    @OptionGroup var daemon: DaemonOptions
    func run() async throws { daemon.show(try await daemon.call("session/stop")) }
}

/// `needlelog status`: state, elapsed time, counters, current tag, last stills.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the daemon's state and counters.")
    @OptionGroup var daemon: DaemonOptions
    func run() async throws { daemon.show(try await daemon.call("status")) }
}
