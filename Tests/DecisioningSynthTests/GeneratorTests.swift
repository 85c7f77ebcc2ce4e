import DecisioningCore
import DecisioningStore
import DecisioningSynth
import Foundation
import Testing

/// A small company generated once and shared by the planted-truth tests.
final class GeneratedCompany: Sendable {
    static let shared = try! GeneratedCompany()

    let store: SQLiteStore
    let truth: GroundTruth
    let spec = GeneratorSpec(scale: 0.03, seed: 11, asOf: Day(iso: "2026-11-25")!)

    init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("decisioning-synth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory.appendingPathComponent("company.sqlite").path)
        truth = try Generator(spec: spec).generate(into: store)
    }

    func rows(_ sql: String, _ types: [ColumnType]) throws -> [[Value]] {
        try store.query(sql, arguments: [], columnTypes: types)
    }
}

extension Value {
    var int: Int64 {
        switch self {
        case .integer(let v), .decimal(let v): return v
        default: return 0
        }
    }
    var text: String { description }
    var day: Day? { if case .date(let d) = self { return d } else { return nil } }
}

@Suite struct GeneratorDeterminismTests {
    func export(seed: UInt64) throws -> [String: Data] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("decisioning-export-\(UUID().uuidString)").path
        _ = try Generator(spec: GeneratorSpec(scale: 0.005, seed: seed, asOf: Day(iso: "2026-06-30")!)).export(toDirectory: directory)
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name))
        }
        return files
    }

    @Test func sameSeedSameBytes() throws {
        let a = try export(seed: 5)
        let b = try export(seed: 5)
        let c = try export(seed: 6)
        #expect(Set(a.keys) == ["customer_analytics.csv", "projects.csv", "financial_metrics.csv", "business_events.jsonl", "truth.json"])
        for (name, data) in a {
            #expect(data == b[name], "\(name) must be identical for the same seed")
            #expect(!data.isEmpty)
        }
        #expect(a["projects.csv"] != c["projects.csv"])
        #expect(a["financial_metrics.csv"] != c["financial_metrics.csv"])
    }

    @Test func storeContentIsDeterministicAndMatchesTheExport() throws {
        let spec = GeneratorSpec(scale: 0.005, seed: 9, asOf: Day(iso: "2026-06-30")!)
        var digests: [[String]] = []
        for _ in 0..<2 {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("decisioning-det-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let store = try SQLiteStore(path: directory.appendingPathComponent("x.sqlite").path)
            let truth = try Generator(spec: spec).generate(into: store)
            var lines: [String] = []
            for table in [Catalog.customerAnalytics, Catalog.projects, Catalog.financialMetrics, Catalog.businessEvents] {
                try store.scan(table) { batch in lines += batch.map { $0.map(\.description).joined(separator: "|") } }
                #expect(truth.counts[table.name] == (try store.rowCount(table.name)))
            }
            digests.append(lines)
        }
        #expect(digests[0] == digests[1])
        #expect(digests[0].count > 1000)
    }

    @Test func refusesANonEmptyDatabaseUnlessReplacing() throws {
        let company = GeneratedCompany.shared
        #expect(throws: GeneratorError.self) { try Generator(spec: company.spec).generate(into: company.store) }
        #expect(throws: GeneratorError.self) { try Generator(spec: GeneratorSpec(scale: 0, seed: 1, asOf: Day(iso: "2026-01-01")!)) }
        #expect(throws: GeneratorError.self) { try Generator(spec: GeneratorSpec(scale: 1, seed: 1, asOf: Day(iso: "2023-02-01")!)) }
    }
}

@Suite struct PlantedTruthTests {
    let company = GeneratedCompany.shared

    @Test func sizesFollowTheScale() throws {
        let spec = company.spec
        #expect(try company.store.rowCount("projects") == spec.projectCount)
        #expect(try company.store.rowCount("business_events") == spec.eventCount)
        let metrics = try company.store.rowCount("financial_metrics")
        // About 50 metric rows (3 types x ~16.7 months) per project.
        #expect(metrics > spec.projectCount * 40 && metrics < spec.projectCount * 60)
        let statuses = Set(try company.rows("SELECT DISTINCT status FROM projects", [.longText]).map(\.[0].text))
        #expect(statuses == ["ACTIVE", "IN_PROGRESS", "COMPLETED", "ON_HOLD", "CANCELLED", "PLANNED"])
        let industries = try company.rows("SELECT COUNT(DISTINCT industry) FROM customer_analytics", [.integer])
        #expect(industries[0][0].int == 12)
        let outside = try company.rows(
            "SELECT COUNT(*) FROM projects WHERE start_date < '2023-01-01' OR start_date > '2026-11-25'", [.integer])
        #expect(outside[0][0].int == 0)
        let margins = try company.rows(
            """
            SELECT COUNT(*) FROM financial_metrics r
            JOIN financial_metrics c ON c.project_id = r.project_id AND c.metric_date = r.metric_date AND c.metric_type = 'COST'
            JOIN financial_metrics m ON m.project_id = r.project_id AND m.metric_date = r.metric_date AND m.metric_type = 'MARGIN'
            WHERE r.metric_type = 'REVENUE' AND m.metric_value <> r.metric_value - c.metric_value
            """, [.integer])
        #expect(margins[0][0].int == 0, "MARGIN = REVENUE - COST for every project-month")
        let costs = try company.rows(
            """
            SELECT COUNT(*) FROM projects p
            JOIN (SELECT project_id, SUM(metric_value) AS total FROM financial_metrics WHERE metric_type = 'COST' GROUP BY project_id) c
              ON c.project_id = p.project_id
            WHERE c.total <> abs(p.actual_cost)
            """, [.integer])
        #expect(costs[0][0].int == 0, "COST metrics add up to actual_cost exactly")
    }

