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
        "/review.css": "review.css",
        "/review.js": "review.js",
        "/spine.js": "spine.js",
        "/index.js": "index.js",
        "/sessions.js": "sessions.js",
        "/session.js": "session.js",
        "/still.js": "still.js",
        "/search.js": "search.js",
        "/series.js": "series.js",
    ]

    static let types = ["html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"]

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
