import Foundation
import Synchronization
import Testing

@testable import DecisioningService

/// The analyses' cache: one computation per key however many requests wait, stale answers served at
/// once while one background computation replaces them, nothing computed before an ingest kept after it.
@Suite struct AnalysisCacheTests {
    /// A computation the test lets finish when it wants, counting how often it was started.
    final class Gate: Sendable {
        private let state = Mutex<(started: Int, open: Bool)>((0, false))
        var started: Int { state.withLock { $0.started } }
        func open() { state.withLock { $0.open = true } }
        func close() { state.withLock { $0.open = false } }

        func compute(_ body: String) -> @Sendable () async throws -> AnalysisCache.Answer {
            { [self] in
                state.withLock { $0.started += 1 }
                while !state.withLock({ $0.open }) { try await Task.sleep(for: .milliseconds(5)) }
                return AnalysisCache.Answer(body: body, contentType: "application/json")
            }
        }
    }

    static func body(_ lookup: AnalysisCache.Lookup) -> String? {
        switch lookup {
        case .fresh(let answer), .stale(let answer): return answer.body
        case .missing: return nil
        }
    }

    static func isStale(_ lookup: AnalysisCache.Lookup) -> Bool {
        if case .stale = lookup { return true }
        return false
    }

    @Test func concurrentRequestsShareOneComputation() async throws {
        let cache = AnalysisCache(lifetime: .seconds(30))
        let gate = Gate()
        let bodies = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await cache.answer("k", compute: gate.compute("one")).body } }
            try await Task.sleep(for: .milliseconds(50))
            gate.open()
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(bodies == Array(repeating: "one", count: 20))
        #expect(gate.started == 1)
        #expect(Self.body(cache.lookup("k")) == "one")
    }

    @Test func aStaleAnswerIsServedWhileOneRefreshReplacesIt() async throws {
        let cache = AnalysisCache(lifetime: .milliseconds(40), staleLimit: .seconds(30))
        let gate = Gate()
        gate.open()
        _ = try await cache.answer("k", compute: gate.compute("old"))
        try await Task.sleep(for: .milliseconds(60))
        #expect(Self.isStale(cache.lookup("k")))

        gate.close()
        for _ in 0..<10 {
            #expect(Self.body(cache.lookup("k")) == "old", "served at once while the refresh waits")
            cache.refresh("k", compute: gate.compute("new"))
        }
        for _ in 0..<400 where gate.started < 2 { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(50))
        #expect(gate.started == 2, "ten refresh calls, one computation")
        gate.open()
        for _ in 0..<200 where Self.body(cache.lookup("k")) != "new" { try await Task.sleep(for: .milliseconds(5)) }
        guard case .fresh(let answer) = cache.lookup("k") else {
            Issue.record("the refreshed answer is not fresh")
            return
        }
        #expect(answer.body == "new")
    }

    @Test func anAnswerOlderThanTheStaleLimitIsComputedWhileTheRequestWaits() async throws {
        let cache = AnalysisCache(lifetime: .milliseconds(20), staleLimit: .milliseconds(60))
        let gate = Gate()
        gate.open()
        _ = try await cache.answer("k", compute: gate.compute("old"))
        try await Task.sleep(for: .milliseconds(100))
        guard case .missing = cache.lookup("k") else {
            Issue.record("an answer past the stale limit is still served")
            return
        }
        #expect(try await cache.answer("k", compute: gate.compute("new")).body == "new")
    }

    @Test func nothingComputedBeforeAClearIsKeptOrJoinedAfterIt() async throws {
        let cache = AnalysisCache(lifetime: .seconds(30))
        let before = Gate()
        let early = Task { try await cache.answer("k", compute: before.compute("before ingest")) }
        for _ in 0..<400 where before.started < 1 { try await Task.sleep(for: .milliseconds(5)) }
        try #require(before.started == 1)
        cache.clear()
        let after = Gate()
        after.open()
        #expect(try await cache.answer("k", compute: after.compute("after ingest")).body == "after ingest", "not joined")
        before.open()
        #expect(try await early.value.body == "before ingest")
        try await Task.sleep(for: .milliseconds(20))
        #expect(Self.body(cache.lookup("k")) == "after ingest", "the earlier computation is not remembered")
    }

    @Test func aFailedRefreshKeepsTheStaleAnswer() async throws {
        struct Refused: Error {}
        let cache = AnalysisCache(lifetime: .milliseconds(20), staleLimit: .seconds(30))
        let gate = Gate()
        gate.open()
        _ = try await cache.answer("k", compute: gate.compute("old"))
        try await Task.sleep(for: .milliseconds(40))
        cache.refresh("k") { throw Refused() }
        try await Task.sleep(for: .milliseconds(30))
        #expect(Self.isStale(cache.lookup("k")) && Self.body(cache.lookup("k")) == "old")
        cache.refresh("k", compute: gate.compute("new"))
        for _ in 0..<200 where Self.body(cache.lookup("k")) != "new" { try await Task.sleep(for: .milliseconds(5)) }
        #expect(Self.body(cache.lookup("k")) == "new", "a later refresh is not blocked by the failed one")
    }
}
