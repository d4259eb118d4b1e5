import Archive
import Foundation
import Records

/// What a session about to start is: a new procedure for a patient, checked against the
/// archive, or the next part of one cut short. One set of rules for the daemon's desk and
/// for `needlelog record`.
public struct SessionPlanner: Sendable {
    public let archive: any ArchiveStore

    public init(archive: any ArchiveStore) {
        self.archive = archive
    }

    /// How long after its start a procedure can still be continued: a part the next
    /// morning is a new procedure.
    public static let continuationWindow: TimeInterval = 12 * 3600

    /// A new procedure, starting now, for a patient the archive has.
    ///
    /// - Parameters: the values as typed; `treatment` defaults to 1/1. The physician and
    ///   tech must be active accounts of those roles (``StaffRoster``); a missing one is the
    ///   only account that could be meant, else refused.
    public func newProcedure(patient: String, treatment: String?, physician: String?, tech: String?,
                             indication: String?) async throws -> ProcedureSession {
        let patientID: PatientID
        let number: TreatmentNumber
        do {
            number = try TreatmentNumber(parsing: treatment ?? "1/1")
            patientID = try PatientID(patient)
        } catch {
            throw WorkflowError(.invalid, "\(error)")
        }
        guard try await archive.patient(patientID) != nil else {
            throw WorkflowError(.notFound, "no patient \(patientID): add the patient first")
        }
        let roster = StaffRoster(archive: archive)
        let performer = try await roster.resolve(physician, as: .physician)
        let atTable = try await roster.resolve(tech, as: .tech)
        do {
            return try ProcedureSession(patientID: patientID, startedAt: Date(), physician: performer.name,
                                        tech: atTable.name, indication: indication ?? "", treatment: number)
        } catch {
            throw WorkflowError(.invalid, "\(error)")
        }
    }

    /// The next part of the procedure session `text` began, starting now: its patient,
    /// treatment, physician and indication; `tech` (else its tech) at the table.
    ///
    /// - Throws: ``WorkflowError`` when the id is malformed or unknown, names another
    ///   patient than `patient`, started too long ago, was not cut short, or was
    ///   continued already (naming the part that did).
    public func continuation(of text: String, patient: String?, tech: String?) async throws -> ProcedureSession {
        guard let id = UUID(uuidString: text) else {
            throw WorkflowError(.invalid, "\"\(text.prefix(80))\" is not a session id: give the whole id of the session cut short, as the status shows it")
        }
        let name = id.uuidString.lowercased().prefix(8)
        guard let previous = try await archive.session(id) else {
            throw WorkflowError(.notFound, "no session \(id.uuidString.lowercased()) to continue")
        }
        if let patient, patient != previous.patientID.value {
            throw WorkflowError(.invalid, "session \(name) is another patient's: leave the patient out, or start a new session for \(patient)")
        }
        guard Date().timeIntervalSince(previous.startedAt) < Self.continuationWindow else {
            throw WorkflowError(.conflict, "session \(name) started more than \(Int(Self.continuationWindow / 3600)) hours ago: start a new session (the next treatment) instead")
        }
        // The archive refuses a part continued already; checked here too, to answer before the source is opened.
        if let next = try await archive.procedureParts(of: id).first(where: { $0.session.continuation?.previous == id }) {
            throw WorkflowError(.conflict, "session \(name) was continued already, as session \(next.session.id.uuidString.lowercased().prefix(8)) (part \(next.session.part))")
        }
        // A new tech at the table must be one; the part's own tech was checked when it began.
        var next = previous.tech
        if let tech { next = try await StaffRoster(archive: archive).resolve(tech, as: .tech).name }
        do {
            return try previous.continued(at: Date(), tech: next)
        } catch {
            throw WorkflowError(.conflict, "session \(name): \(error)")
        }
    }
}
