import Anatomy
import Archive
import Foundation
import Hummingbird
import Records

/// What the review pages read: session lists, a session, a still, search. Every view
/// of a session or still is written to the audit trail.
struct ReviewController {
    let server: NeedleServer
    var archive: any ArchiveStore { server.archive }

    func addRoutes(to group: RouterGroup<NeedleContext>) {
        group.get("sessions") { request, context -> SessionList in
            let identity = try await server.authorize(context, .review, action: .listSessions, target: "sessions")
            let query = request.uri.queryParameters
            // A tech sees only the sessions they recorded: asked of the archive, so a page is full when more exist.
            var filter = SessionFilter(recordedBy: identity.role == .tech ? identity.name : nil,
                                       limit: try QueryValue.limit(query["limit"], default: 200, maximum: 1000))
            do {
                if let patient = query["patient"].map(String.init), !patient.isEmpty { filter.patient = try PatientID(patient) }
                if let from = query["from"].map(String.init), !from.isEmpty { filter.from = try StillSearch.date(from, field: "from") }
                if let to = query["to"].map(String.init), !to.isEmpty { filter.to = try StillSearch.date(to, field: "to") }
                if let status = query["status"].map(String.init), !status.isEmpty {
                    guard let known = ProcedureSession.Status(rawValue: status) else {
                        throw ArchiveError(.invalid, "status \(status) is unknown: recording, completed, interrupted or failed")
                    }
                    filter.status = known
                }
                // A physician's "to sign" list: their own ended sessions not signed yet.
                if query["tosign"] == "true" {
                    guard identity.role == .physician else {
                        throw ArchiveError(.invalid, "only physicians sign records: tosign=true lists a physician's own")
                    }
                    filter.toSignBy = identity.name
                }
            } catch {
                throw HTTPError(.badRequest, message: "\(error)")
            }
            let summaries = try await archive.sessions(filter)
            // Only the patients on this page, not the whole register.
            var names: [PatientID: String] = [:]
            for id in Set(summaries.map(\.session.patientID)) {
                names[id] = try await archive.patient(id).map { "\($0.familyName), \($0.givenName)" }
            }
            let people = try await staffNames()
            try await server.audit(identity, .listSessions, "sessions", detail: "\(summaries.count) shown")
            return SessionList(sessions: summaries.map {
                var row = Self.row($0.session, stills: $0.stillCount, name: names[$0.session.patientID], people: people)
                row.signedAt = $0.signedAt
                return row
            })
        }

        group.get("sessions/:id") { _, context -> SessionDetail in
            let id = try Self.uuid(context, "id")
            let identity = try await server.authorize(context, .review, action: .viewSession, target: "session:\(id.lowercased)")
            let (session, patient) = try await sessionAndPatient(id, identity: identity, action: .viewSession)
            let stills = try await archive.stills(ofSession: id)
            let annotated = try await archive.annotatedStills(ofSession: id)
            try await server.audit(identity, .viewSession, "session:\(id.lowercased)", patient: patient.id.value)
            let people = try await staffNames()
            let signature = try await archive.signature(ofSession: id)
            let addenda = try await archive.addenda(ofSession: id)
            let signed = signature.map { $0.record.applied(to: session) } ?? session
            return SessionDetail(session: signed, patient: PatientView(patient),
                                 physicianName: people[session.physician], techName: people[session.tech],
                                 tags: try await archive.tags(ofSession: id),
                                 stills: stills.map { StillView($0, annotated: annotated.contains($0.id)) },
                                 millimetresPerPixel: try await archive.scale(ofSession: id),
                                 recording: session.recording.map { _ in "/api/sessions/\(id.lowercased)/clip" },
                                 revision: try await archive.sessionRevision(id),
                                 parts: try await parts(of: id, identity: identity),
                                 signedBy: signature?.signedBy, signedByName: signature.flatMap { people[$0.signedBy] },
                                 signedAt: signature?.signedAt, recordHash: signature?.contentHash.hexDigits,
                                 addenda: addenda.map { AddendumView($0, people: people) },
                                 amended: signed == session ? nil : session)
        }

        group.get("search") { request, context -> SearchResults in
            try await search(request, context)
        }
    }

    /// `GET /api/stills/ID`: the still page's data. (`ID.png`, the image, shares the route.)
    func stillDetail(_ context: NeedleContext) async throws -> StillDetail {
        let id = try Self.uuid(context, "id")
        let identity = try await server.authorize(context, .review, action: .viewStill, target: "still:\(id.lowercased)")
        guard let still = try await archive.still(id) else { throw HTTPError(.notFound, message: "no still \(id.lowercased)") }
        let (session, patient) = try await sessionAndPatient(still.sessionID, identity: identity, action: .viewStill)
        let history = try await archive.annotationHistory(ofStill: id)
        let scale = try await archive.scale(ofSession: still.sessionID)
        try await server.audit(identity, .viewStill, "still:\(id.lowercased)", patient: patient.id.value)
        return StillDetail(still: StillView(still, annotated: history.current != nil),
                           session: Self.row(session, stills: 0, name: PatientView(patient).name, people: try await staffNames()),
                           patient: PatientView(patient),
                           tagHistory: try await archive.tagHistory(ofStill: id).map(TagRevisionView.init),
                           annotations: history, measurements: Self.measurements(history.revisions, scale: scale),
                           millimetresPerPixel: scale, injections: session.injections,
                           signedBy: try await archive.signature(ofSession: still.sessionID)?.signedBy,
                           suggestion: try await archive.needleSuggestion(ofStill: id).map(SuggestionView.init))
    }

