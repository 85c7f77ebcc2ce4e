import DecisioningApplication
import Logging
import ServiceLifecycle

/// The run coordinator as a service of the server's group. It is shut down before the HTTP server
/// (the group stops services in reverse order): it marks the server as stopping (`/readyz` answers
/// 503, new runs 503), lets a running flow finish within the grace period, then cancels it and waits
/// until it is stored; only then does the HTTP server stop, so followers of the run see `run.finished`.
struct RunCoordinatorService: Service, CustomStringConvertible {
    let state: ServiceState
    let grace: Duration
    /// What the service group logs (the state would print the whole configuration).
    var description: String { "RunCoordinatorService(grace \(grace))" }

    func run() async throws {
        try? await gracefulShutdown()
        state.markStopping()
        await state.coordinator.shutdown(grace: grace)
    }
}
