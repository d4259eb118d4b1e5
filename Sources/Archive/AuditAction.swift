/// What an audit event records being done: one name per action, so the words the
/// authorisation check writes for a refusal and the ones the success writes cannot drift.
/// The raw values are what the trail stores and `needlelog audit` prints.
public enum AuditAction: String, CaseIterable, Sendable, Codable {
    // Signing in and accounts
    case login, logout
    case userAdd = "user-add", userChange = "user-change", listUsers = "list-users", readAudit = "read-audit"
    // Patients and sessions
    case patientAdd = "patient-add", listPatients = "list-patients"
    case startSession = "start-session", stopSession = "stop-session"
    case listSessions = "list-sessions", viewSession = "view-session", editSession = "edit-session"
    case viewSeries = "view-series", viewRecording = "view-recording", recordInjection = "record-injection"
    case sign, addendum
    // Stills
    case viewStill = "view-still", search, retag, annotate, setScale = "set-scale"
    // Leaving the archive, and keeping it
    case export, backup, restore
}
