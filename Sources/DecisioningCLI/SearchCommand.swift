import ArgumentParser
import DecisioningApplication
import DecisioningCore
import DecisioningEmbedding
import Foundation

/// `decisioning search "TEXT"`: thin; the application layer embeds, refreshes and searches (`Application.searchText`).
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find the event notes (or the projects) nearest in meaning to a text.",
        discussion: """
            Notes are the text under note, notes, description, comment, text or summary in business_events.event_data;
            projects also have projects.description. Texts are embedded in process with all-MiniLM-L6-v2
            (scripts/fetch-model.sh fetches it; --model-dir or DECISIONING_MODEL_DIR say where it is) and kept in
            business_embeddings: only new or changed texts are embedded, so the first search of a large database takes a
            while and later ones do not. --entity projects ranks projects by the text about them nearest to the query (their
            description or a note). JSON: query, entity, model, k, method, searched, pending, refreshed,
            descriptions_refreshed, hits[] (source, event_id, entity_type, entity_id, event_type, timestamp, text,
            similarity), seconds.
            """)

    /// The characters of a hit's text the text format shows (JSON has all of it).
    static let shownCharacters = 200

    @OptionGroup var global: GlobalOptions

    @Argument(help: "What to look for, in plain words.")
    var text: String

    @Option(help: "events or projects.")
    var entity: EntityArgument = .events

    @Option(help: "How many hits (1 to 1000).")
    var k = 10

    @Option(help: "The folder of all-MiniLM-L6-v2 (default: DECISIONING_MODEL_DIR, else ~/.cache/decisioning/models/all-MiniLM-L6-v2).")
    var modelDir: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    enum EntityArgument: String, ExpressibleByArgument, CaseIterable {
        case events, projects
        var entity: TextSearchResult.Entity { self == .events ? .events : .projects }
    }

    func run() throws {
        let app = try global.open(logger: global.makeLogger(), existing: true)
        let embedder = try SentenceEmbedder.forCommand(modelDir: modelDir)
        let result = try app.searchText(
            text, entity: entity.entity, k: k, embedder: embedder, progress: SentenceEmbedder.reportProgress)
        switch format {
        case .json: try StandardOutput.writeJSON(result)
        case .text:
            print(
                "\(result.hits.count) of \(result.searched) texts nearest to \"\(TerminalText.quoted(result.query, limit: 200))\" (\(result.model), \(result.method), \(String(format: "%.2f", result.seconds)) s):"
            )
            // The texts are the data's: escaped (no control character reaches the terminal) and cut to one line.
            for (i, hit) in result.hits.enumerated() {
                func shown(_ value: String) -> String { TerminalText.quoted(value, limit: 60) }
                let place =
                    "\(shown(hit.entityType.lowercased())) \(shown(hit.entityId))  \(shown(hit.eventType ?? "DESCRIPTION")) \(shown(String(hit.timestamp.prefix(10))))"
                let text = TerminalText.quoted(String(hit.text.prefix(Self.shownCharacters + 1)), limit: Self.shownCharacters)
                print(String(format: "%2d  %.3f  ", i + 1, hit.similarity) + place + "  " + text)
            }
        }
    }
}
