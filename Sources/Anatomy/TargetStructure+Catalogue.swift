import Foundation

// SNOMED CT codes: only codes confirmed against a second source are given without
// comment. Structures without a code have none that could be confirmed here; add one
// only after checking it in a SNOMED CT browser, with a note of where.

extension TargetStructure {
    /// Facet (zygapophyseal) joint capsule; the L5-S1 facet involves S1, hence sacral.
    public static let facetCapsule = TargetStructure(
        id: "facet-capsule", displayName: "Facet joint capsule",
        synonyms: [
            "facet", "facet joint", "facet capsule", "facet joint capsule", "z-joint", "z-joint capsule",
            "zygapophyseal joint", "zygapophysial joint", "zygapophyseal joint capsule", "apophyseal joint",
        ],
        regions: [.cervical, .thoracic, .lumbar, .sacral])

    public static let interspinousLigament = TargetStructure(
        id: "interspinous-ligament", displayName: "Interspinous ligament",
        synonyms: ["interspinal ligament", "interspinous", "ISL"],
        regions: [.cervical, .thoracic, .lumbar, .sacral])

    /// In the neck the supraspinous ligament continues as the ligamentum nuchae.
    public static let supraspinousLigament = TargetStructure(
        id: "supraspinous-ligament", displayName: "Supraspinous ligament",
        synonyms: ["supraspinal ligament", "supraspinous", "SSL"],
        regions: [.thoracic, .lumbar])

    /// Code UNCONFIRMED: 6404004 |Ligamentum nuchae| appears in one public SNOMED CT
    /// body-site list only.
    public static let ligamentumNuchae = TargetStructure(
        id: "ligamentum-nuchae", displayName: "Ligamentum nuchae",
        synonyms: ["nuchal ligament", "nuchae", "ligament of the neck"],
        regions: [.cervical],
        snomedCode: SNOMEDCode("6404004", "Ligamentum nuchae"))

    public static let ligamentumFlavum = TargetStructure(
        id: "ligamentum-flavum", displayName: "Ligamentum flavum",
        synonyms: ["ligamenta flava", "flavum", "yellow ligament"],
        regions: [.cervical, .thoracic, .lumbar, .sacral])

    public static let medialBranch = TargetStructure(
        id: "medial-branch", displayName: "Medial branch of the dorsal ramus",
        synonyms: ["medial branch", "medial branch nerve", "medial branches", "MBN"],
        regions: [.cervical, .thoracic, .lumbar])

    public static let thoracolumbarFascia = TargetStructure(
        id: "thoracolumbar-fascia", displayName: "Thoracolumbar fascia",
        synonyms: ["TLF", "lumbodorsal fascia", "thoracodorsal fascia"],
        regions: [.thoracic, .lumbar, .sacral])

    public static let costotransverseLigament = TargetStructure(
        id: "costotransverse-ligament", displayName: "Costotransverse ligament",
        synonyms: [
            "costotransverse ligaments", "superior costotransverse ligament", "lateral costotransverse ligament",
        ],
        regions: [.thoracic])

    public static let costotransverseJoint = TargetStructure(
        id: "costotransverse-joint", displayName: "Costotransverse joint",
        synonyms: ["costotransverse", "CTJ"],
        regions: [.thoracic])

    public static let costovertebralJoint = TargetStructure(
        id: "costovertebral-joint", displayName: "Costovertebral joint",
        synonyms: ["costovertebral", "costocorporeal joint", "joint of head of rib", "CVJ"],
        regions: [.thoracic])

    public static let sternocostalJoint = TargetStructure(
        id: "sternocostal-joint", displayName: "Sternocostal joint",
        synonyms: ["sternocostal", "costosternal joint", "chondrosternal joint", "sternochondral joint"],
        regions: [.thoracic])

    /// Code confirmed: PS3.16 Annex L maps Body Part Examined SCJOINT to 7844006.
    public static let sternoclavicularJoint = TargetStructure(
        id: "sternoclavicular-joint", displayName: "Sternoclavicular joint",
        synonyms: ["sternoclavicular", "SC joint", "SCJ"],
        regions: [.thoracic],
        snomedCode: SNOMEDCode("7844006", "Sternoclavicular joint"))

    /// The joint itself (intra-articular), as opposed to its posterior ligaments.
    /// Code confirmed: PS3.16 Annex L maps Body Part Examined SIJOINT to 39723000.
    public static let sacroiliacJoint = TargetStructure(
        id: "sacroiliac-joint", displayName: "Sacroiliac joint",
        synonyms: ["SI joint", "SIJ", "sacroiliac", "sacro-iliac joint"],
        regions: [.sacral],
        snomedCode: SNOMEDCode("39723000", "Sacroiliac joint"))

    public static let posteriorSacroiliacLigament = TargetStructure(
        id: "posterior-sacroiliac-ligament", displayName: "Posterior sacroiliac ligaments",
        synonyms: [
            "posterior sacroiliac ligament", "posterior SI ligament", "posterior SI ligaments", "PSIL",
            "dorsal sacroiliac ligament", "long posterior sacroiliac ligament", "short posterior sacroiliac ligament",
        ],
        regions: [.sacral])

    public static let iliolumbarLigament = TargetStructure(
        id: "iliolumbar-ligament", displayName: "Iliolumbar ligament",
        synonyms: ["iliolumbar", "ILL"],
        regions: [.lumbar, .sacral])

    public static let sacrotuberousLigament = TargetStructure(
        id: "sacrotuberous-ligament", displayName: "Sacrotuberous ligament",
        synonyms: ["sacrotuberous", "STL"],
        regions: [.sacral, .coccygeal])

    public static let sacrospinousLigament = TargetStructure(
        id: "sacrospinous-ligament", displayName: "Sacrospinous ligament",
        synonyms: ["sacrospinous"],
        regions: [.sacral, .coccygeal])

    public static let sacrococcygealLigament = TargetStructure(
        id: "sacrococcygeal-ligament", displayName: "Sacrococcygeal ligaments",
        synonyms: ["sacrococcygeal ligaments", "sacrococcygeal joint", "sacrococcygeal"],
        regions: [.sacral, .coccygeal])

    /// Every structure the clinic targets, roughly from head to tail.
    public static let catalogue: [TargetStructure] = [
        .ligamentumNuchae, .facetCapsule, .medialBranch, .interspinousLigament, .supraspinousLigament,
        .ligamentumFlavum, .costotransverseJoint, .costotransverseLigament, .costovertebralJoint,
        .sternocostalJoint, .sternoclavicularJoint, .thoracolumbarFascia, .iliolumbarLigament,
        .sacroiliacJoint, .posteriorSacroiliacLigament, .sacrotuberousLigament, .sacrospinousLigament,
        .sacrococcygealLigament,
    ]
}
