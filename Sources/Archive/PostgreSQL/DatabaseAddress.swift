import Foundation

/// Where a shared archive's PostgreSQL database is: `postgresql://USER@HOST:PORT/DB`, with
/// `?sslmode=require` for TLS and `?host=/run/postgresql` for a Unix socket's folder.
///
/// A password never travels in the address (it would show in `ps`, shell history and
/// logs): it comes from `$NEEDLELOG_DATABASE_PASSWORD`, or a file named by
/// `$NEEDLELOG_DATABASE_PASSWORD_FILE` or `?passfile=PATH`, or `$PGPASSWORD`.
public struct DatabaseAddress: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable {
        /// Plain: for loopback and Unix sockets.
        case disable
        /// Encrypted, the server's certificate checked against the system's authorities.
        case require
    }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    /// The folder of the server's Unix socket, when it is reached through one.
    public var socketFolder: String?
    public var tls: TLSMode
    public var passwordFile: String?

    public init(user: String, host: String = "127.0.0.1", port: Int = 5432, database: String, socketFolder: String? = nil,
                tls: TLSMode = .disable, passwordFile: String? = nil) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.socketFolder = socketFolder
        self.tls = tls
        self.passwordFile = passwordFile
    }

    /// - Throws: ``ArchiveError`` `.invalid` saying what is wrong and how the address is written.
    public init(parsing text: String) throws {
        let example = "write it as postgresql://USER@HOST:PORT/DATABASE, for example postgresql://needlelog@db.clinic.local:5432/needlelog"
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              ["postgresql", "postgres"].contains(scheme) else {
            throw ArchiveError(.invalid, "\"\(Self.redacted(text))\" is not a PostgreSQL address: \(example)")
        }
        if components.password != nil {
            throw ArchiveError(.invalid, "the database address carries a password, which would show in the process list and logs: remove it and give the password in $NEEDLELOG_DATABASE_PASSWORD or a file ($NEEDLELOG_DATABASE_PASSWORD_FILE)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw ArchiveError(.invalid, "the database address names no user: \(example)")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw ArchiveError(.invalid, "the database address names no database after the host: \(example)")
        }
        var socketFolder: String?
        var tls = TLSMode.disable
        var passwordFile: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                switch item.value ?? "" {
                case "require", "verify-full", "verify-ca": tls = .require
                case "disable", "prefer", "allow": tls = .disable
                default:
                    throw ArchiveError(.invalid, "sslmode=\(item.value ?? "") is not a TLS mode: use sslmode=require for TLS, sslmode=disable for plain (loopback)")
                }
            case "host":
                guard let folder = item.value, folder.hasPrefix("/") else {
                    throw ArchiveError(.invalid, "host=\(item.value ?? "") is not the folder of a Unix socket: give an absolute path such as host=/run/postgresql")
                }
                socketFolder = folder
            case "passfile":
                passwordFile = item.value
            default:
                throw ArchiveError(.invalid, "the database address has an unknown setting \(item.name): the settings are sslmode, host and passfile")
            }
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw ArchiveError(.invalid, "port \(port) is not a TCP port (1-65535)") }
        let host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        self.init(user: user, host: host, port: port, database: database, socketFolder: socketFolder, tls: tls, passwordFile: passwordFile)
    }

    /// Whether the text is a database address rather than a folder.
    public static func looksLikeAddress(_ text: String) -> Bool {
        text.lowercased().hasPrefix("postgresql://") || text.lowercased().hasPrefix("postgres://")
    }

    /// The password from the environment or a file; nil when none is given (trust or peer
    /// authentication, as on a test cluster).
    public func password(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let password = environment["NEEDLELOG_DATABASE_PASSWORD"], !password.isEmpty { return password }
        if let path = environment["NEEDLELOG_DATABASE_PASSWORD_FILE"] ?? passwordFile, !path.isEmpty {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ArchiveError(.invalid, "cannot read the database password file \(path): give a readable file holding the password alone")
            }
            return text.trimmingCharacters(in: .newlines)
        }
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        return nil
    }

    /// The address as shown in messages and logs: no password is ever part of it.
    public var description: String {
        var text = "postgresql://\(user)@\(host):\(port)/\(database)"
        var settings: [String] = []
        if let socketFolder { settings.append("host=\(socketFolder)") }
        if tls == .require { settings.append("sslmode=require") }
        if !settings.isEmpty { text += "?" + settings.joined(separator: "&") }
        return text
    }

    /// The same server, another database (tests make one per case; `migrate` checks both).
    public func database(_ name: String) -> DatabaseAddress {
        var copy = self
        copy.database = name
        return copy
    }

    private static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "the address"
    }
}
