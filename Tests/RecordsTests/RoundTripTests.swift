import Anatomy
import Foundation
import Records
import Testing

/// One value of a record type, checked to come back equal from JSON.
struct RoundTrip: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let check: @Sendable () throws -> Void

    static func of<Value: Codable & Equatable & Sendable>(_ name: String, _ make: @escaping @Sendable () throws -> Value) -> RoundTrip {
        RoundTrip(testDescription: name) {
            let value = try make()
            #expect(try roundTripped(value) == value)
        }
    }
}

@Suite("Every record type survives JSON")
struct RoundTripTests {
    /// A date with a fraction of a second, which the default date strategy keeps exactly.
    static let preciseDate = Date(timeIntervalSinceReferenceDate: 731_700_000.123_456)

    static let cases: [RoundTrip] = [
        .of("PatientID") { try PatientID("MRN-004211") },
        .of("CalendarDate") { try CalendarDate(year: 1984, month: 3, day: 21) },
        .of("Sex") { Sex.unknown },
        .of("Patient") {
            try Patient(id: PatientID("A1"), familyName: "Okafor", givenName: "", birthDate: CalendarDate(parsing: "2000-02-29"), sex: .other)
        },
        .of("TreatmentNumber") { try TreatmentNumber(3, of: 6, daysSincePrevious: 14) },
        .of("TreatmentNumber, first") { try TreatmentNumber(1, of: 1) },
        .of("FollowUpScore") { try FollowUpScore(daysAfter: 90, score: 0) },
        .of("PainScores") { try PainScores(before: 8, followUps: [FollowUpScore(daysAfter: 14, score: 5)]) },
        .of("PainScores, unrecorded") { PainScores.unrecorded },
        .of("ArchivePath") { try ArchivePath("recordings/2024/a.mkv") },
        .of("ProcedureSession, recording") { try Fixture.session() },
        .of("ProcedureSession, full") {
            var session = try ProcedureSession(
                patientID: PatientID("MRN-9"), startedAt: preciseDate, physician: "dr.lee", tech: "tech2",
                treatment: TreatmentNumber(1, of: 4), painScores: PainScores(before: 6, after: 2),
                complications: ["bruising"], notes: "two passes", injections: [Fixture.facetInjection()],
                recording: ArchivePath("recordings/x.mkv"))
            try session.transition(to: .failed, reason: "disk full", at: preciseDate.addingTimeInterval(95.5))
            return session
        },
        .of("ProcedureSession.Status") { ProcedureSession.Status.interrupted },
        .of("InjectionSite") { try Fixture.facetInjection() },
        .of("Injectate, prolotherapy") {
            Injectate.prolotherapy(try Prolotherapy(
                dextrosePercent: 12.5, lidocainePercent: 0.1, salineFraction: 0.25, additives: [.phenol, .other("P2G")]))
        },
        .of("Injectate, PRP") {
            Injectate.prp(try PlateletRichPlasma(
                concentration: .perMicrolitre(950_000), leukocytes: .rich, activated: true, activationAgent: "thrombin"))
        },
        .of("Injectate, BMC") { Injectate.bmc(try BoneMarrowConcentrate(totalNucleatedCells: 1, aspirateMillilitres: 120)) },
        .of("Injectate, other") { Injectate.other("hyaluronic acid") },
        .of("Injectate.Kind") { Injectate.Kind.bmc },
        .of("Prolotherapy") { try Prolotherapy(dextrosePercent: 0) },
        .of("Additive") { Prolotherapy.Additive.sodiumMorrhuate },
        .of("PlateletRichPlasma") { try PlateletRichPlasma(concentration: .multipleOfBaseline(6.5), leukocytes: .poor, activated: false) },
        .of("Concentration") { PlateletRichPlasma.Concentration.multipleOfBaseline(3) },
        .of("Leukocytes") { PlateletRichPlasma.Leukocytes.rich },
        .of("BoneMarrowConcentrate") { try BoneMarrowConcentrate() },
        .of("SiteTag") { SiteTag(site: try AnatomicSite(parsing: "bilateral T7 rib"), structure: TargetStructure.costotransverseJoint.id) },
        .of("SiteTag, no structure") { SiteTag(site: try AnatomicSite(parsing: "sternum")) },
        .of("TagEvent") { try TagEvent(time: 0.04, site: AnatomicSite(parsing: "C1-C2"), author: "dr.lee", source: .review) },
        .of("TagEvent.Source") { TagEvent.Source.tagFile },
        .of("TagTimeline") {
            TagTimeline([
                try TagEvent(time: 9, site: AnatomicSite(parsing: "L4"), author: "t", source: .live),
                try TagEvent(time: 2, site: AnatomicSite(parsing: "L5"), author: "t", source: .live),
            ])
        },
        .of("TagFile") { try TagFile(parsing: "00:01 L4\n00:02 right SI joint", author: "t") },
        .of("Still") {
            try Still(
                sessionID: Fixture.sessionID, time: 12.345, tag: nil, reason: .import,
                fileHash: ContentHash(hexDigits: Fixture.hash), byteSize: 10, width: 1, height: 1, colour: .rgb, createdAt: preciseDate)
        },
        .of("Still.Reason") { Still.Reason.snap },
        .of("Still.Colour") { Still.Colour.gray },
        .of("ContentHash") { try ContentHash(hexDigits: Fixture.hash) },
        .of("ImagePoint") { ImagePoint(x: -3.25, y: 1e3) },
        .of("NeedleGeometry") { try NeedleGeometry(entry: ImagePoint(x: 1, y: 2), tip: ImagePoint(x: 3, y: 4)) },
        .of("NeedleAnnotation") {
            try NeedleAnnotation(
                stillID: Fixture.stillID, revision: 1, entry: ImagePoint(x: 10, y: 0), tip: ImagePoint(x: 100, y: 80),
                target: ImagePoint(x: 101, y: 84), millimetresPerPixel: 0.08, author: "dr.lee", createdAt: preciseDate)
        },
        .of("NeedleAnnotationHistory") {
            var history = NeedleAnnotationHistory(stillID: Fixture.stillID)
            try history.append(NeedleGeometry(entry: ImagePoint(x: 0, y: 0), tip: ImagePoint(x: 5, y: 5)), by: "a", at: preciseDate)
            try history.append(
                NeedleGeometry(entry: ImagePoint(x: 0, y: 0), tip: ImagePoint(x: 6, y: 5)), by: "b", at: preciseDate, basedOn: 1)
            try history.restore(revision: 1, by: "a", at: preciseDate)
            return history
        },
    ]

    @Test("encoding then decoding gives an equal value", arguments: cases)
    func roundTrip(value: RoundTrip) throws {
        try value.check()
    }
}
