import DecisioningAnalytics
public import DecisioningCore
import DecisioningStore
import Foundation

extension Application {
    /// The semantic model `ask` uses: the one shipped, with `questions.semantic_model` merged over it.
    public func semanticModel() throws(ConfigurationError) -> SemanticModel {
        try SemanticModel.forConfiguration(configuration)
    }

    /// The default as-of of a question: the latest `metric_date` in the ledger (the data's own "now", so that
    /// "last month" is the latest month with figures whatever day the question is asked), or today when the ledger is empty.
    public func latestDataDay() throws -> Day {
        let plan = Plan.scan("financial_metrics", ["metric_date"]).aggregate([.max("latest", col("metric_date"))])
        let result = try warehouse.query(plan, asOf: Self.today)
        if case .date(let d)? = result.rows.first?.first { return d }
        return Self.today
    }

    /// The members of the categorical dimensions found in the data, which questions may name as filters
    /// ("in Media", "consulting projects").
    public func questionMembers(model: SemanticModel, asOf: Day) throws -> [String: [String]] {
        var members: [String: [String]] = [:]
        let wanted = model.dimensions.values.filter { $0.keyColumn == nil && $0.column != nil }.sorted { $0.key < $1.key }
        var plans: [(String, Plan)] = []
        for d in wanted {
            guard let column = d.column else { continue }
            let table =
                QuestionSources.customerColumns.contains(column)
                ? "customer_analytics" : QuestionSources.projectColumns.contains(column) ? "projects" : "financial_metrics"
            plans.append(
                (d.key, Plan.scan(table, [column]).filter(col(column).isNotNull).aggregate(by: [column], [.count("n")]).sort(.asc(column))))
        }
        let results = try warehouse.query(plans.map(\.1), asOf: asOf)
        for ((key, _), result) in zip(plans, results) {
            members[key] = result.rows.compactMap { if case .text(let s) = $0.first { s } else { nil } }
        }
        return members
    }

    /// Answers `question` as of `asOf` (default: `latestDataDay()`): the deterministic interpreter reads it into a
    /// typed request, the planner turns that into a plan, the Warehouse runs it. An ambiguous question gets its
    /// readings (up to three) as suggestions, an unsupported one the questions the model can answer; neither gets figures.
    public func ask(_ question: String, asOf: Day? = nil, model: SemanticModel? = nil) throws -> QuestionAnswer {
        let clock = ContinuousClock()
        let start = clock.now
        let model = try model ?? semanticModel()
        let day = try asOf ?? latestDataDay()
        var answer = try deterministicAnswer(question, asOf: day, model: model, members: try questionMembers(model: model, asOf: day))
        answer.seconds = (clock.now - start).seconds
        return answer
    }

    /// Answers `question` as `ask` does, but lets `reader` (the optional language model, `questions.llm`) read it
    /// first: its request, once checked against the semantic model, is planned and answered like the deterministic
    /// interpreter's. Whenever it fails (no answer in time, an error, a malformed or unknown request, a plan that
    /// cannot be made) the deterministic interpreter answers and `interpreterNote` says why. Blocking work runs on
    /// `BlockingPool.shared`; the model's request is awaited.
    public func ask(_ question: String, asOf: Day? = nil, model: SemanticModel? = nil, reader: LanguageModelReader?) async throws
        -> QuestionAnswer
    {
        let application = self
        guard let reader else {
            return try await BlockingPool.shared.run("answer a question") { _ in try application.ask(question, asOf: asOf, model: model) }
        }
        let clock = ContinuousClock()
        let start = clock.now
        let prompt = try await BlockingPool.shared.run("read the question's vocabulary") { _ in
            let model = try model ?? application.semanticModel()
            let day = try asOf ?? application.latestDataDay()
            return LanguageModelPrompt(model: model, members: try application.questionMembers(model: model, asOf: day), asOf: day)
        }
        var note: String
        switch await reader.read(question, prompt: prompt) {
        case .request(let request):
            do {
                var answer = try await BlockingPool.shared.run("answer a question") { _ in
                    try application.answer(request, question: question, asOf: prompt.asOf, model: prompt.model)
                }
                answer.interpreter = .llm
                answer.interpreterNote = "read by the language model \(reader.settings.model)"
                answer.seconds = (clock.now - start).seconds
                return answer
            } catch let error where !(error is CancellationError) && !Task.isCancelled {
                // Whatever went wrong with the model's request (a plan that cannot be made, a forecast that cannot be
                // fitted, a project that is not there), the rules may still read the question.
                note = reader.shown("the language model's request could not be answered: \(error)")
            }
        case .refused(let reason):
            note = reason
        }
        application.logger.notice("the deterministic interpreter answers", metadata: ["reason": "\(note)"])
        note += "; the deterministic interpreter read the question"
        var answer = try await BlockingPool.shared.run("answer a question") { _ in
            try application.deterministicAnswer(question, asOf: prompt.asOf, model: prompt.model, members: prompt.members)
        }
        answer.interpreterNote = note
        answer.seconds = (clock.now - start).seconds
        return answer
    }

    /// The deterministic interpreter's reading of `question`, answered.
    func deterministicAnswer(_ question: String, asOf day: Day, model: SemanticModel, members: [String: [String]]) throws
        -> QuestionAnswer
    {
        let interpreter = QuestionInterpreter(model: model, members: members, asOf: day)
        var answer: QuestionAnswer
        switch interpreter.interpret(question) {
        case .request(let request, let corrections):
            answer = try self.answer(request, question: question, asOf: day, model: model)
            answer.corrections = corrections
        case .ambiguous(let readings, let reason):
            answer = QuestionAnswer(
                question: question, asOf: day, status: .ambiguous, summary: "Ambiguous: \(QuestionWording.sentenceEnd(reason))")
            answer.readings = Array(readings.prefix(3))
            answer.suggestions = answer.readings.map { QuestionWording.question($0, model) }
        case .unsupported(let reason, let suggestions):
            answer = QuestionAnswer(
                question: question, asOf: day, status: .unsupported, summary: "Not answered: \(QuestionWording.sentenceEnd(reason))")
            answer.suggestions = suggestions
        }
        return answer
    }

    /// Answers a typed request (what `ask` does once the question is read; front ends with a request of their own call this).
    public func answer(_ request: QuestionRequest, question: String, asOf: Day, model: SemanticModel? = nil) throws -> QuestionAnswer {
        let model = try model ?? semanticModel()
        return try QuestionAnswerer(application: self, model: model, asOf: asOf).answer(request, question: question)
    }
}