    /// Cost against the budget share of the months booked so far, computed from the columns alone.
    func costToBudgetSoFar(start: Day, end: Day, budget: Int64, actual: Int64) -> Double {
        let planned =
            end.monthIndex() - start.monthIndex()
            + (end.adding(days: 1).firstOfMonth == end.adding(days: 1) && start.civil.day == 1 ? 1 : 0)
        let booked = min(max(1, planned), company.spec.asOf.monthIndex() - start.monthIndex())
        return Double(actual) / (Double(budget) * Double(booked) / Double(max(1, planned)))
    }

    @Test func anomalousActiveProjectsArePlanted() throws {
        let rows = try company.rows(
            """
            SELECT project_id, start_date, end_date, budget_amount, actual_cost FROM projects
            WHERE status IN ('ACTIVE', 'IN_PROGRESS') AND actual_cost > 0
            """, [.longText, .date, .date, .money, .money])
        let planted = Set(company.truth.anomalousProjects)
        let active = try company.rows("SELECT COUNT(*) FROM projects WHERE status IN ('ACTIVE', 'IN_PROGRESS')", [.integer])[0][0].int
        let share = Double(planted.count) / Double(active)
        #expect(share > 0.03 && share < 0.08, "about 5% of active projects, found \(share)")
        var plantedRatios: [Double] = []
        var otherRatios: [Double] = []
        for row in rows {
            let ratio = costToBudgetSoFar(start: row[1].day!, end: row[2].day!, budget: row[3].int, actual: row[4].int)
            if planted.contains(row[0].text) { plantedRatios.append(ratio) } else { otherRatios.append(ratio) }
        }
        #expect(plantedRatios.count == planted.count, "every planted anomaly is an active project with cost")
        #expect(plantedRatios.allSatisfy { $0 >= 1.5 && $0 <= 3.1 }, "\(plantedRatios.sorted().prefix(5))")
        #expect(otherRatios.filter { $0 > 1.5 }.count <= otherRatios.count / 100)
    }

    @Test func overrunsArePredictableButNoisy() throws {
        let rows = try company.rows(
            """
            SELECT p.project_id, p.budget_amount, p.actual_cost, c.risk_score FROM projects p
            JOIN customer_analytics c ON c.customer_id = p.customer_id
            WHERE p.status = 'COMPLETED' AND p.budget_amount > 0 AND p.end_date >= p.start_date AND c.risk_score <= 100
            """, [.longText, .money, .money, .decimal(precision: 3, scale: 2)])
        let truth = Set(company.truth.overrun.overrunProjects)
        var labels: [(score: Double, overrun: Bool)] = []
        for row in rows {
            let overrun = Double(row[2].int) > 1.1 * Double(row[1].int)
            #expect(overrun == truth.contains(row[0].text), "truth agrees with the data for \(row[0].text)")
            labels.append((Double(row[3].int), overrun))
        }
        let rate = Double(labels.filter(\.overrun).count) / Double(labels.count)
        #expect(rate > 0.15 && rate < 0.5)
        // Risk known at the start ranks overruns better than chance, but far from perfectly.
        let auc = rocAUC(labels)
        #expect(auc > 0.6 && auc < 0.9, "AUC of risk score alone: \(auc)")
    }

