import Archive

/// What a route needs. Roles map to permissions here and nowhere else, so the role
/// matrix the tests walk is this table.
enum Permission: CaseIterable {
    /// Start, tag, snap and stop on the recorder; see its live picture.
    case capture
    /// See sessions and stills (a tech only the sessions they recorded).
    case review
    /// See every session and a patient's whole series.
    case reviewAll
    /// Draw needles, retag, set a session's scale.
    case annotate
    /// Export stills and reports.
    case export
    /// Add, change and disable accounts; read the audit trail.
    case administer

    var roles: [Account.Role] {
        switch self {
        case .capture: [.tech, .physician]
        case .review: [.tech, .physician]
        case .reviewAll, .annotate, .export: [.physician]
        case .administer: [.admin]
        }
    }

    func allows(_ role: Account.Role) -> Bool { roles.contains(role) }

    var phrase: String {
        switch self {
        case .capture: "drive the recorder"
        case .review: "see sessions and stills"
        case .reviewAll: "see every session or a patient's series"
        case .annotate: "annotate or retag stills"
        case .export: "export stills or reports"
        case .administer: "manage accounts or read the audit trail"
        }
    }
}
