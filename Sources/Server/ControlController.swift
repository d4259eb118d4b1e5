import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle
import Workflows

/// The control API the tech's page, the footswitch and `needlelog start|tag|snap|stop|status` use.
/// Every route needs the capture permission (tech or physician, or the station token).
struct ControlController {
    let server: NeedleServer
    /// The desk, or 503 on a review-only daemon.
    func desk() throws -> CaptureDesk { try server.captureDesk() }

    /// Whom the station token acts for: the tech of the session recording now; nil for a
    /// signed-in person, who acts for themselves, or when nothing records.
    func actingFor(_ identity: Identity) async throws -> String? {
        identity.isStation ? try await desk().techAtTable : nil
    }

    func addRoutes(to group: RouterGroup<NeedleContext>) {
        group.get("page-settings") { _, context -> DaemonSettings.PageKeys in
            _ = try context.require(.capture)
            return server.pageKeys
        }
        group.get("status") { _, context in
            _ = try context.require(.capture)
            var status = try await desk().status()
            status.voice = server.voice?.status()
            return status
        }
        // The page's Undo beside the last voice command: as saying "undo".
        group.post("voice/undo") { _, context -> VoiceStatus in
            _ = try context.require(.capture)
            guard let voice = server.voice else { throw HTTPError(.notFound, message: "this station listens to no voice commands ([voice] device in the settings)") }
            let did = try await voice.undo()
            voice.record(heard: "undo (the page's button)", did: did)
            return voice.status()
        }
        // Today's worklist for the patient picker. It names patients: listed and audited as
        // a patient list. `?refresh=1` asks the RIS even when the last answer is fresh.
        group.get("worklist") { request, context -> WorklistDesk.WorklistAnswer in
            let identity = try context.require(.capture)
            guard let worklist = server.worklist else {
                throw HTTPError(.notFound, message: "this station has no worklist: set worklist = \"AE@HOST:PORT\" under [dicom] in the daemon's settings")
            }
            let answer = await worklist.today(refresh: request.uri.queryParameters["refresh"] == "1")
            try await server.audit(identity, .listPatients, "worklist", detail: answer.online ? "\(answer.items.count) shown" : "offline")
            return answer
        }
        group.post("session/start") { request, context in
            let identity = try context.require(.capture)
            var start = try await request.decode(as: StartRequest.self, context: context)
            // Who started it is known from the sign-in; the form's names only fill in for the
            // station, whose tech is the one signed in on this daemon's tech page (the roster
            // refuses the start, naming who can be meant, when that is not one person).
            if !identity.isStation {
                if identity.role == .tech { start.tech = identity.name }
                if identity.role == .physician { start.physician = start.physician ?? identity.name }
            } else if start.tech == nil, start.continues == nil {
                let here = await server.sessions.signedIn(role: .tech)
                if here.count == 1 { start.tech = here[0] }
            }
            let status = try await desk().start(start)
            if let session = status.session {
                let continues = start.continues.map { "continues session:\($0.lowercased())" }
                let acting = try await actingFor(identity).map { "for \($0)" }
                try await server.audit(identity, .startSession, "session:\(session)", patient: status.patient,
                                       detail: [continues, acting].compactMap { $0 }.joined(separator: "; "))
            }
            return status
        }
        group.post("session/stop") { _, context in
            let identity = try context.require(.capture)
            let acting = try await actingFor(identity).map { "for \($0)" }
            let status = try await desk().stop()
            if let session = status.session {
                try await server.audit(identity, .stopSession, "session:\(session)", patient: status.patient, detail: acting ?? "")
            }
            return status
        }
        group.post("tag") { request, context in
            let identity = try context.require(.capture)
            // The station's footswitch and command line act for the tech at the table: the tag
            // says both ("station:token for sam").
            let author = try await actingFor(identity).map { "\(identity.name) for \($0)" } ?? identity.name
            return try await desk().tag(try await request.decode(as: TagRequest.self, context: context), author: author)
        }
        group.get("preview.png") { _, context -> Response in
            _ = try context.require(.capture)
            guard let png = try await desk().preview() else {
                throw HTTPError(.notFound, message: "no session is recording: nothing to preview")
            }
            return ExportController.png(png, cache: false)
        }
        // The live picture as a stream the page's <img> shows as it arrives
        // (multipart/x-mixed-replace, one JPEG a part), at most `fps` a second; `frames`
        // ends it after that many (for scripts and tests), otherwise it runs until the
        // session stops or the viewer leaves.
        group.get("preview.mjpeg") { request, context -> Response in
            let identity = try context.require(.capture)
            // A browser's stream ends when its sign-in does (signed out, or idle): the
            // stream itself is not something the user does, so it keeps no one signed in.
            let cookie = identity.isStation ? nil : request.cookies[AuthMiddleware.cookieName]?.value
            let query = request.uri.queryParameters
            let limit = try query["frames"].map { (text) throws(HTTPError) in try QueryValue.limit(text, default: 1, maximum: 1_000_000, name: "frames") }
            let fps = QueryValue.seconds(query["fps"], default: 10, in: 1...30)
            let recorder = try desk()
            guard await recorder.isRecording else {
                throw HTTPError(.notFound, message: "no session is recording: nothing to preview")
            }
            let boundary = "needlelog-frame"
            return Response(
                status: .ok,
                headers: [.contentType: "multipart/x-mixed-replace; boundary=\(boundary)", .cacheControl: "no-store"],
                body: ResponseBody { writer in
                    var sent = 0
                    var lastTime = -1.0
                    var checked = ContinuousClock.now
                    while limit.map({ sent < $0 }) ?? true {
                        guard await recorder.isRecording else { break }
                        if let cookie, ContinuousClock.now - checked >= .seconds(1) {
                            guard await server.sessions.isOpen(cookie) else { break }
                            checked = .now
                        }
                        // Before the first frame is decoded there is nothing yet: wait for it.
                        if let (jpeg, time) = try await recorder.previewJPEG(), time != lastTime {
                            lastTime = time
                            var part = ByteBuffer(string: "--\(boundary)\r\nContent-Type: image/jpeg\r\nContent-Length: \(jpeg.count)\r\n\r\n")
                            part.writeBytes(jpeg)
                            part.writeString("\r\n")
                            try await writer.write(part)
                            sent += 1
                            if let limit, sent >= limit { break }
                        }
                        try await Task.sleep(for: .seconds(1 / fps))
                    }
                    try await writer.finish(nil)
                })
        }
        group.post("snap") { _, context in
            _ = try context.require(.capture)
            // The press happened when the request was sent; the ring reaches back for it.
            return try await desk().snap(pressedAt: Date())
        }
    }
}

