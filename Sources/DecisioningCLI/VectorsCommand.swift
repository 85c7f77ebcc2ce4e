import ArgumentParser
import DecisioningVectors
import Foundation

struct VectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors",
        abstract: "Nearest-neighbour search over vectors in NumPy .npy files: exact, or an HNSW graph built and saved once.",
        discussion: """
            Vectors are read from .npy files (float32 or float64, C order, one vector per row). `search` prints one CSV line \
            per query with the row indices of its k nearest base rows, nearest first; build and search times go to standard \
            error. Below 20000 base rows the search is exact unless an index is given; see docs/vectors.md.
            """,
        subcommands: [Search.self, Build.self])
}

/// The metric as a command-line value.
enum VectorMetricOption: String, ExpressibleByArgument, CaseIterable {
    case cosine, l2, dot

    var metric: VectorMetric {
        switch self {
        case .cosine: .cosine
        case .l2: .l2
        case .dot: .dot
        }
    }
}

/// The HNSW and threading options `build` and `search` share.
struct VectorsGraphOptions: ParsableArguments {
    @Option(help: "cosine, l2 (squared euclidean) or dot (default: l2).")
    var metric: VectorMetricOption?

    @Option(name: .customLong("m"), help: "HNSW neighbours per node (level 0 keeps twice as many).")
    var m: Int = 16

    @Option(help: "HNSW candidate list size while building.")
    var efConstruction: Int = 200

    @Option(help: "HNSW candidate list size while searching (default 64, or the saved index's).")
    var ef: Int?

    @Option(help: "Seed of the HNSW level draws (the same seed gives the same graph).")
    var seed: UInt64 = 42

    @Option(help: "Threads for building and searching (default: the number of cores; 1 runs on one thread).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    var parameters: HNSWParameters { .init(m: m, efConstruction: efConstruction, ef: ef ?? 64, seed: seed) }

    func validate() throws {
        if let problem = parameters.problem { throw ValidationError(problem) }
        if threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
    }
}

/// Seconds since `start`, and the progress lines on standard error.
enum VectorsLog {
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    static func note(_ line: String) { FileHandle.standardError.write(Data("vectors: \(line)\n".utf8)) }

    static func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }
}

extension VectorsCommand {
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Print the k nearest base rows of every query, one CSV line per query, nearest first.",
            discussion: """
                Give the base either as --base B.npy (an HNSW graph is built unless --exact or fewer than 20000 rows) or as \
                --index FILE saved by `decisioning vectors build`. Standard error gets `vectors: build S s` and \
                `vectors: search S s, N queries, Q queries/s, T threads`.
                """)

        @Option(help: "The base vectors (.npy).")
        var base: String?

        @Option(help: "An index saved by `decisioning vectors build` (instead of --base).")
        var index: String?

        @Option(help: "The query vectors (.npy).")
        var queries: String

        @Option(name: .customLong("k"), help: "Neighbours per query.")
        var k: Int

        @Flag(help: "Scan every row (exact) instead of using an HNSW graph.")
        var exact = false

        @OptionGroup var graph: VectorsGraphOptions

        func validate() throws {
            if (base == nil) == (index == nil) { throw ValidationError("give exactly one of --base B.npy and --index FILE") }
            if index != nil, graph.metric != nil { throw ValidationError("--metric is fixed by the index; leave it out with --index") }
            if k < 1 { throw ValidationError("--k must be at least 1 (got \(k))") }
        }

        func run() throws {
            let queryMatrix = try NumPyFile.read(path: queries)
            let searcher: VectorIndex
            if let index {
                let start = ContinuousClock.now
                let loaded = try HNSWIndex.load(from: index)
                VectorsLog.note("load \(VectorsLog.format(VectorsLog.seconds(since: start))) s, \(loaded.count) rows from \(index)")
                searcher = exact ? .exact(ExactSearch(base: loaded.vectors, metric: loaded.metric)) : .hnsw(loaded)
            } else if let base {
                let baseMatrix = try NumPyFile.read(path: base)
                let start = ContinuousClock.now
                searcher = try VectorsCommand.naming(base) {
                    try VectorIndex(
                        base: baseMatrix, metric: graph.metric?.metric ?? .l2, exact: exact, parameters: graph.parameters,
                        workers: graph.threads)
                }
                if case .hnsw = searcher { VectorsLog.note("build \(VectorsLog.format(VectorsLog.seconds(since: start))) s") }
            } else {
                throw ValidationError("give exactly one of --base B.npy and --index FILE")
            }
            let rows: Int
            switch searcher {
            case .exact(let scan): rows = scan.rows
            case .hnsw(let graphIndex): rows = graphIndex.count
            }
            guard k <= rows else { throw ValidationError("--k \(k) is more than the base's \(rows) rows") }
            let start = ContinuousClock.now
            let result = try VectorsCommand.naming(queries) { try searcher.search(queryMatrix, k: k, ef: graph.ef, workers: graph.threads) }
            let seconds = VectorsLog.seconds(since: start)
            let rate = seconds > 0 ? Double(queryMatrix.rows) / seconds : 0
            VectorsLog.note(
                "search \(VectorsLog.format(seconds)) s, \(queryMatrix.rows) queries, \(String(format: "%.1f", rate)) queries/s, "
                    + "\(graph.threads) threads")
            var csv = ""
            csv.reserveCapacity(queryMatrix.rows * k * 8)
            for q in 0..<result.queries {
                csv += result.neighbors(ofQuery: q).map(String.init).joined(separator: ",")
                csv += "\n"
            }
            StandardOutput.write(Data(csv.dropLast().utf8))
        }
    }

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Build an HNSW index over the base vectors and save it for `decisioning vectors search --index`.")

        @Option(help: "The base vectors (.npy).")
        var base: String

        @Option(help: "Where to save the index.")
        var index: String

        @OptionGroup var graph: VectorsGraphOptions

        func run() throws {
            // Refused before the build (minutes at a million rows), not after it.
            let directory = URL(filePath: index).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
                FileManager.default.isWritableFile(atPath: directory)
            else {
                throw CommandError(
                    "cannot save the index as \(index): \(directory) is not a folder this user can write; create it or choose another --index"
                )
            }
            let baseMatrix = try NumPyFile.read(path: base)
            let start = ContinuousClock.now
            let built = try VectorsCommand.naming(base) {
                try HNSWIndex(base: baseMatrix, metric: graph.metric?.metric ?? .l2, parameters: graph.parameters, workers: graph.threads)
            }
            VectorsLog.note("build \(VectorsLog.format(VectorsLog.seconds(since: start))) s, \(built.count) rows, \(graph.threads) threads")
            try built.save(to: index)
            VectorsLog.note("saved \(index)")
        }
    }
}
