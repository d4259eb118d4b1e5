import Anatomy
import Archive
import Foundation
import Hummingbird
import Records

/// What the physician changes on a still: the needle drawing (each save a new revision),
/// the tag, the session's image scale, the injection at the still's site.
struct AnnotationController {
    let server: NeedleServer
    let review: ReviewController
    var archive: any ArchiveStore { server.archive }

    func addRoutes(to group: RouterGroup<NeedleContext>) {
        group.post("stills/:id/annotation") { request, context -> Response in
            let (identity, still, patient) = try await open(context, action: .annotate)
            let body = try await request.decode(as: AnnotationRequest.self, context: context)
            let geometry = try NeedleGeometry(entry: body.entry, tip: body.tip, target: body.target,
                                              millimetresPerPixel: try await archive.scale(ofSession: still.sessionID))
            try geometry.requireInside(width: still.width, height: still.height)
            return try await save(context, request, identity: identity, still: still, patient: patient, action: .annotate) {
                try await archive.saveAnnotation(geometry, onStill: still.id, by: identity.name, note: body.note ?? "", basedOn: body.basedOn)
            }
        }

        // Measures a drawing as it is being drawn (nothing is saved or audited: no record changes).
        group.post("stills/:id/measure") { request, context -> NeedleMeasurements in
            let id = try ReviewController.uuid(context, "id")
            _ = try context.require(.annotate)
            guard let still = try await archive.still(id) else { throw HTTPError(.notFound, message: "no still \(id.lowercased)") }
            let body = try await request.decode(as: MeasureRequest.self, context: context)
            return NeedleMeasurements(try NeedleGeometry(entry: body.entry, tip: body.tip, target: body.target,
                                                         millimetresPerPixel: try await archive.scale(ofSession: still.sessionID)))
        }

        group.post("stills/:id/restore") { request, context -> Response in
            let (identity, still, patient) = try await open(context, action: .annotate)
            let body = try await request.decode(as: RestoreRequest.self, context: context)
            guard let old = try await archive.annotationHistory(ofStill: still.id).revision(body.revision) else {
                throw HTTPError(.notFound, message: "still \(still.id.lowercased) has no revision \(body.revision)")
            }
            do {
                try old.geometry.requireInside(width: still.width, height: still.height)
            } catch {
                throw HTTPError(.unprocessableContent, message: "revision \(body.revision) cannot be restored: \(error)")
            }
            return try await save(context, request, identity: identity, still: still, patient: patient, action: .annotate) {
                try await archive.saveAnnotation(old.geometry, onStill: still.id, by: identity.name,
                                                 note: "restored revision \(body.revision)", basedOn: body.basedOn)
            }
        }

        group.post("stills/:id/tag") { request, context -> Response in
            let (identity, still, patient) = try await open(context, action: .retag)
            let body = try await request.decode(as: RetagRequest.self, context: context)
            var tag: SiteTag?
            if let text = body.site?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                var site = try AnatomicSite(parsing: text, options: .allowingTransitionalLevels)
                if let side = body.side, !side.isEmpty, site.laterality == nil { site.laterality = try Laterality(parsing: side) }
                let structure = try body.structure.flatMap { $0.isEmpty ? nil : try TargetStructure(parsing: $0).id }
                tag = SiteTag(site: site, structure: structure)
            }
            return try await save(context, request, identity: identity, still: still, patient: patient, action: .retag) {
                TagRevisionView(try await archive.retag(still: still.id, to: tag, by: identity.name, note: body.note ?? "", basedOn: body.basedOn))
            }
        }

        group.post("sessions/:id/scale") { request, context -> Response in
            let id = try ReviewController.uuid(context, "id")
            let identity = try await server.authorize(context, .annotate, action: .setScale, target: "session:\(id.lowercased)")
            let (_, patient) = try await review.sessionAndPatient(id, identity: identity, action: .setScale)
            let body = try await request.decode(as: ScaleRequest.self, context: context)
            let scale: Double
            if let given = body.millimetresPerPixel {
                scale = given
            } else if let pixels = body.pixels, let millimetres = body.millimetres, pixels > 0, millimetres > 0 {
                scale = millimetres / pixels
            } else {
                throw HTTPError(.badRequest, message: "give millimetresPerPixel, or pixels and millimetres between two ticks of the depth scale (both above 0)")
            }
            do {
                try await archive.setScale(ofSession: id, millimetresPerPixel: scale, by: identity.name)
            } catch let error as ArchiveError where error.kind == .invalid {
                throw HTTPError(.badRequest, message: error.message)
            }
            try await server.audit(identity, .setScale, "session:\(id.lowercased)", patient: patient.id.value,
                                   detail: String(format: "%.4f mm/px", scale))
            struct Answer: ResponseEncodable { var millimetresPerPixel: Double }
            return try Answer(millimetresPerPixel: scale).response(from: request, context: context)
        }

