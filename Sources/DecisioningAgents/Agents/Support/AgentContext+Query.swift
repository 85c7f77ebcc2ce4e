import DecisioningAnalytics
import DecisioningCore
import Foundation
import Logging

extension AgentContext {
    /// Runs a plan through the Warehouse and keeps its HeatWave SQL for the evidence.
    func query(_ name: String, _ plan: Plan, on preference: Warehouse.Preference = .automatic) throws -> Query {
        try cancellation.check()
        let start = ContinuousClock.now
        let result = try warehouse.query(plan, asOf: asOf, on: preference, cancellation: cancellation)
        logQuery(name, site: result.site.description, since: start)
        let heatwave = try SQLRenderer(dialect: .heatwave, asOf: asOf, catalog: warehouse.catalog).render(plan)
        return Query(name: name, result: result, heatwave: heatwave, others: try otherDialects(plan))
    }

    /// Runs several plans together (shared sub-plans computed once).
    func query(_ named: [(String, Plan)]) throws -> [Query] {
        try cancellation.check()
        let start = ContinuousClock.now
        let results = try warehouse.query(named.map(\.1), asOf: asOf, cancellation: cancellation)
        logQuery(named.map(\.0).joined(separator: "+"), site: results.first?.site.description ?? "", since: start)
        let renderer = SQLRenderer(dialect: .heatwave, asOf: asOf, catalog: warehouse.catalog)
        return try zip(named, results).map { item, result in
            Query(name: item.0, result: result, heatwave: try renderer.render(item.1), others: try otherDialects(item.1))
        }
    }

    /// The debug line of a query the agent ran (`--log-level debug`: "agent query", its name, where it ran, how long).
    private func logQuery(_ name: String, site: String, since start: ContinuousClock.Instant) {
        warehouse.logger.debug(
            "agent query",
            metadata: [
                "query": "\(name)", "site": "\(site)", "ms": "\(String(format: "%.1f", (ContinuousClock.now - start).milliseconds))",
            ])
    }

    /// The plan rendered for SQLite and MySQL, for the evidence.
    func otherDialects(_ plan: Plan) throws -> [String: RenderedQuery] {
        var rendered: [String: RenderedQuery] = [:]
        for dialect in [SQLDialect.sqlite, .mysql] {
            rendered[dialect.rawValue] = try SQLRenderer(dialect: dialect, asOf: asOf, catalog: warehouse.catalog).render(plan)
        }
        return rendered
    }
}
