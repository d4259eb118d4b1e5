import Archive
import Foundation
import Hummingbird
import Records
import Workflows

/// Who can be named on a record, for the tech page's pickers: `GET /api/staff?duty=physician`
/// (or `tech`) lists the active accounts of that role with their names. Anyone who may
/// capture may ask; it holds no patient data.
struct StaffController {
    let server: NeedleServer

    struct Member: Codable {
        var name: String
        var person: PersonName?
    }

    struct StaffList: ResponseCodable {
        var duty: String
        var staff: [Member]
    }

    func addRoutes(to group: RouterGroup<NeedleContext>) {
        group.get("staff") { request, context -> StaffList in
            _ = try context.require(.capture)
            let text = request.uri.queryParameters["duty"].map(String.init) ?? "physician"
            guard let duty = StaffRoster.Duty(rawValue: text) else {
                throw HTTPError(.badRequest, message: "duty \(text.prefix(40)) is not one of physician, tech")
            }
            let members = try await StaffRoster(archive: server.archive).candidates(for: duty)
            return StaffList(duty: duty.rawValue, staff: members.map { Member(name: $0.name, person: $0.person) })
        }
    }
}
