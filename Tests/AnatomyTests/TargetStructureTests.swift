import Anatomy
import Testing

@Suite("The catalogue of target structures")
struct TargetStructureTests {
    static let requiredIDs = [
        "facet-capsule", "interspinous-ligament", "supraspinous-ligament", "ligamentum-nuchae",
        "posterior-sacroiliac-ligament", "iliolumbar-ligament", "sacrotuberous-ligament",
        "costotransverse-ligament", "sternocostal-joint", "thoracolumbar-fascia",
        "ligamentum-flavum", "sacrospinous-ligament", "costovertebral-joint", "sternoclavicular-joint",
        "medial-branch",
    ]

    @Test("every structure the clinic needs is in the catalogue", arguments: requiredIDs)
    func required(id: String) {
        #expect(TargetStructure(id: .init(rawValue: id)) != nil)
    }

    @Test("ids are kebab-case and unique")
    func idsAreKebabCase() {
        let ids = TargetStructure.catalogue.map(\.id.rawValue)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.allSatisfy { $0.isLowercase || $0 == "-" }, "\(id)")
            #expect(!id.hasPrefix("-") && !id.hasSuffix("-") && !id.contains("--"), "\(id)")
        }
    }

    @Test("every name of every structure leads back to that structure and no other")
    func namesAreUnambiguous() throws {
        for structure in TargetStructure.catalogue {
            for name in structure.names {
                #expect(try TargetStructure(parsing: name) == structure, "\(name)")
            }
        }
    }

    @Test("lookup accepts synonyms in any case and with any separator", arguments: [
        ("facet", "facet-capsule"), ("Facet joint", "facet-capsule"), ("z-joint", "facet-capsule"),
        ("Zygapophyseal joint", "facet-capsule"), ("ZYGAPOPHYSEAL_JOINT", "facet-capsule"),
        ("facet_capsule", "facet-capsule"), ("Facet Capsule", "facet-capsule"), ("facet joints", "facet-capsule"),
        ("facetjoint", "facet-capsule"), ("nuchal ligament", "ligamentum-nuchae"),
        ("posterior SI ligaments", "posterior-sacroiliac-ligament"), ("SIJ", "sacroiliac-joint"),
        ("ligamenta flava", "ligamentum-flavum"), ("medial branches", "medial-branch"),
        ("TLF", "thoracolumbar-fascia"), ("interspinal ligament", "interspinous-ligament"),
        ("SC joint", "sternoclavicular-joint"), ("costosternal joint", "sternocostal-joint"),
    ])
    func lookup(text: String, id: String) throws {
        #expect(try TargetStructure(parsing: text).id.rawValue == id)
    }

    @Test("an unknown structure is refused with the closest ids", arguments: [
        ("facett", "unknown structure \"facett\": did you mean facet-capsule?"),
        ("ligamentum flavm", "unknown structure \"ligamentum flavm\": did you mean ligamentum-flavum?"),
        ("sacrotuberus ligament", "unknown structure \"sacrotuberus ligament\": did you mean sacrotuberous-ligament?"),
    ])
    func unknown(text: String, message: String) {
        #expect {
            try TargetStructure(parsing: text)
        } throws: { error in
            (error as? AnatomyParseError)?.description == message
        }
    }

    @Test("a structure far from every name still gets suggestions")
    func farFromEverything() {
        do {
            _ = try TargetStructure(parsing: "kneecap")
            Issue.record("kneecap was found")
        } catch {
            guard case .unknownStructure(_, let suggestions) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect((1...3).contains(suggestions.count))
            #expect(error.description.hasPrefix("unknown structure \"kneecap\": did you mean "))
        }
    }

    @Test("structures carry their regions and confirmed codes")
    func details() {
        #expect(TargetStructure.ligamentumNuchae.regions == [.cervical])
        #expect(TargetStructure.sternocostalJoint.regions == [.thoracic])
        #expect(TargetStructure.facetCapsule.displayName == "Facet joint capsule")
        #expect(TargetStructure.sacroiliacJoint.snomedCode?.code == "39723000")
        #expect(TargetStructure.sternoclavicularJoint.snomedCode?.code == "7844006")
    }
}
