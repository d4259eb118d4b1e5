import DICOMNetwork
import Foundation
import Records

/// The modality worklist as the tech page shows it: today's ultrasound steps from the RIS,
/// this station's first. Asked at most every `freshFor`; a RIS that does not answer within
/// a few seconds leaves the last list shown and the page says the worklist is offline, so
/// it never holds up recording (the tech can always type a patient).
public actor WorklistDesk {
    public let peer: ApplicationEntity
    public let callingTitle: String
    let timeout: Duration
    let freshFor: Duration
    private var last: (at: ContinuousClock.Instant, answer: WorklistAnswer)?

    /// What the page gets.
    public struct WorklistAnswer: Codable, Sendable, Equatable {
        public var online: Bool
        /// Why it is offline, in words that say what to check.
        public var problem: String?
        /// The worklist server, `AE@HOST:PORT`.
        public var source: String
        /// When the items were last fetched (ISO 8601).
        public var fetchedAt: String?
        public var items: [WorklistItem]
    }

    public init(peer: ApplicationEntity, callingTitle: String, timeout: Duration = .seconds(3), freshFor: Duration = .seconds(30)) {
        self.peer = peer
        self.callingTitle = callingTitle
        self.timeout = timeout
        self.freshFor = freshFor
    }

    /// Today's (the station's local day) ultrasound steps; `refresh` asks the RIS even when the
    /// last answer is fresh.
    public func today(refresh: Bool = false, now: Date = Date()) async -> WorklistAnswer {
        if !refresh, let last, ContinuousClock.now - last.at < freshFor { return last.answer }
        var answer: WorklistAnswer
        do {
            let day = try WorklistQuery.date(parsing: "today", today: now)
            let items = try await Association.worklist(from: peer, callingTitle: callingTitle, query: WorklistQuery(date: day, modality: "US"), timeout: timeout)
            // This station's steps first, then the other rooms', each in order of their start.
            let ordered = items.filter { $0.scheduledStationAETitle == callingTitle } + items.filter { $0.scheduledStationAETitle != callingTitle }
            answer = WorklistAnswer(online: true, problem: nil, source: peer.description,
                                    fetchedAt: ISO8601DateFormatter().string(from: now), items: ordered)
        } catch {
            // The list last fetched stays, marked offline.
            answer = last?.answer ?? WorklistAnswer(online: false, source: peer.description, items: [])
            answer.online = false
            answer.problem = "\(error)"
        }
        last = (ContinuousClock.now, answer)
        return answer
    }
}

extension WorklistItem {
    /// The RIS order this step carries out, checked as the archive keeps it.
    public var order: ScheduledOrder {
        get throws(RecordError) {
            try ScheduledOrder(accessionNumber: accessionNumber, requestedProcedureID: requestedProcedureID,
                               requestedProcedureDescription: requestedProcedureDescription, studyInstanceUID: studyInstanceUID,
                               scheduledStepID: scheduledStepID, scheduledStepDescription: scheduledStepDescription)
        }
    }
}
