import Archive
import Foundation
import Hummingbird
import Records
import Workflows

/// A session's images into the clinic's PACS from its page (issue 15): `POST
/// /api/sessions/ID/pacs` starts a sending (physicians: it exports), `GET` lists the
/// sendings with what became of each object, for the page to show and follow.
struct PACSController {
    let server: NeedleServer
    let review: ReviewController

    /// What the page shows.
    struct Deliveries: ResponseEncodable {
        /// The PACS this daemon sends to; nil when none is configured.
        var destination: String?
        var commitment: Bool
        var deliveries: [Delivery]
    }

    struct Delivery: ResponseEncodable {
        var id: String
        var destination: String
        var by: String
        var startedAt: Date
        var finishedAt: Date?
        /// `sending`, `complete` (every object held, and committed where asked),
        /// `incomplete` (some not held, or not committed) or `cut short` (the daemon
        /// stopped while it ran).
        var state: String
        var problem: String?
        var counts: [String: Int]
        var instances: [PACSDelivery.Instance]
    }

    func addRoutes(to group: RouterGroup<NeedleContext>) {
        group.post("sessions/:id/pacs") { _, context -> EditedResponse<Delivery> in
            let id = try ReviewController.uuid(context, "id")
            let target = "session:\(id.lowercased)"
            let identity = try await server.authorize(context, .export, action: .export, target: target)
            let (_, patient) = try await review.sessionAndPatient(id, identity: identity, action: .export)
            guard let pacs = server.pacs else {
                throw HTTPError(.notFound, message: "this daemon sends to no PACS: set pacs = \"AE@HOST:PORT\" under [dicom] in its settings (or start it with --pacs)")
            }
            let delivery = try await pacs.send(session: id, by: identity.name)
            try await server.audit(identity, .export, target, patient: patient.id.value, detail: "sent to the PACS \(pacs.peer)")
            return EditedResponse(status: .accepted, response: await view(delivery, pacs))
        }

        group.get("sessions/:id/pacs") { _, context -> Deliveries in
            let id = try ReviewController.uuid(context, "id")
            let identity = try await server.authorize(context, .review, action: .viewSession, target: "session:\(id.lowercased)")
            _ = try await review.sessionAndPatient(id, identity: identity, action: .viewSession)
            var views: [Delivery] = []
            for delivery in try await server.archive.deliveries(ofSession: id).prefix(20) {
                views.append(await view(delivery, server.pacs))
            }
            return Deliveries(destination: server.pacs?.peer.description, commitment: server.pacs?.commitment != nil, deliveries: views)
        }
    }

    private func view(_ delivery: PACSDelivery, _ pacs: PACSDesk?) async -> Delivery {
        let running = await pacs?.isRunning(delivery.id) ?? false
        let state = running ? "sending" : delivery.finishedAt == nil ? "cut short" : delivery.isComplete ? "complete" : "incomplete"
        var counts: [String: Int] = [:]
        for instance in delivery.instances {
            counts[instance.status, default: 0] += 1
            if let commitment = instance.commitment { counts[commitment, default: 0] += 1 }
        }
        return Delivery(id: delivery.id.lowercased, destination: delivery.destination, by: delivery.by, startedAt: delivery.startedAt,
                        finishedAt: delivery.finishedAt, state: state, problem: delivery.problem, counts: counts, instances: delivery.instances)
    }
}
