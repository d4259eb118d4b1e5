import DICOMExport

/// Storage Commitment Push Model (PS3.4 annex J): NeedleLog asks the archive to take
/// responsibility for instances it sent (N-ACTION), and the archive answers later with an
/// N-EVENT-REPORT, usually on an association of its own to NeedleLog's listener.
public enum StorageCommitment {
    public static let sopClass = "1.2.840.10008.1.20.1"
    /// The well-known SOP instance every request names.
    public static let sopInstance = "1.2.840.10008.1.20.1.1"

    /// One instance: its SOP class and SOP instance UIDs.
    public struct Reference: Sendable, Hashable, Codable {
        public var sopClassUID: String
        public var sopInstanceUID: String

        public init(sopClassUID: String, sopInstanceUID: String) {
            self.sopClassUID = sopClassUID
            self.sopInstanceUID = sopInstanceUID
        }
    }

    /// The archive's answer to one request (its transaction).
    public struct Report: Sendable, Equatable {
        public var transactionUID: String
        public var committed: [Reference]
        /// Instances the archive will not vouch for, with PS3.3 C.14.1.1's failure reason.
        public var failed: [(reference: Reference, reason: UInt16)]

        public static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.transactionUID == rhs.transactionUID && lhs.committed == rhs.committed
                && lhs.failed.map(\.reference) == rhs.failed.map(\.reference) && lhs.failed.map(\.reason) == rhs.failed.map(\.reason)
        }

        /// Reads an N-EVENT-REPORT's data set.
        init(_ set: DataSet) {
            func references(_ tag: DICOMTag) -> [(Reference, UInt16)] {
                (set[tag]?.items ?? []).map { item in
                    let reason: UInt16 = if case .bytes(let raw)? = item[.failureReason]?.value, raw.count >= 2 { UInt16(raw[0]) | UInt16(raw[1]) << 8 } else { 0 }
                    return (Reference(sopClassUID: item.string(.referencedSOPClassUID) ?? "", sopInstanceUID: item.string(.referencedSOPInstanceUID) ?? ""), reason)
                }
            }
            transactionUID = set.string(.transactionUID) ?? ""
            committed = references(.referencedSOPSequence).map(\.0)
            failed = references(.failedSOPSequence).map { (reference: $0.0, reason: $0.1) }
        }
    }

    /// PS3.3 C.14.1.1's failure reasons, in words.
    public static func failure(_ reason: UInt16) -> String {
        switch reason {
        case 0x0110: "processing failure"
        case 0x0112: "no such object instance (the archive does not hold it)"
        case 0x0213: "resource limitation"
        case 0x0122: "referenced SOP class not supported"
        case 0x0119: "class / instance conflict"
        case 0x0131: "duplicate transaction UID"
        default: "failure 0x" + String(reason, radix: 16, uppercase: true)
        }
    }
}

extension Association {
    /// N-ACTION-RQ (action type 1): asks the peer to commit to storing `references` under
    /// `transactionUID`. The answer to the request only says it was taken; the outcome
    /// comes in an N-EVENT-REPORT (see ``CommitmentListener``).
    public func requestCommitment(transactionUID: String, references: [StorageCommitment.Reference]) async throws {
        guard let context = context(for: StorageCommitment.sopClass) else {
            throw DICOMNetworkError(.noAcceptedContext, "\(peer) does not offer storage commitment (\(StorageCommitment.sopClass)): push without --commit, or enable it on the archive")
        }
        var set = DataSet()
        set.set(.transactionUID, .UI, transactionUID)
        set.set(.referencedSOPSequence, items: references.map { reference in
            var item = DataSet()
            item.set(.referencedSOPClassUID, .UI, reference.sopClassUID)
            item.set(.referencedSOPInstanceUID, .UI, reference.sopInstanceUID)
            return item
        })
        var command = CommandSet()
        command.set(CommandSet.requestedSOPClass, uid: StorageCommitment.sopClass)
        command.set(CommandSet.commandField, uint16: 0x0130)
        let id = messageID()
        command.set(CommandSet.messageID, uint16: id)
        command.set(CommandSet.dataSetType, uint16: CommandSet.dataSetPresent)
        command.set(CommandSet.requestedSOPInstance, uid: StorageCommitment.sopInstance)
        command.set(CommandSet.actionTypeID, uint16: 1)
        let explicit = context.transferSyntax == PresentationService.explicitLittleEndian
        try await send(command, dataSet: explicit ? set.encoded() : set.encodedImplicit(), context: context.id)
        let answer = try await receive(waitingFor: "the answer to the storage commitment request").command
        guard answer.uint16(CommandSet.commandField) == 0x8130, answer.uint16(CommandSet.respondedTo) == id else {
            throw DICOMNetworkError(.protocolError, "\(peer) answered the storage commitment request with another message")
        }
        let status = answer.uint16(CommandSet.status) ?? 0xFFFF
        guard status == 0 else {
            let comment = answer.text(CommandSet.errorComment).map { ": \($0)" } ?? ""
            throw DICOMNetworkError(.failed, "\(peer) refused the storage commitment request with status 0x\(String(status, radix: 16, uppercase: true))\(comment)")
        }
    }
}
