import Anatomy
import Archive
import Foundation
import Hummingbird
import Records
import Workflows

/// The routes of what the physician changes (`RecordEditor` in Workflows does the change):
/// the needle drawing (each save a new revision), the tag, the session's image scale, the
/// record, the injection at the still's site.
struct AnnotationController {
    let server: NeedleServer
    let review: ReviewController
    var archive: any ArchiveStore { server.archive }
    /// The changes themselves: this controller decides who may, audits and answers.
    var editor: RecordEditor { RecordEditor(archive: server.archive) }

    func addRoutes(to group: RouterGroup<NeedleContext>) {
        group.post("stills/:id/annotation") { request, context -> Response in
            let (identity, still, patient) = try await open(context, action: .annotate)
            let body = try await request.decode(as: AnnotationRequest.self, context: context)
            return try await save(context, request, identity: identity, still: still, patient: patient, action: .annotate) {
                try await editor.annotate(still, entry: body.entry, tip: body.tip, target: body.target, note: body.note ?? "",
                                          basedOn: body.basedOn, by: identity.name)
            }
        }

        // The still's needle suggestion accepted as it is: saved as the physician's revision,
        // marked with the detector. The line is the one the archive keeps, not one sent.
        group.post("stills/:id/accept-suggestion") { request, context -> Response in
            let (identity, still, patient) = try await open(context, action: .annotate)
            let body = try await request.decode(as: AcceptSuggestionRequest.self, context: context)
            guard let stored = try await archive.needleSuggestion(ofStill: still.id), let suggestion = stored.suggestion else {
                throw HTTPError(.conflict, message: "still \(still.id.lowercased) has no needle suggestion to accept: draw the needle instead")
            }
            guard stored.detector == body.detector else {
                throw HTTPError(.conflict, message: "the suggestion was remade by \(stored.detector) since the page showed \(body.detector)'s: "
                                + "reload the page to see it")
            }
            return try await save(context, request, identity: identity, still: still, patient: patient, action: .annotate) {
                try await editor.annotate(still, entry: suggestion.entry, tip: suggestion.tip, target: body.target, note: body.note ?? "",
                                          basedOn: body.basedOn, suggestedBy: stored.detector, by: identity.name)
            }
        }

        // Measures a drawing as it is being drawn (nothing is saved or audited: no record changes).
        group.post("stills/:id/measure") { request, context -> NeedleMeasurements in
            let id = try ReviewController.uuid(context, "id")
            _ = try context.require(.annotate)
            guard let still = try await archive.still(id) else { throw HTTPError(.notFound, message: "no still \(id.lowercased)") }
            let body = try await request.decode(as: MeasureRequest.self, context: context)
            return NeedleMeasurements(try await editor.measure(still, entry: body.entry, tip: body.tip, target: body.target))
        }

        group.post("stills/:id/restore") { request, context -> Response in
            let (identity, still, patient) = try await open(context, action: .annotate)
            let body = try await request.decode(as: RestoreRequest.self, context: context)
            return try await save(context, request, identity: identity, still: still, patient: patient, action: .annotate) {
                try await editor.restore(still, revision: body.revision, basedOn: body.basedOn, reason: body.reason, by: identity.name)
            }
        }

        group.post("stills/:id/tag") { request, context -> Response in
            let (identity, still, patient) = try await open(context, action: .retag)
            let body = try await request.decode(as: RetagRequest.self, context: context)
            return try await save(context, request, identity: identity, still: still, patient: patient, action: .retag) {
                TagRevisionView(try await editor.retag(still, site: body.site, structure: body.structure, side: body.side,
                                                       note: body.note ?? "", basedOn: body.basedOn, by: identity.name))
            }
        }

        group.post("sessions/:id/scale") { request, context -> Response in
            let id = try ReviewController.uuid(context, "id")
            let identity = try await server.authorize(context, .annotate, action: .setScale, target: "session:\(id.lowercased)")
            let (_, patient) = try await review.sessionAndPatient(id, identity: identity, action: .setScale)
            let body = try await request.decode(as: ScaleRequest.self, context: context)
            let scale = try await editor.setScale(ofSession: id, millimetresPerPixel: body.millimetresPerPixel, pixels: body.pixels,
                                                  millimetres: body.millimetres, reason: body.reason, by: identity.name)
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
                session = try await editor.completeRecord(id, .init(indication: body.indication, notes: body.notes, complications: body.complications,
                                                                    painBefore: body.painBefore, painAfter: body.painAfter,
                                                                    followUp: body.followUp, version: body.version, reason: body.reason),
                                                      by: identity.name)
            } catch let error as ArchiveError where error.kind == .conflict {
                try await server.audit(identity, .editSession, "session:\(id.lowercased)", patient: patient.id.value, outcome: .failure, detail: "conflict")
                throw error
            }
            try await server.audit(identity, .editSession, "session:\(id.lowercased)", patient: patient.id.value)
            return try session.response(from: request, context: context)
        }

        group.post("stills/:id/injection") { request, context -> Response in
            let (identity, still, patient) = try await open(context, action: .recordInjection)
            let body = try await request.decode(as: InjectionRequest.self, context: context)
            let session = try await editor.recordInjection(at: still, injectate: body.injectate, volumeMillilitres: body.volumeMillilitres,
                                                           needleGauge: body.needleGauge, reason: body.reason, by: identity.name)
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
