import DecisioningAnalytics
import DecisioningCore
import Foundation

extension AgentContext {
    /// `DECISIONING_AGENT_TRACE=1` prints every query's wall time (loading included) to standard error.
    static let tracing = ProcessInfo.processInfo.environment["DECISIONING_AGENT_TRACE"] == "1"

    /// Runs a plan through the Warehouse and keeps its HeatWave SQL for the evidence.
    func query(_ name: String, _ plan: Plan, on preference: Warehouse.Preference = .automatic) throws -> Query {
        try cancellation.check()
        let start = ContinuousClock.now
        let result = try warehouse.query(plan, asOf: asOf, on: preference, cancellation: cancellation)
        if Self.tracing {
            let d = ContinuousClock.now - start
            FileHandle.standardError.write(
                Data(
                    String(
                        format: "query %-45@ %8.1f ms (%@)\n", name,
                        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) * 1e-15, result.site.description
                    ).utf8))
        }
        let heatwave = try SQLRenderer(dialect: .heatwave, asOf: asOf, catalog: warehouse.catalog).render(plan)
        return Query(name: name, result: result, heatwave: heatwave)
    }

    /// Runs several plans together (shared sub-plans computed once).
    func query(_ named: [(String, Plan)]) throws -> [Query] {
        try cancellation.check()
        let results = try warehouse.query(named.map(\.1), asOf: asOf, cancellation: cancellation)
        let renderer = SQLRenderer(dialect: .heatwave, asOf: asOf, catalog: warehouse.catalog)
        return try zip(named, results).map { item, result in
            Query(name: item.0, result: result, heatwave: try renderer.render(item.1))
        }
    }
}
