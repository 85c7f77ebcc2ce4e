/// A relational plan: the one definition of an analysis, rendered to SQL per dialect and executed
/// by the column engine. Build it fluently: `Plan.scan(...).filter(...).aggregate(...).sort(...)`.
public indirect enum Plan: Sendable, Hashable {
    case scan(table: String, columns: [ScanColumn])
    case filter(Plan, Expr)
    case join(JoinKind, Plan, Plan, on: [JoinKey])
    case aggregate(Plan, groupBy: [NamedExpr], measures: [Measure])
    case window(Plan, partitionBy: [String], orderBy: [SortKey], lags: [Lag])
    case project(Plan, [NamedExpr])
    case sort(Plan, [SortKey])
    case limit(Plan, Int)

    public static func scan(_ table: String, _ columns: [String]) -> Plan {
        .scan(table: table, columns: columns.map { ScanColumn($0) })
    }

    public static func scan(_ table: String, _ columns: [ScanColumn]) -> Plan {
        .scan(table: table, columns: columns)
    }

    public func filter(_ predicate: Expr) -> Plan { .filter(self, predicate) }

    public func join(_ right: Plan, on keys: [JoinKey], kind: JoinKind = .inner) -> Plan { .join(kind, self, right, on: keys) }

    public func join(_ right: Plan, on left: String, equals rightColumn: String, kind: JoinKind = .inner) -> Plan {
        .join(kind, self, right, on: [JoinKey(left, rightColumn)])
    }

    public func aggregate(by groups: [NamedExpr] = [], _ measures: [Measure]) -> Plan {
        .aggregate(self, groupBy: groups, measures: measures)
    }

    /// Group by existing columns under their own names.
    public func aggregate(by columns: [String], _ measures: [Measure]) -> Plan {
        .aggregate(self, groupBy: columns.map { NamedExpr($0, col($0)) }, measures: measures)
    }

    /// `HAVING`: a filter over an aggregate's output.
    public func having(_ predicate: Expr) -> Plan { .filter(self, predicate) }

    public func lag(_ lags: [Lag], partitionBy: [String] = [], orderBy: [SortKey]) -> Plan {
        .window(self, partitionBy: partitionBy, orderBy: orderBy, lags: lags)
    }

    public func project(_ columns: [NamedExpr]) -> Plan { .project(self, columns) }

    public func sort(_ keys: SortKey...) -> Plan { .sort(self, keys) }
    public func sort(_ keys: [SortKey]) -> Plan { .sort(self, keys) }

    public func limit(_ count: Int) -> Plan { .limit(self, count) }
}
