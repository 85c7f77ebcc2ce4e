public import DecisioningAnalytics
public import DecisioningCore

/// Each project's COST ledger (`financial_metrics`) booked by the as-of date, as running totals by date:
/// how much a project had spent by any day, so a running project can be compared with completed
/// projects at the same point of their schedule.
public struct CostLedger: Sendable, Equatable {
    /// One project's booking dates, ascending, and the cost booked up to and including each (dollars).
    struct Series: Sendable, Equatable {
        var days: [Day] = []
        var totals: [Double] = []
    }

    private var byProject: [String: Series]
    /// The latest COST date of any project by the as-of date (`closePlan`): where the ledger was closed.
    /// Ledgers close period by period, so the cost of the days after it is not booked yet for anyone.
    public let closedThrough: Day?

    /// COST rows dated by the as-of date (project, date and amount, in no particular order; `init` orders them): of the projects
    /// completed by the as-of date (the precedents' side) and of `projectIds` (the projects compared),
    /// so the rows of the other running projects are never read into memory.
    public static func plan(including projectIds: [String] = []) -> Plan {
        var wanted = OverrunRiskModel.completedByAsOf
        if !projectIds.isEmpty { wanted = wanted || col("p_project_id").in(projectIds.map { Expr.literal(.text($0)) }) }
        return plan(of: wanted)
    }

    /// COST rows dated by the as-of date of the projects completed or running then: every project a
    /// run's agents may compare (`PrecedentInputs`).
    public static var completedAndRunningPlan: Plan { plan(of: OverrunRiskModel.completedByAsOf || OverrunRiskModel.runningOnAsOf) }

    /// COST rows dated by the as-of date of the projects `wanted` selects.
    private static func plan(of wanted: Expr) -> Plan {
        let projects = Plan.scan(
            "projects",
            [ScanColumn("project_id", as: "p_project_id"), ScanColumn("status"), ScanColumn("start_date"), ScanColumn("end_date")]
        )
        .filter(wanted)
        return Plan.scan(
            "financial_metrics",
            [
                ScanColumn("project_id", as: "l_project_id"), ScanColumn("metric_type"), ScanColumn("metric_value"),
                ScanColumn("metric_date"),
            ]
        )
        .filter(col("metric_date") <= .asOf && col("metric_type").eq("COST") && col("l_project_id").isNotNull)
        .join(projects, on: "l_project_id", equals: "p_project_id")
        // The three columns `init` reads: hundreds of thousands of rows at scale 1, each turned into values.
        .project(["l_project_id", "metric_date", "metric_value"].map { NamedExpr($0, col($0)) })
    }

    /// The latest COST date of any project by the as-of date, whichever projects `plan` reads.
    public static var closePlan: Plan {
        Plan.scan("financial_metrics", ["project_id", "metric_type", "metric_date"])
            .filter(col("metric_date") <= .asOf && col("metric_type").eq("COST") && col("project_id").isNotNull)
            .aggregate([.max("closed_through", col("metric_date"))])
    }

    /// The ledger of the results of `plan(including:)` and `closePlan`; rows without a project id or date
    /// are refused by name.
    public init(_ result: QueryResult, close: QueryResult, query: String) throws {
        // 1.6 million rows at scale 1: the columns are found once, and a row of the same project as the one
        // before (the usual case) is added without looking the project up.
        let names = result.fields.map(\.name)
        guard let p = names.firstIndex(of: "l_project_id"), let d = names.firstIndex(of: "metric_date"),
            let v = names.firstIndex(of: "metric_value")
        else { throw AgentError.missing("l_project_id, metric_date and metric_value in \(query)") }
        var slots: [String: Int] = [:]
        var projects: [String] = []
        var rows: [[(day: Day, cost: Double)]] = []
        var previous: (project: String, slot: Int)?
        for values in result.rows {
            guard case .text(let project) = values[p] else { throw AgentError.missing("l_project_id in a row of \(query)") }
            guard case .date(let day) = values[d] else { throw AgentError.missing("metric_date in a row of \(query)") }
            let slot: Int
            if let previous, previous.project == project {
                slot = previous.slot
            } else if let known = slots[project] {
                slot = known
            } else {
                slot = rows.count
                slots[project] = slot
                projects.append(project)
                rows.append([])
            }
            previous = (project, slot)
            rows[slot].append((day, Record.double(values[v]) ?? 0))
        }
        var series: [String: Series] = [:]
        series.reserveCapacity(rows.count)
        for (project, booked) in zip(projects, rows) {
            var s = Series()
            // By date; rows of one date are summed in the order of their amounts, so the totals do not depend on the row order.
            for row in booked.sorted(by: { $0.day != $1.day ? $0.day < $1.day : $0.cost < $1.cost }) { s.append(row.day, row.cost) }
            series[project] = s
        }
        byProject = series
        closedThrough = close.rows.first.flatMap { Record(query: query, names: close.fields.map(\.name), values: $0).day("closed_through") }
    }

    /// The cost booked for `projectId` up to and including `day` (0 when its first row is later); nil
    /// when the project has no COST row at all.
    public func booked(_ projectId: String, by day: Day) -> Double? { byProject[projectId]?.booked(by: day) }

    /// One project's running totals; nil without COST rows.
    func series(_ projectId: String) -> Series? { byProject[projectId] }

    /// The number of projects with COST rows.
    public var projects: Int { byProject.count }
}

extension CostLedger.Series {
    /// The total of the last row dated on or before `day`; 0 before the first.
    func booked(by day: Day) -> Double {
        days.withUnsafeBufferPointer { days in
            totals.withUnsafeBufferPointer { totals in Self.booked(by: day, days: days, totals: totals, rows: 0..<days.count) }
        }
    }

    /// The total of the last of `rows` dated on or before `day` (rows ascending by date); 0 before the
    /// first. One search for `booked(by:)` and for `FlatLedger`'s projects laid end to end.
    static func booked(
        by day: Day, days: UnsafeBufferPointer<Day>, totals: UnsafeBufferPointer<Double>, rows: Range<Int>
    ) -> Double {
        var low = rows.lowerBound
        var high = rows.upperBound
        while low < high {
            let mid = (low + high) / 2
            if days[mid] <= day { low = mid + 1 } else { high = mid }
        }
        return low == rows.lowerBound ? 0 : totals[low - 1]
    }

    /// Adds the cost of one date (dates arrive ascending; a repeated date adds to the last total).
    mutating func append(_ day: Day, _ cost: Double) {
        let before = totals.last ?? 0
        if let last = days.last, last == day {
            totals[totals.count - 1] = before + cost
        } else {
            days.append(day)
            totals.append(before + cost)
        }
    }
}
