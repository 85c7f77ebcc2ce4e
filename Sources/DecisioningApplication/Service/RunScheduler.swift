public import DecisioningCore
import DecisioningStore
import Logging

/// Runs the flow at each occurrence of the configured cron schedules (`workflow.schedule`, UTC), as
/// of the occurrence's date, through the run coordinator, so scheduled runs never overlap with each
/// other or with runs started by hand.
///
/// Each schedule's last occurrence is kept in `schedule_state`. A server claims an occurrence with
/// one conditional update before running it, so two servers with the same schedule on one database
/// run it once. An occurrence missed while no server was up runs once at start when `catch_up` is
/// on (the latest one missed); either way the schedule then moves on. An occurrence that finds a run
/// in progress is skipped, and said so in the log.
public struct RunScheduler: Sendable {
    public let coordinator: RunCoordinator
    public let schedules: [CronExpression]
    public let catchUp: Bool
    /// Times the waits between occurrences; tests pass a clock they advance by hand.
    public let clock: any Clock<Duration>
    /// The wall time the occurrences are compared with.
    public let now: @Sendable () -> Timestamp
    let logger: Logger

    public init(
        coordinator: RunCoordinator, schedules: [CronExpression], catchUp: Bool, clock: any Clock<Duration> = ContinuousClock(),
        now: @escaping @Sendable () -> Timestamp = RunCoordinator.wallClock
    ) {
        self.coordinator = coordinator
        self.schedules = schedules
        self.catchUp = catchUp
        self.clock = clock
        self.now = now
        self.logger = coordinator.application.logger
    }

    /// The schedules of `configuration` (already validated when it was read).
    public init(coordinator: RunCoordinator, configuration: Configuration) throws {
        self.init(
            coordinator: coordinator, schedules: try configuration.workflow.schedule.map { try CronExpression(parsing: $0) },
            catchUp: configuration.workflow.catchUp)
    }

    /// What one occurrence came to.
    public enum Outcome: Sendable, Equatable {
        case started(runId: String)
        /// Another server claimed it first.
        case claimedElsewhere
        /// A run was in progress.
        case skipped(reason: String)
    }

    /// Runs until the task is cancelled.
    public func run() async {
        guard !schedules.isEmpty else { return }
        var due: [String: Timestamp] = [:]
        for schedule in schedules {
            do {
                due[schedule.text] = try await startUp(schedule)
            } catch {
                logger.error("schedule could not start", metadata: ["schedule": "\(schedule)", "error": "\(error)"])
            }
        }
        while !Task.isCancelled {
            guard let next = due.values.min() else { return }
            let wait = next.seconds - now().seconds
            if wait > 0 {
                do { try await clock.sleep(for: .seconds(wait)) } catch { return }
                continue
            }
            for schedule in schedules where due[schedule.text].map({ $0.seconds <= next.seconds }) == true {
                _ = await fire(schedule, at: due[schedule.text] ?? next)
                due[schedule.text] = schedule.next(after: Timestamp(seconds: max(next.seconds, now().seconds - 60)))
            }
        }
    }

    /// At start: runs the latest occurrence missed since the last one recorded (with catch-up), and
    /// returns the next occurrence to wait for.
    func startUp(_ schedule: CronExpression) async throws -> Timestamp? {
        let (application, text, time) = (coordinator.application, schedule.text, now())
        let last = try await BlockingPool.shared.run("read the schedule's state") { _ in try application.lastOccurrence(of: text) }
        if let last, let missed = schedule.latest(atOrBefore: time, notBefore: Timestamp(seconds: last.seconds + 60)) {
            if catchUp {
                logger.notice("catching up a missed occurrence", metadata: ["schedule": "\(schedule)", "occurrence": "\(missed)"])
                _ = await fire(schedule, at: missed)
            } else {
                logger.notice(
                    "skipping missed occurrences (catch_up is off)", metadata: ["schedule": "\(schedule)", "latest": "\(missed)"])
                _ = try await BlockingPool.shared.run("move the schedule on") { _ in
                    try application.claimOccurrence(of: text, at: missed, claim: "skipped")
                }
            }
        } else if last == nil {
            // First start with this schedule: nothing was missed; remember where it begins.
            _ = try await BlockingPool.shared.run("start the schedule") { _ in
                try application.claimOccurrence(of: text, at: Timestamp(seconds: time.seconds / 60 * 60), claim: "started")
            }
        }
        return schedule.next(after: time)
    }

    /// Claims the occurrence `at` of `schedule` and starts its run.
    @discardableResult
    public func fire(_ schedule: CronExpression, at occurrence: Timestamp) async -> Outcome {
        let application = coordinator.application
        // A claim of this call's own in `schedule_state.last_run_id` until the run has an id: the
        // occurrence is this call's only if the update it made is the one that stayed.
        let (claim, text) = ("claim-" + String(UInt64.random(in: 0...UInt64.max), radix: 36), schedule.text)
        do {
            let won = try await BlockingPool.shared.run("claim the occurrence") { _ in
                try application.claimOccurrence(of: text, at: occurrence, claim: claim)
            }
            guard won else { return .claimedElsewhere }
            let record = try await coordinator.start(asOf: occurrence.day, trigger: "schedule:\(text)")
            try await BlockingPool.shared.run("record the scheduled run") { _ in
                try application.recordOccurrenceRun(of: text, at: occurrence, runId: record.runId)
            }
            logger.info("scheduled run started", metadata: ["schedule": "\(schedule)", "run.id": "\(record.runId)"])
            return .started(runId: record.runId)
        } catch {
            logger.warning(
                "scheduled occurrence skipped", metadata: ["schedule": "\(schedule)", "occurrence": "\(occurrence)", "reason": "\(error)"])
            return .skipped(reason: "\(error)")
        }
    }
}
