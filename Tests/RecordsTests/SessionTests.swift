import Anatomy
import Foundation
import Records
import Testing

@Suite("Procedure sessions: series, pain scores and status")
struct SessionTests {
    typealias Status = ProcedureSession.Status

    @Test("treatment x of planned n", arguments: [
        (1, 6, nil, "1 of 6", false), (4, 4, 21, "4 of 4", true), (3, 8, 0, "3 of 8", false),
    ] as [(Int, Int, Int?, String, Bool)])
    func goodTreatment(number: Int, planned: Int, days: Int?, text: String, isLast: Bool) throws {
        let treatment = try TreatmentNumber(number, of: planned, daysSincePrevious: days)
        #expect(treatment.description == text)
        #expect(treatment.isLast == isLast)
        #expect(treatment.daysSincePrevious == days)
    }

    @Test("impossible treatment numbers are refused", arguments: [
        (5, 4, nil, "treatment 5 of 4: the treatment number cannot exceed the planned number"),
        (0, 4, nil, "treatment 0 is out of range: treatments are numbered from 1"),
        (1, 0, nil, "treatment 1 of 0: the treatment number cannot exceed the planned number"),
        (2, 6, -3, "days since the previous treatment -3 is out of range: write 0 days or more"),
    ] as [(Int, Int, Int?, String)])
    func badTreatment(number: Int, planned: Int, days: Int?, message: String) {
        expectRefusal(message) { () throws(RecordError) in try TreatmentNumber(number, of: planned, daysSincePrevious: days) }
    }

    @Test("treatment written as the CLI and the tech's page take it", arguments: [
        ("2/6", "2 of 6"), (" 1 / 1 ", "1 of 1"),
    ])
    func parsedTreatment(text: String, expected: String) throws {
        #expect(try TreatmentNumber(parsing: text).description == expected)
    }

    @Test("treatment text that is not NUMBER/PLANNED, or impossible, is refused", arguments: [
        ("5 of 4", "treatment \"5 of 4\" is not valid: write NUMBER/PLANNED, e.g. 2/6 for the second of six"),
        ("2", "treatment \"2\" is not valid: write NUMBER/PLANNED, e.g. 2/6 for the second of six"),
        ("5/4", "treatment 5 of 4: the treatment number cannot exceed the planned number"),
    ])
    func badTreatmentText(text: String, message: String) {
        expectRefusal(message) { () throws(RecordError) in try TreatmentNumber(parsing: text) }
    }

    @Test("pain scores outside NRS 0-10 are refused", arguments: [
        (11, nil, "pain score 11 is out of range: NRS is 0-10"),
        (nil, -1, "pain score -1 is out of range: NRS is 0-10"),
    ] as [(Int?, Int?, String)])
    func badPainScores(before: Int?, after: Int?, message: String) {
        expectRefusal(message) { () throws(RecordError) in try PainScores(before: before, after: after) }
    }

    @Test("follow-up scores are checked", arguments: [
        (0, 3, "follow-up day 0 is out of range: follow-ups are 1 day or more after the treatment"),
        (14, 12, "pain score 12 is out of range: NRS is 0-10"),
    ])
    func badFollowUp(days: Int, score: Int, message: String) {
        expectRefusal(message) { () throws(RecordError) in try FollowUpScore(daysAfter: days, score: score) }
    }

    @Test("follow-ups are kept in day order, one a day")
    func followUpOrder() throws {
        let month = try FollowUpScore(daysAfter: 28, score: 2)
        let fortnight = try FollowUpScore(daysAfter: 14, score: 3)
        let scores = try PainScores(before: 7, after: 4, followUps: [month, fortnight])
        #expect(scores.followUps.map(\.daysAfter) == [14, 28])
        #expect(try scores.adding(FollowUpScore(daysAfter: 42, score: 1)).followUps.map(\.score) == [3, 2, 1])
        expectRefusal("two follow-up scores at 14 days: keep one score per day") { () throws(RecordError) in
            try scores.adding(FollowUpScore(daysAfter: 14, score: 5))
        }
        #expect(PainScores.unrecorded.before == nil && PainScores.unrecorded.followUps.isEmpty)
    }

    @Test("a session only ends from recording, once", arguments: Status.allCases, Status.allCases)
    func transitions(from: Status, to: Status) throws {
        var session = try Fixture.session(status: from)
        let end = Fixture.sessionStart.addingTimeInterval(3600)
        let allowed = from == .recording && to != .recording
        do {
            try session.transition(to: to, reason: "disk full", at: end)
            #expect(allowed, "\(from) -> \(to) should have been refused")
            #expect(session.status == to)
            #expect(session.endedAt == end)
            #expect(session.statusReason == "disk full")
        } catch {
            #expect(!allowed, "\(from) -> \(to) was refused: \(error)")
            #expect(error == .impossibleTransition(from: from, to: to))
            #expect(session == (try Fixture.session(status: from)), "a refused change leaves the session as it was")
        }
    }

    @Test("refused status changes say why", arguments: [
        (Status.completed, Status.recording,
         "a completed session cannot become recording: completed is final; start a new session to record again"),
        (.interrupted, .completed, "an interrupted session cannot become completed: interrupted is final"),
        (.failed, .interrupted, "a failed session cannot become interrupted: failed is final"),
        (.recording, .recording, "the session is already recording"),
        (.completed, .completed, "the session is already completed"),
    ])
    func transitionMessages(from: Status, to: Status, message: String) throws {
        var session = try Fixture.session(status: from)
        expectRefusal(message) { () throws(RecordError) in
            try session.transition(to: to, at: Fixture.sessionStart.addingTimeInterval(60))
        }
    }

