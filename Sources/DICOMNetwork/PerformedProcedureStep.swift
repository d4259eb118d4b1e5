import DICOMExport

/// What an MPPS SCP said to an N-CREATE or N-SET (PS3.4 F.7.2, PS3.7 C).
public enum ProcedureStepStatus: Sendable, Equatable {
    /// Taken (0x0000, or a warning such as 0x0001 / 0xB000: attributes it ignored).
    case accepted
    /// N-CREATE of a step the peer already holds (0x0111): a re-send whose first answer
    /// was lost on the way.
    case alreadyCreated
    /// Refused (its status and, in words, why): sending the same again will not help.
    case refused(UInt16, String)
}

extension Association {
    /// N-CREATE-RQ (PS3.7 10.1.5) of a Modality Performed Procedure Step under `uid`.
    public func createProcedureStep(_ uid: String, attributes: DataSet) async throws -> ProcedureStepStatus {
        try await procedureStep(uid, attributes, request: 0x0140, classElement: CommandSet.affectedSOPClass,
                                instanceElement: CommandSet.affectedSOPInstance, name: "N-CREATE")
    }

    /// N-SET-RQ (PS3.7 10.1.3) of the step `uid`: its changed attributes.
    public func setProcedureStep(_ uid: String, modifications: DataSet) async throws -> ProcedureStepStatus {
        try await procedureStep(uid, modifications, request: 0x0120, classElement: CommandSet.requestedSOPClass,
                                instanceElement: CommandSet.requestedSOPInstance, name: "N-SET")
    }

    private func procedureStep(_ uid: String, _ set: DataSet, request: UInt16, classElement: UInt16, instanceElement: UInt16,
                               name: String) async throws -> ProcedureStepStatus {
        guard let context = context(for: ProcedureStepReport.sopClass) else {
            throw DICOMNetworkError(.noAcceptedContext, "\(peer) does not take Modality Performed Procedure Steps (\(ProcedureStepReport.sopClass)): check the RIS's MPPS address and AE title")
        }
        var command = CommandSet()
        command.set(classElement, uid: ProcedureStepReport.sopClass)
        command.set(CommandSet.commandField, uint16: request)
        let id = messageID()
        command.set(CommandSet.messageID, uint16: id)
        command.set(CommandSet.dataSetType, uint16: CommandSet.dataSetPresent)
        command.set(instanceElement, uid: uid)
        let explicit = context.transferSyntax == PresentationService.explicitLittleEndian
        try await send(command, dataSet: explicit ? set.encoded() : set.encodedImplicit(), context: context.id)
        let answer = try await receive(waitingFor: "the answer to \(name) of the procedure step").command
        guard answer.uint16(CommandSet.commandField) == request | 0x8000, answer.uint16(CommandSet.respondedTo) == id else {
            throw DICOMNetworkError(.protocolError, "\(peer) answered \(name) with another message")
        }
        let status = answer.uint16(CommandSet.status) ?? 0xFFFF
        let comment = answer.text(CommandSet.errorComment).map { ": \($0)" } ?? ""
        let hex = "0x" + String(status, radix: 16, uppercase: true)
        switch status {
        case 0x0000, 0x0001, 0xB000...0xBFFF: return .accepted
        case 0x0111 where request == 0x0140: return .alreadyCreated
        case 0x0110: return .refused(status, "processing failure (\(hex))\(comment)")
        case 0x0112: return .refused(status, "no such procedure step (\(hex))\(comment)")
        case 0x0106, 0x0116: return .refused(status, "an attribute value it does not take (\(hex))\(comment)")
        case 0x0120, 0x0121: return .refused(status, "an attribute is missing (\(hex))\(comment)")
        case 0x0124: return .refused(status, "not authorized (\(hex))\(comment)")
        default: return .refused(status, "failure \(hex)\(comment)")
        }
    }
}
