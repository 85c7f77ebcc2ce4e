import DecisioningAgents
public import DecisioningApplication
import DecisioningCore
public import MCP

/// Decisioning's tools for LLM clients over MCP, the same over stdio (`decisioning mcp`) and HTTP
/// (`/mcp` on `serve`): list and run the named analyses, the latest decisions and one decision's
/// evidence, the alerts, a run's status, and starting a run (analyst role). Each answer is JSON
/// (as text, and as structured content) with the data's as-of date and the evidence behind its
/// figures; long lists are cut to the asked limit with `truncated` saying so. The tools call the
/// application layer; nothing is computed here.
public struct MCPToolbox: Sendable {
    public let application: Application
    /// Starts runs (the server's own coordinator, so runs never overlap).
    public let coordinator: RunCoordinator
    /// What the caller may do: a key's role over HTTP, admin over stdio (the local user).
    public let role: APIRole
    /// The optional language model that reads `ask` questions first (`questions.llm`).
    public let questionReader: LanguageModelReader?

    public init(application: Application, coordinator: RunCoordinator, role: APIRole, questionReader: LanguageModelReader? = nil) {
        self.application = application
        self.coordinator = coordinator
        self.role = role
        self.questionReader = questionReader
    }

    /// Rows an analysis part returns unless `max_rows` says otherwise.
    static let defaultRows = 100

    static let specs: [MCPToolSpec] = [
        MCPToolSpec(
            name: "list_analyses",
            description:
                "The named analyses this server runs (industry performance, customer risk, cost anomalies, …), each with its parts.",
            arguments: []),
        MCPToolSpec(
            name: "run_analysis",
            description:
                "Runs one named analysis as of a date on the company's data and returns each part's columns and rows, with the SQL behind it. Money is a decimal string.",
            arguments: [
                ("name", MCPToolSpec.string("The analysis, as list_analyses names it.", enumeration: Application.analysisNames)),
                ("as_of", MCPToolSpec.date),
                ("max_rows", MCPToolSpec.integer("Rows per part at most (default 100).", minimum: 1, maximum: 1000)),
            ],
            required: ["name"]),
        MCPToolSpec(
            name: "latest_decisions",
            description:
                "The ranked decisions of the latest run (or of a given run): what to do, why, the expected impact and confidence, highest priority first.",
            arguments: [
                ("run", MCPToolSpec.string("'latest' (default) or a run id.")),
                ("limit", MCPToolSpec.integer("Decisions at most (default 10).", minimum: 1, maximum: 100)),
            ]),
        MCPToolSpec(
            name: "explain_decision",
            description:
                "One decision with its evidence: the figures, the analysis (plan) behind each, and its SQL in the SQLite, MySQL and HeatWave dialects.",
            arguments: [
                (
                    "id",
                    MCPToolSpec.string("The decision id as latest_decisions gives it (RUN:DECISION), or a decision id of the latest run.")
                )
            ],
            required: ["id"]),
        MCPToolSpec(
            name: "list_alerts",
            description:
                "Alerts (one rule on one entity each) by state and severity, most recently seen first, with their observed value and threshold.",
            arguments: [
                (
                    "state",
                    MCPToolSpec.string(
                        "open, acknowledged or resolved (default: open and acknowledged).", enumeration: AlertState.allCases.map(\.rawValue)
                    )
                ),
                ("severity", MCPToolSpec.string("Only this severity.", enumeration: Severity.allCases.map(\.rawValue))),
                ("limit", MCPToolSpec.integer("Alerts at most (default 20).", minimum: 1, maximum: 100)),
            ]),
        MCPToolSpec(
            name: "ask",
            description:
                "Answers a question in plain language from the data (\"revenue by industry last quarter\", \"top 5 customers by revenue this year\", \"why did margin fall\"): the typed reading, the rows, a one-sentence summary and the evidence (plan, SQL per dialect, figures); ambiguous or unsupported questions get readings or suggestions instead of figures.",
            arguments: [
                ("question", MCPToolSpec.string("The question, in English.")),
                ("as_of", MCPToolSpec.date),
            ],
            required: ["question"]),
        MCPToolSpec(
            name: "similar_projects",
            description:
                "The completed projects most like a project (by what was known at its start: budget, planned months, the customer's risk, payment delay and rating, type, industry), how each ended, the share that overran and by how much, beside the overrun model's probability for the project.",
            arguments: [
                ("project_id", MCPToolSpec.string("The project's id, exactly as stored.")),
                ("k", MCPToolSpec.integer("Similar completed projects (default 20).", minimum: 1, maximum: 1000)),
                (
                    "scope",
                    MCPToolSpec.string(
                        "all (default), same-industry or same-type.", enumeration: PrecedentFinder.Scope.allCases.map(\.rawValue))
                ),
                ("as_of", MCPToolSpec.date),
            ],
            required: ["project_id"]),
        MCPToolSpec(
            name: "get_run",
            description:
                "A run's status (queued, running, succeeded, degraded, failed, cancelled), dates and, once finished, each agent's status.",
            arguments: [("id", MCPToolSpec.string("The run id, or 'latest'."))],
            required: ["id"]),
        MCPToolSpec(
            name: "start_run",
            description:
                "Starts the six agents' flow as of a date (default today, UTC); returns the run's id at once (poll get_run). One run at a time per database. Needs the analyst role.",
            arguments: [
                ("as_of", MCPToolSpec.date),
                ("analysis", MCPToolSpec.string("The flow's analysis (default: the configured one).", enumeration: Configuration.analyses)),
            ],
            role: .analyst, readOnly: false),
    ]

