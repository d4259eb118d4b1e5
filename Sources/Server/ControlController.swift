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
    return router
}

/// The daemon's HTTP application on `host:port` (loopback by default).
public func buildApplication(desk: CaptureDesk, host: String = "127.0.0.1", port: Int = 8080,
                             services: [any Service] = []) -> some ApplicationProtocol {
    Application(router: buildRouter(desk: desk),
                configuration: .init(address: .hostname(host, port: port), serverName: "NeedleLog"),
                services: services)
}
