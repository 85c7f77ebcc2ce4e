import DecisioningAnalytics
import DecisioningCore
import Foundation
import Testing

/// The exact SQL and bindings of every named analysis in every dialect, as of 2026-11-25: a change to
/// the rendered SQL must be deliberate (update the text here with it). Also checks that values are
/// bound, never spliced, and identifiers quoted.
@Suite struct RendererGoldenTests {
    static let asOf = Day(iso: "2026-11-25")!

    struct Golden {
        var sql: String
        var bindings: String
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var analysis: String
        var part: String
        var dialect: SQLDialect
        var key: String { "\(analysis)/\(part)/\(dialect.rawValue)" }
        var testDescription: String { key }

        var plan: Plan { Analyses.named(analysis)!.parts.first { $0.name == part }!.plan }
    }

    static let cases: [Case] = Analyses.all().flatMap { analysis in
        analysis.parts.flatMap { part in SQLDialect.allCases.map { Case(analysis: analysis.name, part: part.name, dialect: $0) } }
    }

    /// Bindings as one line: `date 2024-11-25, text 'REVENUE', integer 0, …`.
    static func describe(_ values: [Value]) -> String {
        values.map { v -> String in
            switch v {
            case .null: return "NULL"
            case .integer(let x): return "integer \(x)"
            case .decimal(let x): return "decimal \(x)"
            case .double(let x): return "double \(x)"
            case .text(let s): return "text '\(s)'"
            case .date(let d): return "date \(d.iso)"
            case .timestamp(let t): return "timestamp \(t.iso)"
            case .boolean(let b): return "boolean \(b)"
            case .json(let s): return "json \(s)"
            case .vector(let x): return "vector \(x)"
            }
        }.joined(separator: ", ")
    }

    @Test(arguments: cases)
    func renderedSQLIsPinned(_ c: Case) throws {
        let rendered = try SQLRenderer(dialect: c.dialect, asOf: Self.asOf).render(c.plan)
        let golden = try #require(Self.golden[c.key], "no golden SQL for \(c.key); add it")
        #expect(rendered.sql == golden.sql, "\(c.key) renders differently; if deliberate, update the golden text:\n\(rendered.sql)")
        #expect(Self.describe(rendered.bindings) == golden.bindings, "\(c.key) binds differently:\n\(Self.describe(rendered.bindings))")
    }

    @Test func everyPartInEveryDialectHasAGolden() {
        #expect(Set(Self.cases.map(\.key)) == Set(Self.golden.keys))
    }

