public import DecisioningCore

/// A typed scalar expression over the columns of a plan's input.
///
/// Reads like SQL in Swift: `col("actual_cost") / col("budget_amount")`,
/// `col("status").in("ACTIVE", "IN_PROGRESS")`, `col("start_date") >= .asOf(months: -24)`.
public indirect enum Expr: Sendable, Hashable {
    case column(String)
    case literal(Value)
    /// A decimal literal: `units` of 10^-scale (1.10 is units 110, scale 2).
    case decimalLiteral(units: Int64, scale: Int)
    /// The run's as-of date shifted by whole months, then days (`months` first, clamped like MySQL).
    case asOf(months: Int, days: Int)
    case arithmetic(ArithmeticOperator, Expr, Expr)
    case negate(Expr)
    case compare(ComparisonOperator, Expr, Expr)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case not(Expr)
    case isNull(Expr)
    case inList(Expr, [Expr])
    case between(Expr, Expr, Expr)
    case caseWhen([WhenClause], otherwise: Expr?)
    case coalesce([Expr])
    case year(Expr)
    case monthStart(Expr)
    /// Whole days from the first date to the second (`DATEDIFF(second, first)`).
    case daysBetween(Expr, Expr)
    case toDouble(Expr)

    public static func asOf(months: Int) -> Expr { .asOf(months: months, days: 0) }
    public static func asOf(days: Int) -> Expr { .asOf(months: 0, days: days) }
    public static var asOf: Expr { .asOf(months: 0, days: 0) }
    public static let null = Expr.literal(.null)

    /// A decimal literal from its text, e.g. `.decimal("1.10")`.
    public static func decimal(_ text: String) -> Expr {
        let scale = text.split(separator: ".").dropFirst().first?.count ?? 0
        guard case .success(let units) = FixedPoint.parse(text, precision: 18, scale: scale) else {
            preconditionFailure("invalid decimal literal \(text)")
        }
        return .decimalLiteral(units: units, scale: scale)
    }

    public func eq(_ other: Expr) -> Expr { .compare(.equal, self, other) }
    public func ne(_ other: Expr) -> Expr { .compare(.notEqual, self, other) }
    public func `in`(_ values: Expr...) -> Expr { .inList(self, values) }
    public func `in`(_ values: [Expr]) -> Expr { .inList(self, values) }
    public func between(_ low: Expr, _ high: Expr) -> Expr { .between(self, low, high) }
    public var isNull: Expr { .isNull(self) }
    public var isNotNull: Expr { .not(.isNull(self)) }
    public var year: Expr { .year(self) }
    public var monthStart: Expr { .monthStart(self) }
    public var double: Expr { .toDouble(self) }
    public func daysUntil(_ other: Expr) -> Expr { .daysBetween(self, other) }

    public static func + (a: Expr, b: Expr) -> Expr { .arithmetic(.add, a, b) }
    public static func - (a: Expr, b: Expr) -> Expr { .arithmetic(.subtract, a, b) }
    public static func * (a: Expr, b: Expr) -> Expr { .arithmetic(.multiply, a, b) }
    public static func / (a: Expr, b: Expr) -> Expr { .arithmetic(.divide, a, b) }
    public static prefix func - (a: Expr) -> Expr { .negate(a) }
    public static func < (a: Expr, b: Expr) -> Expr { .compare(.less, a, b) }
    public static func <= (a: Expr, b: Expr) -> Expr { .compare(.lessOrEqual, a, b) }
    public static func > (a: Expr, b: Expr) -> Expr { .compare(.greater, a, b) }
    public static func >= (a: Expr, b: Expr) -> Expr { .compare(.greaterOrEqual, a, b) }
    public static func && (a: Expr, b: Expr) -> Expr { .and(a, b) }
    public static func || (a: Expr, b: Expr) -> Expr { .or(a, b) }
    public static prefix func ! (a: Expr) -> Expr { .not(a) }
}

/// A column reference by name.
public func col(_ name: String) -> Expr { .column(name) }

/// `CASE WHEN … THEN … [ELSE …] END`.
public func when(_ condition: Expr, then value: Expr, else otherwise: Expr? = nil) -> Expr {
    .caseWhen([WhenClause(condition: condition, result: value)], otherwise: otherwise)
}

public func coalesce(_ values: Expr...) -> Expr { .coalesce(values) }

public struct WhenClause: Sendable, Hashable {
    public var condition: Expr
    public var result: Expr
    public init(condition: Expr, result: Expr) {
        self.condition = condition
        self.result = result
    }
}

public enum ArithmeticOperator: String, Sendable, Hashable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
}

public enum ComparisonOperator: String, Sendable, Hashable {
    case equal = "="
    case notEqual = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
}

extension Expr: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .literal(.text(value)) }
    public init(integerLiteral value: Int64) { self = .literal(.integer(value)) }
    public init(floatLiteral value: Double) { self = .literal(.double(value)) }
    public init(booleanLiteral value: Bool) { self = .literal(.boolean(value)) }
}
