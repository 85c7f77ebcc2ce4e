import DecisioningAnalytics
import DecisioningCore
import Foundation

/// A plan's result with the evidence needed to reproduce it on HeatWave.
struct Query {
    let name: String
    let result: QueryResult
    let heatwave: RenderedQuery

    var rows: [[Value]] { result.rows }

    func evidence(_ figures: [NamedFigure], method: String? = nil) -> Evidence {
        Evidence(
            figures: figures, analysis: name, sql: heatwave.sql,
            bindings: heatwave.bindings.map { RenderedQuery.literal($0, sqlite: false) }, method: method)
    }

    func column(_ name: String) -> Int {
        guard let i = result.fields.firstIndex(where: { $0.name == name }) else { preconditionFailure("no column \(name) in \(self.name)") }
        return i
    }

    /// The rows as dictionaries keyed by column name.
    var records: [Record] {
        let names = result.fields.map(\.name)
        return rows.map { Record(names: names, values: $0) }
    }

    var first: Record? { records.first }
}

/// One result row, read by column name.
struct Record {
    let names: [String]
    let values: [Value]

    subscript(_ name: String) -> Value { values[names.firstIndex(of: name)!] }

    func int(_ name: String) -> Int64 {
        switch self[name] {
        case .integer(let v), .decimal(let v): return v
        case .double(let d): return Int64(d)
        default: return 0
        }
    }

    func money(_ name: String) -> Money {
        if case .decimal(let v) = self[name] { return Money(minorUnits: v) }
        return .zero
    }

    /// A decimal or number as a double (decimals read with their `scale`).
    func double(_ name: String, scale: Int = 2) -> Double? {
        switch self[name] {
        case .double(let d): return d.isFinite ? d : nil
        case .decimal(let v): return FixedPoint.double(v, scale: scale)
        case .integer(let v): return Double(v)
        default: return nil
        }
    }

    func text(_ name: String) -> String? {
        if case .text(let s) = self[name] { return s }
        return nil
    }

    func day(_ name: String) -> Day? {
        if case .date(let d) = self[name] { return d }
        return nil
    }
}

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
