import Anatomy
import Archive
import DICOMExport
import Foundation
import Records
import Testing

/// Issue 23: an exported still of a signed record says so, and lists after the site each
/// addendum that changed it (its author, day, reason and change), in Image Comments; a
/// de-identified export drops those words with the comments.
@Suite("a signed record's stills in DICOM")
struct SignedExportTests {
    @Test("the retagged still carries the signature then its addendum; the untouched one the signature alone")
    func signedThenAmended() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        try await f.archive.add(try Account(name: "dr.lee", role: .physician,
                                            person: try PersonName(family: "Müller", given: "Zoë", credentials: "MD"), passwordHash: "!"))
        _ = try await f.archive.endSession(f.session.id, as: .completed, reason: nil, at: f.session.startedAt.addingTimeInterval(600))
        let signature = try await f.archive.sign(session: f.session.id, by: "dr.lee")
        let retagged = try await f.archive.retag(still: f.plainStill.id, to: SiteTag(site: try AnatomicSite(parsing: "L3-L4").with(.midline),
                                                                                       structure: TargetStructure.interspinousLigament.id),
                                                 by: "dr.lee", note: "counted from the sacrum", basedOn: 1)
        try await f.archive.editSession(f.session.id, expecting: nil, by: "dr.lee", reason: "follow-up call") {
            $0.painScores = try PainScores(before: 6, after: 2)
        }

        let records = try await f.exporter().records(ofSession: f.session.id)
        let plain = try #require(records.first { $0.still.id == f.plainStill.id })
        let other = try #require(records.first { $0.still.id == f.needleStill.id })
        #expect(plain.still.tag == retagged.tag)
        let signedLine = "Record signed by Zoë Müller, MD on 2026-"
        #expect(plain.signing.count == 3 && plain.signing[0].hasPrefix(signedLine) && plain.signing[0].contains(signature.contentHash.hexDigits.prefix(16)))
        #expect(plain.signing[1] .hasSuffix(": counted from the sacrum; tag: midline L4-L5 interspinous-ligament → midline L3-L4 interspinous-ligament"),
                "\(plain.signing)")
        #expect(plain.signing[2].hasSuffix(": follow-up call; also changed: pain after, pain before"), "\(plain.signing)")
        #expect(other.signing.count == 2 && other.signing[0] == plain.signing[0] && other.signing[1] == plain.signing[2])

        let files = try ExportWriter().writeDICOM([plain], to: f.out).filter { $0.kind == .image }
        let file = try #require(files.first)
        let dump = try ExternalTool("dcmdump", package: "dcmtk").run(["+L", "+P", "0020,4000", file.url.path])
        #expect(dump.stdout.contains("Record signed by Zoë Müller, MD") && dump.stdout.contains("Addendum 1 by Zoë Müller, MD on"), "\(dump.combined)")
        let verdict = try Verdict.of(file.url)
        #expect(verdict.errors.isEmpty, "\(verdict.output)")
    }
}
