import ArgumentParser
import Archive
import Foundation
import Records

/// `needlelog patients add|list`.
struct PatientsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patients",
        abstract: "Add and list patients.",
        subcommands: [Add.self, List.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a patient.")

        @OptionGroup var archive: ArchiveOptions
        @Argument(help: "The clinic's patient identifier, e.g. P-000123.") var id: String
        @Option(help: "Family name.") var family: String
        @Option(help: "Given name.") var given: String
        @Option(help: "Birth date, YYYY-MM-DD.") var born: String
        @Option(help: "female, male, other or unknown.") var sex = "unknown"

        func run() async throws {
            guard let sex = Sex(rawValue: sex.lowercased()) else {
                throw ValidationError("--sex \"\(sex)\" is not one of female, male, other, unknown")
            }
            let patient = try Patient(id: PatientID(id), familyName: family, givenName: given,
                                      birthDate: CalendarDate(parsing: born), sex: sex)
            try await archive.open(create: true).add(patient)
            print("added patient \(patient.id)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List patients.")

        @OptionGroup var archive: ArchiveOptions
        @Flag(help: "One JSON object per line.") var json = false

        func run() async throws {
            let patients = try await archive.open(create: false).patients()
            if json {
                for patient in patients { print(try JSONOutput.line(patient)) }
                return
            }
            var rows = [["id", "name", "born", "sex"]]
            rows += patients.map { [$0.id.value, "\($0.familyName), \($0.givenName)", $0.birthDate.description, $0.sex.rawValue] }
            print(TextTable(rows).rendered)
        }
    }
}
