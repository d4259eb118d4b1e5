import Anatomy
import Foundation
import Records
import Testing

@Suite("Injectates and injection sites")
struct InjectateTests {
    /// An injectate built by a throwing recipe, so a table can hold ones whose
    /// construction is itself under test.
    struct Recipe: Sendable, CustomTestStringConvertible {
        let name: String
        let make: @Sendable () throws(RecordError) -> Injectate
        var testDescription: String { name }
    }

    static let summaries: [(Recipe, String)] = [
        (Recipe(name: "D15 + lido") { () throws(RecordError) in
            .prolotherapy(try Prolotherapy(dextrosePercent: 15, lidocainePercent: 0.2))
        }, "dextrose 15% + lidocaine 0.2%"),
        (Recipe(name: "D12.5") { () throws(RecordError) in
            .prolotherapy(try Prolotherapy(dextrosePercent: 12.5))
        }, "dextrose 12.5%"),
        (Recipe(name: "D15 with saline and additives") { () throws(RecordError) in
            .prolotherapy(try Prolotherapy(
                dextrosePercent: 15, lidocainePercent: 0.2, salineFraction: 0.5, additives: [.vitaminB12, .sarapin]))
        }, "dextrose 15% + lidocaine 0.2% + vitamin B12 + Sarapin in saline (50% of volume)"),
        (Recipe(name: "P2G-like") { () throws(RecordError) in
            .prolotherapy(try Prolotherapy(dextrosePercent: 20, additives: [.sodiumMorrhuate, .phenol, .other("glycerine")]))
        }, "dextrose 20% + sodium morrhuate + phenol + glycerine"),
        (Recipe(name: "LP-PRP") { () throws(RecordError) in
            .prp(try PlateletRichPlasma(concentration: .multipleOfBaseline(5), leukocytes: .poor, activated: false))
        }, "PRP 5x baseline, leukocyte-poor, not activated"),
        (Recipe(name: "LR-PRP counted") { () throws(RecordError) in
            .prp(try PlateletRichPlasma(
                concentration: .perMicrolitre(1_200_000), leukocytes: .rich, activated: true, activationAgent: "calcium chloride"))
        }, "PRP 1,200,000/µL, leukocyte-rich, activated with calcium chloride"),
        (Recipe(name: "PRP uncounted") { () throws(RecordError) in
            .prp(try PlateletRichPlasma(leukocytes: .poor, activated: true))
        }, "PRP, leukocyte-poor, activated"),
        (Recipe(name: "BMC counted") { () throws(RecordError) in
            .bmc(try BoneMarrowConcentrate(totalNucleatedCells: 240_000_000, aspirateMillilitres: 60))
        }, "BMC, 60 mL aspirate, 240,000,000 nucleated cells"),
        (Recipe(name: "BMC bare") { () throws(RecordError) in .bmc(try BoneMarrowConcentrate()) }, "BMC"),
        (Recipe(name: "other") { () throws(RecordError) in .other("ozone 10 µg/mL") }, "ozone 10 µg/mL"),
    ]

    @Test("summaries read as the physician would say them", arguments: summaries)
    func summary(recipe: Recipe, expected: String) throws {
        #expect(try recipe.make().summary == expected)
    }

    static let refusals: [(Recipe, String)] = [
        (Recipe(name: "D60") { () throws(RecordError) in .prolotherapy(try Prolotherapy(dextrosePercent: 60)) },
         "dextrose 60% is out of range: dextrose is 0-50%"),
        (Recipe(name: "D-1") { () throws(RecordError) in .prolotherapy(try Prolotherapy(dextrosePercent: -1)) },
         "dextrose -1% is out of range: dextrose is 0-50%"),
        (Recipe(name: "D nan") { () throws(RecordError) in .prolotherapy(try Prolotherapy(dextrosePercent: .nan)) },
         "dextrose nan% is out of range: dextrose is 0-50%"),
        (Recipe(name: "lido 3") { () throws(RecordError) in
            .prolotherapy(try Prolotherapy(dextrosePercent: 15, lidocainePercent: 3))
        }, "lidocaine 3% is out of range: lidocaine is 0-2%"),
        (Recipe(name: "saline 1.5") { () throws(RecordError) in
            .prolotherapy(try Prolotherapy(dextrosePercent: 15, salineFraction: 1.5))
        }, "saline fraction 1.5 is out of range: the saline fraction is 0-1 of the volume"),
        (Recipe(name: "PRP 0x") { () throws(RecordError) in
            .prp(try PlateletRichPlasma(concentration: .multipleOfBaseline(0), leukocytes: .poor, activated: false))
        }, "platelet concentration 0x baseline is out of range: PRP is more than 0 and at most 20x baseline"),
        (Recipe(name: "PRP 0/µL") { () throws(RecordError) in
            .prp(try PlateletRichPlasma(concentration: .perMicrolitre(0), leukocytes: .poor, activated: false))
        }, "platelet count 0/µL is out of range: counts are 1-10,000,000/µL"),
        (Recipe(name: "agent without activation") { () throws(RecordError) in
            .prp(try PlateletRichPlasma(leukocytes: .rich, activated: false, activationAgent: "thrombin"))
        }, "activation agent \"thrombin\" given for PRP that was not activated: mark it activated or remove the agent"),
        (Recipe(name: "BMC 0 cells") { () throws(RecordError) in .bmc(try BoneMarrowConcentrate(totalNucleatedCells: 0)) },
         "nucleated cell count 0 is out of range: a count is 1 or more"),
        (Recipe(name: "BMC 600 mL") { () throws(RecordError) in .bmc(try BoneMarrowConcentrate(aspirateMillilitres: 600)) },
         "aspirate volume 600 mL is out of range: aspirates are more than 0 and at most 500 mL"),
    ]

