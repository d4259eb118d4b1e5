import DICOMExport
import Foundation
import Records
import Testing

@Suite("stable UIDs: the same still exports to the same objects, byte for byte")
struct StableUIDTests {
    @Test("exporting a session twice writes identical files under identical names")
    func twiceIdentical() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let first = try ExportWriter().writeDICOM(try await f.exporter().records(ofSession: f.session.id), to: f.out)
        let second = try ExportWriter().writeDICOM(try await f.exporter().records(ofSession: f.session.id),
                                                   to: f.base.appendingPathComponent("again"))
        #expect(first.map(\.sopInstanceUID) == second.map(\.sopInstanceUID))
        for (a, b) in zip(first, second) {
            #expect(a.url.lastPathComponent == b.url.lastPathComponent)
            #expect(try Data(contentsOf: a.url) == Data(contentsOf: b.url))
        }
        // Exporting into the same folder again replaces, never adds.
        _ = try ExportWriter().writeDICOM(try await f.exporter().records(ofSession: f.session.id), to: f.out)
        #expect(try PACSPusher.files(in: [f.out.path]).count == first.count)
    }

    @Test("UIDs are 2.25 decimal UIDs of at most 64 characters, one study per session")
    func wellFormed() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let writer = ExportWriter()
        var studies = Set<String>()
        for record in try await f.exporter().records(ofSession: f.session.id) {
            let (image, state) = writer.dataSets(for: record)
            for set in [image, state].compactMap(\.self) {
                studies.insert(try #require(set.text(.studyInstanceUID)))
                for tag in [DICOMTag.studyInstanceUID, .seriesInstanceUID, .sopInstanceUID] {
                    let uid = try #require(set.text(tag))
                    #expect(uid.hasPrefix("2.25.") && uid.count <= 64)
                    let number = uid.dropFirst(5)
                    #expect(number.allSatisfy(\.isNumber) && (number == "0" || !number.hasPrefix("0")), "\(uid)")
                }
            }
        }
        #expect(studies.count == 1)
    }

    @Test("a retagged still or a new needle revision is a new object; de-identified UIDs depend on the salt only")
    func whatChangesUIDs() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let records = try await f.exporter().records(ofSession: f.session.id)
        var record = try #require(records.first { $0.still.id == f.needleStill.id })
        let (image, state) = ExportWriter().dataSets(for: record)

        var retagged = record
        let still = record.still
        retagged.still = try Still(id: still.id, sessionID: still.sessionID, time: still.time, tag: SiteTag(site: .init(parsing: "left L5-S1")),
                                   reason: still.reason, fileHash: still.fileHash, byteSize: still.byteSize, width: still.width,
                                   height: still.height, colour: still.colour, createdAt: still.createdAt)
        #expect(ExportWriter().dataSets(for: retagged).image.text(.sopInstanceUID) != image.text(.sopInstanceUID))

        let first = try #require(record.annotation)
        record.annotation = try NeedleAnnotation(stillID: still.id, revision: 2, geometry: first.geometry, author: "dr.kim",
                                                 createdAt: first.createdAt.addingTimeInterval(60), basedOnRevision: 1)
        let (sameImage, newState) = ExportWriter().dataSets(for: record)
        #expect(sameImage.text(.sopInstanceUID) == image.text(.sopInstanceUID))
        #expect(newState?.text(.sopInstanceUID) != state?.text(.sopInstanceUID))

        let teaching = ExportWriter(deidentifier: Deidentifier(salt: "teaching")).dataSets(for: record).image
        let teachingAgain = ExportWriter(deidentifier: Deidentifier(salt: "teaching")).dataSets(for: record).image
        let otherSalt = ExportWriter(deidentifier: Deidentifier(salt: "another")).dataSets(for: record).image
        let randomSalt = ExportWriter(deidentifier: Deidentifier()).dataSets(for: record).image
        for tag in [DICOMTag.studyInstanceUID, .seriesInstanceUID, .sopInstanceUID] {
            #expect(teaching.text(tag) == teachingAgain.text(tag))
            #expect(teaching.text(tag) != image.text(tag))
            #expect(teaching.text(tag) != otherSalt.text(tag))
            #expect(teaching.text(tag) != randomSalt.text(tag))
        }
    }
}
