public import DecisioningCore
import Foundation

/// How an agent's run ended.
public enum AgentStatus: String, Codable, Sendable, Hashable {
    /// Computed everything it set out to.
    case succeeded
    /// Finished with a fallback or without an optional input; `fallback` says which and why.
    case degraded
    /// Did not finish: it threw, or ran past its timeout; `error` says what happened.
    case failed
    /// Not run, because a required input failed or the agent is disabled.
    case skipped
}

/// A number, amount or label behind a claim, kept with its unit so it renders and validates exactly.
public enum Figure: Sendable, Hashable, Codable {
    case count(Int64)
    /// Money, exact, in minor units; encoded as a decimal string ("1234.50").
    case money(Money)
    case number(Double)
    /// A share in [0, 1] (rendered as a percentage).
    case ratio(Double)
    case text(String)
    case date(Day)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "count": self = .count(try c.decode(Int64.self, forKey: .value))
        case "money": self = .money(try c.decode(Money.self, forKey: .value))
        case "ratio": self = .ratio(try c.decode(Double.self, forKey: .value))
        case "text": self = .text(try c.decode(String.self, forKey: .value))
        case "date": self = .date(try c.decode(Day.self, forKey: .value))
        default: self = .number(try c.decode(Double.self, forKey: .value))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .count(let v):
            try c.encode("count", forKey: .kind)
            try c.encode(v, forKey: .value)
        case .money(let v):
            try c.encode("money", forKey: .kind)
            try c.encode(v, forKey: .value)
        case .number(let v):
            try c.encode("number", forKey: .kind)
            try c.encode(Figure.clean(v), forKey: .value)
        case .ratio(let v):
            try c.encode("ratio", forKey: .kind)
            try c.encode(Figure.clean(v), forKey: .value)
        case .text(let v):
            try c.encode("text", forKey: .kind)
            try c.encode(v, forKey: .value)
        case .date(let v):
            try c.encode("date", forKey: .kind)
            try c.encode(v, forKey: .value)
        }
    }

    /// JSON has no NaN or infinity; such values become 0 (callers avoid producing them).
    static func clean(_ v: Double) -> Double { v.isFinite ? v : 0 }

    enum Key: String, CodingKey { case kind, value }

    /// How the figure reads in a report.
    public var formatted: String {
        switch self {
        case .count(let v): return Figure.grouped(String(v))
        case .money(let m):
            // Always with cents, the sign before the currency: $6,312,451.00, -$0.50.
            let magnitude = m.minorUnits.magnitude
            return (m.minorUnits < 0 ? "-$" : "$") + Figure.grouped(String(magnitude / 100)) + String(format: ".%02d", Int(magnitude % 100))
        case .number(let v):
            guard v.isFinite, abs(v) < 1e15 else { return String(format: "%.3e", v) }
            return abs(v) >= 1000 ? Figure.grouped(String(Int64(v.rounded()))) : String(format: "%.2f", v)
        case .ratio(let v): return String(format: "%.1f%%", v * 100)
        case .text(let s): return s
        case .date(let d): return d.iso
        }
    }

    static func grouped(_ digits: String) -> String {
        let negative = digits.hasPrefix("-")
        let body = negative ? String(digits.dropFirst()) : digits
        var out = ""
        for (i, ch) in body.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (negative ? "-" : "") + String(out.reversed())
    }
}

/// A named figure.
public struct NamedFigure: Sendable, Hashable, Codable {
    public var name: String
    public var figure: Figure
    public init(_ name: String, _ figure: Figure) {
        self.name = name
        self.figure = figure
    }
}

/// How a claim was made: the figures, the analysis (plan) that computed them and the SQL a
/// HeatWave user can paste to reproduce them, or the method / model that derived them.
public struct Evidence: Sendable, Hashable, Codable {
    public var figures: [NamedFigure]
    /// The plan's name (`industry-performance`, `discovery.orphan-projects`, …).
    public var analysis: String
    /// The plan rendered for HeatWave, runnable as is in a MySQL client.
    public var sql: String?
    /// The values bound to the SQL's placeholders, in order.
    public var bindings: [String]
    /// A method or model computed on top of the query result (e.g. "robust z-score (median/MAD)").
    public var method: String?
    /// The same plan rendered for the other engines (`sqlite`, `mysql`), each with its own bindings
    /// as SQL literals, so the evidence can be checked on any of them; nil when the plan was not kept.
    public var sqlByDialect: [String: DialectSQL]?

    public init(
        figures: [NamedFigure], analysis: String, sql: String? = nil, bindings: [String] = [], method: String? = nil,
        sqlByDialect: [String: DialectSQL]? = nil
    ) {
        self.figures = figures
        self.analysis = analysis
        self.sql = sql
        self.bindings = bindings
        self.method = method
        self.sqlByDialect = sqlByDialect
    }
}

/// A plan rendered for one engine: its SQL with `?` placeholders and their values as SQL literals.
public struct DialectSQL: Sendable, Hashable, Codable {
    public var sql: String
    public var bindings: [String]

    public init(sql: String, bindings: [String]) {
        self.sql = sql
        self.bindings = bindings
    }
}

public enum Severity: String, Codable, Sendable, Hashable, Comparable, CaseIterable {
    case info, low, medium, high, critical

    var rank: Int {
        switch self {
        case .info: return 0
        case .low: return 1
        case .medium: return 2
        case .high: return 3
        case .critical: return 4
        }
    }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A finding: what we saw, how much it matters, and the evidence.
public struct Insight: Sendable, Hashable, Codable {
    public var title: String
    public var detail: String
    public var severity: Severity
    public var evidence: [Evidence]

    public init(title: String, detail: String, severity: Severity = .info, evidence: [Evidence]) {
        self.title = title
        self.detail = detail
        self.severity = severity
        self.evidence = evidence
    }
}

/// What an agent suggests doing, for the Decision agent to rank.
public struct Recommendation: Sendable, Hashable, Codable {
    public var action: String
    public var rationale: String
    public var evidence: [Evidence]

    public init(action: String, rationale: String, evidence: [Evidence]) {
        self.action = action
        self.rationale = rationale
        self.evidence = evidence
    }
}

/// The one result every agent returns.
public struct AgentResult: Sendable, Codable {
    public var agent: String
    public var status: AgentStatus
    /// For `degraded`: the fallback used and why.
    public var fallback: String?
    /// For `failed` and `skipped`: what happened.
    public var error: String?
    /// The agent's output (nil when it failed or was skipped); read it through the agent's key, `output(_:)`.
    public var data: AgentPayload?
    public var insights: [Insight]
    public var recommendations: [Recommendation]
    /// 0…1: how far the agent trusts its own output (data quality, fallbacks, sample sizes).
    public var confidence: Double
    public var attempts: Int
    public var durationMs: Double

    public init(
        agent: String, status: AgentStatus, fallback: String? = nil, error: String? = nil, data: AgentPayload? = nil,
        insights: [Insight] = [], recommendations: [Recommendation] = [], confidence: Double = 0, attempts: Int = 1, durationMs: Double = 0
    ) {
        self.agent = agent
        self.status = status
        self.fallback = fallback
        self.error = error
        self.data = data
        self.insights = insights
        self.recommendations = recommendations
        self.confidence = confidence
        self.attempts = attempts
        self.durationMs = durationMs
    }
}

extension AgentResult {
    /// The output of the agent `key` names, when this is its result and it produced one.
    public func output<Output>(_ key: AgentKey<Output>) -> Output? {
        agent == key.name ? data?.output(as: Output.self) : nil
    }
}
