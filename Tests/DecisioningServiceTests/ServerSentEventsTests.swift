import DecisioningApplication
import DecisioningCore
import Foundation
import Synchronization
import Testing

@testable import DecisioningService

/// The event stream's framing: a keep-alive comment while no event comes, the events in order, and
/// the end when the events end.
@Suite struct ServerSentEventsTests {
    static func event(_ seq: Int, _ kind: String) -> RunEvent {
        RunEvent(runId: "r", seq: seq, kind: kind, agent: nil, happenedAt: Timestamp(seconds: 0), data: "{}")
    }

    @Test func keepAlivesFillTheSilenceAndTheStreamEndsWithTheEvents() async throws {
        let (events, input) = AsyncStream.makeStream(of: RunEvent.self)
        let reader = Task {
            await ServerSentEvents.withFrames(of: events, keepAlive: .milliseconds(100)) { frames in
                await frames.reduce(into: [String]()) { $0.append($1) }
            }
        }
        input.yield(Self.event(1, "agent.started"))
        try await Task.sleep(for: .milliseconds(450))
        input.yield(Self.event(2, "run.finished"))
        input.finish()
        let received = await reader.value
        let keepAlives = received.filter { $0 == ServerSentEvents.keepAliveFrame }
        #expect((1...5).contains(keepAlives.count), "about four in 450 ms at 100 ms (fewer on a busy machine): \(keepAlives.count)")
        #expect(received.first == "id: 1\nevent: agent.started\ndata: {}\n\n")
        #expect(received.last == "id: 2\nevent: run.finished\ndata: {}\n\n")
        #expect(ServerSentEvents.keepAliveFrame.hasPrefix(":"), "a comment, which clients ignore")
    }

    @Test func aReaderThatGoesAwayStopsFollowingTheEvents() async throws {
        let ended = Mutex(false)
        let (events, input) = AsyncStream.makeStream(of: RunEvent.self)
        input.onTermination = { _ in ended.withLock { $0 = true } }
        await ServerSentEvents.withFrames(of: events, keepAlive: .milliseconds(50)) { frames in
            for await frame in frames where frame == ServerSentEvents.keepAliveFrame { break }
        }
        // The reader is gone: the events' stream is told to end (a follower of a run is removed).
        for _ in 0..<500 where !ended.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(ended.withLock { $0 }, "the events' stream was not ended when the reader went away")
    }
}
