import DICOMExport

/// What NeedleLog proposes when it opens an association (A-ASSOCIATE-RQ, PS3.8 section 9.3.2).
struct AssociationRequest: Equatable {
    /// A service asked for, and the encodings offered for it.
    struct Context: Equatable {
        /// Odd, 1-255, in the order proposed.
        var id: UInt8
        var abstractSyntax: String
        var transferSyntaxes: [String]
    }

    var calledTitle: String
    var callingTitle: String
    var contexts: [Context]
    var user = UserInformation(maximumLength: UInt32(PDU.maximumLength), implementationClass: DICOMUID.implementationClass,
                               implementationVersion: DICOMUID.implementationVersionName)

    /// The DICOM application context every association uses.
    static let applicationContext = "1.2.840.10008.3.1.1.1"

    init(calledTitle: String, callingTitle: String, contexts: [Context]) {
        self.calledTitle = calledTitle
        self.callingTitle = callingTitle
        self.contexts = contexts
    }

    func encodeBody(into body: inout Bytes) {
        body.appendHeader(called: calledTitle, calling: callingTitle)
        for context in contexts {
            var item = Bytes()
            item.append([context.id, 0, 0, 0])
            item.appendItem(0x30, Array(context.abstractSyntax.utf8))
            for syntax in context.transferSyntaxes { item.appendItem(0x40, Array(syntax.utf8)) }
            body.appendItem(0x20, item.bytes)
        }
        body.appendItem(0x50, user.encoded())
    }

    /// Read back (tests, and a peer playing the other side).
    init(body reader: inout ByteReader) throws(DICOMNetworkError) {
        (calledTitle, callingTitle) = try reader.associateHeader()
        contexts = []
        while !reader.isAtEnd {
            var (type, item) = try reader.item()
            switch type {
            case 0x20:
                let id = try item.uint8()
                try item.skip(3)
                var context = Context(id: id, abstractSyntax: "", transferSyntaxes: [])
                while !item.isAtEnd {
                    let (subType, sub) = try item.item()
                    let value = ByteReader.text(sub.bytes)
                    if subType == 0x30 { context.abstractSyntax = value } else if subType == 0x40 { context.transferSyntaxes.append(value) }
                }
                contexts.append(context)
            case 0x50:
                user = try UserInformation(&item)
            default:
                break
            }
        }
    }
}

/// What the peer answered (A-ASSOCIATE-AC, PS3.8 section 9.3.3).
struct AssociationAccept: Equatable {
    /// A proposed context and the peer's answer: 0 accepted (with one transfer syntax),
    /// 1 user rejection, 2 no reason, 3 abstract syntax not supported, 4 no transfer syntax.
    struct Context: Equatable {
        var id: UInt8
        var result: UInt8
        var transferSyntax: String
    }

    var contexts: [Context]
    /// The peer's largest PDU (0: no limit) and its implementation.
    var user: UserInformation
    /// PS3.8 9.3.3.1: the titles of the request, sent back (not tested by receivers).
    var calledTitle = ""
    var callingTitle = ""

    init(contexts: [Context], user: UserInformation, calledTitle: String = "", callingTitle: String = "") {
        self.contexts = contexts
        self.user = user
        self.calledTitle = calledTitle
        self.callingTitle = callingTitle
    }

    init(body reader: inout ByteReader) throws(DICOMNetworkError) {
        (calledTitle, callingTitle) = try reader.associateHeader()
        contexts = []
        user = UserInformation(maximumLength: 0, implementationClass: "", implementationVersion: "")
        while !reader.isAtEnd {
            var (type, item) = try reader.item()
            switch type {
            case 0x21:
                let id = try item.uint8()
                try item.skip(1)
                let result = try item.uint8()
                try item.skip(1)
                var syntax = ""
                while !item.isAtEnd {
                    let (subType, sub) = try item.item()
                    if subType == 0x40 { syntax = ByteReader.text(sub.bytes) }
                }
                contexts.append(Context(id: id, result: result, transferSyntax: syntax))
            case 0x50:
                user = try UserInformation(&item)
            default:
                break
            }
        }
    }

    func encodeBody(into body: inout Bytes) {
        body.appendHeader(called: calledTitle, calling: callingTitle)
        for context in contexts {
            var item = Bytes()
            item.append([context.id, 0, context.result, 0])
            item.appendItem(0x40, Array(context.transferSyntax.utf8))
            body.appendItem(0x21, item.bytes)
        }
        body.appendItem(0x50, user.encoded())
    }
}

/// The user information item's sub-items NeedleLog writes and reads (PS3.7 annex D.3.3).
struct UserInformation: Equatable {
    var maximumLength: UInt32
    var implementationClass: String
    var implementationVersion: String
    /// SCP/SCU role selection (D.3.3.4): for an abstract syntax, whether the requestor
    /// proposes (or the acceptor grants) the SCU and the SCP role. A storage commitment SCP
    /// that reports on an association of its own asks for the SCP role this way.
    var roles: [Role] = []

    struct Role: Equatable {
        var abstractSyntax: String
        var scu: Bool
        var scp: Bool
    }

    init(maximumLength: UInt32, implementationClass: String, implementationVersion: String) {
        self.maximumLength = maximumLength
        self.implementationClass = implementationClass
        self.implementationVersion = implementationVersion
    }

    init(_ reader: inout ByteReader) throws(DICOMNetworkError) {
        self.init(maximumLength: 0, implementationClass: "", implementationVersion: "")
        while !reader.isAtEnd {
            var (type, item) = try reader.item()
            switch type {
            case 0x51: maximumLength = try item.uint32()
            case 0x52: implementationClass = ByteReader.text(item.bytes)
            case 0x55: implementationVersion = ByteReader.text(item.bytes)
            case 0x54:
                let length = Int(try item.uint16())
                let syntax = ByteReader.text(try item.bytes(length))
                roles.append(Role(abstractSyntax: syntax, scu: try item.uint8() == 1, scp: try item.uint8() == 1))
            default: break
            }
        }
    }

    func encoded() -> [UInt8] {
        var user = Bytes()
        var length = Bytes()
        length.appendUInt32(maximumLength)
        user.appendItem(0x51, length.bytes)
        user.appendItem(0x52, Array(implementationClass.utf8))
        for role in roles {
            var item = Bytes()
            item.appendUInt16(UInt16(role.abstractSyntax.utf8.count))
            item.append(Array(role.abstractSyntax.utf8))
            item.append([role.scu ? 1 : 0, role.scp ? 1 : 0])
            user.appendItem(0x54, item.bytes)
        }
        user.appendItem(0x55, Array(implementationVersion.utf8))
        return user.bytes
    }
}
