import Foundation

/// A patient's sex as DICOM Patient's Sex (0010,0040) records it.
///
/// Codable as its raw value (`"female"`).
public enum Sex: String, CaseIterable, Hashable, Sendable, Codable {
    case female
    case male
    case other
    /// Not recorded; DICOM leaves the attribute empty.
    case unknown

    /// The DICOM code: `F`, `M`, `O`, or empty for unknown.
    public var dicomCode: String {
        switch self {
        case .female: "F"
        case .male: "M"
        case .other: "O"
        case .unknown: ""
        }
    }

    /// The sex a DICOM code names, in either case; empty text is ``unknown``.
    /// `nil` for any other code.
    public init?(dicomCode: String) {
        let code = dicomCode.trimmingCharacters(in: .whitespaces).uppercased()
        guard let sex = Self.allCases.first(where: { $0.dicomCode == code }) else { return nil }
        self = sex
    }
}
