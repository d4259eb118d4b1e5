import Archive
import Foundation
import Hummingbird
import Records
import Workflows

/// Accounts and the audit trail, for admins.
struct AdminController {
    let server: NeedleServer

    struct AccountView: Codable {
        var name: String
        var role: String
        /// Who the account is (family, given, credentials); absent for an account made before names.
        var person: PersonName?
        var disabled: Bool
        var createdAt: Date
        init(_ account: Account) {
            name = account.name
            role = account.role.rawValue
            person = account.person
            disabled = account.disabled
            createdAt = account.createdAt
        }
    }

    struct AccountList: ResponseEncodable { var users: [AccountView] }
    struct AuditList: ResponseEncodable { var events: [AuditEvent] }

    struct AddRequest: Decodable {
        var name: String
        var role: Account.Role
        var person: PersonName?
        var password: String
    }

    struct ChangeRequest: Decodable {
        var role: Account.Role?
        var person: PersonName?
        var password: String?
        var disabled: Bool?
    }

    func addRoutes(to group: RouterGroup<NeedleContext>) {
        let book = AccountBook(archive: server.archive, hasher: server.hasher)
        group.get("users") { _, context -> AccountList in
            _ = try await server.authorize(context, .administer, action: .listUsers, target: "users")
            return AccountList(users: try await server.archive.accounts().map(AccountView.init))
        }
        group.post("users") { request, context -> Response in
            let identity = try await server.authorize(context, .administer, action: .userAdd, target: "users")
            let body = try await request.decode(as: AddRequest.self, context: context)
            let account = try await book.add(body.name, role: body.role, person: body.person, password: body.password, by: identity.name)
            var response = try AccountView(account).response(from: request, context: context)
            response.status = .created
            return response
        }
        group.post("users/:name") { request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            let identity = try await server.authorize(context, .administer, action: .userChange, target: "user:\(name.prefix(64))")
            let body = try await request.decode(as: ChangeRequest.self, context: context)
            let account = try await book.change(name, role: body.role, person: body.person, password: body.password, disabled: body.disabled, by: identity.name)
            if body.disabled == true || body.password != nil || body.role != nil { await server.sessions.closeAll(of: name) }
            return try AccountView(account).response(from: request, context: context)
        }
        group.get("audit") { request, context -> AuditList in
            _ = try await server.authorize(context, .administer, action: .readAudit, target: "audit")
            let patient = request.uri.queryParameters["patient"].map(String.init)
            return AuditList(events: try await server.archive.auditEvents(patient: patient?.isEmpty == false ? patient : nil, limit: 500))
        }
    }
}

extension AdminController.AccountView: ResponseEncodable {}
