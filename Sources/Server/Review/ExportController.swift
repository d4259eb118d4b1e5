import Archive
import Foundation
import Hummingbird
import Media
import Records
import Workflows

/// Images and reports that leave the archive: the still itself, the still with its
/// needle drawn, the printable session report. Files are found by id in the archive,
/// never by a path from the request.
struct ExportController {
    let server: NeedleServer
    let review: ReviewController
    var archive: any ArchiveStore { server.archive }

    func addRoutes(to group: RouterGroup<NeedleContext>) {
        // One route for a still's data (`ID`) and its image (`ID.png`): the router cannot
        // tell two parameters in the same place apart.
        group.get("stills/:id") { request, context -> Response in
            let text = context.parameters.get("id") ?? ""
            guard text.hasSuffix(".png") else { return try await review.stillDetail(context).response(from: request, context: context) }
            guard let id = UUID(uuidString: String(text.dropLast(4))) else {
                throw HTTPError(.badRequest, message: "a still's image is asked for as /api/stills/ID.png")
            }
            let identity = try context.require(.review)
            guard let still = try await archive.still(id) else { throw HTTPError(.notFound, message: "no still \(id.lowercased)") }
            // The station's token already reads the archive's folder; a tech sees own sessions only.
            if identity.name != Identity.stationName {
                _ = try await review.sessionAndPatient(still.sessionID, identity: identity, action: .viewStill)
            }
            return Self.png(try archive.png(of: still), cache: true)
        }

        // The recording around a moment (a still's time), converted to WebM so any browser
        // plays it: `?at=SECONDS`, with `before` and `after` (default 5 s each, at most 30).
        group.get("sessions/:id/clip") { request, context -> Response in
            let id = try ReviewController.uuid(context, "id")
            let identity = try await server.authorize(context, .review, action: .viewRecording, target: "session:\(id.lowercased)")
            let (session, patient) = try await review.sessionAndPatient(id, identity: identity, action: .viewRecording)
            let query = request.uri.queryParameters
            // A recording is one session: a day is far beyond any, and keeps every later
            // conversion to a stream timestamp inside Int64.
            guard let at = query["at"].flatMap({ Double($0) }), at.isFinite, (0...QueryValue.longestRecording).contains(at) else {
                throw HTTPError(.badRequest, message: "say where in the recording: ?at=SECONDS from 0 to the recording's length, for example ?at=12.5")
            }
            let before = QueryValue.seconds(query["before"], default: 5, in: 0...30)
            let after = QueryValue.seconds(query["after"], default: 5, in: 0.5...30)
            guard let recording = session.recording else {
                throw HTTPError(.notFound, message: "session \(id.lowercased) has no recording")
            }
            // The path is the archive's own (ArchivePath refuses anything that leaves it).
            let source = archive.location.root.appendingPathComponent(recording.value).path
            let output = archive.location.incoming.appendingPathComponent("excerpt-\(UUID().uuidString).webm").path
            // Each conversion takes a core and holds its excerpt in memory: at most one per core at once.
            guard server.transcodes.acquire() else {
                throw HTTPError(.serviceUnavailable, headers: [.retryAfter: "5"],
                                message: "\(server.transcodes.limit) recordings are being converted already, as many as this machine converts at once: try again in a few seconds")
            }
            defer { server.transcodes.release() }
            try FileManager.default.createDirectory(at: archive.location.incoming, withIntermediateDirectories: true)
            defer { unlink(output) }
            do {
                try await Self.excerpt(source, start: max(0, at - before), end: at + after, output: output)
            } catch let error as MediaError {
                throw HTTPError(error.kind == .invalidArgument ? .badRequest : .internalServerError, message: error.description)
            }
            let data = try Data(contentsOf: URL(fileURLWithPath: output))
            try await server.audit(identity, .viewRecording, "session:\(id.lowercased)", patient: patient.id.value,
                                   detail: String(format: "%.1f-%.1f s", max(0, at - before), at + after))
            return Response(status: .ok, headers: [.contentType: "video/webm", .cacheControl: "private, max-age=600"],
                            body: .init(byteBuffer: ByteBuffer(data: data)))
        }

        // The still with its needle drawn in: the current revision, or `?revision=N`.
        group.get("stills/:id/annotated.png") { request, context -> Response in
            let id = try ReviewController.uuid(context, "id")
            let identity = try await server.authorize(context, .export, action: .export, target: "still:\(id.lowercased)")
            guard let still = try await archive.still(id) else { throw HTTPError(.notFound, message: "no still \(id.lowercased)") }
            let (_, patient) = try await review.sessionAndPatient(still.sessionID, identity: identity, action: .export)
            var revision: Int?
            if let asked = request.uri.queryParameters["revision"] {
                guard let number = Int(asked), number >= 1 else {
                    throw HTTPError(.badRequest, message: "revision \(asked.prefix(20)) is not a revision number: revisions are numbered from 1")
                }
                revision = number
            }
            let (png, drawn) = try await StillExport(archive: archive).annotatedPNG(of: still, revision: revision)
            try await server.audit(identity, .export, "still:\(id.lowercased)", patient: patient.id.value,
                                   detail: "annotated png, revision \(drawn)")
            return Self.png(png, cache: false)
        }

        group.get("sessions/:id/report") { _, context -> Response in
            let id = try ReviewController.uuid(context, "id")
            let identity = try await server.authorize(context, .export, action: .export, target: "session:\(id.lowercased)")
            let (session, patient) = try await review.sessionAndPatient(id, identity: identity, action: .export)
            var annotations: [UUID: NeedleAnnotation] = [:]
            let stills = try await archive.stills(ofSession: id)
            for still in stills { annotations[still.id] = try await archive.annotationHistory(ofStill: still.id).current }
            // A signed record prints as signed (its stills' tags and needles then), the addenda after it.
            let signature = try await archive.signature(ofSession: id)
            var report = SessionReport(session: signature.map { $0.record.applied(to: session) } ?? session, patient: patient,
                                       tags: try await archive.tags(ofSession: id), stills: stills,
                                       annotations: annotations, printedBy: identity.name, people: try await review.staffNames())
            report.signature = signature
            report.addenda = try await archive.addenda(ofSession: id)
            let html = report.html
            try await server.audit(identity, .export, "session:\(id.lowercased)", patient: patient.id.value, detail: "report")
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
        }
    }

    /// Decoding and encoding take a while: off the server's event loops, on a thread of
    /// their own below everyone else's priority (nice 10, which FFmpeg's codec threads
    /// inherit as they start), so a conversion waits for the recorder and the pages and
    /// never the other way round.
    static func excerpt(_ source: String, start: Double, end: Double, output: String) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                // Linux keeps the nice value per thread: this one only, and the threads it starts.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
                do {
                    try RecordingExcerpt.write(from: source, start: start, end: end, to: output)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "needlelog-excerpt"
            thread.start()
        }
    }

    static func png(_ data: Data, cache: Bool) -> Response {
        // A stored still never changes (it is named by its hash), so the browser may keep it privately.
        Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: cache ? "private, max-age=3600" : "no-store"],
                 body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
