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

    /// Sets the gauges that are read rather than counted: the blocking pool's threads and waiting work.
    static func refreshGauges() {
        Gauge(label: "decisioning_pool_threads").record(BlockingPool.shared.threadCount)
        Gauge(label: "decisioning_pool_capacity").record(BlockingPool.shared.capacity)
    }
}