    @Test("impossible preparations are refused", arguments: refusals)
    func refusal(recipe: Recipe, message: String) {
        expectRefusal(message) { () throws(RecordError) in try recipe.make() }
    }

    @Test("an empty activation agent counts as none")
    func emptyAgent() throws {
        let prp = try PlateletRichPlasma(leukocytes: .poor, activated: false, activationAgent: "  ")
        #expect(prp.activationAgent == nil)
    }

    @Test("volume, gauge and needle length are checked per site", arguments: [
        (1.5, 25, 90, nil),
        (20, 18, nil, nil),
        (0.1, 30, 200, nil),
        (0, 25, nil, "volume 0 mL is out of range: each site takes more than 0 and at most 20 mL"),
        (25, 25, nil, "volume 25 mL is out of range: each site takes more than 0 and at most 20 mL"),
        (2, 17, nil, "needle gauge 17 is out of range: needles are 18-30 gauge"),
        (2, 31, nil, "needle gauge 31 is out of range: needles are 18-30 gauge"),
        (2, 25, 0, "needle length 0 mm is out of range: needles are more than 0 and at most 200 mm long"),
        (2, 25, 250, "needle length 250 mm is out of range: needles are more than 0 and at most 200 mm long"),
    ] as [(Double, Int, Double?, String?)])
    func injectionSite(volume: Double, gauge: Int, length: Double?, message: String?) throws {
        let site = try Fixture.site("right SI joint")
        let make = { () throws(RecordError) in
            try InjectionSite(
                site: site, structure: TargetStructure.posteriorSacroiliacLigament.id, injectate: .other("ozone"),
                volumeMillilitres: volume, needleGauge: gauge, needleLengthMillimetres: length)
        }
        if let message {
            expectRefusal(message, make)
        } else {
            let injection = try make()
            #expect(injection.volumeMillilitres == volume && injection.needleGauge == gauge)
            #expect(injection.site.laterality == .right)
        }
    }

    @Test("the archive's --injectate filter reads kinds as people type them", arguments: [
        ("prolotherapy", Injectate.Kind.prolotherapy), ("PRP", .prp), ("bmc", .bmc), ("other", .other),
        ("prolo", .prolotherapy), ("Dextrose", .prolotherapy), ("platelet-rich plasma", .prp),
        ("bone marrow", .bmc), ("bone-marrow-concentrate", .bmc), ("BMAC", .bmc),
    ])
    func kindParsing(text: String, kind: Injectate.Kind) throws {
        #expect(try Injectate.Kind(parsing: text) == kind)
    }

    @Test("an unknown kind lists the kinds")
    func unknownKind() {
        expectRefusal("injectate \"steroid\" is not valid: write prolotherapy, prp, bmc or other") { () throws(RecordError) in
            try Injectate.Kind(parsing: " steroid ")
        }
    }

    @Test("each kind is stored as one flat object", arguments: [
        (#"{"additives":["vitamin-b12","sarapin","glycerine"],"dextrosePercent":15,"kind":"prolotherapy","lidocainePercent":0.2,"salineFraction":0.5}"#,
         "dextrose 15% + lidocaine 0.2% + vitamin B12 + Sarapin + glycerine in saline (50% of volume)"),
        (#"{"activated":false,"concentration":{"multipleOfBaseline":5},"kind":"prp","leukocytes":"poor"}"#,
         "PRP 5x baseline, leukocyte-poor, not activated"),
        (#"{"activated":true,"activationAgent":"calcium chloride","concentration":{"perMicrolitre":1200000},"kind":"prp","leukocytes":"rich"}"#,
         "PRP 1,200,000/µL, leukocyte-rich, activated with calcium chloride"),
        (#"{"aspirateMillilitres":60,"kind":"bmc","totalNucleatedCells":240000000}"#,
         "BMC, 60 mL aspirate, 240,000,000 nucleated cells"),
        (#"{"description":"ozone","kind":"other"}"#, "ozone"),
    ])
    func storedForm(json: String, summary: String) throws {
        let injectate = try decodeJSON(Injectate.self, json)
        #expect(injectate.summary == summary)
        #expect(try encodeJSON(injectate) == json)
    }

    @Test("stored injectates are checked as they are read")
    func corruptInjectate() {
        #expect(decodingFailure(Injectate.self, #"{"dextrosePercent":70,"kind":"prolotherapy"}"#)
            == "dextrose 70% is out of range: dextrose is 0-50%")
        #expect(decodingFailure(Injectate.self, #"{"activated":false,"concentration":{},"kind":"prp","leukocytes":"poor"}"#)
            == "platelet concentration needs exactly one of multipleOfBaseline and perMicrolitre")
        #expect(decodingFailure(Injectate.self, #"{"kind":"steroid"}"#) != nil)
        #expect(decodingFailure(InjectionSite.self, """
            {"injectate":{"description":"ozone","kind":"other"},"needleGauge":40,"site":"L4","volumeMillilitres":1}
            """) == "needle gauge 40 is out of range: needles are 18-30 gauge")
    }

    @Test("additives are stored by id; other text is kept as written")
    func additiveIDs() throws {
        #expect(Prolotherapy.Additive(id: "phenol") == .phenol)
        #expect(Prolotherapy.Additive(id: "Phenol") == .other("Phenol"))
        #expect(try encodeJSON([Prolotherapy.Additive.vitaminB12, .sodiumMorrhuate]) == #"["vitamin-b12","sodium-morrhuate"]"#)
    }
}
