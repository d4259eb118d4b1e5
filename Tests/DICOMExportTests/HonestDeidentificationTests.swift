import DICOMExport
import Foundation
import Media
import Records
import SampleKit
import Testing

/// One element as dcmdump prints it: `(0028,0301) CS [NO]   # 2, 1 BurnedInAnnotation`.
struct DumpedElement: Equatable {
    var tag: String
    /// Nesting: 0 for the data set itself, 1 inside an item of a sequence, and so on.
    var depth: Int
    /// The value between the brackets; nil for sequences and binary values.
    var value: String?
}

/// dcmdump's view of a file: every element but the file meta group and the item delimiters.
func dcmdump(_ file: URL) throws -> (elements: [DumpedElement], text: String) {
    let output = try ExternalTool("dcmdump", package: "dcmtk").run([file.path])
    #expect(output.status == 0, "\(output.combined)")
    var elements: [DumpedElement] = []
    for line in output.stdout.split(separator: "\n") {
        let indent = line.prefix { $0 == " " }.count
        let body = line.dropFirst(indent)
        guard body.hasPrefix("("), body.count > 11 else { continue }
        let tag = String(body.dropFirst().prefix(9))
        guard !tag.hasPrefix("0002"), !tag.hasPrefix("fffe") else { continue }
        var value: String?
        if let open = body.firstIndex(of: "["), let close = body[open...].firstIndex(of: "]") {
            value = String(body[body.index(after: open)..<close])
        }
        // Two spaces for the item, two more for its elements, at each level of sequence.
        elements.append(DumpedElement(tag: tag, depth: indent / 4, value: value))
    }
    return (elements, output.stdout)
}

extension [DumpedElement] {
    var topLevel: [String] { filter { $0.depth == 0 }.map(\.tag) }
    var nested: Set<String> { Set(filter { $0.depth > 0 }.map(\.tag)) }
    func value(_ tag: String) -> String? { first { $0.tag == tag && $0.depth == 0 }?.value }
}

@Suite("honest de-identification: Burned In Annotation NO only when masks cover the picture, and only allowlisted attributes kept")
struct HonestDeidentificationTests {
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let needlelog = repository.appendingPathComponent(".build/debug/needlelog").path

    /// The example scanner profiles shipped with NeedleLog (SampleKit's screens).
    static func exampleProfiles() throws -> [MaskSettings.Scanner] {
        try MaskSettings.scanners(fromFile: repository.appendingPathComponent("tools/dicom-masks.example.json").path)
    }

    /// The clip's burned-in text regions that lie wholly below the default header band.
    static func textBelowHeaderBand() -> [TextRegion] {
        let band = BurnedInTextMask.defaultHeaderBand(forHeight: ExportFixture.spec.height)
        return ExportFixture.truth.burnedInTextRegions.filter { $0.rect.y >= band }
    }

    /// Runs needlelog; returns its status and what it printed.
    static func needlelog(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: needlelog)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("text burned in below the header band and no scanner profile or mask: the export is refused, naming the way out, and nothing is written")
    func refusedWithoutCoverage() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        // The accession number at the bottom right is outside the header band.
        #expect(Self.textBelowHeaderBand().map(\.name) == ["accession"])
        let records = try await f.exporter().records(ofSession: f.session.id)
        let writer = ExportWriter(deidentifier: Deidentifier(salt: "teaching"))
        for write in [{ try writer.writeDICOM(records, to: f.out) }, { try writer.writePNG(records, to: f.out) }] {
            do {
                let files = try write()
                Issue.record("wrote \(files.count) files claiming clean pixels, with the accession number still in them")
            } catch let error as DICOMExportError {
                #expect(error.kind == .invalid)
                #expect(error.message.hasPrefix("cannot de-identify the pixels honestly: 3 still(s) of 640x480: no scanner profile is for 640x480 pictures and no rectangles were given, so only the top 48 rows would be blanked"),
                        "\(error.message)")
                #expect(error.remedy == .coverBurnedInText && error.message.contains("without cleaning the pixels") && !error.message.contains("--"), "\(error.message)")
                #expect(error.message.hasSuffix("Nothing was written."), "\(error.message)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: f.out.path))
        // The same from the command line: exit status 1 and the reason, no files.
        let run = try Self.needlelog(["export", "dicom", "--session", f.session.id.uuidString.lowercased(), "--deidentify",
                                      "--out", f.out.path, "--archive", f.root.path])
        #expect(run.status == 1)
        #expect(run.output.contains("cannot de-identify the pixels honestly"), "\(run.output)")
        // The command line names its own flags for the remedy; the library's message does not.
        #expect(run.output.contains("(--mask-file FILE, --mask x,y,w,h, or --no-pixel-cleaning)"), "\(run.output)")
        #expect(!FileManager.default.fileExists(atPath: f.out.path))
    }

