import DecisioningAnalytics
import DecisioningCore
import Foundation

/// Discovery's reconciliation of the money fields with the ledger: what `projects.actual_cost` of a
/// running project means (cost to date, estimate at completion, or neither consistently), and what
/// cost to date each project is scored on.
extension DiscoveryAgent {
    /// Relative tolerance of a match between a field and the ledger.
    static let reconciliationTolerance = 0.02
    /// Share of the comparable projects one reading needs to be the data's convention.
    static let conventionShare = 0.8

    /// One running project as the reconciliation and the anomaly scoring see it.
    struct LedgerProject {
        var record: Record
        var id: String
        var status: String
        var budget: Int64
        /// `actual_cost`, 0 when null.
        var actual: Int64
        /// The COST rows booked by as-of, and the months they cover.
        var ledgerCost: Int64
        var ledgerMonths: Int
        /// Months from the start month to the month before as-of, at most the months planned.
        var monthsElapsed: Int
        /// The budget share of the months elapsed (`ProjectFeatures.budgetShare`).
        var share: Double
        var reading: LedgerReconciliation.Reading

        var completeLedger: Bool { ledgerMonths > 0 && ledgerMonths >= monthsElapsed && ledgerCost > 0 }
    }

    /// The cost to date one project is scored on, and where it comes from.
    struct ScoredCost {
        var cost: Double
        var basis: String
        var estimateAtCompletion: Int64?
    }

    /// The reconciled running projects, the reconciliation report and the query they come from.
    struct CostReading {
        var projects: [LedgerProject]
        var cost: LedgerReconciliation.Cost
        var query: Query
    }

    /// - Parameter q: the results of `DiscoveryPlans.runningWithLedger`.
    func reconcileCost(_ context: AgentContext, _ q: Query) throws -> CostReading {
        let tolerance = Self.reconciliationTolerance
        var projects: [LedgerProject] = []
        for r in q.records {
            guard let start = r.day("start_date"), let end = r.day("end_date"),
                let share = ProjectFeatures.budgetShare(start: start, end: end, asOf: context.asOf)
            else { continue }
            let planned = max(1, Int((Double(start.days(until: end) + 1) / 30.4375).rounded()))
            let elapsed = max(0, min(planned, context.asOf.monthIndex() - start.monthIndex()))
            var p = LedgerProject(
                record: r, id: try r.requiredText("project_id"), status: r.text("status") ?? "", budget: r.int("budget_amount"),
                actual: max(0, r.int("actual_cost")), ledgerCost: r.int("ledger_cost"), ledgerMonths: Int(r.int("ledger_months")),
                monthsElapsed: elapsed, share: share, reading: .neither)
            p.reading = Self.reading(p, tolerance: tolerance)
            projects.append(p)
        }
        var readings: [String: Int] = [:]
        for reading in LedgerReconciliation.Reading.allCases { readings[reading.rawValue] = 0 }
        for p in projects { readings[p.reading.rawValue, default: 0] += 1 }
        let toDate = readings[LedgerReconciliation.Reading.toDate.rawValue] ?? 0
        let atCompletion = readings[LedgerReconciliation.Reading.atCompletion.rawValue] ?? 0
        let neither = projects.filter { $0.reading == .neither && $0.completeLedger }.count
        let comparable = toDate + atCompletion + neither
        let both = readings[LedgerReconciliation.Reading.both.rawValue] ?? 0
        let shareToDate = comparable > 0 ? Double(toDate) / Double(comparable) : 0
        let shareAtCompletion = comparable > 0 ? Double(atCompletion) / Double(comparable) : 0
        let convention: LedgerReconciliation.Convention
        if comparable == 0 {
            // Every compared project had (nearly) all months booked: both readings give the same cost.
            convention = both > 0 ? .toDate : .unverified
        } else if shareToDate >= Self.conventionShare {
            convention = .toDate
        } else if shareAtCompletion >= Self.conventionShare {
            convention = .atCompletion
        } else {
            convention = .inconsistent
        }
        let complete = projects.filter { $0.completeLedger && $0.actual > 0 }
        let toLedger = complete.map { Double($0.actual) / Double($0.ledgerCost) }
        let toLinear = complete.map { Double($0.actual) / (Double($0.ledgerCost) / $0.share) }
        var examples: [LedgerReconciliation.Example] = []
        for reading in LedgerReconciliation.Reading.allCases {
            for p in projects.filter({ $0.reading == reading }).prefix(3) {
                examples.append(
                    LedgerReconciliation.Example(
                        projectId: p.id, status: p.status, reading: reading, budget: Money(minorUnits: p.budget),
                        actualCost: Money(minorUnits: p.actual), ledgerCost: Money(minorUnits: p.ledgerCost), ledgerMonths: p.ledgerMonths,
                        monthsElapsed: p.monthsElapsed, budgetShare: p.share))
            }
        }
        let candidates = projects.filter { Self.scoredStatuses.contains($0.status) }
        let unscored = candidates.filter { Self.scoredCost($0, convention: convention) == nil }.count
        let basis = Self.scoringBasis(convention)
        let method =
            "per running project: actual_cost against the COST rows booked by as-of. to_date: within \(Self.percent(tolerance)) of the ledger; at_completion: between the earned-value estimates booked + remaining budget and booked ÷ budget share elapsed, \(Self.percent(tolerance)) either side; both: the two coincide (nearly every month booked). The data follows a reading when \(Self.percent(Self.conventionShare)) of the projects with a complete ledger where the readings differ match it; else inconsistent"
        var figures = [
            NamedFigure("convention", .text(convention.rawValue)),
            NamedFigure("compared_projects", .count(Int64(comparable))),
            NamedFigure("share_to_date", .ratio(shareToDate)),
            NamedFigure("share_at_completion", .ratio(shareAtCompletion)),
            NamedFigure("tolerance", .ratio(tolerance)),
        ]
        figures += LedgerReconciliation.Reading.allCases.map {
            NamedFigure("reading_" + $0.rawValue, .count(Int64(readings[$0.rawValue] ?? 0)))
        }
        if !toLedger.isEmpty {
            figures += [
                NamedFigure("median_actual_to_ledger", .number(Self.median(toLedger))),
                NamedFigure("median_actual_to_linear_estimate", .number(Self.median(toLinear))),
            ]
        }
        let cost = LedgerReconciliation.Cost(
            convention: convention, scoringBasis: basis, tolerance: tolerance, decisionShare: Self.conventionShare,
            projects: projects.count,
            readings: readings, comparable: comparable, shareToDate: shareToDate, shareAtCompletion: shareAtCompletion,
            medianActualToLedger: toLedger.isEmpty ? nil : Self.median(toLedger),
            medianActualToLinearEstimate: toLinear.isEmpty ? nil : Self.median(toLinear), unscored: unscored, examples: examples,
            evidence: q.evidence(figures, method: method + ". Scored on: " + basis))
        return CostReading(projects: projects, cost: cost, query: q)
    }

