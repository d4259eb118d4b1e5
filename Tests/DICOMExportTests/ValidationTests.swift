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
        // Three images and two needles; the RGB still's needle cannot be a GSPS.
        #expect(files.filter { $0.kind == .image }.count == 3)
        #expect(files.filter { $0.kind == .presentationState }.count == 1)
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
