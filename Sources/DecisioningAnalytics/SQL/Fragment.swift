public import DecisioningCore

/// A piece of SQL text with the values bound to its placeholders, in textual order.
struct Fragment: Sendable {
    /// Stands for one placeholder until the final text numbers them.
    static let marker: Character = "\u{1}"

    var text: String
    var bindings: [Value]

    init(_ text: String, _ bindings: [Value] = []) {
        self.text = text
        self.bindings = bindings
    }

    static func bound(_ value: Value) -> Fragment { Fragment(String(marker), [value]) }

    static func + (a: Fragment, b: Fragment) -> Fragment { Fragment(a.text + b.text, a.bindings + b.bindings) }
    static func + (a: Fragment, b: String) -> Fragment { Fragment(a.text + b, a.bindings) }
    static func + (a: String, b: Fragment) -> Fragment { Fragment(a + b.text, b.bindings) }

    static func join(_ parts: [Fragment], _ separator: String) -> Fragment {
        var out = Fragment("")
        for (i, p) in parts.enumerated() {
            if i > 0 { out.text += separator }
            out = out + p
        }
        return out
    }
}

/// A rendered plan: the SQL, its bound values in placeholder order, and the output columns.
public struct RenderedQuery: Sendable {
    public var sql: String
    public var bindings: [Value]
    public var fields: [Field]
    public var dialect: SQLDialect

    /// A script a person can paste into the dialect's own client, binding the values there (see the
    /// dialect's `SQLDialectRules.pasteable`: the MySQL script first sets the connection to utf8mb4).
    public var pasteable: String { dialect.rules.pasteable(self) }

    public static func literal(_ value: Value, sqlite: Bool) -> String {
        switch value {
        case .null: return "NULL"
        case .integer(let v), .decimal(let v): return String(v)
        case .double(let d): return String(d)
        case .boolean(let b): return b ? "1" : "0"
        case .text(let s), .json(let s):
            let quoted = "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
            return sqlite ? "\"\(quoted)\"" : quoted
        case .date(let d): return sqlite ? "\"'\(d.iso)'\"" : "'\(d.iso)'"
        case .timestamp(let t): return sqlite ? "\"'\(t.iso)'\"" : "'\(t.iso)'"
        case .vector: return "NULL"
        }
    }

    /// A value as MySQL's `SET @p = …` must spell it to hold what the statement binds.
    static func mysqlLiteral(_ value: Value) -> String {
        switch value {
        case .double(let d):
            // MySQL reads 0.5 as a DECIMAL and 0.5e0 as the DOUBLE that was bound.
            guard d.isFinite else { return "NULL" }
            let text = String(d)
            return text.contains("e") ? text : text + "e0"
        case .text(let s), .json(let s):
            // A backslash starts an escape in MySQL's string literals (unless NO_BACKSLASH_ESCAPES).
            return "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
        default:
            return literal(value, sqlite: false)
        }
    }
}
