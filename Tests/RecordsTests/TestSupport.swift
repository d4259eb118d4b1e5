import Anatomy
import Foundation
import Records
import Testing

/// JSON as the tests pin it: keys sorted so a stored form can be compared as text.
func encodeJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// Decodes a pinned JSON snippet, dates as ISO 8601.
func decodeJSON<Value: Decodable>(_ type: Value.Type, _ json: String) throws -> Value {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(type, from: Data(json.utf8))
}

/// Encodes with the default strategies (which keep a `Date` exactly) and decodes again.
func roundTripped<Value: Codable>(_ value: Value) throws -> Value {
    try JSONDecoder().decode(Value.self, from: JSONEncoder().encode(value))
}

/// The message of the `DecodingError` that decoding `json` throws, or `nil` if it decodes.
func decodingFailure<Value: Decodable>(_ type: Value.Type, _ json: String) -> String? {
    do {
        _ = try decodeJSON(type, json)
        return nil
    } catch DecodingError.dataCorrupted(let context) {
        return context.debugDescription
    } catch {
        return "\(error)"
    }
}

/// Checks that `make` is refused with exactly `message`.
func expectRefusal<Value>(
    _ message: String, sourceLocation: SourceLocation = #_sourceLocation, _ make: () throws(RecordError) -> Value
) {
    do {
        let value = try make()
        Issue.record("expected refusal \"\(message)\", got \(value)", sourceLocation: sourceLocation)
    } catch {
        #expect(error.description == message, sourceLocation: sourceLocation)
    }
}

/// Values the tests share: one patient, one session day, one site.
enum Fixture {
    /// 2024-03-09T16:00:00Z, a whole second so ISO 8601 keeps it exactly.
    static let sessionStart = Date(timeIntervalSince1970: 1_710_000_000)
    static let stillID = UUID(uuidString: "6F1D2C3B-4A59-4E8F-9D7C-1B2A3C4D5E6F")!
    static let sessionID = UUID(uuidString: "0B7E5C1A-2D3F-4A6B-8C9D-0E1F2A3B4C5D")!
    static let hash = String(repeating: "ab", count: 32)

    static func patientID() throws -> PatientID { try PatientID("MRN-004211") }

    static func site(_ text: String) throws -> AnatomicSite { try AnatomicSite(parsing: text) }

    static func facetInjection() throws -> InjectionSite {
        try InjectionSite(
            site: site("left L4-L5"), structure: TargetStructure.facetCapsule.id,
            injectate: .prolotherapy(Prolotherapy(dextrosePercent: 15, lidocainePercent: 0.2)),
            volumeMillilitres: 1.5, needleGauge: 25, needleLengthMillimetres: 90)
    }

    static func session(status: ProcedureSession.Status = .recording) throws -> ProcedureSession {
        try ProcedureSession(
            id: sessionID, patientID: patientID(), startedAt: sessionStart,
            endedAt: status.isFinal ? sessionStart.addingTimeInterval(1800) : nil,
            physician: "dr.lee", tech: "tech1", region: .lumbar, indication: "chronic low back pain",
            status: status, treatment: TreatmentNumber(2, of: 6, daysSincePrevious: 21))
    }
}
