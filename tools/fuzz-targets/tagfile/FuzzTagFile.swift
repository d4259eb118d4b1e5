// libFuzzer target `tagfile` (tools/fuzz tagfile): the input as a tag file, and the
// same bytes as the JSON bodies the daemon's API decodes into Records values, and as
// the Records JSON the archive stores.
//
// The request structs below copy Sources/Server's (ControlMessages.swift,
// Review/ReviewMessages.swift, Review/PatientController.swift), which cannot be
// compiled without Hummingbird; each body is then handed to Records and Anatomy the
// way the controllers do. Keep them in step with the server's.
import Anatomy
import Foundation
import Records

struct StartRequest: Decodable { var patient: String; var treatment: String?; var physician: String?; var tech: String?; var indication: String? }
struct TagRequest: Decodable { var site: String; var structure: String?; var side: String? }
struct NewPatient: Decodable { var id: String; var familyName: String; var givenName: String; var birthDate: String; var sex: String? }
struct AnnotationRequest: Decodable { var entry: ImagePoint; var tip: ImagePoint; var target: ImagePoint?; var note: String?; var basedOn: Int? }
struct RestoreRequest: Decodable { var revision: Int; var basedOn: Int }
struct RetagRequest: Decodable { var site: String?; var structure: String?; var side: String?; var note: String?; var basedOn: Int }
struct SessionRecordRequest: Decodable {
    var indication: String?; var notes: String?; var complications: [String]?
    var painBefore: Int?; var painAfter: Int?; var followUp: FollowUpScore?
}
struct InjectionRequest: Decodable { var injectate: Injectate; var volumeMillilitres: Double; var needleGauge: Int? }

func promise(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("broken promise: \(message())") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTagFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    // Transitional levels (T13, L6) change the reading only where those numbers are written.
    let transitional = text.contains("13") || text.contains("6")
    for options in transitional ? [.standard, .allowingTransitionalLevels] : [AnatomyParsingOptions.standard] {
        checkTagFile(text, options: options)
    }
    // A body that does not start like JSON is refused by JSONDecoder at once; skip the work.
    if let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
        checkRequests(bytes)
        checkStored(bytes)
    }
    return 0
}

// MARK: - Tag files (needlelog import --tags)

func checkTagFile(_ text: String, options: AnatomyParsingOptions) {
    let file: TagFile
    do {
        file = try TagFile(parsing: text, author: "fuzz", options: options)
    } catch {
        promise(!error.problems.isEmpty, "a TagFileError without problems")
        for problem in error.problems { promise(!problem.description.isEmpty, "a problem without a message") }
        _ = error.description
        return
    }
    // What TagFile promises: `text` reads back to the same tags and times (to the millisecond).
    let written = file.text
    let again: TagFile
    do {
        again = try TagFile(parsing: written, author: "fuzz", options: options)
    } catch {
        return promise(false, "tag file \(text.debugDescription) writes \(written.debugDescription), which does not read back: \(error)")
    }
    promise(again.events.count == file.events.count, "tag file round trip changes the number of events")
    for (a, b) in zip(file.events, again.events) {
        promise(a.tag == b.tag, "tag \(a.tag) reads back as \(b.tag)")
        promise((a.time - b.time).magnitude <= 0.0005, "time \(a.time) reads back as \(b.time)")
    }
    let timeline = TagTimeline(file.events)
    for event in file.events { _ = timeline.tag(at: event.time) }
}

// MARK: - API bodies, handled as the controllers do

let decoder = JSONDecoder()

func decoded<T: Decodable>(_ type: T.Type, _ bytes: Data) -> T? {
    do {
        return try decoder.decode(type, from: bytes)
    } catch {
        _ = "\(error)"   // The 400's message.
        return nil
    }
}

let sampleStill = UUID(uuidString: "00000000-0000-4000-8000-000000000001")!

/// A history with two revisions, as the archive hands one to the restore route.
let sampleHistory: NeedleAnnotationHistory = {
    var history = NeedleAnnotationHistory(stillID: sampleStill)
    let geometry = try! NeedleGeometry(entry: ImagePoint(x: 10, y: 0), tip: ImagePoint(x: 100, y: 80))
    try! history.append(geometry, by: "dr.lee", at: Date(timeIntervalSince1970: 0))
    try! history.append(geometry, by: "dr.lee", at: Date(timeIntervalSince1970: 1), basedOn: 1)
    return history
}()