    /// The statuses whose cost anomalies are scored (ON_HOLD projects are reconciled, not scored).
    static let scoredStatuses: Set<String> = ["ACTIVE", "IN_PROGRESS"]

    /// How one project's actual_cost reads against its own ledger.
    static func reading(_ p: LedgerProject, tolerance: Double) -> LedgerReconciliation.Reading {
        guard p.ledgerMonths > 0, p.ledgerCost > 0 else { return .noLedger }
        guard p.ledgerMonths >= p.monthsElapsed else { return .partialLedger }
        guard p.actual > 0 else { return .neither }
        let actual = Double(p.actual)
        let booked = Double(p.ledgerCost)
        let toDate = abs(actual - booked) <= tolerance * booked
        // The two earned-value estimates at completion: the rest at budget, and the rest at the rate so far.
        let atBudget = booked + Double(p.budget) * (1 - p.share)
        let atRate = booked / p.share
        let atCompletion =
            actual >= min(atBudget, atRate) * (1 - tolerance) && actual <= max(atBudget, atRate) * (1 + tolerance)
        switch (toDate, atCompletion) {
        case (true, true): return .both
        case (true, false): return .toDate
        case (false, true): return .atCompletion
        case (false, false): return .neither
        }
    }

    /// The cost to date a project is scored on under the data's convention; nil when there is none.
    static func scoredCost(_ p: LedgerProject, convention: LedgerReconciliation.Convention) -> ScoredCost? {
        switch convention {
        case .toDate, .unverified:
            return p.actual > 0 ? ScoredCost(cost: Double(p.actual), basis: "actual_cost", estimateAtCompletion: nil) : nil
        case .atCompletion:
            if p.completeLedger { return ScoredCost(cost: Double(p.ledgerCost), basis: "ledger", estimateAtCompletion: p.actual) }
            // The estimate against the budget: estimate × share ÷ (budget × share).
            return p.actual > 0
                ? ScoredCost(cost: Double(p.actual) * p.share, basis: "estimate_at_completion", estimateAtCompletion: p.actual) : nil
        case .inconsistent:
            if p.completeLedger { return ScoredCost(cost: Double(p.ledgerCost), basis: "ledger", estimateAtCompletion: nil) }
            guard p.ledgerMonths > 0, p.ledgerCost > 0, p.monthsElapsed > 0 else { return nil }
            return ScoredCost(
                cost: Double(p.ledgerCost) * Double(p.monthsElapsed) / Double(p.ledgerMonths), basis: "ledger_extrapolated",
                estimateAtCompletion: nil)
        }
    }