    @Test func oneIndustryLosesMarginInTheLastQuarter() throws {
        // The quarter before the as-of date (Aug-Oct 2026) against the quarter before it (May-Jul).
        let rows = try company.rows(
            """
            SELECT c.industry, f.metric_date >= '2026-08-01' AS recent,
                   SUM(CASE WHEN f.metric_type = 'MARGIN' THEN f.metric_value ELSE 0 END),
                   SUM(CASE WHEN f.metric_type = 'REVENUE' THEN f.metric_value ELSE 0 END)
            FROM financial_metrics f JOIN projects p ON p.project_id = f.project_id
            JOIN customer_analytics c ON c.customer_id = p.customer_id
            WHERE f.metric_date >= '2026-05-01'
            GROUP BY c.industry, recent
            """, [.longText, .integer, .money, .money])
        var change: [String: Double] = [:]
        var rates: [String: [Int64: Double]] = [:]
        for row in rows { rates[row[0].text, default: [:]][row[1].int] = Double(row[2].int) / Double(row[3].int) }
        for (industry, r) in rates { change[industry] = (r[1] ?? 0) - (r[0] ?? 0) }
        let worst = change.min { $0.value < $1.value }!
        #expect(worst.key == company.truth.marginDrop.industry)
        #expect(worst.value < -0.15, "margin rate fell by \(worst.value)")
        let others = change.filter { $0.key != worst.key }.map(\.value)
        #expect(others.allSatisfy { abs($0) < 0.08 }, "\(change)")
        #expect(company.truth.marginDrop.firstMonth == "2026-08-01")
    }

    @Test func dataQualityFaultsArePresent() throws {
        let dq = company.truth.dataQuality
        let orphans = try company.rows(
            "SELECT project_id FROM projects WHERE customer_id NOT IN (SELECT customer_id FROM customer_analytics) ORDER BY project_id",
            [.longText])
        #expect(orphans.map(\.[0].text) == dq.orphanCustomerProjects.sorted())
        let negative = try company.rows("SELECT project_id FROM projects WHERE budget_amount < 0 ORDER BY project_id", [.longText])
        #expect(negative.map(\.[0].text) == dq.negativeBudgetProjects.sorted())
        let backwards = try company.rows("SELECT project_id FROM projects WHERE end_date < start_date ORDER BY project_id", [.longText])
        #expect(backwards.map(\.[0].text) == dq.endBeforeStartProjects.sorted())
        let risky = try company.rows(
            "SELECT customer_id FROM customer_analytics WHERE risk_score > 100 OR risk_score < 0 ORDER BY customer_id", [.longText])
        #expect(risky.map(\.[0].text) == dq.riskScoreOutOfRangeCustomers.sorted())
        let late = try company.rows(
            "SELECT customer_id FROM customer_analytics WHERE average_payment_days < 0 ORDER BY customer_id", [.longText])
        #expect(late.map(\.[0].text) == dq.negativePaymentDaysCustomers.sorted())
        #expect(dq.duplicateCustomers.count >= 2)
        for pair in dq.duplicateCustomers {
            let names = try company.store.query(
                "SELECT customer_name, industry FROM customer_analytics WHERE customer_id IN (?, ?)",
                arguments: [.text(pair[0]), .text(pair[1])],
                columnTypes: [.longText, .longText])
            #expect(names.count == 2)
            let normalised = Set(names.map { $0[0].text.lowercased().filter { $0.isLetter || $0.isNumber } })
            #expect(normalised.count == 1, "\(names)")
            #expect(names[0][0] != names[1][0] && names[0][1] == names[1][1])
        }
    }

    @Test func revenueIsSeasonalAndGrowing() throws {
        let rows = try company.rows(
            """
            SELECT substr(f.metric_date, 1, 4), SUM(f.metric_value) FROM financial_metrics f
            WHERE f.metric_type = 'REVENUE' AND f.metric_date < '2026-01-01' GROUP BY 1 ORDER BY 1
            """, [.longText, .money])
        #expect(rows.count == 3)
        #expect(rows[2][1].int > rows[1][1].int && rows[1][1].int > rows[0][1].int, "yearly revenue grows")
        let retail = try company.rows(
            """
            SELECT substr(f.metric_date, 6, 2), SUM(f.metric_value) * 1.0 / COUNT(*) FROM financial_metrics f
            JOIN projects p ON p.project_id = f.project_id JOIN customer_analytics c ON c.customer_id = p.customer_id
            WHERE f.metric_type = 'REVENUE' AND c.industry = 'Hospitality' GROUP BY 1 ORDER BY 1
            """, [.longText, .double])
        guard case .double(let july) = retail[6][1], case .double(let january) = retail[0][1] else {
            Issue.record("no seasonal figures")
            return
        }
        #expect(july > january * 1.2, "Hospitality peaks in July: \(july) vs \(january)")
    }
}

/// Rank-based ROC AUC (ties share ranks).
func rocAUC(_ samples: [(score: Double, overrun: Bool)]) -> Double {
    let sorted = samples.sorted { $0.score < $1.score }
    var ranks = [Double](repeating: 0, count: sorted.count)
    var i = 0
    while i < sorted.count {
        var j = i
        while j + 1 < sorted.count && sorted[j + 1].score == sorted[i].score { j += 1 }
        for k in i...j { ranks[k] = Double(i + j) / 2 + 1 }
        i = j + 1
    }
    let positives = Double(sorted.filter(\.overrun).count)
    let negatives = Double(sorted.count) - positives
    let rankSum = zip(sorted, ranks).filter { $0.0.overrun }.map(\.1).reduce(0, +)
    return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
}
