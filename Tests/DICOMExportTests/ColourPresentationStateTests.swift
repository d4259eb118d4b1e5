import DICOMExport
import Foundation
import Media
import Records
import Testing

@Suite("a needle drawn on an RGB still exports as a Color Softcopy Presentation State with an sRGB profile")
struct ColourPresentationStateTests {
    static let cspsClass = "1.2.840.10008.5.1.4.1.1.11.2"

    @Test("the RGB still's needle is a valid CSPS that references the RGB image and carries the drawn points")
    func colourNeedle() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let records = try await f.exporter().records(ofSession: f.session.id)
        let record = try #require(records.first { $0.still.id == f.colourStill.id })
        #expect(record.image.format == .rgb24)
        let files = try ExportWriter().writeDICOM(records, to: f.out)
        let image = try #require(files.first { $0.kind == .image && $0.stillID == f.colourStill.id })
        let file = try #require(files.first { $0.kind == .presentationState && $0.stillID == f.colourStill.id })
        #expect(file.url.lastPathComponent == "PR-\(file.sopInstanceUID).dcm")

        let verdict = try Verdict.of(file.url)
        #expect(verdict.errors.isEmpty, "\(verdict.output)")
        if !verdict.warnings.isEmpty { print("dciodvfy warnings, CSPS:\n" + verdict.warnings.joined(separator: "\n")) }
        let dump = try ExternalTool("dcmdump", package: "dcmtk").run(["-dc", file.url.path])
        #expect(dump.status == 0 && !dump.combined.contains("E: "), "\(dump.combined)")
        #expect(dump.stdout.contains("=ColorSoftcopyPresentationStateStorage"), "\(dump.stdout)")
        #expect(dump.stdout.contains("(0028,2000) OB"))

        let state = try #require(ExportWriter().dataSets(for: record).presentationState)
        #expect(state.text(.sopClassUID) == Self.cspsClass)
        #expect(state.text(.sopInstanceUID) == file.sopInstanceUID)
        #expect(state.text(.modality) == "PR")
        let series = try #require(state[.referencedSeriesSequence]?.items?.first)
        #expect(series.text(.seriesInstanceUID) == ExportWriter().dataSets(for: record).image.text(.seriesInstanceUID))
        let reference = try #require(series[.referencedImageSequence]?.items?.first)
        #expect(reference.text(.referencedSOPInstanceUID) == image.sopInstanceUID)
        #expect(reference.text(.referencedSOPClassUID) == DICOMUID.ultrasoundImageStorage)
        // A CSPS has the ICC Profile module in place of the GSPS's LUTs.
        #expect(state[.softcopyVOILUTSequence] == nil && state[.presentationLUTShape] == nil)
        #expect(state.text(.colorSpace) == "SRGB")

        let annotation = try #require(record.annotation)
        let item = try #require(state[.graphicAnnotationSequence]?.items?.first)
        #expect(item[.referencedImageSequence]?.items?.first?.text(.referencedSOPInstanceUID) == image.sopInstanceUID)
        let objects = try #require(item[.graphicObjectSequence]?.items)
        #expect(objects.map { $0.text(.graphicType) } == ["POLYLINE", "POINT", "POINT"])
        let target = try #require(annotation.target)
        let drawn: [[ImagePoint]] = [[annotation.entry, annotation.tip], [annotation.tip], [target]]
        let expected: [[Float]] = drawn.map { points in points.flatMap { [Float($0.x), Float($0.y)] } }
        let written: [[Float]] = objects.map { Self.floats($0[.graphicData]) }
        #expect(written == expected)
        #expect(item[.textObjectSequence]?.items?.first?.text(.unformattedTextValue) == "L5-S1 right, Facet joint capsule")
        // The layer asks for yellow in CIELab: light, a* below and b* well above neutral.
        let layer = try #require(state[.graphicLayerSequence]?.items?.first)
        let lab = Self.uint16s(layer[.graphicLayerRecommendedDisplayCIELabValue])
        #expect(lab.count == 3 && lab[0] > 0xF000 && lab[1] < 0x8080 && lab[2] > 0xD800, "\(lab)")

