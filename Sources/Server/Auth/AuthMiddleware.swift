import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Finds out who is asking (session cookie or station token), refuses state changes
/// that a foreign site could have caused, and adds the headers every answer needs.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = NeedleContext
    static let cookieName = "needlelog_session"
    let server: NeedleServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Before anything else: a request for another name never reaches a route (DNS rebinding).
        if request.headers[HTTPField.Name("Host")!] != nil {
            throw HTTPError(.badRequest, message: "the request names more than one Host: send one, naming this daemon")
        }
        try server.hostCheck.check(request.head.authority, local: context.localAddress)
        var context = context
        var signedInByCookie = false
        if let authorization = request.headers[.authorization] {
            guard authorization.hasPrefix("Bearer "),
                  Self.equal(String(authorization.dropFirst(7)), server.stationToken) else {
                throw HTTPError(.unauthorized, message: "the bearer token is not this daemon's: the command line reads it from daemon.token in the archive folder")
            }
            context.identity = Identity.station
        } else if let cookie = request.cookies[Self.cookieName],
                  let identity = await server.sessions.identity(for: cookie.value, userAction: Self.isUserAction(request)) {
            context.identity = identity
            signedInByCookie = true
        }
        if ![.get, .head, .options].contains(request.method) {
            try checkSameOrigin(request)
            if signedInByCookie {
                guard let sent = request.headers[HTTPField.Name("X-CSRF-Token")!], let expected = context.identity?.csrfToken,
                      Self.equal(sent, expected) else {
                    throw HTTPError(.forbidden, message: "this change came without the page's CSRF token: reload the page and try again")
                }
            }
        }
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"
        if request.uri.path.hasPrefix("/api/"), response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }

    /// Requests a page makes on its own keep nobody signed in: the status and the live
    /// picture the tech page polls, and any GET the page marks with `X-NeedleLog-Poll`.
    static let pollingPaths: Set<String> = ["/api/status", "/api/preview.png", "/api/preview.mjpeg"]
    static let pollHeader = HTTPField.Name("X-NeedleLog-Poll")!

    /// True when the request is something the user did, which restarts the idle timer.
    static func isUserAction(_ request: Request) -> Bool {
        guard [.get, .head].contains(request.method) else { return true }
        return !pollingPaths.contains(request.uri.path) && request.headers[pollHeader] == nil
    }

    /// A browser names the page a request came from in `Origin`; another site's page
    /// must not be able to sign in, annotate or stop a recording here.
    private func checkSameOrigin(_ request: Request) throws {
        if request.headers[HTTPField.Name("Sec-Fetch-Site")!] == "cross-site" {
            throw HTTPError(.forbidden, message: "requests from another site are refused")
        }
        guard let origin = request.headers[.origin] else { return }
        let host = request.head.authority ?? ""
        guard let url = URL(string: origin), let originHost = url.host else {
            throw HTTPError(.forbidden, message: "requests from another site are refused (Origin \(origin))")
        }
        let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
        guard originAuthority == host else {
            throw HTTPError(.forbidden, message: "requests from another site are refused (Origin \(origin), this server is \(host))")
        }
    }

    /// Compares secrets in time that does not depend on where they differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