    func search(_ request: Request, _ context: NeedleContext) async throws -> SearchResults {
        let identity = try await server.authorize(context, .review, action: .search, target: "stills")
        let query = request.uri.queryParameters
        func text(_ name: String) -> String? { query[Substring(name)].map(String.init) }
        var search: StillSearch
        do {
            let annotated = text("annotated").flatMap { ["yes": true, "no": false, "true": true, "false": false][$0] }
            search = try StillSearch(.init(query: text("q"), level: text("level"), region: text("region"),
                                           structure: text("structure"), side: text("side"), patient: text("patient"),
                                           from: text("from"), to: text("to"), injectate: text("injectate"),
                                           annotated: annotated, exact: text("exact") == "true",
                                           limit: try QueryValue.limit(query["limit"], default: 60, maximum: 1000)))
        } catch let error as ArchiveError {
            throw HTTPError(.badRequest, message: error.message)
        }
        if identity.role == .tech { search.recordedBy = identity.name }
        let results = try await archive.search(search)
        // The filters name sites and structures, never a patient's name: safe to keep.
        try await server.audit(identity, .search, "stills", patient: search.patient?.value,
                               detail: "\(results.count) found")
        return SearchResults(stills: results.map { StillView($0.still, patient: $0.patientID.value, takenAt: $0.takenAt) })
    }

    /// The session and its patient, when this identity may see them; a tech sees only
    /// the sessions they recorded.
    func sessionAndPatient(_ id: UUID, identity: Identity, action: AuditAction) async throws -> (ProcedureSession, Patient) {
        guard let session = try await archive.session(id) else {
            throw HTTPError(.notFound, message: "no session \(id.lowercased)")
        }
        if identity.role == .tech, session.tech != identity.name {
            try await server.audit(identity, action, "session:\(id.lowercased)", patient: session.patientID.value,
                                   outcome: .denied, detail: "not the tech of this session")
            throw HTTPError(.forbidden, message: "a tech sees only the sessions they recorded")
        }
        guard let patient = try await archive.patient(session.patientID) else {
            throw HTTPError(.internalServerError, message: "session \(id.lowercased) names a patient the archive does not have: the archive needs checking (needlelog verify on the archive's machine)")
        }
        return (session, patient)
    }

    /// Revisions measured with the session's scale as it is now (a revision drawn before the
    /// scale was set is measured in millimetres too, once it is).
    static func measurements(_ revisions: [NeedleAnnotation], scale: Double?) -> [NeedleMeasurements] {
        revisions.map { revision in
            let geometry = (try? NeedleGeometry(entry: revision.geometry.entry, tip: revision.geometry.tip, target: revision.geometry.target,
                                                millimetresPerPixel: scale)) ?? revision.geometry
            return NeedleMeasurements(geometry)
        }
    }

    /// The parts of a session's procedure the identity may see (a tech, those they recorded).
    func parts(of id: UUID, identity: Identity) async throws -> [PartView] {
        try await archive.procedureParts(of: id).filter { identity.role != .tech || $0.session.tech == identity.name }.map { part in
            let session = part.session
            return PartView(id: session.id.lowercased, part: session.part, status: session.status.rawValue, reason: session.statusReason,
                            startedAt: session.startedAt, endedAt: session.endedAt, stills: part.stillCount,
                            recording: session.recording.map { _ in "/api/sessions/\(session.id.lowercased)/clip" })
        }
    }

    static func row(_ session: ProcedureSession, stills: Int, name: String?, people: [String: String]) -> SessionRow {
        SessionRow(id: session.id.lowercased, patient: session.patientID.value, patientName: name, startedAt: session.startedAt,
                   endedAt: session.endedAt, status: session.status.rawValue, treatment: session.treatment.description,
                   physician: session.physician, tech: session.tech, physicianName: people[session.physician],
                   techName: people[session.tech], region: session.region?.rawValue, stills: stills)
    }

    /// Every account's person's name ("Ann Lee, MD") by user name: a clinic has tens of
    /// accounts, read once a page.
    func staffNames() async throws -> [String: String] {
        var names: [String: String] = [:]
        for account in try await archive.accounts() {
            if let person = account.person { names[account.name] = person.display }
        }
        return names
    }

    /// A route's UUID parameter, or 400 saying what one looks like.
    static func uuid(_ context: NeedleContext, _ name: String) throws -> UUID {
        let text = context.parameters.get(name) ?? ""
        guard let id = UUID(uuidString: text) else {
            throw HTTPError(.badRequest, message: "\(text.prefix(60)) is not an id: ids look like 3f2c9a1e-0b7d-4c1a-9e8f-2d5b6c7a8e90")
        }
        return id
    }
}

extension UUID {
    /// How ids appear in URLs, the archive and the audit trail.
    var lowercased: String { uuidString.lowercased() }
}
