import ArgumentParser
import Archive
import Foundation

/// `--archive DIR`, shared by every command that reads or writes the archive.
struct ArchiveOptions: ParsableArguments {
    @Option(name: .customLong("archive"), help: ArgumentHelp(
        "Archive folder (default: $NEEDLELOG_ARCHIVE, else $XDG_DATA_HOME/needlelog, else ~/.local/share/needlelog).",
        valueName: "dir"))
    var path: String?

    @Option(name: .customLong("database"), help: ArgumentHelp(
        "A shared archive's PostgreSQL database, postgresql://USER@HOST:PORT/DB (default: $NEEDLELOG_DATABASE, else the embedded SQLite archive in the folder). Its password comes from $NEEDLELOG_DATABASE_PASSWORD or the file in $NEEDLELOG_DATABASE_PASSWORD_FILE, never the address; --archive names the shared folder of its stills.",
        valueName: "address"))
    var database: String?

    var location: ArchiveLocation { ArchiveLocation.resolve(explicit: path) }

    /// The shared archive's database, from the flag or `$NEEDLELOG_DATABASE`; nil for the embedded archive.
    func databaseAddress(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DatabaseAddress? {
        guard let text = database ?? environment["NEEDLELOG_DATABASE"], !text.isEmpty else { return nil }
        do {
            return try DatabaseAddress(parsing: text)
        } catch let error as ArchiveError {
            throw ValidationError("--database: \(error.message)")
        }
    }

    /// The daemon's: a station of a shared archive keeps what the database has not taken
    /// yet in its journal (a file on the station's own disk), and sends it from there.
    func openStation(create: Bool, journal path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> any ArchiveStore {
        guard let address = try databaseAddress(environment: environment) else { return try location.open(create: create) }
        let shared = try await PostgresArchive.open(address, files: location, create: create, environment: environment)
        let file = path ?? environment["NEEDLELOG_JOURNAL"] ?? StationJournal.defaultPath(environment: environment).path
        return JournaledArchive(shared: shared, journal: try StationJournal(path: URL(fileURLWithPath: file)))
    }

    /// Opens the archive; commands that only read pass `create: false` so a mistyped
    /// folder is an error instead of a new empty archive.
    func open(create: Bool) async throws -> any ArchiveStore {
        try await location.open(database: try databaseAddress(), create: create)
    }
}

/// JSON for `--json` output: sorted keys, ISO 8601 dates, one value per line, and record
/// ids in lower case as everywhere else NeedleLog shows them (Foundation writes a UUID in
/// upper case; the pages, the API and the tables write it lower).
enum JSONOutput {
    /// Keys whose values are NeedleLog's own record ids (never a patient's identifier).
    static let idKeys: Set<String> = ["id", "sessionID", "stillID", "previous", "session", "still"]

    static func line<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        let lowered = try JSONSerialization.data(withJSONObject: lowercasingIDs(object), options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        return String(decoding: lowered, as: UTF8.self)
    }

    private static func lowercasingIDs(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var result: [String: Any] = [:]
            for (key, item) in object {
                if idKeys.contains(key), let text = item as? String, UUID(uuidString: text) != nil {
                    result[key] = text.lowercased()
                } else {
                    result[key] = lowercasingIDs(item)
                }
            }
            return result
        }
        if let array = value as? [Any] { return array.map(lowercasingIDs) }
        return value
    }
}

/// Dates as people type them on the command line: `2024-05-02` or `2024-05-02T14:30`.
enum DateArgument {
    static func parse(_ text: String, option: String) throws -> Date {
        do {
            return try StillSearch.date(text, field: option)
        } catch let error as ArchiveError {
            throw ValidationError(error.message)
        }
    }

    static func format(_ date: Date, seconds: Bool = false) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
