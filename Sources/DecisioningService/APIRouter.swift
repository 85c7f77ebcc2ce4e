import DecisioningApplication
import DecisioningCore
import DecisioningStore
public import Hummingbird
import HummingbirdAuth

/// Every route of `decisioning serve`. Health, readiness, metrics and the OpenAPI document need no
/// key; everything under `/api/v1` does, and each route checks its role.
public enum APIRouter {
    public static func build(state: ServiceState) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ProblemMiddleware())
        HealthRoutes(state: state).add(to: router)
        let api = router.group("api/v1").add(middleware: APIKeyMiddleware(keys: state.keys))
        RunRoutes(state: state).add(to: api)
        DecisionRoutes(state: state).add(to: api)
        AnalysisRoutes(state: state).add(to: api)
        AlertRoutes(state: state).add(to: api)
        WebhookRoutes(state: state).add(to: api)
        return router
    }
}
