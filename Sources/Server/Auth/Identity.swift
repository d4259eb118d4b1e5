import Archive

/// Who is making a request, as the auth middleware found out.
public struct Identity: Sendable, Equatable {
    /// Where the identity comes from: an account's sign-in, or the station token.
    public enum Kind: Sendable, Equatable {
        case account
        /// The recorder's own command line, by the token in `daemon.token`.
        case station
    }

    public var name: String
    public var role: Account.Role
    /// The token a cookie-signed-in page must echo in `X-CSRF-Token`; `nil` for the
    /// station token, which no browser sends on its own.
    public var csrfToken: String?
    public var kind: Kind = .account

    /// True for the station token, whatever accounts exist: never decided by a name.
    public var isStation: Bool { kind == .station }

    /// The name the recorder's own command line acts under, in the audit trail and as a
    /// tag's author. The `:` keeps it out of reach of account names (`Account.checkName`
    /// allows none), so no account can pass for the station.
    public static let stationName = "station:token"

    /// The station token's identity.
    public static let station = Identity(name: stationName, role: .tech, csrfToken: nil, kind: .station)
}