    public static var tools: [Tool] { specs.map(\.tool) }

    /// Calls tool `name`. An unknown tool is a protocol error; anything the caller can fix (an
    /// argument, the role, a run in progress) is a tool result with `isError` saying what to do.
    public func call(_ name: String, arguments: [String: MCP.Value]?) async throws -> CallTool.Result {
        guard let spec = Self.specs.first(where: { $0.name == name }) else {
            throw MCPError.invalidParams("unknown tool '\(TerminalText.quoted(name))'; tools/list lists them")
        }
        do {
            guard role >= spec.role else {
                throw MCPToolError("\(name) needs a key with the \(spec.role.rawValue) role or above; this one is \(role.rawValue)")
            }
            let input = try MCPArguments(tool: name, arguments, allowed: spec.argumentNames)
            let answer = try await answer(name, input)
            let structured: MCP.Value? = answer.mcpValue
            return CallTool.Result(
                content: [.text(text: answer.canonicalText, annotations: nil, _meta: nil)], structuredContent: structured)
        } catch let error as MCPToolError {
            return CallTool.Result(content: [.text(text: error.message, annotations: nil, _meta: nil)], isError: true)
        } catch let error as ApplicationError {
            return CallTool.Result(content: [.text(text: "\(name): \(error)", annotations: nil, _meta: nil)], isError: true)
        } catch let error as RunCoordinatorError {
            return CallTool.Result(content: [.text(text: "\(name): \(error)", annotations: nil, _meta: nil)], isError: true)
        }
    }

    func answer(_ name: String, _ input: MCPArguments) async throws -> JSONValue {
        switch name {
        case "list_analyses": return listAnalyses()
        case "run_analysis": return try await runAnalysis(input)
        case "latest_decisions": return try await latestDecisions(input)
        case "explain_decision": return try await explainDecision(input)
        case "similar_projects": return try await similarProjects(input)
        case "list_alerts": return try await listAlerts(input)
        case "ask": return try await ask(input)
        case "get_run": return try await getRun(input)
        case "start_run": return try await startRun(input)
        default: throw MCPToolError("\(name) is listed but not answered; report this")
        }
    }
}
