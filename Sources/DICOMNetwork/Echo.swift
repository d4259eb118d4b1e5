extension Association {
    /// Verification (C-ECHO, PS3.7 section 9.1.5): whether the peer answers DICOM at all.
    /// - Throws: ``DICOMNetworkError`` `.failed` when it answers with a failure status.
    public func echo() async throws {
        guard let context = context(for: PresentationService.verification) else {
            throw DICOMNetworkError(.noAcceptedContext, "\(peer) does not accept verification (C-ECHO)")
        }
        var command = CommandSet()
        command.set(CommandSet.affectedSOPClass, uid: PresentationService.verification)
        command.set(CommandSet.commandField, uint16: 0x0030)
        let id = messageID()
        command.set(CommandSet.messageID, uint16: id)
        command.set(CommandSet.dataSetType, uint16: CommandSet.noDataSet)
        try await send(command, context: context.id)
        let answer = try await receive(waitingFor: "the answer to C-ECHO").command
        guard answer.uint16(CommandSet.commandField) == 0x8030, answer.uint16(CommandSet.respondedTo) == id else {
            throw DICOMNetworkError(.protocolError, "\(peer) answered C-ECHO with another message")
        }
        let status = answer.uint16(CommandSet.status) ?? 0xFFFF
        guard status == 0 else {
            throw DICOMNetworkError(.failed, "\(peer) answered C-ECHO with status 0x\(String(status, radix: 16, uppercase: true))")
        }
    }
}
