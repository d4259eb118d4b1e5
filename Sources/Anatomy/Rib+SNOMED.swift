import Foundation

extension Rib {
    /// The SNOMED CT concept for the rib ("First rib" ... "Twelfth rib").
    ///
    /// UNCONFIRMED: taken from one source only, the DICOM master list terms in
    /// 3D Slicer's TotalSegmentator terminology; check each in a SNOMED CT browser
    /// before relying on it in an export. Pair it with ``Laterality/snomedCode``
    /// as a modifier for the side. For Body Part Examined use ``BodyPartExamined/rib``.
    public var snomedCode: SNOMEDCode {
        let (code, ordinal) = Self.codes[number - 1]
        return SNOMEDCode(code, "\(ordinal) rib")
    }

    private static let codes: [(String, String)] = [
        ("48535007", "First"), ("78247007", "Second"), ("25888004", "Third"), ("25523003", "Fourth"),
        ("15339008", "Fifth"), ("59558009", "Sixth"), ("24915002", "Seventh"), ("5953002", "Eighth"),
        ("22565002", "Ninth"), ("77644006", "Tenth"), ("58830002", "Eleventh"), ("43993008", "Twelfth"),
    ]
}
