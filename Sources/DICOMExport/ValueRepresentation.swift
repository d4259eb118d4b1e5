/// The value representations NeedleLog writes and reads, with the two facts explicit VR
/// little endian needs: the header form and the byte that pads a value to even length.
/// A peer's VR that is not here is read as UN (its bytes kept as they came).
public enum ValueRepresentation: String, Sendable, CaseIterable {
    case AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OW, PN, SH, SL, SQ, SS, ST, TM, UC, UI, UL, UN, UR, US, UT

    /// PS3.5 7.1.2: these have two reserved bytes and a 32-bit length; the rest a 16-bit length.
    var hasLongLength: Bool {
        switch self {
        case .OB, .OD, .OF, .OL, .OW, .SQ, .UC, .UN, .UR, .UT: true
        default: false
        }
    }

    /// PS3.5 6.2: UI and binary values pad with NUL, text with a space.
    var paddingByte: UInt8 {
        switch self {
        case .UI, .OB, .OD, .OF, .OL, .OW, .UN, .AT: 0
        default: 0x20
        }
    }

    /// Values that are text (possibly several, joined by backslash).
    var isText: Bool {
        switch self {
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .ST, .TM, .UC, .UI, .UR, .UT: true
        default: false
        }
    }

    /// Text whose characters follow the data set's Specific Character Set (PS3.5 6.1.2.3);
    /// the other text VRs are plain ASCII.
    var followsCharacterSet: Bool {
        switch self {
        case .LO, .LT, .PN, .SH, .ST, .UC, .UT: true
        default: false
        }
    }

    /// The longest value (per value, in characters) PS3.5 Table 6.2-1 allows, for the
    /// text VRs NeedleLog fills from free text.
    var maximumLength: Int? {
        switch self {
        case .AE, .CS, .DS, .SH: 16
        case .AS: 4
        case .DA: 8
        case .IS: 12
        case .LO, .PN, .UI: 64
        case .ST: 1024
        case .LT: 10240
        case .TM: 14
        case .DT: 26
        default: nil
        }
    }
}
