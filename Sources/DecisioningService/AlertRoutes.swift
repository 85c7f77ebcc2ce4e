import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import Foundation
import Hummingbird

/// `/api/v1/alerts`: the alerts' inbox (viewer), acknowledge and resolve (analyst).
struct AlertRoutes {
    let state: ServiceState

    func add(to group: RouterGroup<APIRequestContext>) {
        group.get("alerts", use: list)
        group.get("alerts/:id", use: show)
        group.post("alerts/:id/acknowledge", use: acknowledge)
        group.post("alerts/:id/resolve", use: resolve)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try context.require(.viewer)
        let parameters = request.uri.queryParameters
        let states = try Self.list(parameters.get("state"), field: "state", allowed: AlertState.allCases.map(\.rawValue)).compactMap(
            AlertState.init(rawValue:))
        let severities = try Self.list(parameters.get("severity"), field: "severity", allowed: Severity.allCases.map(\.rawValue))
            .compactMap(Severity.init(rawValue:))
        let limit = try Self.limit(parameters.get("limit"))
        var after: AlertCursor?
        if let cursor = parameters.get("cursor") {
            guard let decoded = Self.decodeCursor(cursor) else {
                throw Problem.badRequest(
                    "cursor is not one this server gave; use next_cursor of a previous page", extra: ["field": .string("cursor")])
            }
            after = decoded
        }
        let (application, query) = (state.application, AlertQuery(states: states, severities: severities, limit: limit, after: after))
        let page = try await BlockingPool.shared.run("list alerts") { _ in try application.listAlerts(query) }
        return JSONBody.response(
            .object([
                "alerts": .array(page.alerts.map(\.json)), "next_cursor": page.next.map { .string(Self.encodeCursor($0)) } ?? .null,
            ]))
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try context.require(.viewer)
        let id = try Self.alertId(context)
        let application = state.application
        guard let alert = try await BlockingPool.shared.run("read an alert", { _ in try application.alert(id: id) }) else {
            throw Self.problem(AlertError.notFound(id: id))
        }
        return JSONBody.response(alert.json)
    }

    @Sendable func acknowledge(_ request: Request, context: APIRequestContext) async throws -> Response {
        let key = try context.require(.analyst)
        let id = try Self.alertId(context)
        let (application, time) = (state.application, state.now())
        do {
            let alert = try await BlockingPool.shared.run("acknowledge an alert") { _ in
                try application.acknowledgeAlert(id: id, by: key.name, at: time)
            }
            return JSONBody.response(alert.json)
        } catch let error as AlertError {
            throw Self.problem(error)
        }
    }

    @Sendable func resolve(_ request: Request, context: APIRequestContext) async throws -> Response {
        let key = try context.require(.analyst)
        let id = try Self.alertId(context)
        let (application, time) = (state.application, state.now())
        do {
            let alert = try await BlockingPool.shared.run("resolve an alert") { _ in
                try application.resolveAlert(id: id, by: key.name, at: time)
            }
            return JSONBody.response(alert.json)
        } catch let error as AlertError {
            throw Self.problem(error)
        }
    }

    // MARK: - Helpers

    static func alertId(_ context: APIRequestContext) throws -> String {
        guard let id = context.parameters.get("id"), !id.isEmpty, id.count <= 64 else {
            throw Problem.badRequest("an alert id has 1 to 64 characters; GET /api/v1/alerts lists them")
        }
        return id
    }

    static func problem(_ error: AlertError) -> Problem {
        switch error {
        case .notFound(let id):
            return Problem(status: .notFound, title: "Not Found", detail: error.description, extra: ["alert_id": .string(id)])
        case .illegalTransition(let id, let state, _):
            return Problem(
                status: .conflict, title: "Conflict", detail: error.description,
                extra: ["alert_id": .string(id), "state": .string(state.rawValue)])
        }
    }

    /// A comma-separated query parameter whose items are all in `allowed` (nil or empty: none).
    static func list(_ text: String?, field: String, allowed: [String]) throws -> [String] {
        guard let text else { return [] }
        // An empty value is refused like any other unknown one: leave the parameter out to mean "all".
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        for item in items where !allowed.contains(item) {
            throw Problem.badRequest(
                "\(field) must be one or more of \(allowed.joined(separator: ", ")) (comma-separated), found '\(TerminalText.quoted(item))'",
                extra: ["field": .string(field)])
        }
        return items
    }

    /// `limit`: a whole number from 1 to 100 (default 50).
    static func limit(_ text: String?) throws -> Int {
        guard let text else { return 50 }
        guard let limit = Int(text), (1...100).contains(limit) else {
            throw Problem.badRequest("limit must be a whole number from 1 to 100", extra: ["field": .string("limit")])
        }
        return limit
    }

    /// The opaque cursor: base64url of `<unix seconds>:<id>`.
    static func encodeCursor(_ cursor: AlertCursor) -> String { RunCursor.encode("\(cursor.lastSeenAt.seconds):\(cursor.id)") }

    static func decodeCursor(_ text: String) -> AlertCursor? {
        guard let decoded = RunCursor.decode(text), let colon = decoded.firstIndex(of: ":"),
            let seconds = Int64(decoded[..<colon])
        else { return nil }
        let id = String(decoded[decoded.index(after: colon)...])
        guard AlertFingerprint.isWellFormed(id) else { return nil }
        return AlertCursor(lastSeenAt: Timestamp(seconds: seconds), id: id)
    }
}
