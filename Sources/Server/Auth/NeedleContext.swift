import Hummingbird
import NIOCore

/// The request context of every route: who asks, and from where.
public struct NeedleContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    public let remoteAddress: SocketAddress?
    /// The address and port the connection arrived at: the daemon's own, for the Host check.
    public let localAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        localAddress = source.channel.localAddress
    }

    /// JSON bodies here are small (a tag, a needle, a session form): anything larger
    /// is refused with 413 before it is read into memory.
    public var maxUploadSize: Int { 64 * 1024 }

    /// The signed-in identity allowed to do `permission`, or 401/403.
    func require(_ permission: Permission) throws -> Identity {
        guard let identity else {
            throw HTTPError(.unauthorized, message: "sign in first: POST /api/login with your user name and password")
        }
        guard permission.allows(identity.role) else {
            throw HTTPError(.forbidden, message: "a \(identity.role.rawValue) account may not \(permission.phrase); ask an account with role \(permission.roles.map(\.rawValue).joined(separator: " or "))")
        }
        return identity
    }
}
