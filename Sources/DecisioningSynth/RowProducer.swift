import DecisioningCore

/// Streams the synthetic company's rows table by table, in `Catalog` column order.
///
/// Customers and projects come from memory; the monthly metrics are booked project by project and
/// the events drawn one by one from their own streams, so memory stays flat at any scale.
struct RowProducer {
    let company: SyntheticCompany

    func produce(_ table: TableSchema, _ emit: ([Value]) throws -> Void) throws {
        switch table.name {
        case Catalog.customerAnalytics.name: try customers(emit)
        case Catalog.projects.name: try projects(emit)
        case Catalog.financialMetrics.name: try metrics(emit)
        case Catalog.businessEvents.name: try events(emit)
        default: break
        }
    }

    /// The tables the generator fills, in the order they are written.
    static let tables = [Catalog.customerAnalytics, Catalog.projects, Catalog.financialMetrics, Catalog.businessEvents]

    func customers(_ emit: ([Value]) throws -> Void) throws {
        for c in company.customers {
            try emit([
                .text(c.id), .text(c.name), .text(Industry.all[c.industry].name), .decimal(c.annualRevenue),
                .text(creditRatings[c.rating].rating), .integer(Int64(c.paymentTerms)), .decimal(c.averagePaymentDays),
                .integer(Int64(c.totalProjects)), .decimal(c.totalRevenue), .decimal(c.risk),
            ])
        }
    }

    func projects(_ emit: ([Value]) throws -> Void) throws {
        var rng = SeededRandom(seed: company.spec.seed, stream: 5)
        for p in company.projects {
            let created = Timestamp(
                day: p.start.adding(days: -rng.int(3...30)), hour: rng.int(8...17), minute: rng.int(0...59), second: rng.int(0...59))
            // The description draws from a stream of its own per project, so every other field stays as it was.
            var words = SeededRandom(seed: company.spec.seed, stream: 4_000_000_000 + UInt64(p.index))
            let type = ProjectType.all[p.type].name
            let description = ProjectDescriptions.description(
                ProjectDescriptions.theme(type: type, &words), industry: Industry.all[company.customers[p.customer].industry].name, &words)
            try emit([
                .text(p.id), .text(p.name), .text(type), .date(p.start), p.end.map(Value.date) ?? .null,
                .decimal(p.budget), .decimal(p.actual), .text(p.status), .text(p.customerId), .timestamp(created), .text(description),
            ])
        }
    }

    func metrics(_ emit: ([Value]) throws -> Void) throws {
        var ledger = MonthlyLedger()
        var sequence = 0
        let width = max(9, String(company.spec.projectCount * 60).count)
        var row: [Value] = []
        row.reserveCapacity(7)
        for p in company.projects {
            ledger.book(p, company: company)
            for k in ledger.revenue.indices {
                let date = company.monthEnd(ledger.firstMonth + k)
                let created = Value.timestamp(Timestamp(day: date.adding(days: 1), hour: 2))
                let values: [(String, Int64)] = [
                    ("REVENUE", ledger.revenue[k]), ("COST", ledger.cost[k]), ("MARGIN", ledger.revenue[k] - ledger.cost[k]),
                ]
                for (type, amount) in values {
                    sequence += 1
                    row.removeAll(keepingCapacity: true)
                    row.append(.text(company.id("M", sequence, width: width)))
                    row.append(.text(p.id))
                    row.append(.text(type))
                    row.append(.decimal(amount))
                    row.append(.date(date))
                    row.append(.text("USD"))
                    row.append(created)
                    try emit(row)
                }
            }
        }
    }

    func events(_ emit: ([Value]) throws -> Void) throws {
        let factory = EventFactory(company: company)
        let width = max(9, String(company.spec.eventCount).count)
        for i in 0..<company.spec.eventCount {
            let e = factory.event(i)
            try emit([
                .text(company.id("E", i + 1, width: width)), .text(e.type), .text(e.entityType), .text(e.entityId),
                .json(e.payload), .timestamp(e.timestamp), .boolean(e.processed),
            ])
        }
    }
}