        // The grey still's needle stays a GSPS.
        let grey = try #require(records.first { $0.still.id == f.needleStill.id })
        #expect(ExportWriter().dataSets(for: grey).presentationState?.text(.sopClassUID) == DICOMUID.grayscaleSoftcopyPresentationStateStorage)
    }

    @Test("the ICC profile is an sRGB display profile: header, tag table, colorants summing to D50, the sRGB curve")
    func iccProfile() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let records = try await f.exporter().records(ofSession: f.session.id)
        let record = try #require(records.first { $0.still.id == f.colourStill.id })
        let state = try #require(ExportWriter().dataSets(for: record).presentationState)
        guard case .bytes(let profile) = try #require(state[.iccProfile]).value else {
            Issue.record("ICC Profile is not bytes")
            return
        }
        #expect(state[.iccProfile]?.vr == .OB)
        let icc = BigEndianBytes(profile)
        #expect(Int(icc.uint32(at: 0)) == profile.count)
        #expect(icc.signature(at: 36) == "acsp")
        #expect(icc.signature(at: 12) == "mntr")
        #expect(icc.signature(at: 16) == "RGB ")
        #expect(icc.signature(at: 20) == "XYZ ")
        #expect(profile[8] == 2)  // version 2.x
        let illuminant = (0..<3).map { icc.s15Fixed16(at: 68 + 4 * $0) }
        #expect(zip(illuminant, [0.9642, 1.0, 0.8249]).allSatisfy { abs($0 - $1) < 0.0001 }, "\(illuminant)")

        // The tag table: every required tag of a matrix/TRC display profile, inside the profile, 4-byte aligned.
        var tags: [String: (offset: Int, size: Int)] = [:]
        for i in 0..<Int(icc.uint32(at: 128)) {
            let entry = 132 + 12 * i
            let offset = Int(icc.uint32(at: entry + 4)), size = Int(icc.uint32(at: entry + 8))
            #expect(offset % 4 == 0 && offset >= 132 && offset + size <= profile.count)
            tags[icc.signature(at: entry)] = (offset, size)
        }
        #expect(Set(tags.keys) == ["desc", "cprt", "wtpt", "rXYZ", "gXYZ", "bXYZ", "rTRC", "gTRC", "bTRC"])
        let types = ["desc": "desc", "cprt": "text", "wtpt": "XYZ ", "rXYZ": "XYZ ", "gXYZ": "XYZ ", "bXYZ": "XYZ ",
                     "rTRC": "curv", "gTRC": "curv", "bTRC": "curv"]
        for (tag, type) in types {
            #expect(icc.signature(at: try #require(tags[tag]).offset) == type, "\(tag)")
        }
        let description = try #require(tags["desc"])
        let count = Int(icc.uint32(at: description.offset + 8))
        #expect(String(decoding: profile[(description.offset + 12)..<(description.offset + 12 + count - 1)], as: UTF8.self).hasPrefix("sRGB"))
        // Red, green and blue at full strength make the PCS white (D50).
        let colorants = ["rXYZ", "gXYZ", "bXYZ"].map { name in (0..<3).map { icc.s15Fixed16(at: tags[name]!.offset + 8 + 4 * $0) } }
        for axis in 0..<3 {
            #expect(abs(colorants.map { $0[axis] }.reduce(0, +) - illuminant[axis]) < 0.001)
        }
        // The sRGB curve: 0 to 1, rising, and 0.5 (encoded) is 21.4 % linear light.
        let curve = try #require(tags["rTRC"])
        let points = Int(icc.uint32(at: curve.offset + 8))
        #expect(points > 1 && curve.size == 12 + 2 * points)
        let values = (0..<points).map { Int(icc.uint16(at: curve.offset + 12 + 2 * $0)) }
        #expect(values.first == 0 && values.last == 65535 && zip(values, values.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(abs(Double(values[points / 2]) / 65535 - 0.214) < 0.005)

        // The profile is in the written file as is.
        let files = try ExportWriter().writeDICOM(records, to: f.out)
        let file = try #require(files.first { $0.kind == .presentationState && $0.stillID == f.colourStill.id })
        #expect(try PartTenBytes(file.url).header.range(of: Data(profile)) != nil)
    }

    @Test("a de-identified CSPS holds no patient identifiers, validates, and points at the renamed RGB image")
    func deidentified() async throws {
        let f = try await ExportFixture()
        defer { f.remove() }
        let records = try await f.exporter().records(ofSession: f.session.id)
        let identified = try ExportWriter().writeDICOM(records, to: f.base.appendingPathComponent("identified"))
        let writer = ExportWriter(deidentifier: Deidentifier(salt: "teaching"), masks: DeidentificationTests.masks())
        let files = try writer.writeDICOM(records, to: f.out)
        let file = try #require(files.first { $0.kind == .presentationState && $0.stillID == f.colourStill.id })
        let image = try #require(files.first { $0.kind == .image && $0.stillID == f.colourStill.id })

        let truth = ExportFixture.truth
        var forbidden = ["DOE", "JANE", truth.patientID, ExportFixture.birthDate.dicomDate, "1971",
                         truth.date.replacingOccurrences(of: "-", with: ""), "dr.lee", "chronic", "treatment 2 of 6"]
        forbidden += identified.map(\.sopInstanceUID)
        forbidden.append(identified[0].url.deletingLastPathComponent().lastPathComponent)
        let bytes = try PartTenBytes(file.url)
        // The check can see the birth year: the identified CSPS has it.
        let identifiedState = try #require(identified.first { $0.kind == .presentationState && $0.stillID == f.colourStill.id })
        #expect(try PartTenBytes(identifiedState.url).headerContainsOutsideUIDs("1971"))
        for text in forbidden {
            // A number may turn up inside a fresh UID by chance; outside them it may not.
            let found = text.allSatisfy(\.isNumber) ? bytes.headerContainsOutsideUIDs(text) : bytes.headerContains(text)
            #expect(!found, "the CSPS still holds \(text)")
        }
        let verdict = try Verdict.of(file.url)
        #expect(verdict.errors.isEmpty, "\(verdict.output)")

        let record = try #require(records.first { $0.still.id == f.colourStill.id })
        let state = try #require(writer.dataSets(for: record).presentationState)
        #expect(state.text(.sopClassUID) == Self.cspsClass)
        #expect(state.text(.sopInstanceUID) == file.sopInstanceUID)
        #expect(state.text(.patientIdentityRemoved) == "YES")
        #expect(state.text(.patientName)?.hasPrefix("ANON-") == true)
        #expect(state.text(.contentCreatorName) == "")
        #expect(state[.iccProfile] != nil)
        let reference = state[.referencedSeriesSequence]?.items?.first?[.referencedImageSequence]?.items?.first
        #expect(reference?.text(.referencedSOPInstanceUID) == image.sopInstanceUID)
    }

    // MARK: - Reading values back

    static func floats(_ element: DataElement?) -> [Float] {
        guard case .bytes(let bytes) = element?.value else { return [] }
        return stride(from: 0, to: bytes.count - 3, by: 4).map { i in
            Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[i + $1]) << (8 * $1) })
        }
    }

    static func uint16s(_ element: DataElement?) -> [UInt16] {
        guard case .bytes(let bytes) = element?.value else { return [] }
        return stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
    }
}

/// An ICC profile's numbers, which are big endian.
struct BigEndianBytes {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func uint32(at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[offset + $1]) }
    }

    func uint16(at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    func signature(at offset: Int) -> String {
        String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
    }

    func s15Fixed16(at offset: Int) -> Double {
        Double(Int32(bitPattern: uint32(at: offset))) / 65536
    }
}
