/// The value representations NeedleLog writes, with the two facts explicit VR
/// little endian needs: the header form and the byte that pads a value to even length.
public enum ValueRepresentation: String, Sendable, CaseIterable {
    case AE, AS, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OW, PN, SH, SL, SQ, SS, ST, TM, UI, UL, US, UT

    /// PS3.5 7.1.2: these have two reserved bytes and a 32-bit length; the rest a 16-bit length.
    var hasLongLength: Bool {
        switch self {
        case .OB, .OW, .SQ, .UT: true
        default: false
        }
    }

    /// PS3.5 6.2: UI and binary values pad with NUL, text with a space.
    var paddingByte: UInt8 {
        switch self {
        case .UI, .OB, .OW: 0
        default: 0x20
        }
    }

    /// Values that are text (possibly several, joined by backslash).
    var isText: Bool {
        switch self {
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .ST, .TM, .UI, .UT: true
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
