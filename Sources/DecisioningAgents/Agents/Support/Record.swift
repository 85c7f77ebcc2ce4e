import DecisioningCore

/// One result row, read by column name.
struct Record {
    /// The query the row comes from, named in errors.
    let query: String
    let names: [String]
    let values: [Value]

    /// The value of the column `name`; the plans name their columns, so an unknown one is a programming error.
    subscript(_ name: String) -> Value {
        guard let index = names.firstIndex(of: name) else { preconditionFailure("no column \(name) in \(query)") }
        return values[index]
    }

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
    func double(_ name: String, scale: Int = 2) -> Double? { Self.double(self[name], scale: scale) }

    /// `value` as `double(_:scale:)` reads it, for readers that resolve a column's position once.
    static func double(_ value: Value, scale: Int = 2) -> Double? {
        switch value {
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

    /// The text of a column that must have one (a key); throws naming the column and the query.
    func requiredText(_ name: String) throws -> String {
        guard let text = text(name) else { throw AgentError.missing("\(name) in a row of \(query)") }
        return text
    }

    /// The date of a column that must have one; throws naming the column and the query.
    func requiredDay(_ name: String) throws -> Day {
        guard let day = day(name) else { throw AgentError.missing("\(name) in a row of \(query)") }
        return day
    }
}
