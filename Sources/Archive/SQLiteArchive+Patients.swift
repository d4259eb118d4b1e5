import Foundation
import GRDB
import Records

extension SQLiteArchive {
    public func add(_ patient: Patient) async throws {
        try await write("add patient \(patient.id)") { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM patient WHERE id = ?", arguments: [patient.id.value]) == true {
                throw ArchiveError(.conflict, "patient \(patient.id) already exists: choose another id, or leave the existing record as it is")
            }
            try Self.insert(patient, db)
        }
    }

    static func insert(_ patient: Patient, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO patient (id, family_name, given_name, birth_date, sex, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [patient.id.value, patient.familyName, patient.givenName,
                             patient.birthDate.description, patient.sex.rawValue, Date()])
    }

    public func patient(_ id: PatientID) async throws -> Patient? {
        try await read("read patient \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM patient WHERE id = ?", arguments: [id.value]).map(Self.patient(from:))
        }
    }

    public func patients() async throws -> [Patient] {
        try await read("list patients") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM patient ORDER BY family_name, given_name, id").map(Self.patient(from:))
        }
    }

    static func patient(from row: Row) throws -> Patient {
        guard let sex = Sex(rawValue: row["sex"]) else {
            throw ArchiveError(.storage, "patient \(row["id"] as String) has an unknown sex \(row["sex"] as String)")
        }
        return try Patient(id: PatientID(row["id"]), familyName: row["family_name"], givenName: row["given_name"],
                           birthDate: CalendarDate(parsing: row["birth_date"]), sex: sex)
    }
}
