import DecisioningAnalytics
import DecisioningCore
import Foundation

/// Discovery's catalog: rows, null shares, distinct counts, ranges and freshness of the operational tables.
extension DiscoveryAgent {
    func profileTables(_ context: AgentContext) throws -> [TableProfile] {
        var profiles: [TableProfile] = []
        // The operational data the flow reads; the model tables (ml_models, model_predictions,
        // business_embeddings) are the system's own output and would make runs depend on earlier runs.
        for table in Self.dataTables {
            try context.cancellation.check()
            // Keys are unique by constraint and JSON documents are not profiled by value, so those
            // columns are read where they live (the Store); the rest goes through the column engine.
            let heavy = table.columns.filter {
                table.primaryKey.contains($0.name) || $0.type == .json || $0.type == .longText || DataType($0.type) == nil
            }
            let light = table.columns.filter { c in !heavy.contains { $0.name == c.name } }
            var measures: [Measure] = [.count("__rows")]
            for c in light {
                measures += [.count("n_" + c.name, col(c.name)), .approxCountDistinct("d_" + c.name, col(c.name))]
                if c.type != .boolean { measures += [.min("lo_" + c.name, col(c.name)), .max("hi_" + c.name, col(c.name))] }
            }
            let lightPlan = Plan.scan(table.name, light.isEmpty ? [table.primaryKey[0]] : light.map(\.name)).aggregate(measures)
            let profile = try context.query("discovery.catalog.\(table.name)", lightPlan).single()
            let rows = profile.int("__rows")
            var columns: [String: ColumnProfile] = [:]
            for c in light {
                let present = profile.int("n_" + c.name)
                columns[c.name] = ColumnProfile(
                    name: c.name, type: c.type.description, nullShare: rows > 0 ? Double(rows - present) / Double(rows) : 0,
                    distinct: profile.int("d_" + c.name),
                    min: c.type == .boolean ? nil : render(profile["lo_" + c.name], c.type),
                    max: c.type == .boolean ? nil : render(profile["hi_" + c.name], c.type))
            }
            let usable = heavy.filter { DataType($0.type) != nil }
            if !usable.isEmpty {
                var heavyMeasures: [Measure] = []
                for c in usable {
                    // Key columns are NOT NULL and unique by constraint: only their range needs reading (an index lookup).
                    if table.primaryKey.contains(c.name) {
                        continue
                    } else {
                        heavyMeasures.append(.count("n_" + c.name, col(c.name)))
                    }
                }
                let stored =
                    heavyMeasures.isEmpty
                    ? nil
                    : try context.query(
                        "discovery.catalog.\(table.name).stored", Plan.scan(table.name, usable.map(\.name)).aggregate(heavyMeasures),
                        on: .sql
                    ).single()
                // MIN and MAX of a key, each alone in its query, are index lookups in every engine.
                var range: [String: Value] = [:]
                for c in usable where table.primaryKey.contains(c.name) {
                    for (label, measure) in [("lo_", Measure.min("v", col(c.name))), ("hi_", Measure.max("v", col(c.name)))] {
                        range[label + c.name] = try context.query(
                            "discovery.catalog.\(table.name).\(label)\(c.name)", Plan.scan(table.name, [c.name]).aggregate([measure]),
                            on: .sql
                        ).single()["v"]
                    }
                }
                for c in usable {
                    let key = table.primaryKey.contains(c.name)
                    let present = key ? rows : stored?.int("n_" + c.name) ?? rows
                    columns[c.name] = ColumnProfile(
                        name: c.name, type: c.type.description, nullShare: rows > 0 ? Double(rows - present) / Double(rows) : 0,
                        distinct: key && table.primaryKey.count == 1 ? present : nil,
                        min: range["lo_" + c.name].flatMap { render($0, c.type) }, max: range["hi_" + c.name].flatMap { render($0, c.type) }
                    )
                }
            }
            for c in table.columns where columns[c.name] == nil {
                columns[c.name] = ColumnProfile(name: c.name, type: c.type.description, nullShare: 0, distinct: nil, min: nil, max: nil)
            }
            // Freshness: the latest date or timestamp in the table.
            var latest: Day?
            for c in light where c.type == .date || c.type == .timestamp {
                if case .date(let d) = profile["hi_" + c.name] { latest = max(latest ?? d, d) }
                if case .timestamp(let t) = profile["hi_" + c.name] { latest = max(latest ?? t.day, t.day) }
            }
            let profiled = try table.columns.map { c in
                guard let profile = columns[c.name] else { throw AgentError.missing("the profile of \(table.name).\(c.name)") }
                return profile
            }
            profiles.append(
                TableProfile(
                    table: table.name, rows: rows, latest: latest?.iso, daysSinceLatest: latest.map { $0.days(until: context.asOf) },
                    columns: profiled))
        }
        return profiles
    }

    func render(_ value: Value, _ type: ColumnType) -> String? {
        value.isNull ? nil : value.rendered(as: type)
    }
}
