import Archive
import Foundation
import HTTPTypes
import Hummingbird
import Workflows

/// Sign in, sign out, and who am I.
struct AuthController {
    let server: NeedleServer

    struct LoginRequest: Decodable {
        var user: String
        var password: String
        /// The page the browser was going to when it was sent to sign in.
        var next: String?
    }

    struct Me: ResponseCodable {
        var user: String
        var role: String
        var csrfToken: String?
        /// Where the sign-in page sends the browser: the page it was going to when that is
        /// one of this daemon's pages, else the role's first page. Never another site.
        var location: String?
    }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func addRoutes(to group: RouterGroup<NeedleContext>) {
        group.post("login") { request, context -> Response in
            let login = try await request.decode(as: LoginRequest.self, context: context)
            let name = login.user.trimmingCharacters(in: .whitespaces).lowercased()
            // A name no account can have is refused before anything is counted, checked or
            // written: a 60 kB "name" must not reach the audit trail, however often it comes.
            guard (try? Account.checkName(name)) != nil else {
                throw HTTPError(.badRequest, message: "that is not a user name: user names are 1-\(Account.maximumNameLength) lower-case letters, digits, '.', '_' or '-' (for example dr.lee)")
            }
            let address = server.proxy.clientAddress(peer: context.remoteAddress?.ipAddress,
                                                     forwardedFor: request.headers[values: Self.forwardedFor])
            let keys = ["user:" + name, "address:" + address]
            // Counted before the password is checked, so parallel guesses cannot all slip past the count.
            if case .wait(let wait, _, let firstOfTally) = await server.throttle.admit(keys) {
                // Written as one event with a count when the reporting interval is over, not one per refusal.
                if firstOfTally {
                    Task { [server] in
                        try? await Task.sleep(for: server.throttle.reportInterval)
                        await server.writeThrottleReports()
                    }
                }
                let seconds = Int(wait.components.seconds) + 1
                throw HTTPError(.tooManyRequests, headers: [.retryAfter: String(seconds)],
                                message: "too many failed sign-ins: wait \(seconds) s before trying again")
            }
            let account = try await server.archive.account(named: name)
            let passwordMatches: Bool
            do {
                let hash = if let account { account.passwordHash } else { try await server.hasher.decoyHash() }
                passwordMatches = try await server.hasher.verify(login.password, against: hash)
            } catch let busy as WorkerPool.Busy {
                await server.throttle.notChecked(keys)
                throw HTTPError(.serviceUnavailable, headers: [.retryAfter: "5"], message: busy.description)
            }
            guard let account, passwordMatches, !account.disabled else {
                let why = account == nil ? "unknown user" : account!.disabled && passwordMatches ? "account disabled" : "wrong password"
                try await server.audit(nil, .login, "user:\(name)", outcome: .failure, detail: why)
                throw HTTPError(.unauthorized, message: "user name or password is wrong")
            }
            await server.throttle.succeeded(keys)
            // A fresh id every sign-in: an id planted in the browser before is never promoted.
            if let old = request.cookies[AuthMiddleware.cookieName] { await server.sessions.close(old.value) }
            let (id, identity) = await server.sessions.open(name: account.name, role: account.role)
            try await server.audit(identity, .login, "user:\(account.name)")
            var response = try Me(user: identity.name, role: identity.role.rawValue, csrfToken: identity.csrfToken,
                                  location: Pages.location(after: login.next, role: identity.role))
                .response(from: request, context: context)
            response.setCookie(Cookie(name: AuthMiddleware.cookieName, value: id, path: "/", secure: server.secureCookies,
                                      httpOnly: true, sameSite: .strict))
            return response
        }
        group.post("logout") { request, context -> Response in
            if let cookie = request.cookies[AuthMiddleware.cookieName] { await server.sessions.close(cookie.value) }
            if let identity = context.identity { try await server.audit(identity, .logout, "user:\(identity.name)") }
            var response = Response(status: .noContent)
            response.setCookie(Cookie(name: AuthMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: server.secureCookies,
                                      httpOnly: true, sameSite: .strict))
            return response
        }
        // `?next=PAGE`: the sign-in page asks where a browser already signed in should go.
        group.get("me") { request, context -> Me in
            guard let identity = context.identity else {
                throw HTTPError(.unauthorized, message: "not signed in")
            }
            return Me(user: identity.name, role: identity.role.rawValue, csrfToken: identity.csrfToken,
                      location: Pages.location(after: request.uri.queryParameters["next"].map(String.init), role: identity.role))
        }
    }
}
