import Foundation

/// What `needlelog daemon` can read from its TOML file; flags given on the command line
/// win over the file, and the file over the built-in defaults.
///
/// ```toml
/// archive = "/var/lib/needlelog"
/// database = "postgresql://needlelog@db.clinic.local/needlelog"   # a shared archive; archive is then its file folder
///
/// [capture]
/// device = "/dev/video0"      # or file = "clip.mp4", or pipe = "-" with format = "mjpeg"
/// input_format = "mjpeg"
/// size = "1920x1080"
/// frame_rate = 60
///
/// [server]
/// host = "127.0.0.1"
/// port = 8080
/// behind_tls_proxy = false
/// trusted_proxies = ["127.0.0.1"]   # whose X-Forwarded-For names the client (with behind_tls_proxy)
/// public_host = "needlelog.clinic.example"   # the Host browsers send through the proxy
/// idle_minutes = 15
///
/// [keys]                      # the tech page's footswitch keys
/// snap = "F5"
/// next = "F6"
/// previous = "F7"
///
/// [dicom]
/// ae_title = "NEEDLELOG"                  # NeedleLog's own AE title on the clinic's network
/// worklist = "RIS@ris.clinic.local:104"   # the modality worklist (C-FIND) the tech page lists
/// mpps = "RIS@ris.clinic.local:104"       # told of each session's start and end (MPPS)
/// pacs = "PACS@pacs.clinic.local:104"     # where the session page sends images (C-STORE)
/// storage_commitment = true               # ask the PACS to commit to what it stored
/// listen_port = 11113                     # where its commitment reports come back
/// ```
public struct DaemonSettings: Sendable, Equatable {
    public var archive: String?
    /// A shared archive's PostgreSQL address (`archive` is then the shared file folder).
    public var database: String?
    public var device: String?
    public var file: String?
    public var pipe: String?
    public var format: String?
    public var inputFormat: String?
    public var pixelFormat: String?
    public var size: String?
    public var frameRate: Double?
    public var host: String?
    public var port: Int?
    public var behindTLSProxy: Bool?
    /// The TLS proxies whose `X-Forwarded-For` is believed; without any, the header is ignored.
    public var trustedProxies: [String]?
    /// The name (and port, if not 443) browsers use to reach the daemon through the proxy.
    public var publicHost: String?
    public var idleMinutes: Int?
    public var keys: PageKeys
    /// Spoken commands (issue 17): the microphone (`alsa:default`), a file or a pipe.
    public var voiceDevice: String?
    /// Said before each command; empty for none.
    public var voiceWakeWord: String?
    public var voiceMinimumConfidence: Double?
    /// NeedleLog's own AE title (issue 15); `NEEDLELOG` when not set.
    public var dicomTitle: String?
    /// The modality worklist server, `AE@HOST:PORT`.
    public var worklist: String?
    /// The RIS that takes Modality Performed Procedure Steps, `AE@HOST:PORT`.
    public var mpps: String?
    /// The PACS the session page sends to, `AE@HOST:PORT`.
    public var pacs: String?
    /// Whether sendings ask the PACS for storage commitment.
    public var storageCommitment: Bool?
    /// NeedleLog's port for the PACS's storage commitment reports.
    public var listenPort: Int?

    /// The tech page's hotkeys, as KeyboardEvent.key names.
    public struct PageKeys: Sendable, Equatable, Codable {
        public var snap = "F5"
        public var next = "F6"
        public var previous = "F7"
        public init() {}
    }

    public init() { keys = PageKeys() }

    public struct Error: Swift.Error, CustomStringConvertible {
        public let description: String
    }

    static let known: [String: String] = [
        "archive": "string", "database": "string", "capture.device": "string", "capture.file": "string", "capture.pipe": "string",
        "capture.format": "string", "capture.input_format": "string", "capture.pixel_format": "string", "capture.size": "string",
        "capture.frame_rate": "number", "server.host": "string", "server.port": "integer", "server.behind_tls_proxy": "boolean",
        "server.trusted_proxies": "list of IP addresses", "server.public_host": "string",
        "server.idle_minutes": "integer", "keys.snap": "string", "keys.next": "string", "keys.previous": "string",
        "voice.device": "string", "voice.wake_word": "string", "voice.minimum_confidence": "number",
        "dicom.ae_title": "string", "dicom.worklist": "string", "dicom.mpps": "string", "dicom.pacs": "string",
        "dicom.storage_commitment": "boolean", "dicom.listen_port": "integer",
    ]

