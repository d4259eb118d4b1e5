import Foundation
import Hummingbird

/// The tech's page: three fixed files from the module's resources. Only these names
/// are served, so no request path ever reaches the filesystem.
enum TechPage {
    static let files: [String: (name: String, type: String)] = [
        "/": ("tech.html", "text/html; charset=utf-8"),
        "/tech.css": ("tech.css", "text/css; charset=utf-8"),
        "/tech.js": ("tech.js", "text/javascript; charset=utf-8"),
    ]

    static func addRoutes(to router: Router<BasicRequestContext>) {
        for (path, file) in files {
            router.get(RouterPath(path)) { _, _ -> Response in
                guard let url = Bundle.module.url(forResource: file.name, withExtension: nil, subdirectory: "Public"),
                      let data = try? Data(contentsOf: url) else {
                    throw HTTPError(.internalServerError, message: "the page's \(file.name) is missing from this build")
                }
                return Response(status: .ok, headers: [.contentType: file.type], body: .init(byteBuffer: ByteBuffer(data: data)))
            }
        }
    }
}