    @Test("a scanner profile with --header-band 0, or a profile made for another size, does not cover the picture: refused")
    func partialCoverageRefused() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let records = try await f.exporter().records(ofSession: f.session.id)
        let profiles = try Self.exampleProfiles()
        let cases: [(MaskSettings, String)] = [
            (MaskSettings(scanners: profiles, headerBand: 0),
             "a header band of 0 rows leaves rows 0-41 of scanner profile \"samplekit-640x480\"'s 42-row header unmasked"),
            (MaskSettings(scanners: profiles, scanner: "samplekit-1280x720"),
             "scanner profile \"samplekit-1280x720\" is for 1280x720 pictures, not 640x480"),
        ]
        for (masks, reason) in cases {
            #expect(throws: DICOMExportError.self) { try ExportWriter(deidentifier: Deidentifier(), masks: masks).writeDICOM(records, to: f.out) }
            #expect(masks.coverage(width: 640, height: 480) == .uncovered(reason))
            // dataSets(for:), which writes nothing, says YES rather than claim a clean picture.
            let (image, _) = ExportWriter(deidentifier: Deidentifier(), masks: masks).dataSets(for: records[0])
            #expect(image.text(.burnedInAnnotation) == "YES")
        }
        #expect(!FileManager.default.fileExists(atPath: f.out.path))
    }

    @Test("--no-pixel-cleaning: the pixels as stored, Burned In Annotation YES, and only the Basic Profile claimed (read back with dcmdump)")
    func noPixelCleaning() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let records = try await f.exporter().records(ofSession: f.session.id)
        let run = try Self.needlelog(["export", "dicom", "--session", f.session.id.uuidString.lowercased(), "--deidentify", "--no-pixel-cleaning",
                                      "--salt", "teaching", "--out", f.out.path, "--archive", f.root.path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("de-identified in the header only (burned-in text left in the pixels)"), "\(run.output)")
        let written = try FileManager.default.subpathsOfDirectory(atPath: f.out.path).filter { $0.hasSuffix(".dcm") && $0.contains("/US-") }
        #expect(written.count == records.count)
        for path in written {
            let file = f.out.appendingPathComponent(path)
            let (elements, text) = try dcmdump(file)
            #expect(elements.value("0028,0301") == "YES")
            #expect(elements.value("0012,0062") == "YES")
            #expect(elements.value("0012,0063") == "PS3.15 Basic Profile; burned-in text not removed")
            let codes = elements.filter { $0.tag == "0008,0100" && $0.depth == 1 }.compactMap(\.value)
            #expect(codes.contains("113100") && !codes.contains("113101"), "\(text)")
            #expect(elements.value("0010,0010")?.hasPrefix("ANON-") == true)
            // The pixels are the stored still's, burned-in name and all.
            let pixels = try PartTenBytes(file).pixels
            #expect(records.contains { $0.image.pixels == pixels })
        }
        // Masks and --no-pixel-cleaning contradict each other.
        let both = try Self.needlelog(["export", "dicom", "--session", f.session.id.uuidString.lowercased(), "--deidentify", "--no-pixel-cleaning",
                                       "--mask", "0,0,10,10", "--out", f.base.appendingPathComponent("both").path, "--archive", f.root.path])
        #expect(both.status != 0 && both.output.contains("--no-pixel-cleaning leaves the pixels as stored"), "\(both.output)")
    }

    /// What dcmdump shows of a de-identified US image with the needle still's tag and
    /// scale: the allowlist, no more.
    static let imageTopLevel = [
        "0008,0005", "0008,0008", "0008,0016", "0008,0018", "0008,0020", "0008,0023", "0008,0030", "0008,0033", "0008,0050",
        "0008,0060", "0008,0070", "0008,0090", "0008,2218", "0008,2228", "0010,0010", "0010,0020", "0010,0030", "0010,0040",
        "0012,0062", "0012,0063", "0012,0064", "0018,0015", "0018,1020", "0018,6011", "0020,000d", "0020,000e", "0020,0010",
        "0020,0011", "0020,0013", "0020,0020", "0020,0062", "0028,0002", "0028,0004", "0028,0010", "0028,0011", "0028,0100",
        "0028,0101", "0028,0102", "0028,0103", "0028,0301", "7fe0,0010",
    ]
    /// Inside its sequences: codes (with the side as a modifier), the calibrated region,
    /// the de-identification method codes.
    static let imageNested: Set<String> = [
        "0008,0100", "0008,0102", "0008,0104", "0008,2220", "0008,2230",
        "0018,6012", "0018,6014", "0018,6016", "0018,6018", "0018,601a", "0018,601c", "0018,601e", "0018,6024", "0018,6026",
        "0018,602c", "0018,602e",
    ]

    @Test("with the scanner profile: Burned In Annotation NO, the text below the header band black, dcmdump shows exactly the allowlist, and an address, a private tag or a nested name are dropped")
    func allowlistWithProfile() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let records = try await f.exporter().records(ofSession: f.session.id)
        let record = try #require(records.first { $0.still.id == f.needleStill.id })
        let writer = ExportWriter(deidentifier: Deidentifier(salt: "teaching"), masks: MaskSettings(scanners: try Self.exampleProfiles()))
        #expect(writer.masks.coverage(width: 640, height: 480) == .profile("samplekit-640x480"))
        let files = try writer.writeDICOM(records, to: f.out)
        let image = try #require(files.first { $0.stillID == record.still.id && $0.kind == .image })
        let (elements, text) = try dcmdump(image.url)
        #expect(elements.topLevel == Self.imageTopLevel, "\(text)")
        #expect(elements.nested == Self.imageNested, "\(text)")
        #expect(elements.value("0028,0301") == "NO")
        #expect(elements.value("0012,0063") == "PS3.15 Basic Profile; burned-in text masked")
        #expect(elements.filter { $0.tag == "0008,0100" && $0.depth == 1 }.compactMap(\.value).suffix(2) == ["113100", "113101"])
        #expect(elements.value("0018,0015") == "LSSPINE")
        #expect(elements.value("0020,0062") == "R")
        #expect(elements.value("0018,1020") == "NeedleLog")
        for empty in ["0008,0020", "0008,0030", "0008,0050", "0010,0030", "0010,0040", "0020,0010"] {
            #expect(elements.value(empty) == nil || elements.value(empty) == "", "\(empty) should be empty")
        }
        // Every burned-in region is black, the accession number below the header band too.
        let pixels = try PartTenBytes(image.url).pixels
        for region in ExportFixture.truth.burnedInTextRegions {
            for y in region.rect.y..<(region.rect.y + region.rect.height) {
                for x in region.rect.x..<(region.rect.x + region.rect.width) where pixels[y * 640 + x] != 0 {
                    Issue.record("\(region.name) pixel \(x),\(y) is \(pixels[y * 640 + x])")
                    return
                }
            }
        }
        // The needle's presentation state keeps the graphics and drops staff and dates.
        let state = try #require(files.first { $0.stillID == record.still.id && $0.kind == .presentationState })
        let pr = try dcmdump(state.url)
        for gone in ["0008,1050", "0008,1070", "0008,0021", "0008,0031", "0008,103e", "0008,1030", "0008,0201"] {
            #expect(!pr.elements.contains { $0.tag == gone }, "\(gone) in \(pr.text)")
        }
        #expect(pr.elements.value("0070,0082") == "19000101" && pr.elements.value("0070,0084") == nil)
        #expect(pr.elements.contains { $0.tag == "0070,0006" && $0.value == "L5-S1 right, Facet joint capsule" })
        #expect(!pr.text.contains("dr.lee") && !pr.text.contains("sam"))

        // A data set carrying what a scanner or a future builder might add: not on the list, so gone.
        var carried = UltrasoundImage.dataSet(for: record, pixels: writer.pixels(for: record))
        carried.set(DICOMTag(0x0010, 0x1040), .LO, "1 Main Street, Springfield")          // Patient's Address
        carried.set(DICOMTag(0x0010, 0x2154), .SH, "555-0100")                           // Patient's Telephone Numbers
        carried.set(DICOMTag(0x0008, 0x1040), .LO, "Spine clinic room 3")                 // Institutional Department Name
        carried.set(DICOMTag(0x0032, 0x1032), .PN, "Lee^Anna")                            // Requesting Physician
        carried.set(DICOMTag(0x0040, 0x0254), .LO, "Jane Doe facet injection")            // Performed Procedure Step Description
        carried.set(DICOMTag(0x0009, 0x0010), .LO, "SCANNER PRIVATE")                     // a private creator
        carried.set(DICOMTag(0x0009, 0x1001), .LO, "DOE^JANE NL0042-7731")                // and its private element
        var other = DataSet()
        other.set(.patientID, .LO, "NL0042-7731")
        carried.set(DICOMTag(0x0010, 0x1002), items: [other])                             // Other Patient IDs Sequence
        var region = try #require(carried[.anatomicRegionSequence]?.items?.first)
        region.set(DICOMTag(0x0040, 0xA123), .PN, "DOE^JANE")                             // Person Name, nested in a kept sequence
        carried.set(.anatomicRegionSequence, items: [region])
        let cleaned = Deidentifier(salt: "teaching").apply(to: carried, pixelsCleaned: true)
        let url = f.base.appendingPathComponent("carried.dcm")
        try PartTenFile(dataSet: cleaned).encoded().write(to: url)
        let dumped = try dcmdump(url)
        #expect(dumped.elements.topLevel == Self.imageTopLevel, "\(dumped.text)")
        #expect(dumped.elements.nested == Self.imageNested, "\(dumped.text)")
        for identifying in ["Main Street", "555-0100", "Spine clinic", "Lee^Anna", "Jane Doe", "SCANNER", "DOE^JANE", "NL0042-7731"] {
            #expect(!dumped.text.contains(identifying), "\(identifying) is still in \(dumped.text)")
        }
    }
}
