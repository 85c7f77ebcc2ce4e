import DecisioningApplication
import DecisioningCore
import DecisioningStore

extension ServiceState {
    /// The longest question accepted, in characters (`POST /api/v1/ask` and the dashboard's ask page).
    static let maxQuestion = 500

    /// Answers `question` as of `asOf` (default: the latest day of the ledger) for `POST /api/v1/ask` and the
    /// dashboard's ask page: the same answer as `decisioning ask`, computed on the bounded blocking pool.
    func ask(_ question: String, asOf: Day?) async throws -> QuestionAnswer {
        let application = self.application
        return try await BlockingPool.shared.run("answer a question") { _ in try application.ask(question, asOf: asOf) }
    }
}
