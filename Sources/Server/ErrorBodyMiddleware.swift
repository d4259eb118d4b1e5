import Anatomy
import Archive
import Hummingbird
import NIOCore
import Records
import Workflows

/// Gives every error answer a JSON body with a message, including those no route
/// wrote: a path nothing serves (404), a body over the size limit (413), and any
/// `HTTPError` thrown without a message. Clients (the pages, scripts, the fuzzer)
/// can then always read `error.message`. Outermost, so it sees what the router and
/// the other middleware throw. A database held locked by another program answers 503
/// with Retry-After, since the same request will do once it lets go. The one place the
/// errors of the layers below become statuses: a workflow's refusal by its kind, a record
/// or anatomy value refused 400, the archive's invalid/unknown/conflict 400/404/409.
struct ErrorBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.body == nil {
            throw HTTPError(error.status, headers: error.headers, message: Self.message(for: error.status, request))
        } catch let error as WorkflowError {
            throw HTTPError(Self.status(of: error.kind), message: error.message)
        } catch let error as RecordError {
            // A value a record refused (a pain score of 11, a needle of no length): the request's fault.
            throw HTTPError(.badRequest, message: error.description)
        } catch let error as AnatomyParseError {
            throw HTTPError(.badRequest, message: error.description)
        } catch let error as ArchiveError where [.invalid, .notFound, .conflict].contains(error.kind) {
            throw HTTPError(error.kind == .invalid ? .badRequest : error.kind == .notFound ? .notFound : .conflict, message: error.message)
        } catch let error as ArchiveError where error.kind == .busy || error.kind == .unreachable {
            // The same request will do once the other program lets go of the database, or
            // the shared archive's database is back.
            throw HTTPError(.serviceUnavailable, headers: [.retryAfter: "5"], message: error.message + ": try again in a few seconds")
        } catch let busy as WorkerPool.Busy {
            // Sign-ins or pictures are queued as deep as they may be: a moment later there is room.
            throw HTTPError(.serviceUnavailable, headers: [.retryAfter: "5"], message: busy.description)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: Self.message(for: .contentTooLarge, request))
        }
    }

    /// The one place a workflow's refusal becomes an HTTP status.
    static func status(of kind: WorkflowError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .invalid: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .insufficientStorage: .init(code: 507, reasonPhrase: "Insufficient Storage")
        case .unavailable: .serviceUnavailable
        case .unusable: .unprocessableContent
        }
    }

    static func message(for status: HTTPResponse.Status, _ request: Request) -> String {
        switch status {
        case .notFound:
            "nothing is served at \(request.method) \(request.uri.path.prefix(200)): the pages start at / and the API's routes are under /api (see the README)"
        case .contentTooLarge:
            "the request body is too large: requests to the API carry at most 64 KiB of JSON"
        case .methodNotAllowed:
            "\(request.method) is not accepted at \(request.uri.path.prefix(200))"
        default:
            status.reasonPhrase.lowercased()
        }
    }
}
