import DecisioningCore
public import DecisioningIngest

extension Application {
    /// The tables `ingest` loads.
    public static var ingestTables: [String] { Catalog.businessTables.map(\.name) }

    /// Loads CSV / JSONL `files` into `table` as one batch (atomic and, with `.skip`, idempotent).
    /// `progress` gets bytes read and the total; `notice` gets what a person should know (e.g. a
    /// format guessed from content).
    public func ingest(
        table: String, files: [String], options: IngestOptions = IngestOptions(),
        progress: ((_ bytesDone: Int64, _ bytesTotal: Int64) -> Void)? = nil,
        notice: (@Sendable (String) -> Void)? = nil
    ) throws -> IngestSummary {
        guard let schema = Catalog.table(named: table), Catalog.businessTables.contains(schema) else {
            throw ApplicationError.unknownTable(name: table, choices: Self.ingestTables)
        }
        let ingestor = Ingestor(store: store, table: schema, options: options, progress: progress, notice: notice)
        return try ingestor.ingest(files: files)
    }
}
