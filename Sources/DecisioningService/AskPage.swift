import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import Foundation
import Plot

/// `/ask`: a question in plain language and its answer, as `decisioning ask` and `POST /api/v1/ask`
/// give it. The form (a GET: asking only reads), then the answer's status, its summary, its table,
/// how the question was read, and the evidence (the figures, the method, the plan and its SQL in
/// each dialect). Ambiguous and unsupported answers link their suggestions; without a question the
/// page offers examples.
enum AskPage {
    /// What the form holds: the question and the as-of date, as typed.
    struct Form: Sendable, Equatable {
        var question = ""
        var asOf = ""
    }

    /// Questions offered on the empty page, one of each kind.
    static let examples = [
        "revenue by industry last quarter",
        "top 5 customers by revenue this year",
        "monthly cost in 2026",
        "how did margin rate change versus the same quarter last year",
        "why did margin fall",
        "revenue next quarter",
        "which running projects will overrun",
        "what should we do first",
    ]

    /// The SQL dialects in the order the evidence shows them (others follow, by name).
    static let dialects = ["sqlite", "mysql", "heatwave"]

    /// The page: the form, then `message` (why the question was not asked) or the answer, or the examples.
    static func render(session: WebSession, form: Form, answer: QuestionAnswer? = nil, message: String? = nil) -> String {
        var content: [WebNode] = [
            .header(
                .cls("top"),
                .div(
                    .h1(.plain("Ask")),
                    .p(
                        .cls("meta"),
                        .plain("A question in plain language, answered from the data with its evidence: the same answer as "),
                        .code(.plain("decisioning ask")), .plain(" and "), .code(.plain("POST /api/v1/ask")), .plain(".")))),
            formNode(form),
        ]
        if let message {
            content.append(.p(.cls("error"), .attr("role", "alert"), .plain(message)))
        } else if let answer {
            content += answerNodes(answer)
        } else {
            content.append(examplesPanel())
        }
        let title = form.question.isEmpty ? "Ask" : "Ask: " + String(form.question.prefix(80))
        return WebLayout.page(title: title, session: session, content)
    }

    /// The question box, prefilled; a GET form, so the answer has an address and reads without scripts.
    static func formNode(_ form: Form) -> WebNode {
        .form(
            .cls("ask"), .attr("method", "get"), .attr("action", "/ask"), .attr("role", "search"),
            .el(
                "label", .cls("question"), .attr("for", "q"), .span(.plain("Question")),
                .void(
                    "input",
                    [
                        ("type", "search"), ("id", "q"), ("name", "q"), ("value", form.question),
                        ("maxlength", String(ServiceState.maxQuestion)), ("placeholder", examples[0]), ("autocomplete", "off"),
                    ])),
            .el(
                "label", .attr("for", "ask_as_of"), .span(.plain("As of")),
                .void("input", [("type", "date"), ("id", "ask_as_of"), ("name", "as_of"), ("value", form.asOf)])),
            .el("button", .attr("type", "submit"), .cls("primary"), .plain("Ask")),
            .span(.cls("hint"), .plain("Empty date: the latest day of the ledger.")))
    }

    static func examplesPanel() -> WebNode {
        .section(
            .cls("panel wide"),
            .h2(.plain("Questions to try")),
            .p(
                .cls("sub"),
                .plain(
                    "One metric, at most one dimension, filters and periods; docs/questions.md lists what the semantic model answers.")),
            .ul(.cls("suggestions"), .group(examples.map { question -> Node<HTML.ListContext> in .li(link(question)) })))
    }

    // MARK: - The answer

    static func answerNodes(_ answer: QuestionAnswer) -> [WebNode] {
        let json = answer.json
        var nodes: [WebNode] = [
            .section(
                .cls("panel wide answer"), .attr("id", "answer"), .attr("data-status", answer.status.rawValue),
                .div(
                    .cls("answer-head"), WebLayout.badge(answer.status.rawValue, tone(answer.status)),
                    .span(.cls("asked"), .plain("“" + answer.question + "”")),
                    .span(.cls("meta"), .plain("as of " + answer.asOf.iso))),
                .p(.cls("summary"), .plain(answer.summary)),
                table(answer),
                suggestions(answer),
                interpreterLine(json))
        ]
        if let interpretation = answer.interpretation {
            nodes.append(interpretationPanel(interpretation, corrections: answer.corrections))
        } else if !answer.corrections.isEmpty {
            nodes.append(.section(.cls("panel wide"), .h2(.plain("Spelling")), spelling(answer.corrections)))
        }
        if answer.status == .answered { nodes.append(evidencePanel(answer)) }
        return nodes
    }

