/// Target structures the tech can tag, by the short ids NeedleLog uses.
public enum TargetStructure: String, Codable, Sendable, CaseIterable {
    case facetCapsule = "facet-capsule"
    case interspinousLigament = "interspinous-ligament"
    case supraspinousLigament = "supraspinous-ligament"
    case ligamentumNuchae = "ligamentum-nuchae"
    case posteriorSacroiliacLigament = "posterior-sacroiliac-ligament"
    case iliolumbarLigament = "iliolumbar-ligament"
    case sacrotuberousLigament = "sacrotuberous-ligament"
    case costotransverseLigament = "costotransverse-ligament"
    case sternocostalJoint = "sternocostal-joint"
    case thoracolumbarFascia = "thoracolumbar-fascia"
}