extension DaemonSettings.PageKeys: ResponseEncodable {}

/// The router the daemon serves; the tests call it too.
public func buildRouter(_ server: NeedleServer) -> Router<NeedleContext> {
    let router = Router(context: NeedleContext.self)
    router.add(middleware: ErrorBodyMiddleware())
    router.add(middleware: AuthMiddleware(server: server))
    let api = router.group("api")
    AuthController(server: server).addRoutes(to: api)
    ControlController(server: server).addRoutes(to: api)
    let review = ReviewController(server: server)
    review.addRoutes(to: api)
    AnnotationController(server: server, review: review).addRoutes(to: api)
    SignatureController(server: server, review: review).addRoutes(to: api)
    ExportController(server: server, review: review).addRoutes(to: api)
    PACSController(server: server, review: review).addRoutes(to: api)
    SeriesController(server: server).addRoutes(to: api)
    PatientController(server: server).addRoutes(to: api)
    StaffController(server: server).addRoutes(to: api)
    AnatomyController().addRoutes(to: api)
    AdminController(server: server).addRoutes(to: api)
    router.get("metrics") { _, context -> Response in
        // Counters only, but still the clinic's: the station token or a signed-in user.
        _ = try context.require(.capture)
        let text = server.metrics.text(try await server.captureDesk().status())
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
    Pages.addRoutes(to: router)
    return router
}

/// The daemon's HTTP application on `host:port` (loopback by default).
public func buildApplication(_ server: NeedleServer, host: String = "127.0.0.1", port: Int = 8080,
                             services: [any Service] = [],
                             onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }) -> some ApplicationProtocol {
    Application(router: buildRouter(server),
                configuration: .init(address: .hostname(host, port: port), serverName: "NeedleLog"),
                services: services, onServerRunning: onServerRunning)
}

// The desk's answers go out as JSON, as they are.
extension StatusResponse: ResponseEncodable {}
extension TagResponse: ResponseEncodable {}
extension VoiceStatus: ResponseEncodable {}

extension WorklistDesk.WorklistAnswer: ResponseEncodable {}
