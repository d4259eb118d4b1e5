import Archive
import Foundation
import Hummingbird

/// The pages: fixed files from the module's resources. Only the names in this table are
/// served, so no request path ever reaches the filesystem. The pages hold no data; what
/// they show comes from the API, which checks who asks.
enum Pages {
    static let files: [String: String] = [
        "/": "index.html",
        "/tech": "tech.html",
        "/sessions": "sessions.html",
        "/session": "session.html",
        "/still": "still.html",
        "/search": "search.html",
        "/series": "series.html",
        "/users": "users.html",
        "/users.js": "users.js",
        "/tech.css": "tech.css",
        "/tech.js": "tech.js",
        "/tech-alerts.js": "tech-alerts.js",
        "/tech-worklist.js": "tech-worklist.js",
        "/review.css": "review.css",
        "/review.js": "review.js",
        "/spine.js": "spine.js",
        "/index.js": "index.js",
        "/sessions.js": "sessions.js",
        "/session.js": "session.js",
        "/session-pacs.js": "session-pacs.js",
        "/still.js": "still.js",
        "/search.js": "search.js",
        "/series.js": "series.js",
    ]

    static let types = ["html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"]

    /// Where a browser goes after signing in: `next` when it is one of the pages above
    /// (`/session?id=...`), else the role's first page. Anything else a link could carry
    /// (`//evil`, `/\evil`, `https://evil`, tabs or newlines a browser drops) would be read
    /// by the browser as another site, so it is never passed on.
    static func location(after next: String?, role: Account.Role) -> String {
        let home = switch role {
        case .tech: "/tech"
        case .admin: "/users"
        case .physician: "/sessions"
        }
        guard let next, next.utf8.count <= 2048 else { return home }
        let path = next.prefix { $0 != "?" && $0 != "#" }
        let query = next.dropFirst(path.count).prefix { $0 != "#" }
        // Printable ASCII only, no backslash: nothing a browser would rewrite into a host.
        let safe = query.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) && $0 != "\\" }
        guard path != "/", let page = files[String(path)], page.hasSuffix(".html"), safe else { return home }
        return String(path) + String(query)
    }

    static func addRoutes(to router: Router<NeedleContext>) {
        for (path, name) in files {
            router.get(RouterPath(path)) { _, _ -> Response in
                guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Public"),
                      let data = try? Data(contentsOf: url) else {
                    throw HTTPError(.internalServerError, message: "the page's \(name) is missing from this build")
                }
                let type = types[String(name.split(separator: ".").last ?? "")] ?? "application/octet-stream"
                return Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
                                body: .init(byteBuffer: ByteBuffer(data: data)))
            }
        }
    }
}