        group.post("sessions/:id/record") { request, context -> Response in
            let id = try ReviewController.uuid(context, "id")
            let identity = try await server.authorize(context, .annotate, action: .editSession, target: "session:\(id.lowercased)")
            let (_, patient) = try await review.sessionAndPatient(id, identity: identity, action: .editSession)
            let body = try await request.decode(as: SessionRecordRequest.self, context: context)
            let session: ProcedureSession
            do {
                // Applied to the stored record inside one write: a change saved meanwhile by
                // someone else is kept, or (with the form's version) this save is refused.
                (session, _) = try await archive.editSession(id, expecting: body.version, by: identity.name) { session in
                    if let indication = body.indication { session.indication = indication }
                    if let notes = body.notes { session.notes = notes }
                    if let complications = body.complications { session.complications = complications }
                    let scores = session.painScores
                    var updated = try PainScores(before: body.painBefore ?? scores.before, after: body.painAfter ?? scores.after,
                                                 followUps: scores.followUps)
                    if let followUp = body.followUp { updated = try updated.adding(followUp) }
                    session.painScores = updated
                }
            } catch let error as ArchiveError where error.kind == .conflict {
                try await server.audit(identity, .editSession, "session:\(id.lowercased)", patient: patient.id.value, outcome: .failure, detail: "conflict")
                throw HTTPError(.conflict, message: error.message)
            }
            try await server.audit(identity, .editSession, "session:\(id.lowercased)", patient: patient.id.value)
            return try session.response(from: request, context: context)
        }

        group.post("stills/:id/injection") { request, context -> Response in
            let (identity, still, patient) = try await open(context, action: .recordInjection)
            let body = try await request.decode(as: InjectionRequest.self, context: context)
            guard let tag = still.tag else {
                throw HTTPError(.conflict, message: "tag the still with its level first: an injection is recorded at the still's site")
            }
            let injection = try InjectionSite(site: tag.site, structure: tag.structure, injectate: body.injectate,
                                              volumeMillilitres: body.volumeMillilitres, needleGauge: body.needleGauge ?? 25)
            // Appended to the stored record in one write: two injections recorded at once are both kept.
            let (session, _) = try await archive.editSession(still.sessionID, expecting: nil, by: identity.name) { session in
                session.injections.append(injection)
            }
            try await server.audit(identity, .recordInjection, "still:\(still.id.lowercased)", patient: patient.id.value,
                                   detail: "\(body.injectate.kind.rawValue) \(body.volumeMillilitres) mL")
            struct Answer: ResponseEncodable { var injections: [InjectionSite] }
            return try Answer(injections: session.injections).response(from: request, context: context)
        }
    }

    /// The still a change is about, once the identity may annotate it.
    private func open(_ context: NeedleContext, action: AuditAction) async throws -> (Identity, Still, Patient) {
        let id = try ReviewController.uuid(context, "id")
        let identity = try await server.authorize(context, .annotate, action: action, target: "still:\(id.lowercased)")
        guard let still = try await archive.still(id) else { throw HTTPError(.notFound, message: "no still \(id.lowercased)") }
        let (_, patient) = try await review.sessionAndPatient(still.sessionID, identity: identity, action: action)
        return (identity, still, patient)
    }

    /// Runs a save, audits it, and turns a conflict into 409 with the archive's words.
    private func save<T: ResponseEncodable>(_ context: NeedleContext, _ request: Request, identity: Identity, still: Still,
                                            patient: Patient, action: AuditAction,
                                            _ body: () async throws -> T) async throws -> Response {
        do {
            let saved = try await body()
            try await server.audit(identity, action, "still:\(still.id.lowercased)", patient: patient.id.value)
            return try saved.response(from: request, context: context)
        } catch let error as ArchiveError where error.kind == .conflict || error.kind == .invalid {
            try await server.audit(identity, action, "still:\(still.id.lowercased)", patient: patient.id.value,
                                   outcome: .failure, detail: error.kind == .conflict ? "conflict" : "invalid")
            throw HTTPError(error.kind == .conflict ? .conflict : .badRequest, message: error.message)
        }
    }
}

extension TagRevisionView: ResponseEncodable {}
extension ProcedureSession: ResponseEncodable {}
