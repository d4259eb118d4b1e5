import DICOMExport
import Foundation
import Media
import Records
import SampleKit
import Testing

@Suite("de-identified teaching export: no identifiers in headers or header band, site and needle kept")
struct DeidentificationTests {
    /// Every burned-in text rectangle of the clip below the header band, as `--mask` gives them.
    static func masks() -> MaskSettings {
        MaskSettings(rectangles: ExportFixture.truth.burnedInTextRegions.map {
            BurnedInTextMask.Rectangle(x: $0.rect.x, y: $0.rect.y, width: $0.rect.width, height: $0.rect.height)
        })
    }

    @Test("no header holds the sample patient's name, ID, birth date, session date, staff or original UIDs")
    func headersClean() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let records = try await f.exporter().records(ofSession: f.session.id)
        let identified = try ExportWriter().writeDICOM(records, to: f.base.appendingPathComponent("identified"))
        let files = try ExportWriter(deidentifier: Deidentifier(salt: "teaching"), masks: Self.masks()).writeDICOM(records, to: f.out)
        #expect(files.count == identified.count)
        let truth = ExportFixture.truth
        var forbidden = ["DOE", "JANE", truth.patientID, ExportFixture.birthDate.dicomDate, "1971", truth.date.replacingOccurrences(of: "-", with: ""),
                         "dr.lee", "chronic", "treatment 2 of 6"]
        // The identified objects' UIDs: instances, and the study (the folder they are in).
        forbidden += identified.map(\.sopInstanceUID)
        forbidden.append(identified[0].url.deletingLastPathComponent().lastPathComponent)
        for file in files {
            let bytes = try PartTenBytes(file.url)
            for text in forbidden {
                // A number may turn up inside a fresh UID by chance; outside them it may not.
                let found = text.allSatisfy(\.isNumber) ? bytes.headerContainsOutsideUIDs(text) : bytes.headerContains(text)
                #expect(!found, "\(file.url.lastPathComponent) still holds \(text)")
            }
            #expect(!file.url.path.contains(truth.patientID))
            let verdict = try Verdict.of(file.url)
            #expect(verdict.errors.isEmpty, "\(verdict.output)")
        }
    }

    @Test("the de-identified image says so, with both method codes, and keeps level, structure, side and calibration")
    func attributes() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let records = try await f.exporter().records(ofSession: f.session.id)
        let record = try #require(records.first { $0.still.id == f.needleStill.id })
        let writer = ExportWriter(deidentifier: Deidentifier(salt: "teaching"), masks: Self.masks())
        let (image, state) = writer.dataSets(for: record)
        #expect(image.text(.patientIdentityRemoved) == "YES")
        #expect(image.text(.burnedInAnnotation) == "NO")
        let methods = try #require(image[.deidentificationMethodCodeSequence]?.items).compactMap { $0.text(.codeValue) }
        #expect(methods == ["113100", "113101"])
        #expect(image.text(.patientName)?.hasPrefix("ANON-") == true)
        #expect(image.text(.patientName) == (image.text(.patientID) ?? "") + "^")
        #expect(image.text(.patientBirthDate) == "")
        #expect(image.text(.studyDate) == "")
        #expect(image[.instanceCreationDate] == nil && image[.acquisitionDateTime] == nil)
        // Kept: body part, side, the vertebrae, calibration.
        #expect(image.text(.bodyPartExamined) == "LSSPINE")
        #expect(image.text(.imageLaterality) == "R")
        let region = try #require(image[.anatomicRegionSequence]?.items?.first)
        #expect(region[.anatomicRegionModifierSequence]?.items?.first?.text(.codeValue) == "24028007")
        #expect(image[.primaryAnatomicStructureSequence]?.items?.first?.text(.codeValue) == "49668003")
        #expect(image[.sequenceOfUltrasoundRegions] != nil)
        // The needle: still there, still pointing at the (renamed) image.
        let presentation = try #require(state)
        #expect(presentation.text(.patientIdentityRemoved) == "YES")
        #expect(presentation[.burnedInAnnotation] == nil)
        let codes = try #require(presentation[.deidentificationMethodCodeSequence]?.items).compactMap { $0.text(.codeValue) }
        #expect(codes == ["113100"])
        let reference = presentation[.referencedSeriesSequence]?.items?.first?[.referencedImageSequence]?.items?.first
        #expect(reference?.text(.referencedSOPInstanceUID) == image.text(.sopInstanceUID))
        let annotation = presentation[.graphicAnnotationSequence]?.items?.first
        #expect(annotation?[.graphicObjectSequence]?.items?.count == 3)
        #expect(annotation?[.textObjectSequence]?.items?.first?.text(.unformattedTextValue) == "L5-S1 right, Facet joint capsule")
        #expect(presentation.text(.patientID) == image.text(.patientID))
    }

    @Test("the header band and every configured rectangle are black in the exported pixels; the rest is untouched")
    func pixelsMasked() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let records = try await f.exporter().records(ofSession: f.session.id)
        let files = try ExportWriter(deidentifier: Deidentifier(salt: "teaching"), masks: Self.masks()).writeDICOM(records, to: f.out)
        let truth = ExportFixture.truth
        for record in records {
            let file = try #require(files.first { $0.stillID == record.still.id && $0.kind == .image })
            let exported = try PartTenBytes(file.url).pixels
            let source = record.image
            let channels = source.format.channels
            #expect(exported.count == source.pixels.count)
            let band = BurnedInTextMask.defaultHeaderBand(forHeight: source.height)
            #expect(band >= truth.burnedInTextRegions[0].rect.height)
            var sourceInkInMask = 0
            for y in 0..<source.height {
                for x in 0..<source.width {
                    let masked = y < band || truth.burnedInTextRegions.contains { $0.rect.contains(x: x, y: y) }
                    for c in 0..<channels {
                        let i = (y * source.width + x) * channels + c
                        if masked {
                            if source.pixels[i] != 0 { sourceInkInMask += 1 }
                            if exported[i] != 0 { Issue.record("pixel \(x),\(y) in a masked region is \(exported[i])"); return }
                        } else if exported[i] != source.pixels[i] {
                            Issue.record("pixel \(x),\(y) outside the masks changed")
                            return
                        }
                    }
                }
            }
            // The burned-in name and ID were there to be masked.
            #expect(sourceInkInMask > 500)
        }
    }

    @Test("the PNG variant for slides is masked the same way, carries no text, and is not named after the patient")
    func pngForSlides() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let records = try await f.exporter().records(ofSession: f.session.id)
        let writer = ExportWriter(deidentifier: Deidentifier(salt: "teaching"), masks: Self.masks())
        let files = try writer.writePNG(records, to: f.out)
        #expect(files.map(\.url.lastPathComponent).sorted() == [
            "001-L4-L5-midline-interspinous-ligament.png", "002-L5-S1-right-facet-capsule.png", "003-L5-S1-right-facet-capsule.png",
        ])
        for (file, record) in zip(files, records) {
            let decoded = try PNG.decode(Data(contentsOf: file.url))
            #expect(decoded.text.isEmpty)
            #expect(decoded.image == writer.pixels(for: record))
            #expect(decoded.image != record.image)
        }
    }
}
