public import DecisioningAnalytics
public import DecisioningCore

/// The semantic model's expressions, written as JSON and read into plan expressions:
/// a string is a column, a number a literal, `{"text": "REVENUE"}` a text literal, and
/// `{"eq"|"ne"|"gt"|"ge"|"lt"|"le"|"add"|"subtract"|"multiply"|"divide": [a, b]}`, `{"and"|"or": [a, b, …]}`,
/// `{"not": a}`, `{"in": [a, [values]]}`, `{"if": [condition, then, else]}` combine them.
public enum SemanticExpression {
    static let binary: [String: @Sendable (Expr, Expr) -> Expr] = [
        "eq": { $0.eq($1) }, "ne": { $0.ne($1) }, "gt": { $0 > $1 }, "ge": { $0 >= $1 }, "lt": { $0 < $1 }, "le": { $0 <= $1 },
        "add": { $0 + $1 }, "subtract": { $0 - $1 }, "multiply": { $0 * $1 }, "divide": { $0 / $1 },
    ]

    /// Reads `value` at `key`, allowing the columns in `columns`.
    public static func read(_ value: JSONValue, _ key: String, columns: Set<String>) throws(ConfigurationError) -> Expr {
        switch value {
        case .string(let name):
            guard columns.contains(name) else {
                throw ConfigurationError(
                    key: key,
                    message: "unknown column \"\(TerminalText.quoted(name))\"; expected one of: \(columns.sorted().joined(separator: ", "))"
                )
            }
            return col(name)
        case .number(let n):
            return .literal(.double(n))
        case .object(let o):
            guard o.count == 1, let (op, argument) = o.first else {
                throw ConfigurationError(key: key, message: "an expression object has exactly one operator key")
            }
            let path = "\(key).\(op)"
            if op == "text" {
                guard case .string(let s) = argument else {
                    throw ConfigurationError(key: path, message: "expected a string, found \(argument.summary)")
                }
                return .literal(.text(s))
            }
            if op == "not" { return .not(try read(argument, path, columns: columns)) }
            guard case .array(let items) = argument else {
                throw ConfigurationError(key: path, message: "expected an array of operands, found \(argument.summary)")
            }
            func operand(_ i: Int) throws(ConfigurationError) -> Expr { try read(items[i], "\(path)[\(i)]", columns: columns) }
            if let make = binary[op] {
                guard items.count == 2 else { throw ConfigurationError(key: path, message: "expected 2 operands, found \(items.count)") }
                return make(try operand(0), try operand(1))
            }
            switch op {
            case "and", "or":
                guard items.count >= 2 else {
                    throw ConfigurationError(key: path, message: "expected 2 or more operands, found \(items.count)")
                }
                var result = try operand(0)
                for i in 1..<items.count { result = op == "and" ? result && (try operand(i)) : result || (try operand(i)) }
                return result
            case "if":
                guard items.count == 3 else {
                    throw ConfigurationError(key: path, message: "expected [condition, then, else], found \(items.count) operands")
                }
                return when(try operand(0), then: try operand(1), else: try operand(2))
            case "in":
                guard items.count == 2, case .array(let list) = items[1], !list.isEmpty else {
                    throw ConfigurationError(key: path, message: "expected [expression, [values…]] with at least one value")
                }
                var values: [Expr] = []
                for (i, v) in list.enumerated() { values.append(try read(v, "\(path)[1][\(i)]", columns: columns)) }
                return try operand(0).in(values)
            default:
                let known = (Array(binary.keys) + ["and", "or", "not", "in", "if", "text"]).sorted()
                throw ConfigurationError(
                    key: path, message: "unknown operator; expected one of: \(known.joined(separator: ", "))")
            }
        default:
            throw ConfigurationError(key: key, message: "expected a column name, a number or an operator object, found \(value.summary)")
        }
    }

    /// The columns an expression reads.
    public static func columns(_ e: Expr) -> Set<String> {
        switch e {
        case .column(let name): return [name]
        case .literal, .decimalLiteral, .asOf: return []
        case .arithmetic(_, let a, let b), .compare(_, let a, let b), .and(let a, let b), .or(let a, let b), .daysBetween(let a, let b):
            return columns(a).union(columns(b))
        case .negate(let a), .not(let a), .isNull(let a), .year(let a), .monthStart(let a), .toDouble(let a):
            return columns(a)
        case .inList(let a, let list): return list.reduce(columns(a)) { $0.union(columns($1)) }
        case .between(let a, let b, let c): return columns(a).union(columns(b)).union(columns(c))
        case .caseWhen(let clauses, let otherwise):
            var out = otherwise.map(columns) ?? []
            for c in clauses { out.formUnion(columns(c.condition).union(columns(c.result))) }
            return out
        case .coalesce(let list): return list.reduce(into: Set<String>()) { $0.formUnion(columns($1)) }
        }
    }
}
