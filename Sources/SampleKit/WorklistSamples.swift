import Foundation

/// Scheduled procedure steps as a RIS would list them, written as dcmtk dump text for
/// `dump2dcm` to turn into worklist files (`.wl`) that `wlmscpfs` or Orthanc's worklist
/// plugin serve. Names come in the character sets RIS use in the wild: Latin-1
/// (ISO_IR 100), UTF-8 (ISO_IR 192), and plain ASCII with none declared.
public enum WorklistSamples {
    public struct Step: Sendable, Equatable {
        /// `ISO_IR 100`, `ISO_IR 192`, or nil for the default repertoire.
        public var characterSet: String?
        public var patientID: String
        /// DICOM Person Name, `FAMILY^GIVEN^MIDDLE`.
        public var name: String
        /// `YYYYMMDD`, or empty when the RIS does not know it.
        public var birthDate: String
        public var sex: String
        public var accession: String
        public var date: String
        public var time: String
        public var modality: String
        public var station: String
        public var procedure: String
        public var referring = "Lee^Ann^^Dr"

        public var requestedProcedureID: String { "RP-" + accession }
        public var stepID: String { "SPS-" + accession }
        /// A UID of the RIS's own: the numbers in the patient id and accession under a test root.
        public var studyInstanceUID: String { "1.2.826.0.1.3680043.10.543.\(Self.number(patientID)).\(Self.number(accession))" }

        private static func number(_ text: String) -> Int { Int(text.filter(\.isNumber)) ?? 0 }

        /// The dump's text; write it in ``encoding``, as its bytes are the file's.
        public var dump: String {
            var lines: [String] = []
            if let characterSet { lines.append("(0008,0005) CS [\(characterSet)]") }
            lines += [
                "(0008,0050) SH [\(accession)]",
                "(0008,0090) PN [\(referring)]",
                "(0010,0010) PN [\(name)]",
                "(0010,0020) LO [\(patientID)]",
                birthDate.isEmpty ? "(0010,0030) DA (no value available)" : "(0010,0030) DA [\(birthDate)]",
                "(0010,0040) CS [\(sex)]",
                "(0020,000d) UI [\(studyInstanceUID)]",
                "(0032,1060) LO [\(procedure)]",
                "(0040,1001) SH [\(requestedProcedureID)]",
                "(0040,0100) SQ",
                "(fffe,e000) -",
                "(0008,0060) CS [\(modality)]",
                "(0040,0001) AE [\(station)]",
                "(0040,0002) DA [\(date)]",
                "(0040,0003) TM [\(time)]",
                "(0040,0007) LO [Prolotherapy]",
                "(0040,0009) SH [\(stepID)]",
                "(fffe,e00d) -",
                "(fffe,e0dd) -",
            ]
            return lines.joined(separator: "\n") + "\n"
        }

        /// Latin-1 for an ISO_IR 100 step, UTF-8 otherwise.
        public var encoding: String.Encoding { characterSet == "ISO_IR 100" ? .isoLatin1 : .utf8 }
    }

    /// A day's list for `station` on `date` (`YYYYMMDD`): four ultrasound steps in three
    /// character sets (two for this station, one for another room, one with no birth date),
    /// one the next day, and one CT step.
    public static func day(_ date: String, station: String = "NEEDLELOG", nextDay: String) -> [Step] {
        [
            Step(characterSet: "ISO_IR 100", patientID: "PAT-0001", name: "Müller^Jürgen", birthDate: "19640312", sex: "M", accession: "ACC0001",
                 date: date, time: "101500", modality: "US", station: station, procedure: "US-guided facet joint injection L4-L5"),
            Step(characterSet: "ISO_IR 192", patientID: "PAT-0002", name: "Παπαδοπούλου^Ελένη", birthDate: "19710302", sex: "F", accession: "ACC0002",
                 date: date, time: "083000", modality: "US", station: station, procedure: "Prolotherapy SI joint"),
            Step(characterSet: "ISO_IR 192", patientID: "PAT-0003", name: "山田^花子", birthDate: "19800101", sex: "F", accession: "ACC0003",
                 date: date, time: "090000", modality: "US", station: "ROOM2", procedure: "PRP cervical facet"),
            Step(characterSet: nil, patientID: "PAT-0004", name: "O'Brien^Sean^Patrick", birthDate: "", sex: "M", accession: "ACC0004",
                 date: date, time: "140000", modality: "US", station: station, procedure: "Bone marrow concentrate L5-S1"),
            Step(characterSet: "ISO_IR 100", patientID: "PAT-0005", name: "Tomorrow^Tom", birthDate: "19550505", sex: "M", accession: "ACC0005",
                 date: nextDay, time: "093000", modality: "US", station: station, procedure: "Prolotherapy"),
            Step(characterSet: "ISO_IR 100", patientID: "PAT-0006", name: "Scan^Cathy", birthDate: "19660606", sex: "F", accession: "ACC0006",
                 date: date, time: "093000", modality: "CT", station: station, procedure: "CT lumbar spine"),
        ]
    }

    /// Writes each step's dump as `stepN.dump` into `folder`.
    public static func writeDumps(_ steps: [Step], to folder: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try steps.enumerated().map { index, step in
            let file = folder.appendingPathComponent("step\(index).dump")
            guard let bytes = step.dump.data(using: step.encoding) else {
                throw CocoaError(.fileWriteInapplicableStringEncoding)
            }
            try bytes.write(to: file)
            return file
        }
    }
}