    /// Reads a settings file; every key must be one of the known ones, with its type.
    public init(contentsOf path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Error(description: "cannot read the configuration file \(path): \(error.localizedDescription)")
        }
        try self.init(toml: text, path: path)
    }

    public init(toml text: String, path: String = "configuration") throws {
        self.init()
        let values: [String: TOMLReader.Value]
        do {
            values = try TOMLReader.parse(text)
        } catch {
            throw Error(description: "\(path): \(error)")
        }
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let type = Self.known[key] else {
                throw Error(description: "\(path): unknown setting \(key); known settings are \(Self.known.keys.sorted().joined(separator: ", "))")
            }
            func wrongType() -> Error { Error(description: "\(path): \(key) should be a \(type)") }
            /// A DICOM peer's address as the daemon's flags take it.
            func peer(_ value: String, _ key: String, example: String = "RIS@ris.clinic.local:104") throws -> String {
                guard value.contains("@"), value.contains(":") else {
                    throw Error(description: "\(path): \(key) \"\(value)\" should be AE@HOST:PORT, e.g. \"\(example)\"")
                }
                return value
            }
            switch (key, value) {
            case ("archive", .string(let v)): archive = v
            case ("database", .string(let v)): database = v
            case ("capture.device", .string(let v)): device = v
            case ("capture.file", .string(let v)): file = v
            case ("capture.pipe", .string(let v)): pipe = v
            case ("capture.format", .string(let v)): format = v
            case ("capture.input_format", .string(let v)): inputFormat = v
            case ("capture.pixel_format", .string(let v)): pixelFormat = v
            case ("capture.size", .string(let v)): size = v
            case ("capture.frame_rate", .integer(let v)): frameRate = Double(v)
            case ("capture.frame_rate", .float(let v)): frameRate = v
            case ("server.host", .string(let v)): host = v
            case ("server.port", .integer(let v)):
                guard (1...65535).contains(v) else { throw Error(description: "\(path): server.port \(v) should be 1-65535") }
                port = v
            case ("server.behind_tls_proxy", .boolean(let v)): behindTLSProxy = v
            case ("server.trusted_proxies", .array(let items)):
                trustedProxies = try items.map { item in
                    guard case .string(let text) = item, ProxySettings.isAddress(ProxySettings.normalizedAddress(text)) else {
                        throw Error(description: "\(path): server.trusted_proxies should list the proxies' IP addresses, for example [\"127.0.0.1\"]")
                    }
                    return text
                }
            case ("server.public_host", .string(let v)):
                guard HostCheck.split(v) != nil else {
                    throw Error(description: "\(path): server.public_host \(v) should be a host name with an optional port, for example \"needlelog.clinic.example\"")
                }
                publicHost = v
            case ("server.idle_minutes", .integer(let v)):
                guard (1...1440).contains(v) else { throw Error(description: "\(path): server.idle_minutes \(v) should be 1-1440") }
                idleMinutes = v
            case ("keys.snap", .string(let v)): keys.snap = v
            case ("keys.next", .string(let v)): keys.next = v
            case ("keys.previous", .string(let v)): keys.previous = v
            case ("voice.device", .string(let v)): voiceDevice = v
            case ("voice.wake_word", .string(let v)): voiceWakeWord = v
            case ("voice.minimum_confidence", .float(let v)):
                guard (0...1).contains(v) else { throw Error(description: "\(path): voice.minimum_confidence \(v) should be 0-1, e.g. 0.4") }
                voiceMinimumConfidence = v
            case ("voice.minimum_confidence", .integer(let v)):
                guard (0...1).contains(v) else { throw Error(description: "\(path): voice.minimum_confidence \(v) should be 0-1, e.g. 0.4") }
                voiceMinimumConfidence = Double(v)
            case ("dicom.ae_title", .string(let v)):
                guard (1...16).contains(v.count), v.allSatisfy({ $0.isASCII && $0 != "\\" && !$0.isNewline }), v.trimmingCharacters(in: .whitespaces) == v else {
                    throw Error(description: "\(path): dicom.ae_title \"\(v)\" should be 1-16 ASCII characters without a backslash or spaces around it, e.g. \"NEEDLELOG\"")
                }
                dicomTitle = v
            case ("dicom.worklist", .string(let v)): worklist = try peer(v, key)
            case ("dicom.mpps", .string(let v)): mpps = try peer(v, key)
            case ("dicom.pacs", .string(let v)): pacs = try peer(v, key, example: "PACS@pacs.clinic.local:104")
            case ("dicom.storage_commitment", .boolean(let v)):
                storageCommitment = v
            case ("dicom.listen_port", .integer(let v)):
                guard (1...65535).contains(v) else { throw Error(description: "\(path): dicom.listen_port \(v) should be 1-65535, e.g. 11113") }
                listenPort = v
            default: throw wrongType()
            }
        }
        if [device, file, pipe].compactMap(\.self).count > 1 {
            throw Error(description: "\(path): give one of capture.device, capture.file or capture.pipe")
        }
    }

    /// What the server believes of a proxy in front: nothing unless the daemon is
    /// behind a TLS proxy, then the configured trusted proxies and public host.
    public func proxy(behindTLSProxy: Bool) -> ProxySettings {
        guard behindTLSProxy else { return ProxySettings() }
        return ProxySettings(trustedProxies: trustedProxies ?? [], publicHosts: publicHost.map { [$0] } ?? [])
    }

    /// The file read when `--config` is not given: `$NEEDLELOG_CONFIG`, else
    /// `$XDG_CONFIG_HOME/needlelog/daemon.toml`, else `~/.config/needlelog/daemon.toml`, if it exists.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let configured = environment["NEEDLELOG_CONFIG"], !configured.isEmpty { return configured }
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        let path = base + "/needlelog/daemon.toml"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}
