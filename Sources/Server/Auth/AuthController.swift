import Archive
import Foundation
import Hummingbird

/// Sign in, sign out, and who am I.
struct AuthController {
    let server: NeedleServer

    struct LoginRequest: Decodable {
        var user: String
        var password: String
    }

    struct Me: ResponseCodable {
        var user: String
        var role: String
        var csrfToken: String?
    }

    /// A hash to check against when the user does not exist, so the answer takes as long
    /// as for a real user and does not tell which names exist.
    private static let decoyHash = PasswordHasher(cost: 12).hash("not a password of anyone's")

    func addRoutes(to group: RouterGroup<NeedleContext>) {
        group.post("login") { request, context -> Response in
            let login = try await request.decode(as: LoginRequest.self, context: context)
            let name = login.user.trimmingCharacters(in: .whitespaces).lowercased()
            let address = context.remoteAddress?.ipAddress ?? "local"
            let keys = ["user:" + name, "address:" + address]
            if let wait = await server.throttle.wait(for: keys) {
                try await server.audit(nil, "login", "user:\(name)", outcome: .failure, detail: "throttled")
                let seconds = Int(wait.components.seconds) + 1
                throw HTTPError(.tooManyRequests, headers: [.retryAfter: String(seconds)],
                                message: "too many failed sign-ins: wait \(seconds) s before trying again")
            }
            let account = try await server.archive.account(named: name)
            let passwordMatches = server.hasher.verify(login.password, against: account?.passwordHash ?? Self.decoyHash)
            guard let account, passwordMatches, !account.disabled else {
                await server.throttle.failed(keys)
                let why = account == nil ? "unknown user" : account!.disabled && passwordMatches ? "account disabled" : "wrong password"
                try await server.audit(nil, "login", "user:\(name)", outcome: .failure, detail: why)
                throw HTTPError(.unauthorized, message: "user name or password is wrong")
            }
            await server.throttle.succeeded(keys)
            // A fresh id every sign-in: an id planted in the browser before is never promoted.
            if let old = request.cookies[AuthMiddleware.cookieName] { await server.sessions.close(old.value) }
            let (id, identity) = await server.sessions.open(name: account.name, role: account.role)
            try await server.audit(identity, "login", "user:\(account.name)")
            var response = try Me(user: identity.name, role: identity.role.rawValue, csrfToken: identity.csrfToken)
                .response(from: request, context: context)
            response.setCookie(Cookie(name: AuthMiddleware.cookieName, value: id, path: "/", secure: server.secureCookies,
                                      httpOnly: true, sameSite: .strict))
            return response
        }
        group.post("logout") { request, context -> Response in
            if let cookie = request.cookies[AuthMiddleware.cookieName] { await server.sessions.close(cookie.value) }
            if let identity = context.identity { try await server.audit(identity, "logout", "user:\(identity.name)") }
            var response = Response(status: .noContent)
            response.setCookie(Cookie(name: AuthMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: server.secureCookies,
                                      httpOnly: true, sameSite: .strict))
            return response
        }
        group.get("me") { _, context -> Me in
            guard let identity = context.identity else {
                throw HTTPError(.unauthorized, message: "not signed in")
            }
            return Me(user: identity.name, role: identity.role.rawValue, csrfToken: identity.csrfToken)
        }
    }
}
