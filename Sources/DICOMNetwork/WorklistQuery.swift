import DICOMExport
import Foundation

/// What to ask a modality worklist for: scheduled steps on a day (or a span of days), of a
/// modality, for a station. Empty fields match everything.
public struct WorklistQuery: Sendable, Equatable {
    /// DICOM's DA matching: `20261204`, or a range `20261201-20261205`; empty for any day.
    public var date: String
    public var modality: String
    public var stationAETitle: String

    /// Modality Worklist Information Model - FIND (PS3.4 K.6.1.1).
    public static let sopClass = "1.2.840.10008.5.1.4.31"

    public init(date: String = "", modality: String = "US", stationAETitle: String = "") {
        self.date = date
        self.modality = modality
        self.stationAETitle = stationAETitle
    }

    /// Reads a day as the CLI and the settings write it: `today`, `all`, `YYYY-MM-DD`, or
    /// `YYYY-MM-DD..YYYY-MM-DD`.
    /// - Throws: ``DICOMNetworkError`` `.invalid`, saying which forms are right.
    public static func date(parsing text: String, today: Date = Date(), timeZone: TimeZone = .current) throws(DICOMNetworkError) -> String {
        switch text.lowercased() {
        case "", "all", "any": return ""
        case "today":
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let parts = calendar.dateComponents([.year, .month, .day], from: today)
            return String(format: "%04d%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        default:
            let ends = text.components(separatedBy: "..")
            let days = ends.compactMap(Self.day)
            guard (1...2).contains(ends.count), days.count == ends.count else {
                throw DICOMNetworkError(.invalid, "\"\(text)\" is not a day: write today, all, YYYY-MM-DD, or YYYY-MM-DD..YYYY-MM-DD")
            }
            guard days.count == 1 || days[0] <= days[1] else {
                throw DICOMNetworkError(.invalid, "\"\(text)\": the first day comes after the last")
            }
            return days.count == 1 ? days[0] : "\(days[0])-\(days[1])"
        }
    }

    private static func day(_ text: String) -> String? {
        let digits = Array(text)
        guard digits.count == 10, digits[4] == "-", digits[7] == "-" else { return nil }
        let compact = String(digits[0..<4] + digits[5..<7] + digits[8..<10])
        guard compact.allSatisfy(\.isNumber), let month = Int(String(digits[5..<7])), let day = Int(String(digits[8..<10])),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        return compact
    }

    /// The C-FIND identifier: the matching keys, and empty return keys for everything a
    /// ``WorklistItem`` reads. Asks for the answer's character set too.
    public var identifier: DataSet {
        var step = DataSet()
        step.set(.modality, .CS, values: modality.isEmpty ? [] : [modality])
        step.set(.scheduledStationAETitle, .AE, values: stationAETitle.isEmpty ? [] : [stationAETitle])
        step.set(.scheduledProcedureStepStartDate, .DA, values: date.isEmpty ? [] : [date])
        step.set(.scheduledProcedureStepStartTime, .TM)
        step.set(.scheduledPerformingPhysicianName, .PN)
        step.set(.scheduledProcedureStepDescription, .LO)
        step.set(.scheduledProcedureStepID, .SH)
        var query = DataSet()
        query.set(.specificCharacterSet, .CS)
        query.set(.accessionNumber, .SH)
        query.set(.referringPhysicianName, .PN)
        query.set(.patientName, .PN)
        query.set(.patientID, .LO)
        query.set(.patientBirthDate, .DA)
        query.set(.patientSex, .CS)
        query.set(.studyInstanceUID, .UI)
        query.set(.requestedProcedureDescription, .LO)
        query.set(.requestedProcedureID, .SH)
        query.set(.scheduledProcedureStepSequence, items: [step])
        return query
    }
}

extension Association {
    /// The scheduled steps the worklist holds for `query`, in the order of their start.
    public func worklist(_ query: WorklistQuery, limit: Int = 1000) async throws -> [WorklistItem] {
        try await find(query.identifier, sopClass: WorklistQuery.sopClass, limit: limit)
            .map(WorklistItem.init)
            .sorted { ($0.scheduledStart, $0.displayName) < ($1.scheduledStart, $1.displayName) }
    }

    /// Opens an association with a worklist server, queries it and releases it.
    public static func worklist(from peer: ApplicationEntity, callingTitle: String, query: WorklistQuery,
                                timeout: Duration = .seconds(10)) async throws -> [WorklistItem] {
        try await run(to: peer, callingTitle: callingTitle, services: [PresentationService(WorklistQuery.sopClass)], timeout: timeout) { association in
            try await association.worklist(query)
        }
    }
}
