import Archive

/// Who is making a request, as the auth middleware found out.
public struct Identity: Sendable, Equatable {
    public var name: String
    public var role: Account.Role
    /// The token a cookie-signed-in page must echo in `X-CSRF-Token`; `nil` for the
    /// station token, which no browser sends on its own.
    public var csrfToken: String?

    /// The name the recorder's own command line acts under.
    public static let stationName = "station"
}
