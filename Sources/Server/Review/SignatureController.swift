import Archive
import Foundation
import Hummingbird
import Records
import Workflows

/// `POST /api/sessions/ID/sign`: the session's physician signs its ended record, entering
/// their password again (a signature is the person, not whoever found the browser open).
/// Failed passwords count toward the sign-in throttle, so signing is no way around it.
struct SignatureController {
    let server: NeedleServer
    let review: ReviewController

    struct SignRequest: Decodable {
        var password: String
        /// The record's version the physician read (`revision.version`); a record changed
        /// since is not signed.
        var version: Int?
    }

    struct SignAnswer: ResponseEncodable {
        var signedBy: String
        var signedAt: Date
        /// The SHA-256 of the signed record, as the audit trail carries it.
        var recordHash: String
    }

    func addRoutes(to group: RouterGroup<NeedleContext>) {
        group.post("sessions/:id/sign") { request, context -> SignAnswer in
            let id = try ReviewController.uuid(context, "id")
            let target = "session:\(id.lowercased)"
            let identity = try await server.authorize(context, .annotate, action: .sign, target: target)
            let (session, patient) = try await review.sessionAndPatient(id, identity: identity, action: .sign)
            let body = try await request.decode(as: SignRequest.self, context: context)
            guard session.physician == identity.name else {
                try await server.audit(identity, .sign, target, patient: patient.id.value, outcome: .denied, detail: "not the session's physician")
                throw HTTPError(.forbidden, message: "only \(session.physician), the session's physician, signs its record")
            }
            try await checkPassword(body.password, of: identity, target: target, patient: patient.id.value)
            do {
                let signature = try await RecordEditor(archive: server.archive).sign(id, version: body.version, by: identity.name)
                return SignAnswer(signedBy: signature.signedBy, signedAt: signature.signedAt, recordHash: signature.contentHash.hexDigits)
            } catch let error as ArchiveError where error.kind == .conflict {
                try await server.audit(identity, .sign, target, patient: patient.id.value, outcome: .failure, detail: "conflict")
                throw error
            }
        }
    }

    /// The signer's password, checked as a sign-in checks it (and counted with sign-ins).
    private func checkPassword(_ password: String, of identity: Identity, target: String, patient: String) async throws {
        let keys = ["user:" + identity.name]
        if case .wait(let wait, _, _) = await server.throttle.admit(keys) {
            let seconds = Int(wait.components.seconds) + 1
            throw HTTPError(.tooManyRequests, headers: [.retryAfter: String(seconds)],
                            message: "too many wrong passwords: wait \(seconds) s before signing again")
        }
        let matches: Bool
        do {
            guard let account = try await server.archive.account(named: identity.name), !account.disabled else {
                throw HTTPError(.forbidden, message: "the account \(identity.name) is disabled: it cannot sign")
            }
            matches = try await server.hasher.verify(password, against: account.passwordHash)
        } catch let busy as WorkerPool.Busy {
            await server.throttle.notChecked(keys)
            throw HTTPError(.serviceUnavailable, headers: [.retryAfter: "5"], message: busy.description)
        }
        guard matches else {
            try await server.audit(identity, .sign, target, patient: patient, outcome: .denied, detail: "wrong password")
            throw HTTPError(.forbidden, message: "that is not your password: enter the password you sign in with to sign")
        }
        await server.throttle.succeeded(keys)
    }
}
