import Anatomy
import Foundation
import Records

/// A clinic's worth of synthetic records: patients in series of treatments, sessions
/// over two years, stills tagged across every level, structure and side.
struct SyntheticArchive {
    var patients: Int
    var sessions: Int
    var stillsPerSession: Int
    private var random: SplitMix64

    init(patients: Int, sessions: Int, stillsPerSession: Int, seed: UInt64 = 2026) {
        self.patients = patients
        self.sessions = sessions
        self.stillsPerSession = stillsPerSession
        random = SplitMix64(seed: seed)
    }

    static let epoch = Date(timeIntervalSince1970: 1_672_531_200)   // 2023-01-01
    static let rareWord = "arachnoiditis"

    /// Sites a clinic tags, weighted towards the lumbar and cervical spine.
    static let sites: [AnatomicSite] = {
        var texts: [String] = []
        let ordinary = VertebralLevel.allCases.filter { !$0.isTransitional }
        for (index, level) in ordinary.enumerated() {
            texts.append(level.description)
            if index + 1 < ordinary.count { texts.append("\(level)-\(ordinary[index + 1])") }
        }
        texts += ["L3-S1", "L4-S1", "C4-C7", "T10-L2", "lumbar", "cervical", "left SI joint", "right SI joint",
                  "T7 rib", "left T8 rib", "sternum", "iliolumbar"]
        return texts.compactMap { try? AnatomicSite(parsing: $0) }
    }()

    func patientID(_ index: Int) -> PatientID { try! PatientID(String(format: "P-%06d", index)) }

    mutating func patientRecords() throws -> [Patient] {
        try (0..<patients).map { index in
            try Patient(id: patientID(index), familyName: "Family\(index)", givenName: "Given\(index)",
                        birthDate: CalendarDate(year: 1940 + index % 60, month: 1 + index % 12, day: 1 + index % 28),
                        sex: index % 2 == 0 ? .female : .male)
        }
    }

    /// Session `index`, and its stills.
    mutating func session(_ index: Int) throws -> (ProcedureSession, [Still]) {
        let patient = index % patients
        let started = Self.epoch.addingTimeInterval(Double(index) * (2 * 365 * 86_400) / Double(sessions) + Double(random.next(below: 3600)))
        let kinds: [Injectate] = [
            .prolotherapy(try Prolotherapy(dextrosePercent: 15, lidocainePercent: 0.2)),
            .prp(try PlateletRichPlasma(leukocytes: .poor, activated: false)),
            .bmc(try BoneMarrowConcentrate()),
        ]
        let injectate = kinds[random.next(below: 10) < 7 ? 0 : 1 + random.next(below: 2)]
        let siteTag = Self.sites[random.next(below: Self.sites.count)]
        let injection = try InjectionSite(site: siteTag, injectate: injectate, volumeMillilitres: 1, needleGauge: 25)
        let notes = random.next(below: 1000) == 0 ? "suspected \(Self.rareWord), referred" : "tolerated well, pain \(random.next(below: 10)) of 10"
        let session = try ProcedureSession(patientID: patientID(patient), startedAt: started, endedAt: started.addingTimeInterval(1800),
                                           physician: "dr.lee", tech: "sam", indication: "chronic spinal pain", status: .completed,
                                           treatment: TreatmentNumber(1 + index / patients % 6, of: 6), notes: notes,
                                           injections: [injection])
        let catalogue = TargetStructure.catalogue
        let sides: [Laterality?] = [.left, .right, .bilateral, .midline, nil]
        var stills: [Still] = []
        for n in 0..<stillsPerSession {
            var site = Self.sites[random.next(below: Self.sites.count)]
            if site.laterality == nil { site.laterality = sides[random.next(below: sides.count)] }
            let structure = catalogue[random.next(below: catalogue.count)].id
            var hash = [UInt8](repeating: 0, count: 32)
            for i in 0..<4 { withUnsafeBytes(of: random.next()) { hash.replaceSubrange(i * 8..<(i * 8 + 8), with: $0) } }
            stills.append(try Still(sessionID: session.id, time: Double(n * 60 + random.next(below: 50)), sourceFrame: n * 1800,
                                    tag: SiteTag(site: site, structure: structure), reason: n % 3 == 0 ? .snap : .freeze,
                                    fileHash: ContentHash(digest: hash), byteSize: 400_000, width: 1920, height: 1080,
                                    colour: .gray, createdAt: started))
        }
        return (session, stills)
    }
}

/// A small, fast, seeded generator: the same archive every run.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
