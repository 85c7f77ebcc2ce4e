import ArgumentParser
import DecisioningApplication
import DecisioningCore
import DecisioningService
import DecisioningStore

/// `decisioning ask "QUESTION"`: thin; the application layer reads, plans and answers (`Application.ask`).
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer a question in plain language from the data, with its evidence.",
        discussion: """
            Examples: "revenue by industry last quarter", "top 5 customers by revenue this year", "monthly cost in 2026",
            "how did margin rate change versus the same quarter last year", "why did margin fall", "revenue next quarter",
            "which running projects will overrun", "what should we do first", "which completed projects are most like P000012". The JSON output is documented in docs/questions.md.
            With questions.llm in the configuration, an OpenAI-compatible model reads the question first; its request is
            checked against the semantic model, and the deterministic interpreter answers whenever it fails ("interpreter").
            Exit status 0 when answered, 3 when the question is ambiguous or not supported (the output says what to ask instead).
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The question.")
    var question: String

    @Option(help: "The date relative periods resolve against (YYYY-MM-DD); default: the latest date in the ledger.")
    var asOf: DayArgument?

    @Option(help: "text or json.")
    var format: Format = .text

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    func run() async throws {
        let global = self.global
        let logger = global.makeLogger()
        let app = try await BlockingPool.shared.run("open the database") { _ in try global.open(logger: logger, existing: true) }
        let model = try app.semanticModel()
        let reader = LanguageModelReader.configured(app.configuration, transport: HTTPChatTransport())
        let answer = try await app.ask(question, asOf: asOf?.day, model: model, reader: reader)
        switch format {
        case .json: print(try answer.jsonText())
        case .text: print(answer.text(model: model))
        }
        if answer.status != .answered { throw ExitCode(3) }
    }
}
