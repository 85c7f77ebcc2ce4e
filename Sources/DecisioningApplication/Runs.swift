public import DecisioningAgents
import DecisioningAnalytics
public import DecisioningCore
public import Foundation

/// One stored run, as listed: without its results.
public struct RunRecord: Sendable, Equatable {
    public var runId: String
    public var analysis: String
    public var asOf: Day
    /// The stored status; nil when the row holds text no RunStatus names.
    public var status: RunStatus?
    public var startedAt: Timestamp
    public var finishedAt: Timestamp?
}

extension Application {
    /// The stored runs, newest first (by start, then id), read through a plan so every engine answers.
    public func listRuns(limit: Int? = nil) throws -> [RunRecord] {
        var plan = Plan.scan("analysis_runs", ["run_id", "analysis", "as_of", "status", "started_at", "finished_at"])
            .sort(.desc("started_at"), .desc("run_id"))
        if let limit { plan = plan.limit(limit) }
        return try warehouse.query(plan, asOf: Self.today, on: .sql).rows.map { row in
            RunRecord(
                runId: row[0].textValue ?? "", analysis: row[1].textValue ?? "", asOf: row[2].dayValue ?? Day(iso: "1970-01-01")!,
                status: row[3].textValue.flatMap(RunStatus.init(rawValue:)), startedAt: row[4].timestampValue ?? Timestamp(seconds: 0),
                finishedAt: row[5].timestampValue)
        }
    }

    /// The results of the run `id` exactly as stored (results.json's content).
    public func loadRunJSON(id: String) throws -> Data {
        let plan = Plan.scan("analysis_runs", ["run_id", "results"]).filter(col("run_id").eq(.literal(.text(id))))
        guard let row = try warehouse.query(plan, asOf: Self.today, on: .sql).rows.first else { throw ApplicationError.runNotFound(id: id) }
        guard let json = row[1].textValue else { throw ApplicationError.runUnreadable(id: id, reason: "no results stored") }
        return Data(json.utf8)
    }

    /// The results of the run `id`, decoded.
    public func loadRun(id: String) throws -> RunResults { try decodeRun(id: id, json: try loadRunJSON(id: id)) }

    /// The results of the run `id` from `json`, its stored text (`loadRunJSON`): what `loadRun` gives, without a second read.
    public func decodeRun(id: String, json data: Data) throws -> RunResults {
        do {
            return try RunResults.decoder().decode(RunResults.self, from: data)
        } catch {
            throw ApplicationError.runUnreadable(id: id, reason: "\(error)")
        }
    }

    /// Today (UTC), the as-of date front ends use when none is given.
    public static var today: Day { Timestamp(seconds: Int64(Date().timeIntervalSince1970)).day }
}

extension Value {
    var textValue: String? {
        switch self {
        case .text(let s), .json(let s): return s
        default: return nil
        }
    }

    var integerValue: Int64 {
        switch self {
        case .integer(let v), .decimal(let v): return v
        default: return 0
        }
    }

    var dayValue: Day? { if case .date(let d) = self { return d } else { return nil } }

    var timestampValue: Timestamp? { if case .timestamp(let t) = self { return t } else { return nil } }
}
