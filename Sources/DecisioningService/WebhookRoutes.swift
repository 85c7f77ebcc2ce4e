import DecisioningApplication
import DecisioningCore
import DecisioningStore
import Foundation
import Hummingbird

/// `/api/v1/webhooks`: the outbox's deliveries (viewer) and a signed test event sent now (admin).
struct WebhookRoutes {
    let state: ServiceState

    func add(to group: RouterGroup<APIRequestContext>) {
        group.get("webhooks/deliveries", use: deliveries)
        group.post("webhooks/test", use: test)
    }

    @Sendable func deliveries(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try context.require(.viewer)
        let parameters = request.uri.queryParameters
        let states = try AlertRoutes.list(
            parameters.get("state"), field: "state", allowed: WebhookDeliveryState.allCases.map(\.rawValue)
        ).compactMap(WebhookDeliveryState.init(rawValue:))
        let limit = try AlertRoutes.limit(parameters.get("limit"))
        var after: String?
        if let cursor = parameters.get("cursor") {
            guard let id = RunCursor.decode(cursor) else {
                throw Problem.badRequest(
                    "cursor is not one this server gave; use next_cursor of a previous page", extra: ["field": .string("cursor")])
            }
            after = id
        }
        let (application, cursor) = (state.application, after)
        let page = try await BlockingPool.shared.run("list webhook deliveries") { _ in
            try application.listDeliveries(states: states, limit: limit + 1, after: cursor)
        }
        let shown = Array(page.prefix(limit))
        let next: JSONValue = page.count > limit ? shown.last.map { .string(RunCursor.encode($0.id)) } ?? .null : .null
        return JSONBody.response(.object(["deliveries": .array(shown.map(\.json)), "next_cursor": next]))
    }

    /// Sends a signed `test` event to every configured webhook now (not through the outbox: it is
    /// neither stored nor retried) and answers each receiver's status or why it failed.
    @Sendable func test(_ request: Request, context: APIRequestContext) async throws -> Response {
        let key = try context.require(.admin)
        let hooks = state.application.configuration.alerts.webhooks
        guard !hooks.isEmpty else {
            throw Problem(
                status: .conflict, title: "Conflict",
                detail: "no webhook is configured; add one under alerts.webhooks (name, url, secret_env) and restart the server")
        }
        let time = state.now()
        let (transport, environment) = (state.webhookTransport, state.webhookSettings.environment)
        let results = await withTaskGroup(of: (Int, JSONValue).self) { group in
            for (index, hook) in hooks.enumerated() {
                group.addTask {
                    let id = WebhookOutbox.newDeliveryId()
                    let payload = WebhookOutbox.payload(
                        type: "test", at: time,
                        data: .object([
                            "message": .string("a test event from decisioning; if the signature verifies, this webhook is set up"),
                            "webhook": .string(hook.name), "requested_by": .string(key.name),
                        ]))
                    var fields: [String: JSONValue] = ["webhook": .string(hook.name), "url": .string(hook.url), "id": .string(id)]
                    let attempt: WebhookAttempt
                    switch DecisioningApplication.Application.signedRequest(
                        id: id, payload: payload, hook: hook, at: time, environment: environment)
                    {
                    case .success(let request): attempt = await transport.send(request)
                    case .failure(let notSent): attempt = .notSent(notSent.reason)
                    }
                    fields["delivered"] = .bool(attempt.isSuccess)
                    fields["status"] = attempt.status.map { .number(Double($0)) } ?? .null
                    fields["error"] = attempt.failure.map(JSONValue.string) ?? .null
                    fields["result"] = .string(attempt.label)
                    return (index, .object(fields))
                }
            }
            var results: [(Int, JSONValue)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return JSONBody.response(.object(["results": .array(results)]))
    }
}
