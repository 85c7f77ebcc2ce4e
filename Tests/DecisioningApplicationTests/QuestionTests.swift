import DecisioningApplication
import DecisioningCore
import DecisioningSynth
import Foundation
import Testing

/// `ask`: the golden set against SQL on SQLite, and the contract around it.
@Suite struct QuestionTests {
    static let monthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    ]

    static let asOf = Day(iso: "2026-11-25")!

    /// One small company for the suite, generated once (as of the golden set's date), with its planted truth.
    static let generated: Result<(Application, GroundTruth), any Error> = Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("questions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let app = try Application.open(.sqlite(path: dir.appendingPathComponent("q.sqlite").path), configuration: Configuration())
        let generation = try app.generate(Generator(spec: GeneratorSpec(scale: 0.02, seed: 7, asOf: asOf)), keepTruth: false)
        return (app, generation.truth)
    }
    static var company: Result<Application, any Error> { generated.map(\.0) }

    static var goldenPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("bench/questions/golden.json").path
    }

    func interpreter(asOf: Day = QuestionTests.asOf) throws -> QuestionInterpreter {
        let app = try Self.company.get()
        let model = try SemanticModel.standard()
        return QuestionInterpreter(model: model, members: try app.questionMembers(model: model, asOf: asOf), asOf: asOf)
    }

    func request(_ question: String, asOf: Day = QuestionTests.asOf) throws -> QuestionRequest {
        guard case .request(let r, _) = try interpreter(asOf: asOf).interpret(question) else {
            Issue.record("'\(question)' was not read as one request")
            throw CancellationError()
        }
        return r
    }

    @Test func theGoldenSetIsReadExactlyAndAnsweredAsSQLOnSQLiteSays() throws {
        let app = try Self.company.get()
        let golden = try GoldenQuestions.load(path: Self.goldenPath)
        #expect(golden.entries.count >= 100)
        #expect(golden.entries.contains { $0.status == .ambiguous } && golden.entries.contains { $0.status == .unsupported })
        let report = try app.evaluateQuestions(golden, passes: 1)
        for failure in report.failures { Issue.record("\(failure.question): \(failure.problem)") }
        #expect(report.interpretedShare >= 0.95)
        #expect(report.correctShare >= 0.95)
    }

    @Test func theSameQuestionGivesTheSameBytes() throws {
        let app = try Self.company.get()
        for q in ["revenue by industry last quarter", "why did margin rate fall", "revenue next quarter", "top 5 customers"] {
            let a = try app.ask(q, asOf: Self.asOf).jsonText()
            let b = try app.ask(q, asOf: Self.asOf).jsonText()
            #expect(a == b, "\(q)")
        }
    }

    @Test func theJSONCarriesTheDocumentedKeysWithMoneyAsDecimalStrings() throws {
        let app = try Self.company.get()
        let answer = try app.ask("revenue by industry last quarter", asOf: Self.asOf)
        guard case .object(let o) = answer.json else { throw CancellationError() }
        for key in ["question", "as_of", "status", "interpretation", "answer", "summary", "evidence", "suggestions"] {
            #expect(o[key] != nil, "\(key)")
        }
        #expect(o["status"] == .string("answered"))
        #expect(o["as_of"] == .string("2026-11-25"))
        guard case .object(let evidence)? = o["evidence"], case .object(let sql)? = evidence["sql"],
            case .object(let result)? = o["answer"], case .array(let rows)? = result["rows"]
        else { throw CancellationError() }
        #expect(Set(sql.keys) == ["sqlite", "mysql", "heatwave"])
        #expect(evidence["plan"] != .null)
        #expect(result["columns"] == .array([.string("industry"), .string("revenue")]))
        guard case .array(let first)? = rows.first, case .string(let money) = first[1] else {
            Issue.record("revenue is not a decimal string")
            return
        }
        #expect(money.split(separator: ".").last?.count == 2)
    }

    @Test func relativeDatesResolveAgainstAsOf() throws {
        // A month end counts its month as complete; a day inside a month does not.
        #expect(try request("revenue last month", asOf: Day(iso: "2026-10-31")!).period?.from == Day(iso: "2026-10-01"))
        #expect(try request("revenue last month", asOf: Day(iso: "2026-11-25")!).period?.from == Day(iso: "2026-10-01"))
        #expect(try request("revenue last month", asOf: Day(iso: "2026-11-30")!).period?.from == Day(iso: "2026-11-01"))
        let quarter = try request("revenue last quarter", asOf: Day(iso: "2026-09-30")!).period
        #expect(quarter?.from == Day(iso: "2026-07-01") && quarter?.to == Day(iso: "2026-09-30"))
        let ytd = try request("revenue this year").period
        #expect(ytd?.from == Day(iso: "2026-01-01") && ytd?.to == Self.asOf)
        let march = try request("revenue in march", asOf: Day(iso: "2026-02-10")!).period
        #expect(march?.from == Day(iso: "2025-03-01"))
        let compared = try request("how did revenue change versus the same quarter last year")
        #expect(compared.period?.from == Day(iso: "2026-07-01") && compared.comparedTo?.from == Day(iso: "2025-07-01"))
        #expect(compared.comparedTo?.to == Day(iso: "2025-09-30"))
    }

    @Test func wordOrderSynonymsAndTyposReadAlike() throws {
        let expected = try request("revenue by industry last quarter")
        for q in ["last quarter, sales per sector", "income by vertical in the previous quarter", "revnue by industy last quarter"] {
            #expect(try request(q) == expected, "\(q)")
        }
    }

    @Test func ambiguousQuestionsOfferAtMostThreeReadingsThatReadBack() throws {
        let app = try Self.company.get()
        let model = try SemanticModel.standard()
        let answer = try app.ask("top 5 customers", asOf: Self.asOf, model: model)
        #expect(answer.status == .ambiguous)
        #expect(answer.rows.isEmpty && (1...3).contains(answer.readings.count))
        for (reading, suggestion) in zip(answer.readings, answer.suggestions) {
            #expect(try request(suggestion) == reading, "\(suggestion)")
        }
        let unsupported = try app.ask("how many employees do we have", asOf: Self.asOf, model: model)
        #expect(unsupported.status == .unsupported && unsupported.rows.isEmpty && !unsupported.suggestions.isEmpty)
    }

    @Test func theConfigurationExtendsTheModelAndNamesTheKeyOfAMistake() throws {
        let extra = """
            {"questions": {"semantic_model": {"metrics": {"bookings": {"label": "bookings", "source": "ledger", "unit": "money",
              "aggregate": "sum", "of": "metric_value", "where": {"eq": ["metric_type", {"text": "REVENUE"}]}, "synonyms": ["order intake"]}},
              "dimensions": {"sector": {"column": "industry", "synonyms": ["line of business"]}}}}}
            """
        let config = try Configuration.parse(Data(extra.utf8), agents: [])
        let model = try SemanticModel.forConfiguration(config)
        #expect(model.metrics["bookings"]?.label == "bookings" && model.metrics["revenue"] != nil)
        let app = try Self.company.get()
        let interpreter = QuestionInterpreter(
            model: model, members: try app.questionMembers(model: model, asOf: Self.asOf), asOf: Self.asOf)
        guard case .request(let r, _) = interpreter.interpret("order intake by line of business in 2025") else {
            Issue.record("the added metric was not read")
            return
        }
        #expect(r.metric == "bookings" && r.dimension == "sector")

        let cases: [(String, String)] = [
            (
                #"{"metrics": {"x": {"source": "ledger", "unit": "money", "aggregate": "sum", "of": "nope"}}}"#,
                "questions.semantic_model.metrics.x.of"
            ),
            (
                #"{"metrics": {"x": {"source": "warehouse", "unit": "money", "aggregate": "sum", "of": "metric_value"}}}"#,
                "questions.semantic_model.metrics.x.source"
            ),
            (
                #"{"metrics": {"x": {"source": "ledger", "unit": "ratio", "divide": ["revenue", "budget"]}}}"#,
                "questions.semantic_model.metrics.x.divide"
            ),
            (#"{"dimensions": {"d": {"column": "industry", "colour": 1}}}"#, "questions.semantic_model.dimensions.d.colour"),
            (#"{"filters": {"f": {"where": {"gt": ["actual_cost"]}, "phrases": ["f"]}}}"#, "questions.semantic_model.filters.f.where.gt"),
            (#"{"measures": {}}"#, "questions.semantic_model.measures"),
        ]
        for (document, key) in cases {
            let text = #"{"questions": {"semantic_model": "# + document + "}}"
            let parsed = try Configuration.parse(Data(text.utf8), agents: [])
            #expect(throws: ConfigurationError.self) { try SemanticModel.forConfiguration(parsed) }
            do {
                _ = try SemanticModel.forConfiguration(parsed)
            } catch {
                #expect(error.key == key, "\(document)")
            }
        }
        #expect(throws: ConfigurationError.self) {
            try Configuration.parse(Data(#"{"questions": {"semantic_model": 3}}"#.utf8), agents: [])
        }
    }

    @Test func whyMarginRateFellNamesThePlantedIndustry() throws {
        let (app, truth) = try Self.generated.get()
        let first = try #require(Day(iso: truth.marginDrop.firstMonth + (truth.marginDrop.firstMonth.count == 7 ? "-01" : "")))
        let question = "why did margin rate fall in \(first.firstOfMonthName) \(first.year)"
        let answer = try app.ask(question, asOf: Self.asOf)
        #expect(answer.status == .answered, "\(answer.summary)")
        #expect(answer.columns.contains("rate_effect"))
        let top = answer.rows.first?.first
        #expect(top == .string(truth.marginDrop.industry), "\(question): \(answer.summary)")
    }

    @Test func decisionsComeFromTheLatestRunAndSayWhenThereIsNone() throws {
        let app = try Self.company.get()
        let answer = try app.ask("what should we do first", asOf: Self.asOf)
        #expect(answer.interpretation?.intent == .decisions)
        if try app.latestDecidedRunId() == nil {
            #expect(answer.rows.isEmpty && answer.summary.contains("decisioning run"))
        }
    }
}

extension Day {
    var firstOfMonthName: String { QuestionTests.monthNames[month - 1] }
}
