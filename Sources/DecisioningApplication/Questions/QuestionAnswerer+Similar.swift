import DecisioningAgents
import DecisioningAnalytics
import DecisioningCore
import Foundation

extension QuestionAnswerer {
    /// "Projects similar to P000012": the completed projects most like it (`Application.similarProjects`, the same
    /// search as `decisioning similar` and the runs' precedents), how they ended, and the overrun model's probability.
    func similar(_ request: QuestionRequest, _ start: QuestionAnswer) throws -> QuestionAnswer {
        var answer = start
        let asked = request.filters.first { $0.field == "project" }?.value ?? ""
        let k = request.limit ?? 20
        let (search, suggestions) = try similarProjects(asked, question: start.question, k: k)
        guard let found = search else {
            answer.status = .unsupported
            answer.interpretation = nil
            answer.summary =
                "Not answered: no project \(TerminalText.quoted(asked)) had started by \(asOf.iso)\(suggestions.isEmpty ? "; name a project by its id" : "; did you mean one of these?")"
            answer.suggestions = suggestions.isEmpty ? ["projects similar to P000012"] : suggestions.map { "projects similar to \($0)" }
            return answer
        }
        let project = found.project
        var request = request
        request.filters = [QuestionRequest.Filter(field: "project", op: .equal, value: project.projectId)]
        answer.interpretation = request
        let precedent = found.precedent
        let cases = precedent.cases
        answer.columns = [
            "rank", "project_id", "project", "project_type", "industry", "budget", "actual_cost", "overrun", "overran", "burn_rate_then",
            "distance",
        ]
        answer.rows = cases.enumerated().map { i, c in
            [
                .number(Double(i + 1)), .string(c.projectId), .string(c.projectName), .string(c.projectType),
                c.industry.map(JSONValue.string) ?? .null, .string(FixedPoint.format(c.budget.minorUnits, scale: 2)),
                .string(FixedPoint.format(c.actualCost.minorUnits, scale: 2)), c.overrun.map(JSONValue.number) ?? .null, .bool(c.overran),
                c.burnRate.map(JSONValue.number) ?? .null, .number(c.distance),
            ]
        }
        let overran = cases.filter(\.overran).count
        var summary =
            cases.isEmpty
            ? "No completed project by \(asOf.iso) to compare \(project.projectId) with."
            : String(precedent.sentence(about: "\(project.projectId) (\(project.projectName))").dropFirst())
        if let p = found.modelProbability {
            summary += String(format: " The overrun model gives it %.0f%%", p * 100) + (found.modelRunId.map { " (run \($0))." } ?? ".")
        }
        answer.summary = summary
        answer.figures = [
            ("project_id", .string(project.projectId)), ("cases", .number(Double(cases.count))), ("overran", .number(Double(overran))),
            ("overrun_rate", precedent.outcomeRate.map(JSONValue.number) ?? .null),
            ("average_overrun", precedent.averageOverrun.map(JSONValue.number) ?? .null),
            ("model_probability", found.modelProbability.map(JSONValue.number) ?? .null),
            ("model_run_id", found.modelRunId.map(JSONValue.string) ?? .null),
        ]
        if let progress = precedent.progress {
            answer.figures.append(("schedule_share", .number(progress.scheduleShare)))
            answer.figures.append(("burn_rate", progress.burnRate.map(JSONValue.number) ?? .null))
        }
        answer.method =
            "the \(k) completed projects nearest to \(project.projectId) by case vector (\(precedent.featurizer): budget, planned months, customer risk and payment, credit rating, type and industry), exact search"
            + (precedent.progress == nil
                ? "" : ", compared at the share of its schedule it has reached (burn rate = cost booked ÷ budget share elapsed)")
            + "; overran = actual cost above 110% of the budget; the overrun model's probability from the latest run that scored projects, if it scored this one"
        let plan = ProjectCase.completedPlan
        answer.plan = PlanOutline.text(plan)
        for dialect in SQLDialect.allCases {
            answer.sql[dialect.rawValue] = try SQLRenderer(dialect: dialect, asOf: asOf).render(plan).pasteable
        }
        answer.site = "similarity search in process"
        return answer
    }

    /// The search for `asked` (the question's words are lowercased, so the stored id that differs only in case or
    /// surrounding spaces is the one meant; failing that, the word as the question wrote it, punctuation and all), at
    /// most four searches; else nil and the ids closest to `asked`.
    func similarProjects(_ asked: String, question: String, k: Int) throws -> (found: SimilarProjects?, suggestions: [String]) {
        guard !asked.isEmpty else { return (nil, []) }
        let punctuation = CharacterSet(charactersIn: ".,;:!?\"'()")
        let written: [String] = question.split(whereSeparator: \.isWhitespace).map { $0.trimmingCharacters(in: punctuation) }
        var candidates = [asked] + written.filter { $0.lowercased().contains(asked.lowercased()) }.prefix(1)
        var tried: Set<String> = []
        var closest: [String]?
        while let id = candidates.first, tried.count < 4 {
            candidates.removeFirst()
            guard tried.insert(id).inserted else { continue }
            do {
                return (try application.similarProjects(id, asOf: asOf, k: k), [])
            } catch SimilarityError.unknownProject(_, _, let suggestions) {
                if closest == nil { closest = suggestions }
                let key = id.trimmingCharacters(in: .whitespaces).lowercased()
                candidates += suggestions.filter { $0.trimmingCharacters(in: .whitespaces).lowercased() == key }.prefix(1)
            }
        }
        return (nil, closest ?? [])
    }
}