    @Test("a session cannot end before it started, or while still recording")
    func endTimes() throws {
        var session = try Fixture.session()
        expectRefusal(
            "session ends at 2024-03-09T15:59:00Z, before its start at 2024-03-09T16:00:00Z: the end must come after the start"
        ) { () throws(RecordError) in
            try session.transition(to: .completed, at: Fixture.sessionStart.addingTimeInterval(-60))
        }
        #expect(session.status == .recording)
        try session.transition(to: .completed, reason: "  ", at: Fixture.sessionStart.addingTimeInterval(1200))
        #expect(session.statusReason == nil)
        #expect(session.duration == 1200)
        let id = try Fixture.patientID()
        let treatment = try TreatmentNumber(1, of: 4)
        expectRefusal("a session that is still recording has no end time: change its status to end it") { () throws(RecordError) in
            try ProcedureSession(
                patientID: id, startedAt: Fixture.sessionStart, endedAt: Fixture.sessionStart,
                physician: "dr.lee", tech: "tech1", treatment: treatment)
        }
    }

    @Test("recording paths stay inside the archive", arguments: [
        ("recordings/2024/3F2A.mkv", nil),
        ("session.mkv", nil),
        ("", "archive path is empty: write a path inside the archive, such as recordings/session.mkv, without a leading / or . and .. parts"),
        ("/etc/passwd", "archive path \"/etc/passwd\" is not valid: write a path inside the archive, such as recordings/session.mkv, without a leading / or . and .. parts"),
        ("../elsewhere.mkv", "archive path \"../elsewhere.mkv\" is not valid: write a path inside the archive, such as recordings/session.mkv, without a leading / or . and .. parts"),
        ("recordings//a.mkv", "archive path \"recordings//a.mkv\" is not valid: write a path inside the archive, such as recordings/session.mkv, without a leading / or . and .. parts"),
        ("recordings/./a.mkv", "archive path \"recordings/./a.mkv\" is not valid: write a path inside the archive, such as recordings/session.mkv, without a leading / or . and .. parts"),
        ("recordings/", "archive path \"recordings/\" is not valid: write a path inside the archive, such as recordings/session.mkv, without a leading / or . and .. parts"),
    ] as [(String, String?)])
    func archivePaths(text: String, message: String?) throws {
        if let message {
            expectRefusal(message) { () throws(RecordError) in try ArchivePath(text) }
        } else {
            #expect(try ArchivePath(text).value == text)
        }
    }

    @Test("the injectate kinds of a session are what search filters on")
    func injectateKinds() throws {
        var session = try Fixture.session()
        #expect(session.injectateKinds.isEmpty)
        let prp = try InjectionSite(
            site: Fixture.site("C5-C6"), injectate: .prp(PlateletRichPlasma(leukocytes: .poor, activated: false)),
            volumeMillilitres: 2, needleGauge: 27)
        session.injections = [try Fixture.facetInjection(), prp, try Fixture.facetInjection()]
        #expect(session.injectateKinds == [.prolotherapy, .prp])
    }

    static let storedSession = """
        {"complications":["vasovagal episode"],"endedAt":"2024-03-09T16:30:00Z",\
        "id":"0B7E5C1A-2D3F-4A6B-8C9D-0E1F2A3B4C5D","indication":"chronic low back pain",\
        "injections":[{"injectate":{"additives":[],"dextrosePercent":15,"kind":"prolotherapy","lidocainePercent":0.2},\
        "needleGauge":25,"needleLengthMillimetres":90,"site":"left L4-L5","structure":"facet-capsule","volumeMillilitres":1.5}],\
        "notes":"good spread","painScores":{"after":3,"before":7,"followUps":[{"daysAfter":14,"score":2}]},\
        "patientID":"MRN-004211","physician":"dr.lee","recording":"recordings/2024/0B7E5C1A.mkv","region":"lumbar",\
        "startedAt":"2024-03-09T16:00:00Z","status":"completed","statusReason":"stopped by tech","tech":"tech1",\
        "treatment":{"daysSincePrevious":21,"number":2,"planned":6}}
        """

    @Test("a session's stored form is pinned")
    func storedForm() throws {
        let session = try decodeJSON(ProcedureSession.self, Self.storedSession)
        #expect(session.id == Fixture.sessionID)
        #expect(session.patientID.value == "MRN-004211")
        #expect(session.startedAt == Fixture.sessionStart)
        #expect(session.endedAt == Fixture.sessionStart.addingTimeInterval(1800))
        #expect(session.status == .completed)
        #expect(session.statusReason == "stopped by tech")
        #expect(session.region == .lumbar)
        #expect(session.treatment == (try TreatmentNumber(2, of: 6, daysSincePrevious: 21)))
        #expect(session.painScores == (try PainScores(before: 7, after: 3, followUps: [FollowUpScore(daysAfter: 14, score: 2)])))
        #expect(session.injections == [try Fixture.facetInjection()])
        #expect(session.complications == ["vasovagal episode"])
        #expect(session.recording == (try ArchivePath("recordings/2024/0B7E5C1A.mkv")))
        #expect(try encodeJSON(session) == Self.storedSession)
    }

    @Test("a stored session that breaks the rules is refused on reading")
    func corruptSession() {
        let recordingWithEnd = Self.storedSession.replacingOccurrences(of: #""status":"completed""#, with: #""status":"recording""#)
        #expect(decodingFailure(ProcedureSession.self, recordingWithEnd)
            == "a session that is still recording has no end time: change its status to end it")
        let overPlanned = Self.storedSession.replacingOccurrences(of: #""planned":6"#, with: #""planned":1"#)
        #expect(decodingFailure(ProcedureSession.self, overPlanned)
            == "treatment 2 of 1: the treatment number cannot exceed the planned number")
    }
}
