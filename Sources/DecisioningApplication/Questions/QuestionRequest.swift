import DecisioningCore

/// What a question asks, in the semantic model's terms: the typed request the interpreter produces and the
/// planner turns into plans. Two requests are equal when they ask for the same figures (the words that named
/// periods and the interpreter's spelling corrections are not compared).
public struct QuestionRequest: Sendable, Hashable {
    public enum Intent: String, Sendable, Hashable, CaseIterable {
        /// One figure: "revenue last quarter".
        case figure
        /// A metric per member of a dimension: "revenue by industry".
        case breakdown
        /// The first or last N members: "top 5 customers by revenue".
        case ranking
        /// A metric in one period against another: "margin rate versus the same quarter last year".
        case comparison
        /// A metric per month, quarter or year: "monthly cost in 2026".
        case trend
        /// What moved a metric between two periods, per member of a dimension: "why did margin fall".
        case drivers
        /// The metric's next months by exponential smoothing, with an interval: "revenue next quarter".
        case forecast
        /// Running projects most at risk of overrunning their budget.
        case risk
        /// The latest stored run's ranked decisions.
        case decisions
        /// The completed projects most like one project, and how they ended: "projects similar to P000012".
        case similar
    }

    /// A condition on rows: a member of a dimension (`industry = Media`), a named filter of the model
    /// (`running`), or a threshold (`risk_score > 0.6`).
    public struct Filter: Sendable, Hashable, Comparable {
        public enum Operator: String, Sendable, Hashable, CaseIterable {
            case equal = "="
            case `is` = "is"
            case greater = ">"
            case greaterOrEqual = ">="
            case less = "<"
            case lessOrEqual = "<="
        }
        /// A dimension key, a filter key or a threshold key of the model.
        public var field: String
        public var op: Operator
        /// The member (`equal`), the bound (thresholds, as written: `0.6`), or empty (`is`).
        public var value: String?

        public init(field: String, op: Operator, value: String? = nil) {
            self.field = field
            self.op = op
            self.value = value
        }

        public static func < (a: Filter, b: Filter) -> Bool {
            (a.field, a.op.rawValue, a.value ?? "") < (b.field, b.op.rawValue, b.value ?? "")
        }
    }

    public enum Order: String, Sendable, Hashable { case descending, ascending }
    /// For comparisons and drivers: only the members that moved this way ("which industries lost margin").
    public enum Direction: String, Sendable, Hashable { case down, up }

    public var intent: Intent
    public var metric: String?
    public var dimension: String?
    /// Sorted, so that word order does not change the request.
    public var filters: [Filter]
    public var period: QuestionPeriod?
    public var comparedTo: QuestionPeriod?
    /// The time grain of a trend or a forecast.
    public var grain: SemanticModel.TimeGrain?
    public var limit: Int?
    public var order: Order?
    public var direction: Direction?
    /// Months ahead of a forecast.
    public var horizon: Int?

    public init(
        intent: Intent, metric: String? = nil, dimension: String? = nil, filters: [Filter] = [], period: QuestionPeriod? = nil,
        comparedTo: QuestionPeriod? = nil, grain: SemanticModel.TimeGrain? = nil, limit: Int? = nil, order: Order? = nil,
        direction: Direction? = nil, horizon: Int? = nil
    ) {
        self.intent = intent
        self.metric = metric
        self.dimension = dimension
        self.filters = filters.sorted()
        self.period = period
        self.comparedTo = comparedTo
        self.grain = grain
        self.limit = limit
        self.order = order
        self.direction = direction
        self.horizon = horizon
    }
}
