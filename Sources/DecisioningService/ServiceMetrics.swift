import DecisioningAgents
import DecisioningApplication
import DecisioningStore
import Metrics
import Prometheus
import Synchronization

/// The process's Prometheus registry, bootstrapped into swift-metrics once: Hummingbird's HTTP
/// metrics, the runs' and agents' metrics of the application layer, and the pool's gauges.
enum ServiceMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// Makes sure the registry is bootstrapped (before the first request records anything).
    static func bootstrap() { _ = registry }

    /// Sets the gauges that are read rather than counted: the blocking pool (where every database
    /// call runs) — threads started, busy, the capacity, and work waiting for a thread.
    static func refreshGauges() {
        let pool = BlockingPool.shared
        Gauge(label: "decisioning_pool_threads").record(pool.threadCount)
        Gauge(label: "decisioning_pool_busy").record(pool.busy)
        Gauge(label: "decisioning_pool_waiting").record(pool.waiting)
        Gauge(label: "decisioning_pool_capacity").record(pool.capacity)
    }

    /// Sets `decisioning_alerts{state, severity}` from the database: every pair is set, to 0 when no alert has it.
    static func refreshAlertGauges(_ application: DecisioningApplication.Application) async {
        guard let counts = try? await BlockingPool.shared.run("count alerts", { _ in try application.alertCounts() }) else { return }
        for state in AlertState.allCases {
            for severity in Severity.allCases {
                let count = counts.first { $0.state == state.rawValue && $0.severity == severity.rawValue }?.count ?? 0
                Gauge(label: "decisioning_alerts", dimensions: [("state", state.rawValue), ("severity", severity.rawValue)]).record(count)
            }
        }
    }
}
