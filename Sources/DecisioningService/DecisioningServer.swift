public import DecisioningApplication
public import DecisioningCore
import Foundation
import Hummingbird
public import Logging
import NIOCore
import ServiceLifecycle

/// `decisioning serve`: the HTTP API, the webhook dispatcher, the run coordinator and the scheduler in
/// one ServiceGroup that shuts down gracefully on SIGTERM and SIGINT, in reverse order: the scheduler
/// stops, the run under way finishes within the grace period (or is cancelled and stored so), the
/// dispatcher stops (deliveries not yet sent stay in the outbox), then the HTTP server stops.
public struct DecisioningServer: Sendable {
    public let state: ServiceState
    public let listen: ListenAddress
    public let logger: Logger

    /// Prepares a server for `application`: closes the runs a stopped server left running.
    /// `output` is where each run's files go (nil: none, the API renders them from the stored results).
    public static func prepare(application: DecisioningApplication.Application, listen: ListenAddress, output: FlowOutput?, logger: Logger)
        async throws
        -> DecisioningServer
    {
        ServiceMetrics.bootstrap()
        let coordinator = RunCoordinator(application: application, output: output)
        let closed = try await coordinator.recoverInterrupted()
        if !closed.isEmpty { logger.warning("closed runs left running by a stopped server", metadata: ["run.ids": "\(closed)"]) }
        return DecisioningServer(state: ServiceState(application: application, coordinator: coordinator), listen: listen, logger: logger)
    }

    /// Serves until SIGTERM or SIGINT (or the task is cancelled). `onListening` gets the address
    /// bound (its port is the real one when `listen` asked for port 0).
    public func run(onListening: @escaping @Sendable (ListenAddress) async -> Void = { _ in }) async throws {
        let router = APIRouter.build(state: state)
        let app = Hummingbird.Application(
            router: router,
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "decisioning"),
            onServerRunning: { [listen] channel in
                await onListening(ListenAddress(host: listen.host, port: channel.localAddress?.port ?? listen.port))
            },
            logger: logger)
        let configuration = state.application.configuration
        let grace = Duration.seconds(configuration.service.shutdownGraceSeconds)
        let dispatcher = WebhookDispatcher(
            application: state.application, transport: state.webhookTransport, settings: state.webhookSettings, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                // Stopped in reverse order: the coordinator first (a running flow finishes and queues its
                // notifications), then the dispatcher (it sends what is due, lets what it is sending finish
                // and takes no more), then the HTTP server.
                services: [
                    .init(service: app), .init(service: dispatcher),
                    .init(service: RunCoordinatorService(state: state, grace: grace)),
                    .init(
                        service: SchedulerService(scheduler: try RunScheduler(coordinator: state.coordinator, configuration: configuration))
                    ),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
