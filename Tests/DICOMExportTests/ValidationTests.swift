import DICOMExport
import Foundation
import Media
import Records
import Testing

@Suite("exported objects are valid DICOM: dciodvfy finds no error, dcmdump reads every element")
struct ValidationTests {
    @Test("a session's stills and needle pass dciodvfy and dcmdump, with defined and undefined sequence lengths",
          arguments: [SequenceLength.defined, .undefined])
    func sessionValidates(sequences: SequenceLength) async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let records = try await f.exporter().records(ofSession: f.session.id)
        let files = try ExportWriter(sequences: sequences).writeDICOM(records, to: f.out)
        // Three images and two needles: a GSPS on the grey still, a CSPS on the RGB one.
        #expect(files.filter { $0.kind == .image }.count == 3)
        #expect(files.filter { $0.kind == .presentationState }.count == 2)
        let dcmdump = try ExternalTool("dcmdump", package: "dcmtk")
        for file in files {
            let verdict = try Verdict.of(file.url)
            #expect(verdict.errors.isEmpty, "\(file.url.lastPathComponent):\n\(verdict.output)")
            if !verdict.warnings.isEmpty { print("dciodvfy warnings, \(file.kind):\n" + verdict.warnings.joined(separator: "\n")) }
            // NEEDLELOG_KEEP_DICOM=DIR keeps the objects for a look in a viewer.
            if let keep = ProcessInfo.processInfo.environment["NEEDLELOG_KEEP_DICOM"] {
                try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
                try? FileManager.default.copyItem(atPath: file.url.path, toPath: keep + "/" + file.url.lastPathComponent)
            }
            let dump = try dcmdump.run(["-dc", file.url.path])
            #expect(dump.status == 0, "dcmdump failed on \(file.url.lastPathComponent): \(dump.stderr)")
            #expect(!dump.combined.contains("E: "), "dcmdump complained: \(dump.combined)")
        }
    }
}

@Suite("the archive's needle history feeds the export")
struct ArchiveNeedleTests {
    @Test("a needle saved in the archive, then redrawn, exports as one GSPS of the latest revision, referencing its image")
    func savedNeedle() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let drawn = try ExportFixture.needle(on: f.needleStill)
        try await f.archive.saveAnnotation(drawn.geometry, onStill: f.needleStill.id, by: "dr.lee", basedOn: nil)
        let moved = try NeedleGeometry(entry: drawn.entry, tip: ImagePoint(x: drawn.tip.x + 3, y: drawn.tip.y), target: drawn.target,
                                       millimetresPerPixel: drawn.millimetresPerPixel)
        try await f.archive.saveAnnotation(moved, onStill: f.needleStill.id, by: "dr.kim", basedOn: 1)
        let archive = f.archive
        let exporter = DICOMExporter(archive: archive) { try await archive.annotationHistory(ofStill: $0).current }
        let files = try ExportWriter().writeDICOM(try await exporter.records(ofSession: f.session.id), to: f.out)
        let states = files.filter { $0.kind == .presentationState }
        #expect(states.count == 1 && states.first?.stillID == f.needleStill.id)
        let image = try #require(files.first { $0.kind == .image && $0.stillID == f.needleStill.id })
        let header = try PartTenBytes(try #require(states.first).url)
        #expect(header.headerContains(image.sopInstanceUID))
        #expect(header.headerContains("revision 2") && header.headerContains("dr.kim^"))
        #expect(try Verdict.of(try #require(states.first).url).errors.isEmpty)
    }
}