    static func tone(_ status: QuestionAnswer.Status) -> String {
        switch status {
        case .answered: return "good"
        case .ambiguous: return "warn"
        case .unsupported: return "neutral"
        }
    }

    /// The answer's rows; a column whose cells are all figures is right-aligned.
    static func table(_ answer: QuestionAnswer) -> WebNode {
        guard !answer.columns.isEmpty, !answer.rows.isEmpty else { return .empty }
        let numeric = answer.columns.indices.map { index in
            answer.rows.allSatisfy { row in index >= row.count || row[index] == .null || AskCells.isFigure(row[index]) }
        }
        return .div(
            .cls("table-scroll"),
            .table(
                .cls("data answer-rows"),
                .thead(
                    .tr(
                        .group(
                            answer.columns.enumerated().map { index, name -> Node<HTML.TableRowContext> in
                                numeric[index] ? .th(.cls("num"), .plain(name)) : .th(.plain(name))
                            }))),
                .tbody(
                    .group(
                        answer.rows.map { row -> Node<HTML.TableContext> in
                            .tr(
                                .group(
                                    answer.columns.indices.map { index -> Node<HTML.TableRowContext> in
                                        let cell = index < row.count ? row[index] : .null
                                        return numeric[index]
                                            ? .td(.cls("num"), .attr("title", AskCells.raw(cell)), .plain(AskCells.text(cell)))
                                            : .td(.plain(AskCells.text(cell)))
                                    }))
                        }))))
    }

    /// An ambiguous answer's readings or an unsupported one's questions, each a link that asks it.
    static func suggestions(_ answer: QuestionAnswer) -> WebNode {
        guard !answer.suggestions.isEmpty else { return .empty }
        return .div(
            .cls("suggest"),
            .h3(.plain(answer.status == .ambiguous ? "Did you mean" : "Try instead")),
            .ul(.cls("suggestions"), .group(answer.suggestions.map { question -> Node<HTML.ListContext> in .li(link(question)) })))
    }

    /// Which interpreter read the question (the JSON's `interpreter`), with its note when it has one.
    static func interpreterLine(_ json: JSONValue) -> WebNode {
        guard case .object(let object) = json else { return .empty }
        var interpreter = "unknown"
        if case .string(let name)? = object["interpreter"] { interpreter = name }
        var note: String?
        if case .string(let text)? = object["interpreter_note"], !text.isEmpty { note = text }
        return .p(
            .cls("why interpreter"), .plain("Read by the "), .strong(.plain(interpreter)), .plain(" interpreter"),
            note.map { text -> WebNode in .plain(": " + text) } ?? .empty, .plain("."))
    }

    // MARK: - How the question was read

