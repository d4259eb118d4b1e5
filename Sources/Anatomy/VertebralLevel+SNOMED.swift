import Foundation

extension VertebralLevel {
    /// The SNOMED CT "bone structure of" concept for this vertebra, if one is recorded.
    ///
    /// C1-L5 were checked against DICOM PS3.16 CID 7603 "Vertebra" (as published in
    /// bvdh/dicom-terminology-in-fhir) and against the DICOM master list used by
    /// 3D Slicer's TotalSegmentator terminology; both agree with
    /// `shared/reference/anatomy-codes.md`. The coccyx code is the one PS3.16 Annex L
    /// maps to Body Part Examined `COCCYX`. S1-S5 and the transitional T13 and L6 have
    /// no code here: none was confirmed, and a wrong code is worse than none in an export.
    public var snomedCode: SNOMEDCode? {
        guard let code = Self.snomedCodes[self] else { return nil }
        return SNOMEDCode(code, self == .coccyx ? "Coccyx" : "\(self) vertebra")
    }

    private static let snomedCodes: [VertebralLevel: String] = [
        .c1: "14806007", .c2: "39976000", .c3: "113205007", .c4: "5329002",
        .c5: "36978003", .c6: "36054005", .c7: "87391001",
        .t1: "64864005", .t2: "53733008", .t3: "1626008", .t4: "73071006",
        .t5: "56401006", .t6: "45296009", .t7: "62487009", .t8: "11068009",
        .t9: "82687006", .t10: "7610001", .t11: "12989004", .t12: "23215003",
        .l1: "66794005", .l2: "14293000", .l3: "36470004", .l4: "11994002", .l5: "49668003",
        .coccyx: "64688005",
    ]
}
