import DecisioningApplication
import DecisioningEmbedding
import DecisioningStore
import Foundation
import Synchronization

/// What the server searches for `GET /api/v1/search`: the text model, loaded by the first search, and
/// the stored vectors of the event notes and project descriptions, held in memory. Reading them is the
/// expensive part (seconds and a few hundred megabytes at scale 1, against milliseconds per
/// search), so they are read again in the background at most every `lifetime` while searches keep
/// coming (the held ones answer meanwhile), and at once after an ingest of events or projects through
/// this server (again in the background). A read embeds up to `embedUpTo` new or changed texts of each
/// kind, the newest first; the rest are left pending for the next reads or `decisioning embeddings
/// refresh --notes`, so that no request waits minutes for a first embedding of a whole database.
final class NoteSearch: Sendable {
    /// New or changed texts of each kind (notes, descriptions) a rebuild embeds itself (about two seconds of work each).
    static let embedUpTo = 256
    /// The shortest time between two reads of the notes (longer when the analyses' freshness is).
    static let shortestLifetime: Duration = .seconds(300)

    let modelDirectory: URL
    private let application: Application
    private let loaded = Mutex<SentenceEmbedder?>(nil)
    private let loading = SingleFlight<SentenceEmbedder>()
    private let corpus: Remembered<TextSearchCorpus>

    /// - Parameter freshness: the analyses' freshness; the notes are held at least `shortestLifetime`.
    init(application: Application, modelDirectory: URL, freshness: Duration) {
        self.application = application
        self.modelDirectory = modelDirectory
        // Held notes always answer while newer ones are read: a search never waits for a rebuild but the first.
        corpus = Remembered(lifetime: max(freshness, Self.shortestLifetime), staleLimit: .seconds(100 * 365 * 86_400))
    }

    /// The `k` notes (or projects) nearest in meaning to `text`, among the notes embedded so far.
    func search(_ text: String, entity: TextSearchResult.Entity, k: Int) async throws -> TextSearchResult {
        let embedder = try await self.embedder()
        let application = self.application
        let corpus = try await corpus.value {
            try await BlockingPool.shared.run("read the event notes' vectors") { flag in
                let corpus = try application.textSearchCorpus(embedder: embedder, embedUpTo: Self.embedUpTo, cancellation: flag)
                // The rows read and copied on the way are freed; give the memory back (ProcessMemory).
                ProcessMemory.trim()
                return corpus
            }
        }
        return try await BlockingPool.shared.run("search the event notes") { _ in
            try corpus.search(text, entity: entity, k: k, embedder: embedder)
        }
    }

    /// After an ingest of events: the held notes answer while one read replaces them.
    func expire() { corpus.expire() }

    /// The text model, loaded once; a failed load (no model installed) is tried again by the next search.
    private func embedder() async throws -> SentenceEmbedder {
        if let embedder = loaded.withLock({ $0 }) { return embedder }
        let directory = modelDirectory
        return try await loading.run("model") { [self] in
            let embedder = try await BlockingPool.shared.run("load the text model") { _ in
                try SentenceEmbedder(modelDirectory: directory)
            }
            loaded.withLock { $0 = embedder }
            return embedder
        }
    }
}
