/// The fake identifiers a scanner burns into its screen. All invented; used to test that
/// de-identification masks every one of them.
public struct ScreenIdentity: Codable, Sendable, Equatable {
    /// As the scanner shows it, e.g. `DOE^JANE` or `TESTPATIENT, ANNA`.
    public var patientName: String
    public var patientID: String
    /// As shown on screen, `YYYY-MM-DD`.
    public var date: String
    /// Wall-clock time at content time 0, in seconds after midnight.
    public var clockStartSeconds: Double
    public var institution: String
    /// Accession number, shown apart from the header (bottom right).
    public var accession: String

    public init(patientName: String, patientID: String, date: String, clockStartSeconds: Double, institution: String, accession: String) {
        self.patientName = patientName
        self.patientID = patientID
        self.date = date
        self.clockStartSeconds = clockStartSeconds
        self.institution = institution
        self.accession = accession
    }
}
