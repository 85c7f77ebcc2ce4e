public import DecisioningCore
public import DecisioningIngest

/// An ingest's outcome as JSON, the same for the command line (`ingest --format json`) and the HTTP
/// API: `{"status":"ok", table, inserted, replaced, skipped, rejected, files, bytes, seconds, errors}`
/// or `{"status":"failed", table, written: 0, error: {kind: input|too_many_rejected|database, …}}`.
public enum IngestReport {
    public static func succeeded(_ summary: IngestSummary) -> JSONValue {
        .object([
            "status": .string("ok"), "table": .string(summary.table), "inserted": .number(Double(summary.inserted)),
            "replaced": .number(Double(summary.replaced)), "skipped": .number(Double(summary.skipped)),
            "rejected": .number(Double(summary.rejected)), "files": .number(Double(summary.files)), "bytes": .number(Double(summary.bytes)),
            "seconds": .number(summary.seconds), "errors": .array(summary.errors.map { .string($0.description) }),
        ])
    }

    public static func failed(_ error: any Error, table: String) -> JSONValue {
        .object(["status": .string("failed"), "table": .string(table), "written": .number(0), "error": failure(error)])
    }

    /// What went wrong: an input error (file, line, column), too many rejected rows, or the database.
    public static func failure(_ error: any Error) -> JSONValue {
        switch error {
        case let error as IngestError:
            guard case .object(var fields) = object(error) else { return .null }
            fields["kind"] = .string("input")
            return .object(fields)
        case let aborted as IngestAborted:
            return .object([
                "kind": .string("too_many_rejected"), "message": .string(aborted.description),
                "max_rejected": .number(Double(aborted.maxRejected)), "errors": .array(aborted.errors.map(object)),
            ])
        default:
            return .object(["kind": .string("database"), "message": .string("\(error)")])
        }
    }

    /// One input error: where, and the message (control characters escaped, as in `description`).
    public static func object(_ error: IngestError) -> JSONValue {
        var fields: [String: JSONValue] = [
            "file": .string(error.file), "line": .number(Double(error.line)), "message": .string(error.description),
        ]
        if let column = error.column { fields["column"] = .string(column) }
        return .object(fields)
    }
}
