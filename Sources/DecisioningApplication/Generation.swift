public import DecisioningCore
import DecisioningStore
public import DecisioningSynth
import Foundation

/// A generated company: what was asked, the planted truth and where it was kept.
public struct Generation: Sendable {
    public var spec: GeneratorSpec
    public var truth: GroundTruth
    /// Where the planted truth was written (nil when it was not kept).
    public var truthPath: String?
    public var seconds: Double
}

extension Application {
    /// Where the generator's planted truth for `url` is kept: beside a SQLite file, or in the
    /// working directory for a server database (`HOST_PORT_DB.truth.json`).
    public static func truthPath(for url: DatabaseURL) -> String {
        switch url {
        case .sqlite(let path): return GroundTruth.path(besideDatabase: path)
        case .mysql(let e): return "\(e.host)_\(e.port)_\(e.database).truth.json"
        }
    }

    /// The planted truth of this database, when it was generated and the truth file is there.
    public func plantedTruth() -> GroundTruth? { try? GroundTruth.load(path: Self.truthPath(for: url)) }

    /// Generates a synthetic company into the store (deleting the business and run rows first with
    /// `replace`) and keeps its planted truth beside the database (`truthPath(for:)`).
    /// (`Generator(spec:)` validates the spec: make it before opening the store, so a bad spec creates no database.)
    public func generate(
        _ generator: Generator, replace: Bool = false, keepTruth: Bool = true,
        progress: Generator.Progress? = nil
    ) throws -> Generation {
        let started = Date()
        let truth = try generator.generate(into: store, replace: replace, progress: progress)
        try (store as? SQLiteStore)?.checkpoint()
        var path: String?
        if keepTruth {
            path = Self.truthPath(for: url)
            try truth.encoded().write(to: URL(fileURLWithPath: path!))
        }
        return Generation(spec: generator.spec, truth: truth, truthPath: path, seconds: Date().timeIntervalSince(started))
    }

    /// True when the store holds no project.
    public func isEmpty() throws -> Bool { try store.rowCount(Catalog.projects.name) == 0 }

    /// Generates a company when the store holds no project; nil (nothing done) when it holds data.
    public func generateIfEmpty(_ spec: GeneratorSpec, keepTruth: Bool = true, progress: Generator.Progress? = nil) throws -> Generation? {
        guard try isEmpty() else { return nil }
        return try generate(Generator(spec: spec), keepTruth: keepTruth, progress: progress)
    }
}
