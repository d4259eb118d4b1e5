import Archive
import DICOMExport
import Foundation
import Records
import Testing

/// Issue 23: DICOM names the session's staff as people (`Family^Given`, credentials as the
/// suffix) from their accounts, in UTF-8; a name from before accounts had names is written
/// as it was recorded.
@Suite("staff names in exported DICOM")
struct StaffNameTests {
    @Test("the physician's account names them Müller^Zoë^^^MD; a tech with no account stays as recorded")
    func fromAccounts() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        // The fixture's session names dr.lee and sam; only dr.lee is an account.
        try await f.archive.add(try Account(name: "dr.lee", role: .physician,
                                            person: try PersonName(family: "Müller", given: "Zoë", credentials: "MD"), passwordHash: "!"))
        let records = try await f.exporter().records(ofSession: f.session.id)
        #expect(records.allSatisfy { $0.physician?.dicomName == "Müller^Zoë^^^MD" && $0.tech == nil })
        let files = try ExportWriter().writeDICOM(records, to: f.out).filter { $0.kind == .image }
        let file = try #require(files.first)
        let dump = try ExternalTool("dcmdump", package: "dcmtk").run(["+P", "0008,1050", "+P", "0008,1070", file.url.path])
        #expect(dump.stdout.contains("[Müller^Zoë^^^MD]"), "\(dump.combined)")
        #expect(dump.stdout.contains("[sam^]"), "\(dump.combined)")
        let verdict = try Verdict.of(file.url)
        #expect(verdict.errors.isEmpty, "\(verdict.output)")
    }

    @Test("names with DICOM's delimiters or nothing in them are refused where they are made", arguments: [
        ("Lee^Park", "Ann", "", "^"), ("Lee", "Ann=B", "", "="), ("Lee", "Ann", "MD\\PhD", "\\"), (" ", "Ann", "", "family name"),
        ("Lee", "", "", "given name"), (String(repeating: "L", count: 65), "Ann", "", "65"),
    ])
    func refused(family: String, given: String, credentials: String, named: String) {
        #expect { try PersonName(family: family, given: given, credentials: credentials) } throws: { error in
            "\(error)".contains(named)
        }
    }
}
