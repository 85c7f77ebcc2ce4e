public import DecisioningCore

/// The answer to one question: what it was read as, the figures, one sentence, and the evidence that
/// reproduces them (the plan, its SQL in each dialect, the figures the sentence quotes). Its JSON form is a
/// stable contract (`json`, docs/questions.md).
public struct QuestionAnswer: Sendable {
    public enum Status: String, Sendable, Hashable {
        case answered, ambiguous, unsupported
    }

    /// Who read the question into its request.
    public enum Interpreter: String, Sendable, Hashable {
        /// The rules of `QuestionInterpreter`.
        case deterministic
        /// The configured language model (`questions.llm`), its request checked against the semantic model.
        case llm
    }

    public var question: String
    public var asOf: Day
    public var status: Status
    public var interpreter: Interpreter = .deterministic
    /// Which model read the question, or why the language model's reading was not used; nil without `questions.llm`.
    public var interpreterNote: String?
    public var interpretation: QuestionRequest?
    /// Misspelt words and what they were read as.
    public var corrections: [String: String] = [:]
    /// The readings of an ambiguous question, most likely first.
    public var readings: [QuestionRequest] = []
    public var columns: [String] = []
    /// Cells as JSON: numbers at full precision, money as decimal strings, dates as `YYYY-MM-DD`.
    public var rows: [[JSONValue]] = []
    public var summary: String
    /// The plan as an indented outline; nil when no plan ran (decisions come from the stored run).
    public var plan: String?
    /// The plan's SQL per dialect (`sqlite`, `mysql`, `heatwave`), each a script its client runs as is.
    public var sql: [String: String] = [:]
    /// The figures the summary quotes, by name.
    public var figures: [(name: String, value: JSONValue)] = []
    /// How figures beyond the plan were computed (forecast, decomposition), or where they were read.
    public var method: String?
    public var suggestions: [String] = []
    /// Where the plan ran ("column engine", "SQL (sqlite)").
    public var site: String?
    public var seconds: Double = 0

    public init(question: String, asOf: Day, status: Status, summary: String) {
        self.question = question
        self.asOf = asOf
        self.status = status
        self.summary = summary
    }
}
