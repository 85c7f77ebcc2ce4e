public import DecisioningAnalytics
import DecisioningCore

/// What `ask` knows of the catalog: metrics defined once as plan expressions, the dimensions they break down by,
/// the filters and thresholds a question may name, each with the words people use for it.
///
/// The model ships with the binary (`Resources/semantic-model.json`, docs/questions.md) and
/// `questions.semantic_model` in the configuration adds entries or replaces them by key.
public struct SemanticModel: Sendable {
    /// Where a metric's rows come from. The joins are fixed: the ledger reaches its project and the project's
    /// customer; a project reaches its customer.
    public enum Source: String, Sendable, CaseIterable, Codable {
        /// `financial_metrics`, dated by `metric_date`, joined to `projects` and `customer_analytics`.
        case ledger
        /// `projects`, dated by `start_date`, joined to `customer_analytics`.
        case projects
        /// `customer_analytics`, undated.
        case customers

        /// The columns a metric, dimension or filter of this source may read.
        public var columns: Set<String> {
            let customers = Set(Catalog.customerAnalytics.columns.map(\.name))
            let projects = Set(Catalog.projects.columns.map(\.name)).subtracting(["created_at"])
            switch self {
            case .customers: return customers
            case .projects: return projects.union(customers)
            case .ledger: return projects.union(customers).union(["metric_type", "metric_value", "metric_date", "currency_code"])
            }
        }

        /// The date a period filters on, if the source has one.
        public var timeColumn: String? {
            switch self {
            case .ledger: return "metric_date"
            case .projects: return "start_date"
            case .customers: return nil
            }
        }
    }

    public enum Unit: String, Sendable, Codable, CaseIterable {
        case money, ratio, count, days, score
    }

    public enum TimeGrain: String, Sendable, Codable, CaseIterable {
        case month, quarter, year
    }

    public struct Metric: Sendable {
        public enum Definition: Sendable {
            /// `FUNCTION(of) … WHERE condition`; `of` is nil for a count of rows.
            case aggregate(Measure.Function, of: Expr?, where: Expr?)
            /// One metric of the same source divided by another (a ratio of sums, not an average of ratios).
            case divide(String, String)
        }
        public var key: String
        public var label: String
        public var source: Source
        public var unit: Unit
        public var definition: Definition
        public var synonyms: [String]
    }

    public struct Dimension: Sendable {
        public var key: String
        public var label: String
        /// The column shown (nil for a time dimension).
        public var column: String?
        /// The column that identifies a member when the shown one may repeat (customer names).
        public var keyColumn: String?
        public var time: TimeGrain?
        public var synonyms: [String]
    }

    /// A named condition on rows ("running projects", "over budget").
    public struct Filter: Sendable {
        public var key: String
        public var label: String
        public var condition: Expr
        public var columns: Set<String>
        public var phrases: [String]
    }

    /// A value a question may bound with a number ("customers with risk above 0.6").
    public struct Threshold: Sendable {
        public var key: String
        public var label: String
        public var expression: Expr
        public var columns: Set<String>
        public var phrases: [String]
    }

    public var metrics: [String: Metric]
    public var dimensions: [String: Dimension]
    public var filters: [String: Filter]
    public var thresholds: [String: Threshold]

    /// The columns `metric` reads, its parts' included.
    public func columns(of metric: Metric) -> Set<String> {
        switch metric.definition {
        case .aggregate(_, let of, let condition):
            return (of.map(SemanticExpression.columns) ?? []).union(condition.map(SemanticExpression.columns) ?? [])
        case .divide(let a, let b):
            return [a, b].compactMap { metrics[$0] }.reduce(into: Set<String>()) { $0.formUnion(columns(of: $1)) }
        }
    }
}