func checkRequests(_ bytes: Data) {
    if let start = decoded(StartRequest.self, bytes) {            // CaptureDesk.start
        _ = "\(String(describing: try? TreatmentNumber(parsing: start.treatment ?? "1/1")))"
        _ = "\(String(describing: try? PatientID(start.patient)))"
    }
    if let tag = decoded(TagRequest.self, bytes) {                // CaptureDesk.tag
        if var site = try? AnatomicSite(parsing: tag.site) {
            if let side = tag.side, site.laterality == nil { site.laterality = try? Laterality(parsing: side) }
            _ = SiteTag(site: site, structure: tag.structure.flatMap { try? TargetStructure(parsing: $0).id }).description
        }
    }
    if let body = decoded(NewPatient.self, bytes) {               // PatientController
        if let sex = Sex(rawValue: (body.sex ?? "unknown").lowercased()),
           let id = try? PatientID(body.id), let born = try? CalendarDate(parsing: body.birthDate) {
            _ = try? Patient(id: id, familyName: body.familyName, givenName: body.givenName, birthDate: born, sex: sex)
        }
    }
    if let body = decoded(AnnotationRequest.self, bytes) {        // AnnotationController: annotation
        if let geometry = try? NeedleGeometry(entry: body.entry, tip: body.tip, target: body.target, millimetresPerPixel: 0.1) {
            _ = try? geometry.requireInside(width: 640, height: 480)
            _ = (geometry.angleDegrees, geometry.lengthMillimetres, geometry.tipDepthMillimetres, geometry.tipToTargetMillimetres)
            var history = sampleHistory
            _ = try? history.append(geometry, by: "dr.lee", at: Date(timeIntervalSince1970: 2), note: body.note ?? "", basedOn: body.basedOn)
        }
        if let basedOn = body.basedOn { _ = sampleHistory.revision(basedOn) }
    }
    if let body = decoded(RestoreRequest.self, bytes) {           // AnnotationController: restore
        if let old = sampleHistory.revision(body.revision) {
            _ = try? old.geometry.requireInside(width: 640, height: 480)
        }
        var history = sampleHistory
        _ = try? history.restore(revision: body.revision, by: "dr.lee", at: Date(timeIntervalSince1970: 2))
        _ = sampleHistory.revision(body.basedOn)
    }
    if let body = decoded(RetagRequest.self, bytes) {             // AnnotationController: tag
        if let text = body.site?.trimmingCharacters(in: .whitespaces), !text.isEmpty,
           var site = try? AnatomicSite(parsing: text, options: .allowingTransitionalLevels) {
            if let side = body.side, !side.isEmpty, site.laterality == nil { site.laterality = try? Laterality(parsing: side) }
            _ = SiteTag(site: site, structure: body.structure.flatMap { $0.isEmpty ? nil : try? TargetStructure(parsing: $0).id }).description
        }
    }
    if let body = decoded(SessionRecordRequest.self, bytes) {     // AnnotationController: record
        let scores = (try? PainScores(before: 7, after: 4, followUps: [FollowUpScore(daysAfter: 14, score: 3)])) ?? .unrecorded
        if var updated = try? PainScores(before: body.painBefore ?? scores.before, after: body.painAfter ?? scores.after,
                                         followUps: scores.followUps) {
            if let followUp = body.followUp { updated = (try? updated.adding(followUp)) ?? updated }
            roundTrip(updated)
        }
    }
    if let body = decoded(InjectionRequest.self, bytes) {         // AnnotationController: injection
        _ = body.injectate.summary
        roundTrip(body.injectate)
        let site = AnatomicSite(.l4, laterality: .left)
        if let injection = try? InjectionSite(site: site, structure: nil, injectate: body.injectate,
                                              volumeMillilitres: body.volumeMillilitres, needleGauge: body.needleGauge ?? 25) {
            roundTrip(injection)
        }
    }
}

// MARK: - Records JSON as the archive stores it (ArchiveCoding)

let archiveEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.dateEncodingStrategy = .secondsSince1970
    return encoder
}()

let archiveDecoder: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .secondsSince1970
    return decoder
}()

/// Whatever decodes must encode and decode back to an equal value.
func roundTrip<T: Codable & Equatable>(_ value: T) {
    do {
        let encoded = try archiveEncoder.encode(value)
        let again = try archiveDecoder.decode(T.self, from: encoded)
        promise(again == value, "\(T.self) \(value) comes back from \(String(decoding: encoded, as: UTF8.self)) as \(again)")
    } catch {
        promise(false, "\(T.self) \(value) does not round-trip: \(error)")
    }
}

func stored<T: Codable & Equatable>(_ type: T.Type, _ bytes: Data) {
    guard let value = try? archiveDecoder.decode(type, from: bytes) else { return }
    roundTrip(value)
}

func checkStored(_ bytes: Data) {
    stored(Injectate.self, bytes)
    stored(InjectionSite.self, bytes)
    stored(PainScores.self, bytes)
    stored(TreatmentNumber.self, bytes)
    stored(NeedleAnnotation.self, bytes)
    stored(NeedleAnnotationHistory.self, bytes)
    stored(TagEvent.self, bytes)
    stored(TagTimeline.self, bytes)
    stored(Patient.self, bytes)
    stored(ProcedureSession.self, bytes)
    stored(Still.self, bytes)
    stored(TagFile.self, bytes)
    if let value = try? archiveDecoder.decode(Injectate.self, from: bytes) { _ = value.summary }
    if let value = try? archiveDecoder.decode(ProcedureSession.self, from: bytes) {
        _ = (value.duration, value.injectateKinds, value.treatment.description)
    }
}
