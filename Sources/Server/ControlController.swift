import Foundation
import Hummingbird
import ServiceLifecycle

/// The control API the tech's page, the footswitch and `needlelog start|tag|snap|stop|status` use.
struct ControlController<Context: RequestContext> {
    let desk: CaptureDesk

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("status") { _, _ in await desk.status() }
        group.post("session/start") { request, context in
            try await desk.start(try await request.decode(as: StartRequest.self, context: context))
        }
        group.post("session/stop") { _, _ in try await desk.stop() }
        group.post("tag") { request, context in
            try await desk.tag(try await request.decode(as: TagRequest.self, context: context), author: "tech")
        }
        group.get("preview.png") { _, _ -> Response in
            guard let png = try await desk.preview() else {
                throw HTTPError(.notFound, message: "no session is recording: nothing to preview")
            }
            return Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(data: png)))
        }
        // A still's PNG by its id: the id is looked up in the archive, so the path names
        // no file and nothing outside the archive's stills can be reached.
        group.get("stills/:file") { _, context -> Response in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".png"), let id = UUID(uuidString: String(file.dropLast(4))) else {
                throw HTTPError(.badRequest, message: "a still is asked for as /api/stills/ID.png")
            }
            guard let png = try await desk.stillPNG(id) else {
                throw HTTPError(.notFound, message: "no still \(id.uuidString.lowercased())")
            }
            return Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(data: png)))
        }
        group.post("snap") { _, _ in
            // The press happened when the request was sent; the ring reaches back for it.
            try await desk.snap(pressedAt: Date())
        }
    }
}

/// The router the daemon serves; the tests call it too.
public func buildRouter(desk: CaptureDesk) -> Router<BasicRequestContext> {
    let router = Router()
    ControlController(desk: desk).addRoutes(to: router.group("api"))
    router.get("metrics") { _, _ -> Response in
        let text = Metrics.text(await desk.status())
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
    TechPage.addRoutes(to: router)
    return router
}

/// The daemon's HTTP application on `host:port` (loopback by default).
public func buildApplication(desk: CaptureDesk, host: String = "127.0.0.1", port: Int = 8080,
                             services: [any Service] = []) -> some ApplicationProtocol {
    Application(router: buildRouter(desk: desk),
                configuration: .init(address: .hostname(host, port: port), serverName: "NeedleLog"),
                services: services)
}
