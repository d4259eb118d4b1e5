import Anatomy
import Hummingbird

/// `GET /api/anatomy`: the spine's levels, the target structures and the sides, as Anatomy
/// knows them, so the pages draw their pickers from one catalogue instead of copies.
struct AnatomyController {
    struct Level: Codable, Sendable {
        var name: String
        var region: String
    }

    struct Structure: Codable, Sendable {
        var id: String
        var name: String
        /// The spinal regions it lies in: the tech page offers it for a level there.
        var regions: [String]
    }

    struct Catalogue: ResponseCodable, Sendable {
        /// C1 to the coccyx, without the transitional T13 and L6 (the parser reads those when typed).
        var levels: [Level]
        var structures: [Structure]
        var sides: [String]
    }

    static let catalogue = Catalogue(
        levels: VertebralLevel.ordinaryLevels.map { Level(name: $0.description, region: $0.region.rawValue) },
        structures: TargetStructure.catalogue.map { structure in
            Structure(id: structure.id.rawValue, name: structure.displayName,
                      regions: SpinalRegion.allCases.filter { structure.regions.contains($0) }.map(\.rawValue))
        },
        sides: Laterality.allCases.map(\.rawValue))

    func addRoutes(to group: RouterGroup<NeedleContext>) {
        // Any signed-in account (and the station): nothing here is clinical.
        group.get("anatomy") { _, context -> Catalogue in
            guard context.identity != nil else {
                throw HTTPError(.unauthorized, message: "sign in first: POST /api/login with your user name and password")
            }
            return Self.catalogue
        }
    }
}
