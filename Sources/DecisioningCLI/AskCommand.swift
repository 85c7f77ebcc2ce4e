import ArgumentParser
import DecisioningApplication
import DecisioningCore

/// `decisioning ask "QUESTION"`: thin; the application layer reads, plans and answers (`Application.ask`).
struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer a question in plain language from the data, with its evidence.",
        discussion: """
            Examples: "revenue by industry last quarter", "top 5 customers by revenue this year", "monthly cost in 2026",
            "how did margin rate change versus the same quarter last year", "why did margin fall", "revenue next quarter",
            "which running projects will overrun", "what should we do first". The JSON output is documented in docs/questions.md.
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

    func run() throws {
        let app = try global.open(logger: global.makeLogger(), existing: true)
        let model = try app.semanticModel()
        let answer = try app.ask(question, asOf: asOf?.day, model: model)
        switch format {
        case .json: print(try answer.jsonText())
        case .text: print(answer.text(model: model))
        }
        if answer.status != .answered { throw ExitCode(3) }
    }
}