    static func interpretationPanel(_ request: QuestionRequest, corrections: [String: String]) -> WebNode {
        var rows: [(String, WebNode)] = [("Intent", .code(.plain(request.intent.rawValue)))]
        if let metric = request.metric { rows.append(("Metric", key(metric))) }
        if let dimension = request.dimension { rows.append(("Dimension", key(dimension))) }
        if !request.filters.isEmpty {
            rows.append(
                (
                    "Filters",
                    .group(
                        request.filters.enumerated().map { index, filter -> WebNode in
                            .span(
                                index > 0 ? .plain("; ") : .empty, .code(.plain(filter.field)), .plain(" " + filter.op.rawValue),
                                filter.value.map { value -> WebNode in .plain(" " + value) } ?? .empty)
                        })
                ))
        }
        if let period = request.period { rows.append(("Period", periodNode(period))) }
        if let compared = request.comparedTo { rows.append(("Compared with", periodNode(compared))) }
        if let grain = request.grain { rows.append(("Grain", .plain(grain.rawValue))) }
        if let limit = request.limit { rows.append(("Limit", .plain(String(limit)))) }
        if let order = request.order { rows.append(("Order", .plain(order.rawValue))) }
        if let direction = request.direction { rows.append(("Direction", .plain(direction.rawValue))) }
        if let horizon = request.horizon { rows.append(("Horizon", .plain("\(horizon) months"))) }
        return .section(
            .cls("panel wide interpretation"), .attr("id", "interpretation"),
            .h2(.plain("How the question was read")),
            .p(.cls("sub"), .plain("The typed request the interpreter made of it, in the semantic model's terms.")),
            .table(
                .cls("data kv"),
                .tbody(
                    .group(rows.map { name, value -> Node<HTML.TableContext> in .tr(.th(.attr("scope", "row"), .plain(name)), .td(value)) })
                )),
            corrections.isEmpty ? .empty : spelling(corrections))
    }

    static func key(_ name: String) -> WebNode { .span(.plain(ReportFragments.label(name) + " "), .code(.plain(name))) }

    static func periodNode(_ period: QuestionPeriod) -> WebNode {
        .span(
            .plain(period.from.iso + " … " + period.to.iso),
            period.phrase.isEmpty ? .empty : .span(.cls("why"), .plain(" (“" + period.phrase + "”)")))
    }

    static func spelling(_ corrections: [String: String]) -> WebNode {
        .p(
            .cls("corrections"), .strong(.plain("Spelling: ")),
            .plain(corrections.keys.sorted().map { "\($0) → \(corrections[$0] ?? "")" }.joined(separator: ", ")))
    }

    // MARK: - Evidence

    static func evidencePanel(_ answer: QuestionAnswer) -> WebNode {
        let sql =
            dialects.compactMap { name in answer.sql[name].map { (name, $0) } }
            + answer.sql.keys.filter { !dialects.contains($0) }.sorted().compactMap { name in answer.sql[name].map { (name, $0) } }
        return .section(
            .cls("panel wide evidence"), .attr("id", "evidence"),
            .h2(.plain("Evidence")),
            .p(.cls("sub"), .plain("What reproduces the figures: the figures the summary quotes, the method, the plan and its SQL.")),
            answer.figures.isEmpty
                ? .empty
                : .div(
                    .h3(.plain("Figures")),
                    .table(
                        .cls("data kv figures"),
                        .tbody(
                            .group(
                                answer.figures.map { figure -> Node<HTML.TableContext> in
                                    .tr(
                                        .th(.attr("scope", "row"), .code(.plain(figure.name))),
                                        .td(.cls("num"), .attr("title", AskCells.raw(figure.value)), .plain(AskCells.text(figure.value))))
                                })))),
            answer.method.map { method -> WebNode in .div(.h3(.plain("Method")), .p(.plain(method))) } ?? .empty,
            answer.site.map { site -> WebNode in .p(.cls("why"), .plain("Ran on the " + site + ".")) } ?? .empty,
            answer.plan.map { plan -> WebNode in
                .element(
                    named: "details",
                    nodes: [.element(named: "summary", nodes: [.plain("The plan")]), .pre(.cls("code"), .code(.plain(plan)))])
            } ?? .empty,
            sql.isEmpty
                ? .empty
                : .div(
                    .cls("dialects"), .attr("id", "sql"),
                    .h3(.plain("The SQL in each dialect")),
                    .group(
                        sql.map { dialect, text -> WebNode in
                            .element(
                                named: "details",
                                nodes: [
                                    .attr("data-dialect", dialect),
                                    .element(named: "summary", nodes: [.plain(dialect)]),
                                    .pre(.cls("code"), .code(.plain(text))),
                                ])
                        })))
    }

    // MARK: - Links

    /// A link that asks `question`.
    static func link(_ question: String) -> WebNode { .a(.attr("href", path(question)), .plain(question)) }

    /// `/ask?q=…`, the question percent-encoded.
    static func path(_ question: String) -> String {
        "/ask?q=" + (question.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")
    }

    /// RFC 3986's unreserved characters.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
