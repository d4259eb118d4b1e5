import DICOMExport

extension Association {
    /// C-FIND (PS3.7 9.1.2): sends `identifier` as the query of `sopClass` and gathers every
    /// pending answer's identifier until the peer says it is done. Past `limit` matches it
    /// asks the peer to stop (C-CANCEL) and keeps the first `limit`.
    ///
    /// - Throws: ``DICOMNetworkError``: `.noAcceptedContext` when the peer takes no queries
    ///   of `sopClass`; `.failed` with the peer's status and comment; `.protocolError` for an
    ///   answer that does not read; a timeout when an answer is late.
    public func find(_ identifier: DataSet, sopClass: String, limit: Int = 1000) async throws -> [DataSet] {
        guard let context = context(for: sopClass) else {
            throw DICOMNetworkError(.noAcceptedContext, "\(peer) does not take queries of \(sopClass)")
        }
        let explicit = context.transferSyntax == PresentationService.explicitLittleEndian
        var command = CommandSet()
        command.set(CommandSet.affectedSOPClass, uid: sopClass)
        command.set(CommandSet.commandField, uint16: 0x0020)
        let id = messageID()
        command.set(CommandSet.messageID, uint16: id)
        command.set(CommandSet.priority, uint16: 0)
        command.set(CommandSet.dataSetType, uint16: CommandSet.dataSetPresent)
        try await send(command, dataSet: explicit ? identifier.encoded() : identifier.encodedImplicit(), context: context.id)
        var matches: [DataSet] = []
        var cancelled = false
        while true {
            let answer = try await receive(waitingFor: "the answer to C-FIND")
            guard answer.command.uint16(CommandSet.commandField) == 0x8020, answer.command.uint16(CommandSet.respondedTo) == id else {
                throw DICOMNetworkError(.protocolError, "\(peer) answered C-FIND with another message")
            }
            let status = answer.command.uint16(CommandSet.status) ?? 0xFFFF
            switch status {
            case 0xFF00, 0xFF01:
                guard let bytes = answer.dataSet else { throw DICOMNetworkError(.protocolError, "\(peer) sent a pending C-FIND answer with no identifier") }
                do {
                    let match = try DataSet(decoding: bytes, explicitVR: explicit)
                    if matches.count < limit { matches.append(match) }
                } catch {
                    throw DICOMNetworkError(.protocolError, "\(peer) sent a C-FIND answer that does not read: \(error)")
                }
                if matches.count >= limit, !cancelled {
                    cancelled = true
                    var cancel = CommandSet()
                    cancel.set(CommandSet.commandField, uint16: 0x0FFF)
                    cancel.set(CommandSet.respondedTo, uint16: id)
                    cancel.set(CommandSet.dataSetType, uint16: CommandSet.noDataSet)
                    try await send(cancel, context: context.id)
                }
            case 0x0000, 0xFE00:
                return matches
            default:
                let comment = answer.command.text(CommandSet.errorComment).map { ": \($0)" } ?? ""
                throw DICOMNetworkError(.failed, "\(peer) refused the query with status 0x\(String(status, radix: 16, uppercase: true)) (\(Self.findFailure(status)))\(comment)")
            }
        }
    }

    /// PS3.4 C.4.1.1.4's failure statuses, in words.
    static func findFailure(_ status: UInt16) -> String {
        switch status {
        case 0xA700: "out of resources"
        case 0xA900: "the query does not match the SOP class"
        case 0x0122: "the SOP class is not supported"
        case 0xC000...0xCFFF: "the peer cannot process the query"
        default: "failure"
        }
    }
}
