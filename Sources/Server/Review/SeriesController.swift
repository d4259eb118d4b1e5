import Archive
import Foundation
import Hummingbird
import Records

/// A patient's series: the treatments in order and the pain chart.
struct SeriesController {
    let server: NeedleServer

    func addRoutes(to group: RouterGroup<NeedleContext>) {
        group.get("patients/:id/series") { _, context -> SeriesView in
            try await series(context)
        }
        group.get("patients/:id/pain.svg") { _, context -> Response in
            let view = try await series(context)
            return Response(status: .ok, headers: [.contentType: "image/svg+xml"],
                            body: .init(byteBuffer: ByteBuffer(string: view.painChartSVG)))
        }
    }

    private func series(_ context: NeedleContext) async throws -> SeriesView {
        let text = context.parameters.get("id") ?? ""
        let identity = try await server.authorize(context, .reviewAll, action: .viewSeries, target: "patient:\(text.prefix(64))")
        let id = try PatientID(text)
        guard let patient = try await server.archive.patient(id) else { throw HTTPError(.notFound, message: "no patient \(id)") }
        var sessions: [ProcedureSession] = []
        var stills: [UUID: [Still]] = [:]
        for summary in try await server.archive.sessions(SessionFilter(patient: id, limit: 1000)) {
            sessions.append(summary.session)
            stills[summary.session.id] = try await server.archive.stills(ofSession: summary.session.id)
        }
        try await server.audit(identity, .viewSeries, "patient:\(id.value)", patient: id.value)
        return SeriesView(patient: patient, sessions: sessions, stills: stills)
    }
}