    static func scoringBasis(_ convention: LedgerReconciliation.Convention) -> String {
        switch convention {
        case .toDate: return "actual_cost, which matches the ledger: the cost to date"
        case .unverified: return "actual_cost read as the cost to date (no complete ledger to check it against)"
        case .atCompletion:
            return
                "the COST rows booked by as-of where the ledger covers every month elapsed; otherwise actual_cost, an estimate at completion, against the budget"
        case .inconsistent:
            return
                "the COST rows booked by as-of (a ledger missing months scaled to the months elapsed); projects without ledger rows are not scored, since what their actual_cost holds is unknown"
        }
    }

    /// customer_analytics.total_revenue against the revenue booked on the customer's projects, and the
    /// ledger's MARGIN rows against REVENUE − COST.
    /// - Parameter q: the results of `DiscoveryPlans.revenueByCustomer`.
    func reconcileRevenue(_ context: AgentContext, _ q: Query) throws -> LedgerReconciliation.Revenue {
        let tolerance = Self.reconciliationTolerance
        var customers = 0
        var matching = 0
        var ratios: [Double] = []
        var mismatched: [String] = []
        var ledgerProjects: Int64 = 0
        var marginMismatches: Int64 = 0
        for r in q.records {
            ledgerProjects += r.int("ledger_projects")
            marginMismatches += r.int("margin_mismatches")
            let field = Double(r.int("total_revenue"))
            let ledger = Double(r.int("ledger_revenue"))
            guard field > 0 || ledger > 0 else { continue }
            customers += 1
            if ledger > 0 { ratios.append(field / ledger) }
            if ledger > 0, abs(field - ledger) <= tolerance * ledger {
                matching += 1
            } else if mismatched.count < 5 {
                mismatched.append(try r.requiredText("customer_id"))
            }
        }
        let share = customers > 0 ? Double(matching) / Double(customers) : 0
        let convention: LedgerReconciliation.Convention =
            ratios.isEmpty ? .unverified : share >= Self.conventionShare ? .toDate : .inconsistent
        let note =
            "projects has no revenue or margin column, so project revenue and margin come from the ledger alone; customer_analytics.total_revenue is the one revenue field that overlaps the ledger (annual_revenue is the customer's own turnover); no table holds a margin field, so the ledger's MARGIN rows are checked against its REVENUE − COST"
        return LedgerReconciliation.Revenue(
            convention: convention, field: "customer_analytics.total_revenue", customers: customers, matching: matching, share: share,
            medianFieldToLedger: ratios.isEmpty ? nil : Self.median(ratios), ledgerProjects: Int(ledgerProjects),
            marginMismatches: Int(marginMismatches), note: note, mismatchedCustomers: mismatched,
            evidence: q.evidence(
                [
                    NamedFigure("convention", .text(convention.rawValue)), NamedFigure("customers", .count(Int64(customers))),
                    NamedFigure("matching", .count(Int64(matching))), NamedFigure("share_matching", .ratio(share)),
                    NamedFigure("ledger_projects", .count(ledgerProjects)), NamedFigure("margin_mismatches", .count(marginMismatches)),
                ],
                method:
                    "total_revenue matches when within \(Self.percent(tolerance)) of the REVENUE rows booked by as-of on the customer's projects; the data follows that reading when \(Self.percent(Self.conventionShare)) of the customers match"
            ))
    }

    static func percent(_ x: Double) -> String { String(format: "%g%%", x * 100) }
}
