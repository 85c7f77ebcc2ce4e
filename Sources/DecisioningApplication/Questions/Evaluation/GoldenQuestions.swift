public import DecisioningCore
import Foundation

/// The golden set of `ask` (bench/questions/golden.json, docs/questions.md): questions in varied phrasing, each
/// with the status it must get and, when answered, the typed request it must be read as, all as of one date.
public struct GoldenQuestions: Sendable {
    public struct Entry: Sendable {
        public var question: String
        public var status: QuestionAnswer.Status
        public var interpretation: QuestionRequest?
    }

    public var asOf: Day
    public var entries: [Entry]

    public static func load(path: String) throws -> GoldenQuestions {
        guard let data = FileManager.default.contents(atPath: path) else { throw GoldenQuestionsError("cannot read \(path)") }
        let root: JSONValue
        do {
            root = try StrictJSON.parse(Array(data))
        } catch {
            throw GoldenQuestionsError("\(path): not valid JSON: \(error)")
        }
        guard case .object(let top) = root, case .string(let day)? = top["as_of"], let asOf = Day(iso: day),
            case .array(let list)? = top["questions"]
        else { throw GoldenQuestionsError("\(path): expected {\"as_of\": DATE, \"questions\": [...]}") }
        var entries: [Entry] = []
        for (i, item) in list.enumerated() {
            guard case .object(let o) = item, case .string(let q)? = o["question"], case .string(let s)? = o["status"],
                let status = QuestionAnswer.Status(rawValue: s)
            else { throw GoldenQuestionsError("\(path): questions[\(i)]: expected question and status") }
            var request: QuestionRequest?
            if let r = o["interpretation"], r != .null {
                do {
                    request = try QuestionRequest(json: r)
                } catch {
                    throw GoldenQuestionsError("\(path): questions[\(i)].interpretation: \(error)")
                }
            }
            guard (status == .answered) == (request != nil) else {
                throw GoldenQuestionsError("\(path): questions[\(i)]: an answered question has an interpretation, others none")
            }
            entries.append(Entry(question: q, status: status, interpretation: request))
        }
        return GoldenQuestions(asOf: asOf, entries: entries)
    }
}

public struct GoldenQuestionsError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ message: String) { description = message }
}
