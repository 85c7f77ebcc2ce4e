import DecisioningApplication
import DecisioningCore
import DecisioningStore
public import Hummingbird
import HummingbirdAuth

/// Every route of `decisioning serve`. Health, readiness, metrics and the OpenAPI document need no
/// key; everything under `/api/v1` does, and each route checks its role. The web dashboard's pages
/// (`/`, `/sign-in`, `/runs/…`) authenticate by a session cookie instead (`WebRoutes`).
public enum APIRouter {
    public static func build(state: ServiceState) -> Router<APIRequestContext> {
        ServiceMetrics.bootstrap()
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: MetricsMiddleware())
        let table = RouteTable()
        router.add(middleware: ProblemMiddleware(routes: table))
        HealthRoutes(state: state).add(to: router)
        WebRoutes(state: state).add(to: router)
        let api = router.group("api/v1").add(middleware: APIKeyMiddleware(keys: state.keys))
        RunRoutes(state: state).add(to: api)
        DecisionRoutes(state: state).add(to: api)
        AnalysisRoutes(state: state).add(to: api)
        AskRoutes(state: state).add(to: api)
        SimilarRoutes(state: state).add(to: api)
        SearchRoutes(state: state).add(to: api)
        IngestRoutes(state: state).add(to: api)
        AlertRoutes(state: state).add(to: api)
        WebhookRoutes(state: state).add(to: api)
        MCPRoutes(state: state).add(to: router)
        table.fill(router.routes.map { (method: $0.method.rawValue, path: $0.path.description) })
        return router
    }
}
