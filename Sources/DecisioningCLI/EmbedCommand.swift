import ArgumentParser
import DecisioningEmbedding
import Foundation

struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed texts with all-MiniLM-L6-v2 (384-dimensional sentence vectors), in process.",
        discussion: """
            The texts are the arguments, or the lines of standard input when none are given. Each vector is L2-normalised \
            (the dot product of two vectors is their cosine similarity) and is what sentence-transformers computes for the \
            same model; texts longer than 256 tokens are truncated. The model files come from scripts/fetch-model.sh \
            (into ~/.cache/decisioning/models/all-MiniLM-L6-v2, or $DECISIONING_MODEL_DIR).
            Output: text, one line per text with its 384 numbers separated by spaces; or json, \
            {"model": "all-MiniLM-L6-v2@gt-0.1.0", "dimension": 384, "vectors": [[...], ...]}. Numbers are printed with \
            full float precision (they read back as the same float).
            """)

    @Argument(help: "Texts to embed (default: one per line from standard input).")
    var texts: [String] = []

    @Option(help: "text or json.")
    var format: EmbedFormat = .text

    @Option(help: "The model directory (default: $DECISIONING_MODEL_DIR, else ~/.cache/decisioning/models/all-MiniLM-L6-v2).")
    var modelDir: String?

    @Option(help: "Texts run through the model at once (1 to 4096).")
    var batchSize: Int = 64

    @Flag(help: "Print the model load time, the embedding time and texts per second to standard error.")
    var timing = false

    func validate() throws {
        guard (1...4096).contains(batchSize) else { throw ValidationError("--batch-size must be 1 to 4096, found \(batchSize)") }
    }

    func run() throws {
        let inputs = texts.isEmpty ? Self.standardInputLines() : texts
        guard !inputs.isEmpty else {
            throw CommandError("no text to embed: give texts as arguments or one per line on standard input")
        }
        let started = Date()
        let embedder = try SentenceEmbedder.forCommand(modelDir: modelDir)
        let loaded = Date()
        let vectors = try embedder.embed(inputs, batchSize: batchSize)
        let seconds = Date().timeIntervalSince(loaded)
        if timing {
            let rate = Double(inputs.count) / max(seconds, 1e-9)
            let line =
                "embed: \(inputs.count) texts, batch \(batchSize): model load \(String(format: "%.3f", loaded.timeIntervalSince(started))) s, "
                + "embedding \(String(format: "%.3f", seconds)) s, \(String(format: "%.1f", rate)) texts/s\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
        switch format {
        case .text:
            StandardOutput.write(Data(vectors.map { $0.map(\.description).joined(separator: " ") }.joined(separator: "\n").utf8))
        case .json:
            let rows = vectors.map { "[" + $0.map(\.description).joined(separator: ",") + "]" }.joined(separator: ",")
            let json = "{\"model\":\"\(embedder.model)\",\"dimension\":\(embedder.dimension),\"vectors\":[\(rows)]}"
            StandardOutput.write(Data(json.utf8))
        }
    }

    /// Every line of standard input (without its line break), empty lines included.
    static func standardInputLines() -> [String] {
        var lines: [String] = []
        while let line = readLine(strippingNewline: true) { lines.append(line) }
        return lines
    }
}

enum EmbedFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
