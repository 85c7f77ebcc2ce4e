import DecisioningCore
import Foundation

extension Application {
    /// Asks every question of `golden` (after one pass that loads the data), `passes` times, and checks each answer:
    /// the request against the expected one, the rows against `QuestionOracle`'s SQL for the expected request.
    /// The store must be SQLite (the oracle's SQL is SQLite's).
    public func evaluateQuestions(_ golden: GoldenQuestions, passes: Int = 1) throws -> QuestionEvaluation {
        let model = try semanticModel()
        let oracle = QuestionOracle(store: store)
        for entry in golden.entries { _ = try ask(entry.question, asOf: golden.asOf, model: model) }
        var result = QuestionEvaluation(
            total: golden.entries.count, interpretedExactly: 0, answeredCorrectly: 0, latencies: [], failures: [])
        var answers: [QuestionAnswer] = []
        for pass in 0..<max(1, passes) {
            for entry in golden.entries {
                let answer = try ask(entry.question, asOf: golden.asOf, model: model)
                result.latencies.append(answer.seconds)
                if pass == 0 { answers.append(answer) }
            }
        }
        for (entry, answer) in zip(golden.entries, answers) {
            let readAs = answer.interpretation.map { QuestionWording.question($0, model) } ?? answer.summary
            guard answer.status == entry.status else {
                result.failures.append(
                    .init(
                        question: entry.question, problem: "status \(answer.status.rawValue), expected \(entry.status.rawValue) (\(readAs))"
                    ))
                continue
            }
            guard let expected = entry.interpretation else {
                result.interpretedExactly += 1
                result.answeredCorrectly += 1
                continue
            }
            if answer.interpretation == expected {
                result.interpretedExactly += 1
            } else {
                result.failures.append(
                    .init(
                        question: entry.question,
                        problem: "read as \(Self.describe(answer.interpretation)), expected \(Self.describe(expected))"))
            }
            do {
                if let problem = try Self.check(answer, expected, oracle) {
                    result.failures.append(.init(question: entry.question, problem: problem))
                } else {
                    result.answeredCorrectly += 1
                }
            } catch {
                result.failures.append(.init(question: entry.question, problem: "the oracle failed: \(error)"))
            }
        }
        return result
    }

    static func describe(_ r: QuestionRequest?) -> String {
        guard let r else { return "nothing" }
        guard let data = try? JSONEncoder.sorted.encode(r.json) else { return "?" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Nil when the answer's rows are the oracle's for the expected request.
    static func check(_ answer: QuestionAnswer, _ expected: QuestionRequest, _ oracle: QuestionOracle) throws -> String? {
        if expected.intent == .forecast {
            guard let target = expected.period else { return "no forecast period" }
            let months = target.from.monthsUntil(target.to.adding(days: 1))
            guard answer.rows.count == months else { return "forecast has \(answer.rows.count) months, expected \(months)" }
            for row in answer.rows {
                guard row.count == 4, let f = QuestionWording.number(row[1]), let lo = QuestionWording.number(row[2]),
                    let hi = QuestionWording.number(row[3]), lo <= f, f <= hi
                else { return "forecast row \(row) is not lower ≤ forecast ≤ upper" }
            }
            let history = answer.figures.first { $0.name == "history_months" }.flatMap { QuestionWording.number($0.value) }
            let sqlMonths = try oracle.forecastHistoryMonths(expected)
            guard let history, let sqlMonths, Int(history) == sqlMonths else {
                return
                    "forecast fitted on \(history.map { String(Int($0)) } ?? "?") months, SQL finds \(sqlMonths.map(String.init) ?? "none")"
            }
            return nil
        }
        guard let rows = try oracle.expected(expected) else {
            return answer.status == .answered || expected.intent == .decisions ? nil : "not answered"
        }
        let ordered = expected.limit != nil && expected.intent != .decisions
        func key(_ row: [String]) -> String { row.joined(separator: "|") }
        let got = answer.rows.map { $0.map(Self.text) }
        let want = rows.map { $0.map { $0.text ?? $0.number.map(Self.text) ?? "null" } }
        guard got.count == want.count else { return "\(got.count) rows, SQL gives \(want.count)" }
        let a = ordered ? answer.rows : answer.rows.sorted { key($0.map(Self.text)) < key($1.map(Self.text)) }
        let b = ordered ? rows : rows.sorted { key($0.map { $0.text ?? "" }) < key($1.map { $0.text ?? "" }) }
        for (i, (x, y)) in zip(a, b).enumerated() {
            guard x.count == y.count else { return "row \(i): \(x.count) columns, SQL gives \(y.count)" }
            for (j, (cell, want)) in zip(x, y).enumerated() {
                if let t = want.text {
                    if Self.text(cell) != t { return "row \(i) column \(j): \(Self.text(cell)), SQL gives \(t)" }
                } else if let n = want.number {
                    guard let m = QuestionWording.number(cell), abs(m - n) <= 1e-6 * max(1, abs(n)) else {
                        return "row \(i) column \(answer.columns[safe: j] ?? "\(j)"): \(Self.text(cell)), SQL gives \(n)"
                    }
                } else if cell != .null, !(want.text == nil && QuestionWording.number(cell) == nil && Self.text(cell) == "null") {
                    return "row \(i) column \(j): \(Self.text(cell)), SQL gives NULL"
                }
            }
        }
        return nil
    }

    static func text(_ cell: JSONValue) -> String {
        switch cell {
        case .null: return "null"
        case .string(let s): return s
        case .number(let n): return text(n)
        case .bool(let b): return b ? "true" : "false"
        default: return cell.summary
        }
    }

    static func text(_ n: Double) -> String { n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n) }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
