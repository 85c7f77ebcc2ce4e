import DecisioningApplication
import DecisioningCore

extension ServiceState {
    /// The longest question accepted, in characters (`POST /api/v1/ask` and the dashboard's ask page).
    static let maxQuestion = 500

    /// Answers `question` as of `asOf` (default: the latest day of the ledger) for `POST /api/v1/ask` and the
    /// dashboard's ask page: the same answer as `decisioning ask`, read first by the language model when one is
    /// configured (`questions.llm`), computed on the bounded blocking pool.
    func ask(_ question: String, asOf: Day?) async throws -> QuestionAnswer {
        try await application.ask(question, asOf: asOf, reader: questionReader)
    }
}
