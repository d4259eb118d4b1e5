import Archive
import Foundation
import Hummingbird
import Records

/// The patients the tech picks from when starting a session, and a new patient added at
/// the table. Both need the capture permission; adding one is audited.
struct PatientController {
    let server: NeedleServer

    struct NewPatient: Decodable {
        var id: String
        var familyName: String
        var givenName: String
        var birthDate: String
        var sex: String?
    }

    struct PatientList: ResponseEncodable { var patients: [PatientView] }

    func addRoutes(to group: RouterGroup<NeedleContext>) {
        // `?q=` matches the start of an id or a family name, case-insensitively; at most 20.
        group.get("patients") { request, context -> PatientList in
            let identity = try context.require(.capture)
            let query = (request.uri.queryParameters["q"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            let found = try await server.archive.patients().filter {
                query.isEmpty || $0.id.value.lowercased().hasPrefix(query) || $0.familyName.lowercased().hasPrefix(query)
            }.prefix(20)
            try await server.audit(identity, .listPatients, "patients", detail: "\(found.count) shown")
            return PatientList(patients: found.map(PatientView.init))
        }
        group.post("patients") { request, context -> Response in
            let identity = try context.require(.capture)
            let body = try await request.decode(as: NewPatient.self, context: context)
            let patient: Patient
            guard let sex = Sex(rawValue: (body.sex ?? "unknown").lowercased()) else {
                throw HTTPError(.badRequest, message: "sex \(body.sex ?? "") is not one of female, male, other, unknown")
            }
            patient = try Patient(id: PatientID(body.id), familyName: body.familyName, givenName: body.givenName,
                                  birthDate: CalendarDate(parsing: body.birthDate), sex: sex)
            do {
                try await server.archive.add(patient)
            } catch let error as ArchiveError where error.kind == .conflict {
                throw HTTPError(.conflict, message: "patient \(patient.id) exists already: pick them from the list")
            }
            try await server.audit(identity, .patientAdd, "patient:\(patient.id.value)", patient: patient.id.value)
            var response = try PatientView(patient).response(from: request, context: context)
            response.status = .created
            return response
        }
    }
}

extension PatientView: ResponseEncodable {}
