import Testing

@testable import DecisioningAgents

/// Run ids sort by their start to the millisecond and keep the length `prediction_id` (VARCHAR(50))
/// leaves room for: runs started within one second list newest first on every store.
@Suite struct RunIdTests {
    @Test func idsSortByStartToTheMillisecondAndKeepTheirLength() {
        let second: Int64 = 1_764_713_000_000
        let ids = [0, 1, 9, 10, 99, 100, 998, 999, 1_000, 61_000].map { FlowRunner.makeRunId(milliseconds: second + Int64($0)) }
        #expect(ids == ids.sorted(), "\(ids)")
        #expect(ids.allSatisfy { $0.count == 26 && $0.hasPrefix("run-20251202-") }, "\(ids)")
        #expect(ids[0].hasPrefix("run-20251202-220320-000") && ids[7].hasPrefix("run-20251202-220320-999"), "\(ids)")
        // The longest prediction id a run writes: run, model id and entity within 50 characters.
        #expect((ids[0] + ":" + OverrunRiskModel.modelId + ":P0000006").count <= 50)
    }
}
