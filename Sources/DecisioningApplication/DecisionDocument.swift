public import DecisioningAgents
import DecisioningAnalytics
public import DecisioningCore
import Foundation

/// A decision as the front ends show it (the API, the dashboard, MCP): the decision's own fields
/// in snake_case, its id as `RUN:DECISION` (`decision_id` keeps the run-local one), and, with its
/// evidence, the SQL of each piece in every dialect.
public enum DecisionDocument {
    public static func json(_ decision: Decision, runId: String, withSQL: Bool, asOf: Day) throws -> JSONValue {
        guard case .object(var fields) = try value(of: decision) else { return .null }
        fields["decision_id"] = fields["id"]
        fields["id"] = .string("\(runId):\(decision.id)")
        fields["run_id"] = .string(runId)
        if withSQL {
            fields["evidence"] = .array(decision.evidence.map { evidence($0, asOf: asOf) })
        }
        return .object(fields)
    }

    /// One piece of evidence, with its SQL in the three dialects when its plan is a named analysis
    /// (the SQL the agent recorded, HeatWave's, otherwise).
    public static func evidence(_ evidence: Evidence, asOf: Day) -> JSONValue {
        guard case .object(var fields) = (try? value(of: evidence)) ?? .null else { return .null }
        var sql: [String: JSONValue] = [:]
        for (dialect, text) in sqlByDialect(evidence, asOf: asOf) { sql[dialect] = .string(text) }
        fields["plan"] = .string(evidence.analysis)
        fields["sql"] = .object(sql)
        return .object(fields)
    }

    /// The SQL of a piece of evidence by dialect: every dialect's when its plan is a named analysis;
    /// otherwise what the agent recorded: HeatWave's, and SQLite's and MySQL's when the run kept them
    /// (runs stored before evidence kept them have HeatWave's alone).
    public static func sqlByDialect(_ evidence: Evidence, asOf: Day) -> [(dialect: String, sql: String)] {
        if let analysis = Analyses.named(evidence.analysis) {
            return SQLDialect.allCases.map { dialect in
                let renderer = SQLRenderer(dialect: dialect, asOf: asOf)
                let parts = analysis.parts.compactMap { try? renderer.render($0.plan).sql }
                return (dialect.rawValue, parts.joined(separator: ";\n\n"))
            }
        }
        var sql: [(dialect: String, sql: String)] = []
        for dialect in SQLDialect.allCases {
            if dialect == .heatwave {
                if let text = evidence.sql { sql.append((dialect.rawValue, text)) }
            } else if let rendered = evidence.sqlByDialect?[dialect.rawValue] {
                sql.append((dialect.rawValue, rendered.sql))
            }
        }
        return sql
    }

    /// An encodable value as JSON with snake_case keys (money stays a decimal string).
    public static func value(of encodable: some Encodable) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(encodable)
        return try JSONDecoder().decode(JSONValue.self, from: data)
    }
}
