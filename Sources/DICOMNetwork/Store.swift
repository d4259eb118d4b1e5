import DICOMExport

/// What a storage SCP said to one C-STORE (PS3.4 B.2.3).
public enum StoreStatus: Sendable, Equatable {
    case stored
    /// Stored, with a warning status (0xB000 coercion, 0xB007 data set mismatch, 0xB006 elements discarded).
    case storedWithWarning(UInt16)
    /// The peer already held the instance (0x0111, which some archives send for a repeat).
    case alreadyStored
    /// Out of resources (0xA7xx): worth trying again later.
    case busy(UInt16, String)
    /// Refused for good: the data set does not fit the SOP class, cannot be understood, or
    /// the SOP class is not supported. Sending the same bytes again will not help.
    case refused(UInt16, String)
}

extension Association {
    /// Sends one object with C-STORE (PS3.7 9.1.1) on the context accepted for its SOP
    /// class, converting explicit to implicit VR little endian when the peer chose that.
    /// - Throws: ``DICOMNetworkError``: `.noAcceptedContext` when the peer takes no
    ///   objects of this SOP class in a transfer syntax NeedleLog can send; transport
    ///   failures and timeouts as for any message.
    public func store(_ file: PartTenFile.Parts) async throws -> StoreStatus {
        guard let context = context(for: file.sopClassUID, preferring: file.transferSyntaxUID) else {
            throw DICOMNetworkError(.noAcceptedContext, "\(peer) does not accept \(file.sopClassUID) objects")
        }
        let bytes: [UInt8]
        if context.transferSyntax == file.transferSyntaxUID {
            bytes = file.dataSet
        } else if context.transferSyntax == PresentationService.implicitLittleEndian, file.transferSyntaxUID == PresentationService.explicitLittleEndian {
            do {
                bytes = try DataSet(decoding: file.dataSet, explicitVR: true).encodedImplicit()
            } catch {
                throw DICOMNetworkError(.failed, "\(file.sopInstanceUID) cannot be converted to implicit VR for \(peer): \(error)")
            }
        } else {
            throw DICOMNetworkError(.noAcceptedContext, "\(peer) chose \(context.transferSyntax) for \(file.sopClassUID); the file is in \(file.transferSyntaxUID)")
        }
        var command = CommandSet()
        command.set(CommandSet.affectedSOPClass, uid: file.sopClassUID)
        command.set(CommandSet.commandField, uint16: 0x0001)
        let id = messageID()
        command.set(CommandSet.messageID, uint16: id)
        command.set(CommandSet.priority, uint16: 0)
        command.set(CommandSet.dataSetType, uint16: CommandSet.dataSetPresent)
        command.set(CommandSet.affectedSOPInstance, uid: file.sopInstanceUID)
        try await send(command, dataSet: bytes, context: context.id)
        let answer = try await receive(waitingFor: "the answer to C-STORE of \(file.sopInstanceUID)").command
        guard answer.uint16(CommandSet.commandField) == 0x8001, answer.uint16(CommandSet.respondedTo) == id else {
            throw DICOMNetworkError(.protocolError, "\(peer) answered C-STORE with another message")
        }
        let status = answer.uint16(CommandSet.status) ?? 0xFFFF
        let comment = answer.text(CommandSet.errorComment).map { ": \($0)" } ?? ""
        let hex = "0x" + String(status, radix: 16, uppercase: true)
        switch status {
        case 0x0000: return .stored
        case 0x0111: return .alreadyStored
        case 0x0001, 0xB000...0xBFFF: return .storedWithWarning(status)
        case 0xA700...0xA7FF: return .busy(status, "out of resources (\(hex))\(comment)")
        case 0xA900...0xA9FF: return .refused(status, "the data set does not match the SOP class (\(hex))\(comment)")
        case 0xC000...0xCFFF: return .refused(status, "the peer cannot understand it (\(hex))\(comment)")
        case 0x0122: return .refused(status, "the SOP class is not supported (\(hex))\(comment)")
        case 0x0124: return .refused(status, "not authorized (\(hex))\(comment)")
        default: return .refused(status, "failure \(hex)\(comment)")
        }
    }

    /// The transfer syntaxes NeedleLog can send a file in: its own, and implicit VR for an
    /// explicit VR little endian file (a peer may take only the default).
    public static func transferSyntaxes(for file: PartTenFile.Parts) -> [String] {
        file.transferSyntaxUID == PresentationService.explicitLittleEndian
            ? [PresentationService.explicitLittleEndian, PresentationService.implicitLittleEndian]
            : [file.transferSyntaxUID]
    }
}
