import DecisioningApplication
import ServiceLifecycle

/// The run scheduler as a service of the server's group: it stops at graceful shutdown (before the
/// run coordinator, which then lets a scheduled run under way finish or cancels it).
struct SchedulerService: Service, CustomStringConvertible {
    let scheduler: RunScheduler
    /// What the service group logs (the scheduler would print the whole configuration).
    var description: String { "SchedulerService" }

    func run() async throws {
        await cancelWhenGracefulShutdown { await scheduler.run() }
        // Without schedules (or with none left to run) the service stays until the group shuts down:
        // a service that returns early would end the whole group.
        try? await gracefulShutdown()
    }
}
