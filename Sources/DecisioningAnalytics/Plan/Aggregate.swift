/// An aggregate measure: `SUM(x) AS name`, `COUNT(DISTINCT x) AS name`, …
public struct Measure: Sendable, Hashable {
    public enum Function: String, Sendable, Hashable, CaseIterable {
        case count, countDistinct, sum, avg, min, max, stddevPop, stddevSamp
        /// An estimate of COUNT(DISTINCT x) for profiling: exact in SQL and, on the column engine, exact for
        /// text and narrow ranges and below `HyperLogLog.exactBelow` rows; a HyperLogLog sketch (about 0.8%
        /// relative error) for wide numeric columns above it.
        case approxCountDistinct
    }

    public var name: String
    public var function: Function
    /// nil only for `COUNT(*)`.
    public var argument: Expr?

    public init(_ name: String, _ function: Function, _ argument: Expr?) {
        self.name = name
        self.function = function
        self.argument = argument
    }

    public static func count(_ name: String) -> Measure { Measure(name, .count, nil) }
    public static func count(_ name: String, _ e: Expr) -> Measure { Measure(name, .count, e) }
    public static func countDistinct(_ name: String, _ e: Expr) -> Measure { Measure(name, .countDistinct, e) }
    public static func approxCountDistinct(_ name: String, _ e: Expr) -> Measure { Measure(name, .approxCountDistinct, e) }
    public static func sum(_ name: String, _ e: Expr) -> Measure { Measure(name, .sum, e) }
    public static func avg(_ name: String, _ e: Expr) -> Measure { Measure(name, .avg, e) }
    public static func min(_ name: String, _ e: Expr) -> Measure { Measure(name, .min, e) }
    public static func max(_ name: String, _ e: Expr) -> Measure { Measure(name, .max, e) }
    public static func stddevPop(_ name: String, _ e: Expr) -> Measure { Measure(name, .stddevPop, e) }
    public static func stddevSamp(_ name: String, _ e: Expr) -> Measure { Measure(name, .stddevSamp, e) }
}

/// `name AS expression`, for projections and group keys.
public struct NamedExpr: Sendable, Hashable {
    public var name: String
    public var expr: Expr
    public init(_ name: String, _ expr: Expr) {
        self.name = name
        self.expr = expr
    }
}

public struct SortKey: Sendable, Hashable {
    public var column: String
    public var descending: Bool
    public init(_ column: String, descending: Bool = false) {
        self.column = column
        self.descending = descending
    }
    public static func asc(_ column: String) -> SortKey { SortKey(column) }
    public static func desc(_ column: String) -> SortKey { SortKey(column, descending: true) }
}

/// `LAG(column, offset) OVER (PARTITION BY … ORDER BY …) AS name`.
public struct Lag: Sendable, Hashable {
    public var name: String
    public var column: String
    public var offset: Int
    public init(_ name: String, of column: String, offset: Int = 1) {
        self.name = name
        self.column = column
        self.offset = offset
    }
}

public enum JoinKind: String, Sendable, Hashable { case inner, left }

/// Equality of a left column and a right column.
public struct JoinKey: Sendable, Hashable {
    public var left: String
    public var right: String
    public init(_ left: String, _ right: String) {
        self.left = left
        self.right = right
    }
}

/// A table column read by a scan, optionally renamed (`customer_id AS c_customer_id`).
public struct ScanColumn: Sendable, Hashable {
    public var name: String
    public var source: String
    public init(_ source: String, as name: String? = nil) {
        self.source = source
        self.name = name ?? source
    }
}
