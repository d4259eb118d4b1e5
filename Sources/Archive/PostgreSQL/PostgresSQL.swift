import Foundation
import Logging
import PostgresNIO

/// A value bound to a statement's placeholder; nil binds SQL NULL.
typealias SQLValue = (any PostgresDynamicTypeEncodable & Sendable)?

/// One row of a result, its columns read by name.
struct PGRow {
    let cells: PostgresRandomAccessRow

    init(_ row: PostgresRow) { cells = row.makeRandomAccess() }

    func get<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        Self.canonical(try cells[name].decode(T.self))
    }

    func get<T: PostgresDecodable>(_ index: Int, as type: T.Type = T.self) throws -> T {
        Self.canonical(try cells[index].decode(T.self))
    }

    /// A time read back rounds to the millisecond it was written at: PostgreSQL keeps
    /// microseconds, and a date that went there and back would otherwise differ from the
    /// one written in its last bits.
    private static func canonical<T>(_ value: T) -> T {
        if let date = value as? Date, let rounded = date.archiveMilliseconds as? T { return rounded }
        return value
    }
}

/// One connection leased from the pool for a read or a write: statements written with `?`
/// placeholders as the SQLite store writes them, numbered here for PostgreSQL.
struct PGSession {
    let connection: PostgresConnection
    let logger: Logger

    @discardableResult
    func rows(_ sql: String, _ values: [SQLValue] = []) async throws -> [PGRow] {
        try await connection.query(Self.query(sql, values), logger: logger).collect().map(PGRow.init)
    }

    func row(_ sql: String, _ values: [SQLValue] = []) async throws -> PGRow? {
        try await rows(sql, values).first
    }

    /// The first column of the first row, nil when there is no row or it is NULL.
    func value<T: PostgresDecodable>(_ sql: String, _ values: [SQLValue] = [], as type: T.Type = T.self) async throws -> T? where T._DecodableType == T {
        guard let row = try await row(sql, values) else { return nil }
        return try row.get(0, as: T?.self)
    }

    func exists(_ sql: String, _ values: [SQLValue] = []) async throws -> Bool {
        try await row(sql, values) != nil
    }

    func execute(_ sql: String, _ values: [SQLValue] = []) async throws {
        try await rows(sql, values)
    }

    /// `?` placeholders become `$1`, `$2`...: the statements never contain a literal `?`.
    static func query(_ sql: String, _ values: [SQLValue]) -> PostgresQuery {
        var text = ""
        text.reserveCapacity(sql.utf8.count + 8)
        var number = 0
        for character in sql {
            if character == "?" {
                number += 1
                text += "$\(number)"
            } else {
                text.append(character)
            }
        }
        precondition(number == values.count, "\(number) placeholders, \(values.count) values: \(sql)")
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            if let date = value as? Date {
                binds.append(date.archiveMilliseconds)
            } else if let value {
                binds.appendAny(value)
            } else {
                binds.appendNull()
            }
        }
        return PostgresQuery(unsafeSQL: text, binds: binds)
    }
}

extension PostgresBindings {
    /// Opens the existential, so a list of mixed values binds each as its own type.
    mutating func appendAny(_ value: any PostgresDynamicTypeEncodable & Sendable) {
        func add<T: PostgresDynamicTypeEncodable>(_ typed: T) { append(typed) }
        add(value)
    }
}
