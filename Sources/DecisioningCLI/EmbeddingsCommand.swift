import ArgumentParser
import DecisioningApplication
import DecisioningCore
import DecisioningEmbedding
import Foundation

/// `decisioning embeddings refresh`: thin; the application layer keeps `business_embeddings` in step.
struct EmbeddingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embeddings",
        abstract: "Keep the vectors in business_embeddings in step with the data (only what changed is recomputed).",
        subcommands: [Refresh.self])

    struct Refresh: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "refresh",
            abstract: "Store the case vectors of every project started by --as-of and every customer, recomputing only what changed.",
            discussion: """
                Rows are keyed by a digest of the model, the entity and its content: an unchanged project keeps its row, a
                changed one gets a new row, a project that is gone loses its row, all in one transaction. The featurizer's fit
                (means, deviations, categories) is kept in ml_models as project-case (customer-case) and reused, so vectors stay
                comparable; --refit fits them again on today's data (every vector is then rewritten). Prints what was done.
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: "Projects started by this date (YYYY-MM-DD); default: today.")
        var asOf: DayArgument?

        @Flag(help: "Fit the featurizer again (every vector is rewritten).")
        var refit = false

        @Flag(help: "Also embed the event notes and project descriptions (all-MiniLM-L6-v2, in process), as `search` does.")
        var notes = false

        @Option(help: "The folder of all-MiniLM-L6-v2 for --notes (default: DECISIONING_MODEL_DIR, else the cache).")
        var modelDir: String?

        @Option(help: "text or json.")
        var format: OutputFormat = .text

        func run() throws {
            let app = try global.open(logger: global.makeLogger(), existing: true)
            let day = asOf?.day ?? DayArgument.today
            var reports = [
                try app.refreshProjectCaseEmbeddings(asOf: day, refit: refit),
                try app.refreshCustomerCaseEmbeddings(asOf: day, refit: refit),
            ]
            if notes {
                let embedder = try SentenceEmbedder.forCommand(modelDir: modelDir)
                reports.append(try app.refreshEventNoteEmbeddings(embedder: embedder, progress: SentenceEmbedder.reportProgress))
                reports.append(
                    try app.refreshProjectDescriptionEmbeddings(embedder: embedder, progress: SentenceEmbedder.reportProgress))
            }
            switch format {
            case .json: try StandardOutput.writeJSON(reports)
            case .text:
                for report in reports {
                    print(
                        "\(report.entityType) (\(report.model), \(report.dimension.map { "\($0) dimensions" } ?? "nothing new")): \(report.computed) computed, \(report.unchanged) unchanged, \(report.removed) removed"
                    )
                }
            }
        }
    }
}
