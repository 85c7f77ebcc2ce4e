import DecisioningCore
import DecisioningLearning
import DecisioningStore
import DecisioningSynth
import Foundation
import Testing

/// Per-industry monthly REVENUE of a generated company (scale 0.05, seed 5, as of 2026-11-25).
final class ForecastRevenueFixture: Sendable {
    static let shared = try! ForecastRevenueFixture()

    /// Industry → complete months before the as-of month, in order (January 2023 … October 2026).
    let series: [(industry: String, revenue: [Double])]

    init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("decisioning-forecast-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("company.sqlite").path)
        _ = try Generator(spec: GeneratorSpec(scale: 0.05, seed: 5, asOf: Day(iso: "2026-11-25")!)).generate(into: store)
        let rows = try store.query(
            """
            SELECT c.industry, substr(f.metric_date, 1, 7) AS month, SUM(f.metric_value) AS revenue
            FROM financial_metrics f
            JOIN projects p ON p.project_id = f.project_id
            JOIN customer_analytics c ON c.customer_id = p.customer_id
            WHERE f.metric_type = 'REVENUE' AND f.metric_date < ?1 AND c.industry IS NOT NULL
            GROUP BY c.industry, month
            ORDER BY c.industry, month
            """, arguments: [.text("2026-11-01")],
            columnTypes: [.text(maxLength: 100), .text(maxLength: 7), .decimal(precision: 18, scale: 2)])
        var byIndustry: [String: [String: Double]] = [:]
        for row in rows {
            guard case .text(let industry) = row[0], case .text(let month) = row[1], case .decimal(let cents) = row[2] else { continue }
            byIndustry[industry, default: [:]][month] = Double(cents) / 100
        }
        let months = (0..<46).map { i in String(format: "%04d-%02d", 2023 + i / 12, i % 12 + 1) }
        series = byIndustry.keys.sorted().map { industry in (industry, months.map { byIndustry[industry]![$0] ?? 0 }) }
    }
}

@Suite struct ForecastRevenueTests {
    @Test func etsBeatsSeasonalNaiveOnGeneratedIndustryRevenue() throws {
        try compare(kinds: ExponentialSmoothing.Kind.allCases)
    }

    /// The same with R's 15 restricted forms (what `decisioning forecast` uses): on these 40-month series the
    /// multiplicative seasons must converge, or AICc picks non-seasonal forms and loses to seasonal naive.
    @Test func automaticSetBeatsSeasonalNaiveOnGeneratedIndustryRevenue() throws {
        try compare(kinds: ExponentialSmoothing.Kind.automatic, combined: true)
    }

    /// On the generated revenue (series that ramp up from near zero), every seasonal form's likelihood is at least
    /// its non-seasonal counterpart's, which it contains: the multiplicative seasons converge.
    @Test func seasonalFormsConvergeOnGeneratedIndustryRevenue() throws {
        for (industry, revenue) in ForecastRevenueFixture.shared.series {
            let selection = try ExponentialSmoothing.select(Array(revenue.dropLast(6)), kinds: ExponentialSmoothing.Kind.automatic)
            for model in selection.fitted where model.kind.isSeasonal {
                let plain = ExponentialSmoothing.Kind(error: model.kind.error, trend: model.kind.trend, season: .none)
                let nested = try #require(selection.fitted.first { $0.kind == plain })
                let ll = try #require(model.logLikelihood)
                let nestedLL = try #require(nested.logLikelihood)
                #expect(ll >= nestedLL - 0.5, "\(industry): \(model.kind) log L \(ll) below \(plain)'s \(nestedLL)")
            }
        }
    }

    func compare(kinds: [ExponentialSmoothing.Kind], combined: Bool = false) throws {
        let fixture = ForecastRevenueFixture.shared
        #expect(fixture.series.count >= 10, "industries found: \(fixture.series.count)")
        var etsTotal = 0.0
        var naiveTotal = 0.0
        var lines: [String] = []
        let results = ForecastBatch.run(fixture.series.map { Array($0.revenue.dropLast(6)) }, horizon: 6, kinds: kinds)
        for ((industry, revenue), result) in zip(fixture.series, results) {
            #expect(
                revenue.count == 46 && revenue.allSatisfy { $0 >= 0 } && revenue.suffix(40).allSatisfy { $0 > 0 },
                "\(industry): a complete monthly series")
            let train = Array(revenue.dropLast(6))
            let test = Array(revenue.suffix(6))
            let item = try result.get()
            let forecast = combined ? item.selection.combinedForecast(6) : item.forecast
            let ets = Metrics.sMAPE(actual: test, forecast: forecast.map(\.mean))
            let naive = Metrics.sMAPE(actual: test, forecast: ForecastFixtures.seasonalNaive(train, horizon: 6))
            etsTotal += ets
            naiveTotal += naive
            lines.append(String(format: "%@ %@ ets %.4f naive %.4f", industry, item.model.kind.notation, ets, naive))
        }
        let count = Double(fixture.series.count)
        let summary = String(
            format: "mean sMAPE over %d industries: ETS %.4f, seasonal naive %.4f", fixture.series.count, etsTotal / count,
            naiveTotal / count)
        print(([summary] + lines).joined(separator: "\n"))
        #expect(etsTotal < naiveTotal, "\(summary)")
    }
}
