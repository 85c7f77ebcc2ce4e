import DecisioningCore
import DecisioningStore
import DecisioningTestSupport
import Foundation
import Synchronization
import Testing

@testable import DecisioningApplication

/// The scheduler on a clock the test moves: occurrences run as of their date, never overlap, a
/// missed one is caught up once at start (or skipped when catch-up is off), and a second scheduler
/// on the same database does not run an occurrence twice.
@Suite(.serialized) struct RunSchedulerTests {
    /// Wall time = `base` + the manual clock's offset.
    struct TestTime: Sendable {
        let clock = ManualClock()
        let base: Int64
        var now: @Sendable () -> Timestamp {
            let (clock, base) = (clock, base)
            return { Timestamp(seconds: base + clock.now.offset.components.seconds) }
        }
    }

    func waitForRun(_ fixture: ServiceFixture, _ id: String) async throws {
        for await _ in try await fixture.state.coordinator.events(runId: id) {}
    }

    func runs(_ fixture: ServiceFixture) throws -> [RunRecord] { try fixture.application.listRuns(limit: 50, after: nil) }

    @Test func eachOccurrenceRunsAsOfItsDate() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let time = TestTime(base: Timestamp(iso: "2026-11-24 05:59:00")!.seconds)
        let scheduler = RunScheduler(
            coordinator: fixture.state.coordinator, schedules: [try CronExpression(parsing: "0 6 * * *")], catchUp: true, clock: time.clock,
            now: time.now)
        let task = Task { await scheduler.run() }
        defer { task.cancel() }
        try await time.clock.waitForSleepers(1)
        #expect(try runs(fixture).isEmpty)
        time.clock.advance(by: .seconds(60))
        let first = try await waitForARun(fixture, count: 1)
        #expect(first.asOf == Day(iso: "2026-11-24"))
        try await waitForRun(fixture, first.runId)
        // The next morning, as of the next day.
        try await time.clock.waitForSleepers(1)
        time.clock.advance(by: .seconds(86_400))
        let second = try await waitForARun(fixture, count: 2)
        #expect(second.asOf == Day(iso: "2026-11-25"))
        try await waitForRun(fixture, second.runId)
    }

    @Test func anOccurrenceThatFindsARunInProgressIsSkipped() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let time = TestTime(base: Timestamp(iso: "2026-11-24 05:59:00")!.seconds)
        let scheduler = RunScheduler(
            coordinator: fixture.state.coordinator, schedules: [try CronExpression(parsing: "0 6 * * *")], catchUp: true, clock: time.clock,
            now: time.now)
        let manual = try await fixture.state.coordinator.start(asOf: ServiceFixture.asOf)
        let outcome = await scheduler.fire(try CronExpression(parsing: "0 6 * * *"), at: Timestamp(iso: "2026-11-24 06:00:00")!)
        #expect(outcome == .skipped(reason: RunCoordinatorError.runInProgress(runId: manual.runId).description))
        try await waitForRun(fixture, manual.runId)
        #expect(try runs(fixture).map(\.runId) == [manual.runId])
        // The skipped occurrence is not run again.
        #expect(
            await scheduler.fire(try CronExpression(parsing: "0 6 * * *"), at: Timestamp(iso: "2026-11-24 06:00:00")!) == .claimedElsewhere)
    }

    @Test func aMissedOccurrenceRunsOnceAtStartWithCatchUp() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let cron = try CronExpression(parsing: "0 6 * * *")
        // The server last ran the 22nd's occurrence, then was down until the 25th at 10:00.
        #expect(try fixture.application.claimOccurrence(of: cron.text, at: Timestamp(iso: "2026-11-22 06:00:00")!, claim: "test"))
        let time = TestTime(base: Timestamp(iso: "2026-11-25 10:00:00")!.seconds)
        let scheduler = RunScheduler(
            coordinator: fixture.state.coordinator, schedules: [cron], catchUp: true, clock: time.clock, now: time.now)
        let task = Task { await scheduler.run() }
        defer { task.cancel() }
        let caughtUp = try await waitForARun(fixture, count: 1)
        #expect(caughtUp.asOf == Day(iso: "2026-11-25"))
        try await waitForRun(fixture, caughtUp.runId)
        try await time.clock.waitForSleepers(1)
        #expect(try runs(fixture).count == 1)
        // The schedule moved on: the next occurrence is the 26th.
        time.clock.advance(by: .seconds(20 * 3_600))
        let next = try await waitForARun(fixture, count: 2)
        #expect(next.asOf == Day(iso: "2026-11-26"))
        try await waitForRun(fixture, next.runId)
    }

    @Test func withoutCatchUpMissedOccurrencesAreSkippedAndTheScheduleMovesOn() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let cron = try CronExpression(parsing: "0 6 * * *")
        #expect(try fixture.application.claimOccurrence(of: cron.text, at: Timestamp(iso: "2026-11-22 06:00:00")!, claim: "test"))
        let time = TestTime(base: Timestamp(iso: "2026-11-25 10:00:00")!.seconds)
        let scheduler = RunScheduler(
            coordinator: fixture.state.coordinator, schedules: [cron], catchUp: false, clock: time.clock, now: time.now)
        let task = Task { await scheduler.run() }
        defer { task.cancel() }
        try await time.clock.waitForSleepers(1)
        #expect(try runs(fixture).isEmpty)
        #expect(try fixture.application.lastOccurrence(of: cron.text) == Timestamp(iso: "2026-11-25 06:00:00"))
    }

    @Test func twoSchedulersOnOneDatabaseRunAnOccurrenceOnce() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let cron = try CronExpression(parsing: "0 6 * * *")
        let other = RunCoordinator(application: fixture.application, output: nil, holder: "other-host/1/z")
        let a = RunScheduler(coordinator: fixture.state.coordinator, schedules: [cron], catchUp: true)
        let b = RunScheduler(coordinator: other, schedules: [cron], catchUp: true)
        let occurrence = Timestamp(iso: "2026-11-24 06:00:00")!
        async let first = a.fire(cron, at: occurrence)
        async let second = b.fire(cron, at: occurrence)
        let outcomes = await [first, second]
        let started = outcomes.compactMap { outcome -> String? in
            if case .started(let id) = outcome { return id }
            return nil
        }
        #expect(started.count == 1)
        #expect(outcomes.contains(.claimedElsewhere))
        for id in started { try await waitForRun(fixture, id) }
        #expect(try runs(fixture).count == 1)
    }

    /// Waits (in real time) until `count` runs are stored; returns the newest.
    func waitForARun(_ fixture: ServiceFixture, count: Int) async throws -> RunRecord {
        let end = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < end {
            let stored = try runs(fixture)
            if stored.count >= count, let newest = stored.first { return newest }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CancellationError()
    }
}
