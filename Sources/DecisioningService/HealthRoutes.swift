import DecisioningApplication
import DecisioningCore
import DecisioningStore
import Hummingbird
import HummingbirdAuth
import Prometheus

/// `/healthz`, `/readyz`, `/metrics` and `/openapi.json`.
struct HealthRoutes {
    let state: ServiceState

    func add(to router: Router<APIRequestContext>) {
        router.get("healthz") { _, _ in JSONBody.response(.object(["status": .string("ok")])) }
        router.get("readyz", use: ready)
        router.get("metrics", use: metrics)
        router.get("openapi.json") { _, _ in JSONBody.text(OpenAPIDocument.text) }
    }

    /// Ready when not shutting down, the store answers and every migration is applied.
    @Sendable func ready(_ request: Request, context: APIRequestContext) async throws -> Response {
        if state.isStopping {
            return JSONBody.response(.object(["status": .string("stopping")]), status: .serviceUnavailable)
        }
        let application = state.application
        do {
            let applied = try await BlockingPool.shared.run("check readiness") { _ in try application.store.appliedMigrations() }
            let missing = Migrations.all.map(\.id).filter { !applied.contains($0) }
            guard missing.isEmpty else {
                return JSONBody.response(
                    .object(["status": .string("migrations pending"), "missing": .array(missing.map(JSONValue.string))]),
                    status: .serviceUnavailable)
            }
        } catch {
            context.logger.warning("store not reachable", metadata: ["error": "\(error)"])
            return JSONBody.response(.object(["status": .string("store unreachable")]), status: .serviceUnavailable)
        }
        return JSONBody.response(.object(["status": .string("ready")]))
    }

    @Sendable func metrics(_ request: Request, context: APIRequestContext) async throws -> Response {
        if state.application.configuration.service.metricsRequireKey {
            guard let token = request.headers.bearerToken, try await state.keys.authenticate(token) != nil else {
                throw Problem.unauthorized()
            }
        }
        ServiceMetrics.refreshGauges()
        await ServiceMetrics.refreshAlertGauges(state.application)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: ServiceMetrics.registry.emitToBuffer())))
    }
}
