import DecisioningLearning
import Testing

@Suite struct MetricsTests {
    @Test func rocAUC() {
        #expect(Metrics.rocAUC(scores: [0.1, 0.2, 0.8, 0.9], labels: [false, false, true, true]) == 1)
        #expect(Metrics.rocAUC(scores: [0.9, 0.8, 0.2, 0.1], labels: [false, false, true, true]) == 0)
        #expect(Metrics.rocAUC(scores: [0.5, 0.5, 0.5, 0.5], labels: [false, true, false, true]) == 0.5)
        // One misordered pair out of four.
        #expect(Metrics.rocAUC(scores: [0.1, 0.6, 0.5, 0.9], labels: [false, false, true, true]) == 0.75)
        #expect(Metrics.rocAUC(scores: [0.1, 0.2], labels: [true, true]) == nil)
    }

    @Test func sMAPEAndRMSE() {
        #expect(Metrics.sMAPE(actual: [100, 100], forecast: [100, 100]) == 0)
        #expect(abs(Metrics.sMAPE(actual: [100], forecast: [110]) - 10.0 / 105.0) < 1e-12)
        #expect(Metrics.sMAPE(actual: [0, 10], forecast: [0, 10]) == 0)
        #expect(Metrics.rmse(actual: [1, 2, 3], predicted: [1, 2, 3]) == 0)
        #expect(abs(Metrics.rmse(actual: [0, 0], predicted: [3, 4]) - (12.5).squareRoot()) < 1e-12)
    }
}
