import DecisioningApplication
import DecisioningCore
import DecisioningIngest
import DecisioningStore
import Foundation
import Hummingbird

/// `POST /api/v1/ingest/{table}`: a CSV (`text/csv`) or JSON Lines (`application/x-ndjson`) body,
/// streamed to a scratch file as it arrives (never held in memory whole), then loaded as the command
/// line loads a file: the same validation and messages, one atomic batch, idempotent re-sends
/// (rows whose key is present are skipped unless `upsert=true`). `max_rejected=N` skips up to N bad rows.
struct IngestRoutes {
    let state: ServiceState
    /// What a refused row's location names instead of the server's scratch path.
    static let bodyName = "body"

    func add(to group: RouterGroup<APIRequestContext>) {
        group.post("ingest/:table", use: ingest)
    }

    @Sendable func ingest(_ request: Request, context: APIRequestContext) async throws -> Response {
        let key = try context.require(.analyst)
        let table = context.parameters.get("table") ?? ""
        guard DecisioningApplication.Application.ingestTables.contains(table) else {
            throw Problem.notFound(
                "unknown table '\(TerminalText.quoted(table))'; choose one of: \(DecisioningApplication.Application.ingestTables.joined(separator: ", "))"
            )
        }
        let format = try Self.format(request)
        let options = try Self.options(request, format: format)
        let limit = state.application.configuration.service.maxIngestBytes
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw Self.tooLarge(limit) }
        try state.limiter.take(key.name)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "decisioning-ingest-\(UUID().uuidString).\(format.rawValue)")
        defer { try? FileManager.default.removeItem(at: file) }
        try await Self.save(request.body, to: file.path, limit: limit)
        let application = state.application
        do {
            let summary = try await BlockingPool.shared.run("ingest a request body") { _ in
                try application.ingest(table: table, files: [file.path], options: options)
            }
            state.analyses.clear()
            // New or changed texts (events' notes, projects' descriptions): the held ones keep answering
            // while they are read again.
            if table == Catalog.businessEvents.name || table == Catalog.projects.name { state.notes.expire() }
            context.logger.info("ingested", metadata: ["table": "\(table)", "rows": "\(summary.inserted + summary.replaced)"])
            var reported = summary
            reported.errors = summary.errors.map(Self.renamed)
            return JSONBody.response(IngestReport.succeeded(reported))
        } catch let error as IngestError {
            throw Self.refused(IngestReport.failure(Self.renamed(error)), detail: Self.renamed(error).description)
        } catch let error as IngestAborted {
            let renamed = IngestAborted(maxRejected: error.maxRejected, errors: error.errors.map(Self.renamed))
            throw Self.refused(IngestReport.failure(renamed), detail: renamed.description)
        }
    }

    /// The body's format from its content type.
    static func format(_ request: Request) throws(Problem) -> InputFormat {
        let type = (request.headers[.contentType] ?? "").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        switch type {
        case "text/csv": return .csv
        case "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines": return .jsonl
        default:
            throw Problem(
                status: .unsupportedMediaType, title: "Unsupported Media Type",
                detail: "send the rows as text/csv (with a header row) or application/x-ndjson (one JSON object per line)")
        }
    }

    static func options(_ request: Request, format: InputFormat) throws(Problem) -> IngestOptions {
        var options = IngestOptions(onConflict: .skip, format: format)
        if let upsert = request.uri.queryParameters.get("upsert") {
            guard upsert == "true" || upsert == "false" else {
                throw Problem.badRequest("upsert must be true or false", extra: ["field": .string("upsert")])
            }
            options.onConflict = upsert == "true" ? .replace : .skip
        }
        if let text = request.uri.queryParameters.get("max_rejected") {
            guard let n = Int(text), (0...1_000_000).contains(n) else {
                throw Problem.badRequest("max_rejected must be a whole number from 0 to 1000000", extra: ["field": .string("max_rejected")])
            }
            options.maxRejected = n
        }
        return options
    }

    /// Writes the body to `path` as it arrives; refuses it (413) once it passes `limit` bytes.
    static func save(_ body: RequestBody, to path: String, limit: Int) async throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw Problem(
                status: .internalServerError, title: "Internal Server Error", detail: "the server cannot write its scratch folder")
        }
        defer { try? handle.close() }
        var written = 0
        for try await buffer in body {
            written += buffer.readableBytes
            if written > limit { throw tooLarge(limit) }
            let bytes = Data(buffer.readableBytesView)
            try await BlockingPool.shared.run("write an ingest body") { _ in try handle.write(contentsOf: bytes) }
        }
    }

    static func tooLarge(_ limit: Int) -> Problem {
        Problem(
            status: .contentTooLarge, title: "Content Too Large",
            detail: "an ingest body may have at most \(limit) bytes (service.max_ingest_bytes); split the file and send the parts")
    }

    static func refused(_ failure: JSONValue, detail: String) -> Problem {
        Problem(
            status: .unprocessableContent, title: "Unprocessable Content", detail: "nothing was written: " + detail,
            extra: ["error": failure, "written": .number(0)])
    }

    static func renamed(_ error: IngestError) -> IngestError {
        IngestError(file: bodyName, line: error.line, column: error.column, message: error.message)
    }
}