    /// After a deliberate change to the SQL: `DECISIONING_WRITE_GOLDEN_SQL=/tmp/golden.swift swift test
    /// --filter RendererGoldenTests` writes the entries of `golden` as they render now, to paste below.
    @Test func writeTheGoldenEntriesWhenAsked() throws {
        guard let path = ProcessInfo.processInfo.environment["DECISIONING_WRITE_GOLDEN_SQL"] else { return }
        var out = ""
        for c in Self.cases {
            let rendered = try SQLRenderer(dialect: c.dialect, asOf: Self.asOf).render(c.plan)
            let sql = rendered.sql.split(separator: "\n", omittingEmptySubsequences: false).map { "            " + $0 }.joined(
                separator: "\n")
            out += "        \"\(c.key)\": Golden(\n            sql: \"\"\"\n\(sql)\n            \"\"\",\n"
            out += "            bindings: \"\(Self.describe(rendered.bindings))\"),\n"
        }
        try out.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Function arguments SQL needs as literals: formats and modifiers, never data.
    static let allowedLiterals = ["'%Y'", "'start of month'", "'%Y-%m-01'"]

    @Test(arguments: cases)
    func valuesAreBoundAndIdentifiersQuoted(_ c: Case) throws {
        let rendered = try SQLRenderer(dialect: c.dialect, asOf: Self.asOf).render(c.plan)
        let sql = rendered.sql

        // Placeholders: ?1, ?2, … in order on SQLite, plain ? on MySQL, one per binding.
        let placeholders = Self.placeholders(sql)
        if c.dialect == .sqlite {
            #expect(placeholders == (0..<rendered.bindings.count).map { "?\($0 + 1)" }, "\(c.key): \(placeholders)")
        } else {
            #expect(placeholders == Array(repeating: "?", count: rendered.bindings.count), "\(c.key): \(placeholders)")
        }

        // No value spliced into the text.
        for forbidden in ["2024-11-25", "2026-11-25", "REVENUE", "COST", "MARGIN", "ACTIVE", "IN_PROGRESS"] {
            #expect(!sql.contains(forbidden), "\(c.key) contains \(forbidden)")
        }
        for value in rendered.bindings {
            switch value {
            case .text(let s): #expect(!sql.contains(s), "\(c.key) splices the text \(s)")
            case .date(let d): #expect(!sql.contains(d.iso), "\(c.key) splices the date \(d.iso)")
            default: break
            }
        }

        // The only quoted strings are function formats.
        var unquoted = sql
        for literal in Self.allowedLiterals { unquoted = unquoted.replacingOccurrences(of: literal, with: "") }
        #expect(!unquoted.contains("'"), "\(c.key) has a string literal:\n\(sql)")

        // Every table and column name appears only between the dialect's identifier quotes.
        let quote: Character = c.dialect == .sqlite ? "\"" : "`"
        for identifier in Self.identifiers(c.plan) {
            for (before, after) in Self.occurrences(of: identifier, in: unquoted) {
                #expect(before == quote && after == quote, "\(c.key): \(identifier) appears unquoted")
            }
        }
        if c.dialect == .heatwave {
            #expect(sql.hasPrefix("SELECT /*+ SET_VAR(use_secondary_engine = FORCED) */") || sql.hasPrefix("WITH "))
        }
    }

    static func placeholders(_ sql: String) -> [String] {
        var out: [String] = []
        var chars = Array(sql)[...]
        while let i = chars.firstIndex(of: "?") {
            var token = "?"
            var j = i + 1
            while j < chars.endIndex, chars[j].isNumber {
                token.append(chars[j])
                j += 1
            }
            out.append(token)
            chars = chars[j...]
        }
        return out
    }

    /// The characters around each whole-word occurrence of `word`.
    static func occurrences(of word: String, in text: String) -> [(Character?, Character?)] {
        let chars = Array(text)
        let target = Array(word)
        func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        var out: [(Character?, Character?)] = []
        var i = 0
        while i + target.count <= chars.count {
            if Array(chars[i..<(i + target.count)]) == target {
                let before = i > 0 ? chars[i - 1] : nil
                let after = i + target.count < chars.count ? chars[i + target.count] : nil
                if !(before.map(isWordChar) ?? false) && !(after.map(isWordChar) ?? false) { out.append((before, after)) }
            }
            i += 1
        }
        return out
    }

    /// Table names, scanned columns and every name a plan gives to a column.
    static func identifiers(_ plan: Plan) -> Set<String> {
        switch plan {
        case .scan(let table, let columns): return Set([table] + columns.flatMap { [$0.source, $0.name] })
        case .filter(let p, _), .sort(let p, _), .limit(let p, _): return identifiers(p)
        case .join(_, let l, let r, _): return identifiers(l).union(identifiers(r))
        case .aggregate(let p, let groups, let measures): return identifiers(p).union(groups.map(\.name) + measures.map(\.name))
        case .window(let p, _, _, let lags): return identifiers(p).union(lags.map(\.name))
        case .project(let p, let columns): return identifiers(p).union(columns.map(\.name))
        }
    }

    // MARK: - The pinned text (SQLRenderer's output as of this commit)

    static let golden: [String: Golden] = [
        "landscape/landscape/sqlite": Golden(
            sql: """
                WITH "s1" AS (
                    SELECT
                        COUNT(*) AS "total_projects",
                        COUNT(DISTINCT t1."customer_id") AS "total_customers",
                        SUM(t1."budget_amount") AS "total_budget",
                        SUM(t1."actual_cost") AS "total_costs",
                        (AVG(t2."risk_score") / 100.0) AS "avg_risk_score"
                    FROM "projects" AS t1
                    LEFT JOIN "customer_analytics" AS t2 ON t1."customer_id" = t2."customer_id"
                    WHERE ((t1."start_date" >= ?1) AND (t1."start_date" <= ?2))
                ),
                "s2" AS (
                    SELECT
                        COUNT(DISTINCT t4."metric_type") AS "metric_types"
                    FROM "financial_metrics" AS t4
                    JOIN "projects" AS t5 ON t4."project_id" = t5."project_id"
                    WHERE ((t5."start_date" >= ?3) AND (t5."start_date" <= ?4))
                )
                SELECT
                    t3."total_projects" AS "total_projects",
                    t3."total_customers" AS "total_customers",
                    t3."total_budget" AS "total_budget",
                    t3."total_costs" AS "total_costs",
                    t3."avg_risk_score" AS "avg_risk_score",
                    t6."metric_types" AS "metric_types"
                FROM "s1" AS t3
                JOIN "s2" AS t6 ON ?5 = ?6
                """,
            bindings: "date 2024-11-25, date 2026-11-25, date 2024-11-25, date 2026-11-25, integer 1, integer 1"),
        "landscape/landscape/mysql": Golden(
            sql: """
                WITH `s1` AS (
                    SELECT
                        COUNT(*) AS `total_projects`,
                        COUNT(DISTINCT CAST(t1.`customer_id` AS BINARY)) AS `total_customers`,
                        SUM(t1.`budget_amount`) AS `total_budget`,
                        SUM(t1.`actual_cost`) AS `total_costs`,
                        (CAST(SUM(t2.`risk_score`) * 100 AS DOUBLE) / COUNT(t2.`risk_score`) / 1e2) AS `avg_risk_score`
                    FROM `projects` AS t1
                    LEFT JOIN `customer_analytics` AS t2 ON t1.`customer_id` = t2.`customer_id` AND CAST(t1.`customer_id` AS BINARY) = CAST(t2.`customer_id` AS BINARY)
                    WHERE ((t1.`start_date` >= ?) AND (t1.`start_date` <= ?))
                ),
                `s2` AS (
                    SELECT
                        COUNT(DISTINCT CAST(t4.`metric_type` AS BINARY)) AS `metric_types`
                    FROM `financial_metrics` AS t4
                    JOIN `projects` AS t5 ON t4.`project_id` = t5.`project_id` AND CAST(t4.`project_id` AS BINARY) = CAST(t5.`project_id` AS BINARY)
                    WHERE ((t5.`start_date` >= ?) AND (t5.`start_date` <= ?))
                )
                SELECT
                    t3.`total_projects` AS `total_projects`,
                    t3.`total_customers` AS `total_customers`,
                    t3.`total_budget` AS `total_budget`,
                    t3.`total_costs` AS `total_costs`,
                    t3.`avg_risk_score` AS `avg_risk_score`,
                    t6.`metric_types` AS `metric_types`
                FROM `s1` AS t3
                JOIN `s2` AS t6 ON ? = ?
                """,
            bindings: "date 2024-11-25, date 2026-11-25, date 2024-11-25, date 2026-11-25, integer 1, integer 1"),
        "landscape/landscape/heatwave": Golden(
            sql: """
                WITH `s1` AS (
                    SELECT
                        COUNT(*) AS `total_projects`,
                        COUNT(DISTINCT (t1.`customer_id` COLLATE utf8mb4_0900_bin)) AS `total_customers`,
                        SUM(t1.`budget_amount`) AS `total_budget`,
                        SUM(t1.`actual_cost`) AS `total_costs`,
                        (CAST(SUM(t2.`risk_score`) * 100 AS DOUBLE) / COUNT(t2.`risk_score`) / 1e2) AS `avg_risk_score`
                    FROM `projects` AS t1
                    LEFT JOIN `customer_analytics` AS t2 ON t1.`customer_id` = t2.`customer_id` AND (t1.`customer_id` COLLATE utf8mb4_0900_bin) = (t2.`customer_id` COLLATE utf8mb4_0900_bin)
                    WHERE ((t1.`start_date` >= ?) AND (t1.`start_date` <= ?))
                ),
                `s2` AS (
                    SELECT
                        COUNT(DISTINCT (t4.`metric_type` COLLATE utf8mb4_0900_bin)) AS `metric_types`
                    FROM `financial_metrics` AS t4
                    JOIN `projects` AS t5 ON t4.`project_id` = t5.`project_id` AND (t4.`project_id` COLLATE utf8mb4_0900_bin) = (t5.`project_id` COLLATE utf8mb4_0900_bin)
                    WHERE ((t5.`start_date` >= ?) AND (t5.`start_date` <= ?))
                )
                SELECT /*+ SET_VAR(use_secondary_engine = FORCED) */
                    t3.`total_projects` AS `total_projects`,
                    t3.`total_customers` AS `total_customers`,
                    t3.`total_budget` AS `total_budget`,
                    t3.`total_costs` AS `total_costs`,
                    t3.`avg_risk_score` AS `avg_risk_score`,
                    t6.`metric_types` AS `metric_types`
                FROM `s1` AS t3
                JOIN `s2` AS t6 ON ? = ?
                """,
            bindings: "date 2024-11-25, date 2026-11-25, date 2024-11-25, date 2026-11-25, integer 1, integer 1"),
        "financial-trend/monthly/sqlite": Golden(
            sql: """
                WITH "s1" AS (
                    SELECT
                        date(t1."metric_date", 'start of month') AS "month",
                        SUM(CASE WHEN (t1."metric_type" = ?1) THEN t1."metric_value" ELSE (?2 * 100) END) AS "revenue",
                        SUM(CASE WHEN (t1."metric_type" = ?3) THEN t1."metric_value" ELSE (?4 * 100) END) AS "cost",
                        (AVG(CASE WHEN (t1."metric_type" = ?5) THEN t1."metric_value" END) / 100.0) AS "avg_margin"
                    FROM "financial_metrics" AS t1
                    WHERE ((t1."metric_date" >= ?6) AND (t1."metric_date" < ?7))
                    GROUP BY date(t1."metric_date", 'start of month')
                )
                SELECT
                    t2."month" AS "month",
                    t2."revenue" AS "revenue",
                    t2."cost" AS "cost",
                    t2."avg_margin" AS "avg_margin",
                    ((((t2."revenue" - LAG(t2."revenue", 1) OVER (ORDER BY t2."month" ASC)) / 100.0) / (LAG(t2."revenue", 1) OVER (ORDER BY t2."month" ASC) / 100.0)) * ?8) AS "revenue_growth_pct",
                    ((((t2."cost" - LAG(t2."cost", 1) OVER (ORDER BY t2."month" ASC)) / 100.0) / (LAG(t2."cost", 1) OVER (ORDER BY t2."month" ASC) / 100.0)) * ?9) AS "cost_growth_pct"
                FROM "s1" AS t2
                ORDER BY "month" ASC
                """,
            bindings:
                "text 'REVENUE', integer 0, text 'COST', integer 0, text 'MARGIN', date 2025-11-25, date 2026-11-25, double 100.0, double 100.0"
        ),
        "financial-trend/monthly/mysql": Golden(
            sql: """
                WITH `s1` AS (
                    SELECT
                        MIN(CAST(DATE_FORMAT(t1.`metric_date`, '%Y-%m-01') AS DATE)) AS `month`,
                        SUM(CASE WHEN (t1.`metric_type` = CAST(? AS BINARY)) THEN t1.`metric_value` ELSE ? END) AS `revenue`,
                        SUM(CASE WHEN (t1.`metric_type` = CAST(? AS BINARY)) THEN t1.`metric_value` ELSE ? END) AS `cost`,
                        (CAST(SUM(CASE WHEN (t1.`metric_type` = CAST(? AS BINARY)) THEN t1.`metric_value` END) * 100 AS DOUBLE) / COUNT(CASE WHEN (t1.`metric_type` = CAST(? AS BINARY)) THEN t1.`metric_value` END) / 1e2) AS `avg_margin`
                    FROM `financial_metrics` AS t1
                    WHERE ((t1.`metric_date` >= ?) AND (t1.`metric_date` < ?))
                    GROUP BY CAST(DATE_FORMAT(t1.`metric_date`, '%Y-%m-01') AS DATE)
                )
                SELECT
                    t2.`month` AS `month`,
                    t2.`revenue` AS `revenue`,
                    t2.`cost` AS `cost`,
                    t2.`avg_margin` AS `avg_margin`,
                    ((CAST((t2.`revenue` - LAG(t2.`revenue`, 1) OVER (ORDER BY t2.`month` ASC)) AS DOUBLE) / CAST(LAG(t2.`revenue`, 1) OVER (ORDER BY t2.`month` ASC) AS DOUBLE)) * ?) AS `revenue_growth_pct`,
                    ((CAST((t2.`cost` - LAG(t2.`cost`, 1) OVER (ORDER BY t2.`month` ASC)) AS DOUBLE) / CAST(LAG(t2.`cost`, 1) OVER (ORDER BY t2.`month` ASC) AS DOUBLE)) * ?) AS `cost_growth_pct`
                FROM `s1` AS t2
                ORDER BY `month` ASC
                """,
            bindings:
                "text 'REVENUE', integer 0, text 'COST', integer 0, text 'MARGIN', text 'MARGIN', date 2025-11-25, date 2026-11-25, double 100.0, double 100.0"
        ),
        "financial-trend/monthly/heatwave": Golden(
            sql: """
                WITH `s1` AS (
                    SELECT
                        MIN(CAST(DATE_FORMAT(t1.`metric_date`, '%Y-%m-01') AS DATE)) AS `month`,
                        SUM(CASE WHEN (t1.`metric_type` = (? COLLATE utf8mb4_0900_bin)) THEN t1.`metric_value` ELSE ? END) AS `revenue`,
                        SUM(CASE WHEN (t1.`metric_type` = (? COLLATE utf8mb4_0900_bin)) THEN t1.`metric_value` ELSE ? END) AS `cost`,
                        (CAST(SUM(CASE WHEN (t1.`metric_type` = (? COLLATE utf8mb4_0900_bin)) THEN t1.`metric_value` END) * 100 AS DOUBLE) / COUNT(CASE WHEN (t1.`metric_type` = (? COLLATE utf8mb4_0900_bin)) THEN t1.`metric_value` END) / 1e2) AS `avg_margin`
                    FROM `financial_metrics` AS t1
                    WHERE ((t1.`metric_date` >= ?) AND (t1.`metric_date` < ?))
                    GROUP BY CAST(DATE_FORMAT(t1.`metric_date`, '%Y-%m-01') AS DATE)
                )
                SELECT /*+ SET_VAR(use_secondary_engine = FORCED) */
                    t2.`month` AS `month`,
                    t2.`revenue` AS `revenue`,
                    t2.`cost` AS `cost`,
                    t2.`avg_margin` AS `avg_margin`,
                    ((CAST((t2.`revenue` - LAG(t2.`revenue`, 1) OVER (ORDER BY t2.`month` ASC)) AS DOUBLE) / CAST(LAG(t2.`revenue`, 1) OVER (ORDER BY t2.`month` ASC) AS DOUBLE)) * ?) AS `revenue_growth_pct`,
                    ((CAST((t2.`cost` - LAG(t2.`cost`, 1) OVER (ORDER BY t2.`month` ASC)) AS DOUBLE) / CAST(LAG(t2.`cost`, 1) OVER (ORDER BY t2.`month` ASC) AS DOUBLE)) * ?) AS `cost_growth_pct`
                FROM `s1` AS t2
                ORDER BY `month` ASC
                """,
            bindings:
                "text 'REVENUE', integer 0, text 'COST', integer 0, text 'MARGIN', text 'MARGIN', date 2025-11-25, date 2026-11-25, double 100.0, double 100.0"
        ),
        "financial-trend/totals/sqlite": Golden(
            sql: """
                WITH "s1" AS (
                    SELECT
                        date(t1."metric_date", 'start of month') AS "month",
                        SUM(CASE WHEN (t1."metric_type" = ?1) THEN t1."metric_value" ELSE (?2 * 100) END) AS "revenue",
                        SUM(CASE WHEN (t1."metric_type" = ?3) THEN t1."metric_value" ELSE (?4 * 100) END) AS "cost",
                        (AVG(CASE WHEN (t1."metric_type" = ?5) THEN t1."metric_value" END) / 100.0) AS "avg_margin"
                    FROM "financial_metrics" AS t1
                    WHERE ((t1."metric_date" >= ?6) AND (t1."metric_date" < ?7))
                    GROUP BY date(t1."metric_date", 'start of month')
                ),
                "s2" AS (
                    SELECT
                        t2."month" AS "month",
                        t2."revenue" AS "revenue",
                        t2."cost" AS "cost",
                        t2."avg_margin" AS "avg_margin",
                        ((((t2."revenue" - LAG(t2."revenue", 1) OVER (ORDER BY t2."month" ASC)) / 100.0) / (LAG(t2."revenue", 1) OVER (ORDER BY t2."month" ASC) / 100.0)) * ?8) AS "revenue_growth_pct",
                        ((((t2."cost" - LAG(t2."cost", 1) OVER (ORDER BY t2."month" ASC)) / 100.0) / (LAG(t2."cost", 1) OVER (ORDER BY t2."month" ASC) / 100.0)) * ?9) AS "cost_growth_pct"
                    FROM "s1" AS t2
                )
                SELECT
                    SUM(t3."revenue") AS "total_revenue",
                    SUM(t3."cost") AS "total_costs",
                    AVG(t3."avg_margin") AS "avg_margin",
                    AVG(t3."revenue_growth_pct") AS "revenue_growth_rate",
                    AVG(t3."cost_growth_pct") AS "cost_growth_rate",
                    COUNT(*) AS "months"
                FROM "s2" AS t3
                """,
            bindings:
                "text 'REVENUE', integer 0, text 'COST', integer 0, text 'MARGIN', date 2025-11-25, date 2026-11-25, double 100.0, double 100.0"
        ),
        "financial-trend/totals/mysql": Golden(
            sql: """
                WITH `s1` AS (
                    SELECT
                        MIN(CAST(DATE_FORMAT(t1.`metric_date`, '%Y-%m-01') AS DATE)) AS `month`,
                        SUM(CASE WHEN (t1.`metric_type` = CAST(? AS BINARY)) THEN t1.`metric_value` ELSE ? END) AS `revenue`,
                        SUM(CASE WHEN (t1.`metric_type` = CAST(? AS BINARY)) THEN t1.`metric_value` ELSE ? END) AS `cost`,
                        (CAST(SUM(CASE WHEN (t1.`metric_type` = CAST(? AS BINARY)) THEN t1.`metric_value` END) * 100 AS DOUBLE) / COUNT(CASE WHEN (t1.`metric_type` = CAST(? AS BINARY)) THEN t1.`metric_value` END) / 1e2) AS `avg_margin`
                    FROM `financial_metrics` AS t1
                    WHERE ((t1.`metric_date` >= ?) AND (t1.`metric_date` < ?))
                    GROUP BY CAST(DATE_FORMAT(t1.`metric_date`, '%Y-%m-01') AS DATE)
                ),
                `s2` AS (
                    SELECT
                        t2.`month` AS `month`,
                        t2.`revenue` AS `revenue`,
                        t2.`cost` AS `cost`,
                        t2.`avg_margin` AS `avg_margin`,
                        ((CAST((t2.`revenue` - LAG(t2.`revenue`, 1) OVER (ORDER BY t2.`month` ASC)) AS DOUBLE) / CAST(LAG(t2.`revenue`, 1) OVER (ORDER BY t2.`month` ASC) AS DOUBLE)) * ?) AS `revenue_growth_pct`,
                        ((CAST((t2.`cost` - LAG(t2.`cost`, 1) OVER (ORDER BY t2.`month` ASC)) AS DOUBLE) / CAST(LAG(t2.`cost`, 1) OVER (ORDER BY t2.`month` ASC) AS DOUBLE)) * ?) AS `cost_growth_pct`
                    FROM `s1` AS t2
                )
                SELECT
                    SUM(t3.`revenue`) AS `total_revenue`,
                    SUM(t3.`cost`) AS `total_costs`,
                    AVG(t3.`avg_margin`) AS `avg_margin`,
                    AVG(t3.`revenue_growth_pct`) AS `revenue_growth_rate`,
                    AVG(t3.`cost_growth_pct`) AS `cost_growth_rate`,
                    COUNT(*) AS `months`
                FROM `s2` AS t3
                """,
            bindings:
                "text 'REVENUE', integer 0, text 'COST', integer 0, text 'MARGIN', text 'MARGIN', date 2025-11-25, date 2026-11-25, double 100.0, double 100.0"
        ),
        "financial-trend/totals/heatwave": Golden(
            sql: """
                WITH `s1` AS (
                    SELECT
                        MIN(CAST(DATE_FORMAT(t1.`metric_date`, '%Y-%m-01') AS DATE)) AS `month`,
                        SUM(CASE WHEN (t1.`metric_type` = (? COLLATE utf8mb4_0900_bin)) THEN t1.`metric_value` ELSE ? END) AS `revenue`,
                        SUM(CASE WHEN (t1.`metric_type` = (? COLLATE utf8mb4_0900_bin)) THEN t1.`metric_value` ELSE ? END) AS `cost`,
                        (CAST(SUM(CASE WHEN (t1.`metric_type` = (? COLLATE utf8mb4_0900_bin)) THEN t1.`metric_value` END) * 100 AS DOUBLE) / COUNT(CASE WHEN (t1.`metric_type` = (? COLLATE utf8mb4_0900_bin)) THEN t1.`metric_value` END) / 1e2) AS `avg_margin`
                    FROM `financial_metrics` AS t1
                    WHERE ((t1.`metric_date` >= ?) AND (t1.`metric_date` < ?))
                    GROUP BY CAST(DATE_FORMAT(t1.`metric_date`, '%Y-%m-01') AS DATE)
                ),
                `s2` AS (
                    SELECT
                        t2.`month` AS `month`,
                        t2.`revenue` AS `revenue`,
                        t2.`cost` AS `cost`,
                        t2.`avg_margin` AS `avg_margin`,
                        ((CAST((t2.`revenue` - LAG(t2.`revenue`, 1) OVER (ORDER BY t2.`month` ASC)) AS DOUBLE) / CAST(LAG(t2.`revenue`, 1) OVER (ORDER BY t2.`month` ASC) AS DOUBLE)) * ?) AS `revenue_growth_pct`,
                        ((CAST((t2.`cost` - LAG(t2.`cost`, 1) OVER (ORDER BY t2.`month` ASC)) AS DOUBLE) / CAST(LAG(t2.`cost`, 1) OVER (ORDER BY t2.`month` ASC) AS DOUBLE)) * ?) AS `cost_growth_pct`
                    FROM `s1` AS t2
                )
                SELECT /*+ SET_VAR(use_secondary_engine = FORCED) */
                    SUM(t3.`revenue`) AS `total_revenue`,
                    SUM(t3.`cost`) AS `total_costs`,
                    AVG(t3.`avg_margin`) AS `avg_margin`,
                    AVG(t3.`revenue_growth_pct`) AS `revenue_growth_rate`,
                    AVG(t3.`cost_growth_pct`) AS `cost_growth_rate`,
                    COUNT(*) AS `months`
                FROM `s2` AS t3
                """,
            bindings:
                "text 'REVENUE', integer 0, text 'COST', integer 0, text 'MARGIN', text 'MARGIN', date 2025-11-25, date 2026-11-25, double 100.0, double 100.0"
        ),
        "industry-performance/industries/sqlite": Golden(
            sql: """
                WITH "s1" AS (
                    SELECT
                        t2."industry" AS "industry",
                        COUNT(*) AS "project_count",
                        SUM(t1."budget_amount") AS "total_budget",
                        AVG(((t1."actual_cost" / 100.0) / (t1."budget_amount" / 100.0))) AS "cost_efficiency"
                    FROM "projects" AS t1
                    JOIN "customer_analytics" AS t2 ON t1."customer_id" = t2."customer_id"
                    WHERE ((t1."start_date" >= ?1) AND (t1."start_date" <= ?2))
                    GROUP BY t2."industry"
                    HAVING (COUNT(*) > ?3)
                ),
                "s2" AS (
                    SELECT
                        t5."project_id" AS "project_id",
                        t6."industry" AS "v_industry"
                    FROM "projects" AS t5
                    JOIN "customer_analytics" AS t6 ON t5."customer_id" = t6."customer_id"
                    WHERE ((t5."start_date" >= ?4) AND (t5."start_date" <= ?5))
                ),
                "s3" AS (
                    SELECT
                        t4."project_id" AS "m_project_id",
                        t4."metric_type" AS "metric_type",
                        t4."metric_value" AS "metric_value",
                        t4."metric_date" AS "metric_date",
                        t7."project_id" AS "project_id",
                        t7."v_industry" AS "v_industry",
                        (t4."metric_value" / 100.0) AS "__dx0",
                        AVG((t4."metric_value" / 100.0)) OVER (PARTITION BY t7."v_industry") AS "__dmean0"
                    FROM "financial_metrics" AS t4
                    JOIN "s2" AS t7 ON t4."project_id" = t7."project_id"
                    WHERE ((t4."metric_type" = ?6) AND (t4."metric_date" <= ?7))
                ),
                "s4" AS (
                    SELECT
                        t8."v_industry" AS "v_industry",
                        sqrt(AVG(((t8."__dx0" - t8."__dmean0") * (t8."__dx0" - t8."__dmean0")))) AS "revenue_volatility"
                    FROM "s3" AS t8
                    GROUP BY t8."v_industry"
                )
                SELECT
                    t3."industry" AS "industry",
                    t3."project_count" AS "project_count",
                    t3."total_budget" AS "total_budget",
                    t3."cost_efficiency" AS "cost_efficiency",
                    t9."revenue_volatility" AS "revenue_volatility"
                FROM "s1" AS t3
                LEFT JOIN "s4" AS t9 ON t3."industry" = t9."v_industry"
                ORDER BY "total_budget" DESC, "industry" ASC
                """,
            bindings: "date 2024-11-25, date 2026-11-25, integer 5, date 2024-11-25, date 2026-11-25, text 'REVENUE', date 2026-11-25"),
        "industry-performance/industries/mysql": Golden(
            sql: """
                WITH `s1` AS (
                    SELECT
                        t2.`industry` AS `industry`,
                        COUNT(*) AS `project_count`,
                        SUM(t1.`budget_amount`) AS `total_budget`,
                        AVG((CAST(t1.`actual_cost` AS DOUBLE) / CAST(t1.`budget_amount` AS DOUBLE))) AS `cost_efficiency`
                    FROM `projects` AS t1
                    JOIN `customer_analytics` AS t2 ON t1.`customer_id` = t2.`customer_id` AND CAST(t1.`customer_id` AS BINARY) = CAST(t2.`customer_id` AS BINARY)
                    WHERE ((t1.`start_date` >= ?) AND (t1.`start_date` <= ?))
                    GROUP BY CAST(t2.`industry` AS BINARY), t2.`industry`
                    HAVING (COUNT(*) > ?)
                ),
                `s2` AS (
                    SELECT
                        t5.`project_id` AS `project_id`,
                        t6.`industry` AS `v_industry`
                    FROM `projects` AS t5
                    JOIN `customer_analytics` AS t6 ON t5.`customer_id` = t6.`customer_id` AND CAST(t5.`customer_id` AS BINARY) = CAST(t6.`customer_id` AS BINARY)
                    WHERE ((t5.`start_date` >= ?) AND (t5.`start_date` <= ?))
                ),
                `s3` AS (
                    SELECT
                        t7.`v_industry` AS `v_industry`,
                        STDDEV_POP(CAST(t4.`metric_value` AS DOUBLE)) AS `revenue_volatility`
                    FROM `financial_metrics` AS t4
                    JOIN `s2` AS t7 ON t4.`project_id` = t7.`project_id` AND CAST(t4.`project_id` AS BINARY) = CAST(t7.`project_id` AS BINARY)
                    WHERE ((t4.`metric_type` = CAST(? AS BINARY)) AND (t4.`metric_date` <= ?))
                    GROUP BY CAST(t7.`v_industry` AS BINARY), t7.`v_industry`
                )
                SELECT
                    t3.`industry` AS `industry`,
                    t3.`project_count` AS `project_count`,
                    t3.`total_budget` AS `total_budget`,
                    t3.`cost_efficiency` AS `cost_efficiency`,
                    t8.`revenue_volatility` AS `revenue_volatility`
                FROM `s1` AS t3
                LEFT JOIN `s3` AS t8 ON t3.`industry` = t8.`v_industry` AND CAST(t3.`industry` AS BINARY) = CAST(t8.`v_industry` AS BINARY)
                ORDER BY `total_budget` DESC, CAST(t3.`industry` AS BINARY) ASC
                """,
            bindings: "date 2024-11-25, date 2026-11-25, integer 5, date 2024-11-25, date 2026-11-25, text 'REVENUE', date 2026-11-25"),
        "industry-performance/industries/heatwave": Golden(
            sql: """
                WITH `s1` AS (
                    SELECT
                        t2.`industry` AS `industry`,
                        COUNT(*) AS `project_count`,
                        SUM(t1.`budget_amount`) AS `total_budget`,
                        AVG((CAST(t1.`actual_cost` AS DOUBLE) / CAST(t1.`budget_amount` AS DOUBLE))) AS `cost_efficiency`
                    FROM `projects` AS t1
                    JOIN `customer_analytics` AS t2 ON t1.`customer_id` = t2.`customer_id` AND (t1.`customer_id` COLLATE utf8mb4_0900_bin) = (t2.`customer_id` COLLATE utf8mb4_0900_bin)
                    WHERE ((t1.`start_date` >= ?) AND (t1.`start_date` <= ?))
                    GROUP BY (t2.`industry` COLLATE utf8mb4_0900_bin), t2.`industry`
                    HAVING (COUNT(*) > ?)
                ),
                `s2` AS (
                    SELECT
                        t5.`project_id` AS `project_id`,
                        t6.`industry` AS `v_industry`
                    FROM `projects` AS t5
                    JOIN `customer_analytics` AS t6 ON t5.`customer_id` = t6.`customer_id` AND (t5.`customer_id` COLLATE utf8mb4_0900_bin) = (t6.`customer_id` COLLATE utf8mb4_0900_bin)
                    WHERE ((t5.`start_date` >= ?) AND (t5.`start_date` <= ?))
                ),
                `s3` AS (
                    SELECT
                        t7.`v_industry` AS `v_industry`,
                        STDDEV_POP(CAST(t4.`metric_value` AS DOUBLE)) AS `revenue_volatility`
                    FROM `financial_metrics` AS t4
                    JOIN `s2` AS t7 ON t4.`project_id` = t7.`project_id` AND (t4.`project_id` COLLATE utf8mb4_0900_bin) = (t7.`project_id` COLLATE utf8mb4_0900_bin)
                    WHERE ((t4.`metric_type` = (? COLLATE utf8mb4_0900_bin)) AND (t4.`metric_date` <= ?))
                    GROUP BY (t7.`v_industry` COLLATE utf8mb4_0900_bin), t7.`v_industry`
                )
                SELECT /*+ SET_VAR(use_secondary_engine = FORCED) */
                    t3.`industry` AS `industry`,
                    t3.`project_count` AS `project_count`,
                    t3.`total_budget` AS `total_budget`,
                    t3.`cost_efficiency` AS `cost_efficiency`,
                    t8.`revenue_volatility` AS `revenue_volatility`
                FROM `s1` AS t3
                LEFT JOIN `s3` AS t8 ON t3.`industry` = t8.`v_industry` AND (t3.`industry` COLLATE utf8mb4_0900_bin) = (t8.`v_industry` COLLATE utf8mb4_0900_bin)
                ORDER BY `total_budget` DESC, (t3.`industry` COLLATE utf8mb4_0900_bin) ASC
                """,
            bindings: "date 2024-11-25, date 2026-11-25, integer 5, date 2024-11-25, date 2026-11-25, text 'REVENUE', date 2026-11-25"),
        "anomaly-candidates/candidates/sqlite": Golden(
            sql: """
                SELECT
                    t1."project_id" AS "project_id",
                    t1."project_name" AS "project_name",
                    t1."status" AS "status",
                    t1."customer_id" AS "customer_id",
                    t2."industry" AS "industry",
                    t1."budget_amount" AS "budget_amount",
                    t1."actual_cost" AS "actual_cost",
                    ((t1."actual_cost" / 100.0) / (t1."budget_amount" / 100.0)) AS "cost_ratio",
                    t2."risk_score" AS "risk_score"
                FROM "projects" AS t1
                LEFT JOIN "customer_analytics" AS t2 ON t1."customer_id" = t2."customer_id"
                WHERE ((t1."status" IN (?1, ?2)) AND (t1."budget_amount" > (?3 * 100)))
                ORDER BY "cost_ratio" DESC, "project_id" ASC
                LIMIT ?4
                """,
            bindings: "text 'ACTIVE', text 'IN_PROGRESS', integer 0, integer 20"),
        "anomaly-candidates/candidates/mysql": Golden(
            sql: """
                SELECT
                    t1.`project_id` AS `project_id`,
                    t1.`project_name` AS `project_name`,
                    t1.`status` AS `status`,
                    t1.`customer_id` AS `customer_id`,
                    t2.`industry` AS `industry`,
                    t1.`budget_amount` AS `budget_amount`,
                    t1.`actual_cost` AS `actual_cost`,
                    (CAST(t1.`actual_cost` AS DOUBLE) / CAST(t1.`budget_amount` AS DOUBLE)) AS `cost_ratio`,
                    t2.`risk_score` AS `risk_score`
                FROM `projects` AS t1
                LEFT JOIN `customer_analytics` AS t2 ON t1.`customer_id` = t2.`customer_id` AND CAST(t1.`customer_id` AS BINARY) = CAST(t2.`customer_id` AS BINARY)
                WHERE ((t1.`status` IN (CAST(? AS BINARY), CAST(? AS BINARY))) AND (t1.`budget_amount` > ?))
                ORDER BY `cost_ratio` DESC, CAST(t1.`project_id` AS BINARY) ASC
                LIMIT ?
                """,
            bindings: "text 'ACTIVE', text 'IN_PROGRESS', integer 0, integer 20"),
        "anomaly-candidates/candidates/heatwave": Golden(
            sql: """
                SELECT /*+ SET_VAR(use_secondary_engine = FORCED) */
                    t1.`project_id` AS `project_id`,
                    t1.`project_name` AS `project_name`,
                    t1.`status` AS `status`,
                    t1.`customer_id` AS `customer_id`,
                    t2.`industry` AS `industry`,
                    t1.`budget_amount` AS `budget_amount`,
                    t1.`actual_cost` AS `actual_cost`,
                    (CAST(t1.`actual_cost` AS DOUBLE) / CAST(t1.`budget_amount` AS DOUBLE)) AS `cost_ratio`,
                    t2.`risk_score` AS `risk_score`
                FROM `projects` AS t1
                LEFT JOIN `customer_analytics` AS t2 ON t1.`customer_id` = t2.`customer_id` AND (t1.`customer_id` COLLATE utf8mb4_0900_bin) = (t2.`customer_id` COLLATE utf8mb4_0900_bin)
                WHERE ((t1.`status` IN ((? COLLATE utf8mb4_0900_bin), (? COLLATE utf8mb4_0900_bin))) AND (t1.`budget_amount` > ?))
                ORDER BY `cost_ratio` DESC, (t1.`project_id` COLLATE utf8mb4_0900_bin) ASC
                LIMIT ?
                """,
            bindings: "text 'ACTIVE', text 'IN_PROGRESS', integer 0, integer 20"),
    ]
}
