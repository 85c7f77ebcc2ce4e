import DecisioningAnalytics
import DecisioningCore

/// A plan's result with the evidence needed to reproduce it on HeatWave, and on SQLite and MySQL.
struct Query {
    let name: String
    let result: QueryResult
    let heatwave: RenderedQuery
    /// The plan for SQLite and MySQL (`sqlite`, `mysql`).
    var others: [String: RenderedQuery] = [:]

    var rows: [[Value]] { result.rows }

    func evidence(_ figures: [NamedFigure], method: String? = nil) -> Evidence {
        Evidence(
            figures: figures, analysis: name, sql: heatwave.sql,
            bindings: heatwave.bindings.map { RenderedQuery.literal($0, sqlite: false) }, method: method,
            sqlByDialect: others.isEmpty
                ? nil
                : others.mapValues { rendered in
                    DialectSQL(
                        sql: rendered.sql,
                        bindings: rendered.bindings.map { RenderedQuery.literal($0, sqlite: false) })
                })
    }

    /// The rows as records read by column name.
    var records: [Record] {
        let names = result.fields.map(\.name)
        return rows.map { Record(query: name, names: names, values: $0) }
    }

    var first: Record? { records.first }

    /// The one row of an aggregate without groups; throws when the result has none.
    func single() throws -> Record {
        guard let row = first else { throw AgentError.missing("the row of \(name): the query returned none") }
        return row
    }
}
