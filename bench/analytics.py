#!/usr/bin/env python3
"""Runs the four named analyses on DuckDB and on Decisioning's column engine over the same data,
in the same run, and prints per-analysis medians and the ratio ours/DuckDB.

Usage: bench/analytics.py DATABASE_FILE [--runs 7] [--as-of 2026-11-25] [--bin .build/release/decisioning]

Both sides hold the data in memory before timing starts: DuckDB in an in-memory database loaded
from the SQLite file (through CSV, since DuckDB's SQLite extension would need a download), ours in
the Warehouse's columnar copy. Results of both sides are compared before timings are trusted.
"""
import argparse, csv, json, os, sqlite3, statistics, subprocess, sys, tempfile, time

import duckdb

TABLES = {
    "projects": ["project_id", "project_name", "project_type", "start_date", "end_date", "budget_amount", "actual_cost", "status", "customer_id"],
    "customer_analytics": ["customer_id", "industry", "risk_score"],
    "financial_metrics": ["project_id", "metric_type", "metric_value", "metric_date"],
}
TYPES = {
    "project_id": "VARCHAR", "project_name": "VARCHAR", "project_type": "VARCHAR", "start_date": "DATE", "end_date": "DATE",
    "budget_amount": "BIGINT", "actual_cost": "BIGINT", "status": "VARCHAR", "customer_id": "VARCHAR", "industry": "VARCHAR",
    "risk_score": "BIGINT", "metric_type": "VARCHAR", "metric_value": "BIGINT", "metric_date": "DATE",
}
# Money and risk are stored in SQLite as integer units; DuckDB gets real DECIMALs, as MySQL would.
DECIMALS = {"budget_amount": "DECIMAL(15,2)", "actual_cost": "DECIMAL(15,2)", "metric_value": "DECIMAL(15,2)", "risk_score": "DECIMAL(3,2)"}

QUERIES = {
    "landscape": ["""
        WITH recent AS (
            SELECT project_id, customer_id, budget_amount, actual_cost FROM projects
            WHERE start_date >= DATE '{as_of}' - INTERVAL 24 MONTH AND start_date <= DATE '{as_of}'),
        figures AS (
            SELECT COUNT(*) AS total_projects, COUNT(DISTINCT r.customer_id) AS total_customers,
                   SUM(r.budget_amount) AS total_budget, SUM(r.actual_cost) AS total_costs,
                   AVG(CAST(c.risk_score AS DOUBLE)) AS avg_risk_score
            FROM recent r LEFT JOIN customer_analytics c ON c.customer_id = r.customer_id),
        types AS (
            SELECT COUNT(DISTINCT m.metric_type) AS metric_types
            FROM financial_metrics m JOIN recent r ON r.project_id = m.project_id)
        SELECT * FROM figures, types"""],
    "financial-trend": ["""
        WITH monthly AS (
            SELECT date_trunc('month', metric_date) AS month,
                   SUM(CASE WHEN metric_type = 'REVENUE' THEN metric_value ELSE 0 END) AS revenue,
                   SUM(CASE WHEN metric_type = 'COST' THEN metric_value ELSE 0 END) AS cost,
                   AVG(CAST(CASE WHEN metric_type = 'MARGIN' THEN metric_value END AS DOUBLE)) AS avg_margin
            FROM financial_metrics
            WHERE metric_date >= DATE '{as_of}' - INTERVAL 12 MONTH AND metric_date < DATE '{as_of}'
            GROUP BY 1),
        trend AS (
            SELECT month, revenue, cost, avg_margin,
                   (CAST(revenue AS DOUBLE) - LAG(revenue) OVER (ORDER BY month)) / LAG(revenue) OVER (ORDER BY month) * 100 AS revenue_growth_pct,
                   (CAST(cost AS DOUBLE) - LAG(cost) OVER (ORDER BY month)) / LAG(cost) OVER (ORDER BY month) * 100 AS cost_growth_pct
            FROM monthly)
        SELECT * FROM trend ORDER BY month""", """
        WITH monthly AS (
            SELECT date_trunc('month', metric_date) AS month,
                   SUM(CASE WHEN metric_type = 'REVENUE' THEN metric_value ELSE 0 END) AS revenue,
                   SUM(CASE WHEN metric_type = 'COST' THEN metric_value ELSE 0 END) AS cost,
                   AVG(CAST(CASE WHEN metric_type = 'MARGIN' THEN metric_value END AS DOUBLE)) AS avg_margin
            FROM financial_metrics
            WHERE metric_date >= DATE '{as_of}' - INTERVAL 12 MONTH AND metric_date < DATE '{as_of}'
            GROUP BY 1),
        trend AS (
            SELECT revenue, cost, avg_margin,
                   (CAST(revenue AS DOUBLE) - LAG(revenue) OVER (ORDER BY month)) / LAG(revenue) OVER (ORDER BY month) * 100 AS g_r,
                   (CAST(cost AS DOUBLE) - LAG(cost) OVER (ORDER BY month)) / LAG(cost) OVER (ORDER BY month) * 100 AS g_c
            FROM monthly)
        SELECT SUM(revenue), SUM(cost), AVG(avg_margin), AVG(g_r), AVG(g_c), COUNT(*) FROM trend"""],
    "industry-performance": ["""
        WITH recent AS (
            SELECT p.project_id, p.budget_amount, p.actual_cost, c.industry FROM projects p
            JOIN customer_analytics c ON c.customer_id = p.customer_id
            WHERE p.start_date >= DATE '{as_of}' - INTERVAL 24 MONTH AND p.start_date <= DATE '{as_of}'),
        stats AS (
            SELECT industry, COUNT(*) AS project_count, SUM(budget_amount) AS total_budget,
                   AVG(CAST(actual_cost AS DOUBLE) / NULLIF(CAST(budget_amount AS DOUBLE), 0)) AS cost_efficiency
            FROM recent GROUP BY industry HAVING COUNT(*) > 5),
        volatility AS (
            SELECT r.industry, STDDEV_POP(CAST(m.metric_value AS DOUBLE)) AS revenue_volatility
            FROM financial_metrics m JOIN recent r ON r.project_id = m.project_id
            WHERE m.metric_type = 'REVENUE' GROUP BY r.industry)
        SELECT s.industry, s.project_count, s.total_budget, s.cost_efficiency, v.revenue_volatility
        FROM stats s LEFT JOIN volatility v ON v.industry = s.industry
        ORDER BY s.total_budget DESC, s.industry"""],
    "anomaly-candidates": ["""
        SELECT p.project_id, p.project_name, p.status, p.customer_id, c.industry, p.budget_amount, p.actual_cost,
               CAST(p.actual_cost AS DOUBLE) / CAST(p.budget_amount AS DOUBLE) AS cost_ratio, c.risk_score
        FROM projects p LEFT JOIN customer_analytics c ON c.customer_id = p.customer_id
        WHERE p.status IN ('ACTIVE', 'IN_PROGRESS') AND p.budget_amount > 0
        ORDER BY cost_ratio DESC, p.project_id LIMIT 20"""],
}


def load_duckdb(path):
    con = duckdb.connect()
    src = sqlite3.connect(path)
    with tempfile.TemporaryDirectory() as tmp:
        for table, columns in TABLES.items():
            file = os.path.join(tmp, table + ".csv")
            with open(file, "w", newline="") as f:
                w = csv.writer(f)
                for row in src.execute(f"SELECT {', '.join(columns)} FROM {table}"):
                    w.writerow(["" if v is None else v for v in row])
            spec = ", ".join(f"'{c}': '{TYPES[c]}'" for c in columns)
            con.execute(f"CREATE TABLE raw_{table} AS SELECT * FROM read_csv('{file}', header=false, columns={{{spec}}}, nullstr='')")
            select = ", ".join(f"CAST(CAST({c} AS DECIMAL(18,2)) / 100 AS {DECIMALS[c]}) AS {c}" if c in DECIMALS else c for c in columns)
            con.execute(f"CREATE TABLE {table} AS SELECT {select} FROM raw_{table}")
            con.execute(f"DROP TABLE raw_{table}")
    return con


def median_ms(fn, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("database")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--as-of", default="2026-11-25")
    ap.add_argument("--bin", default=".build/release/decisioning")
    args = ap.parse_args()

    print(f"loading {args.database} into DuckDB {duckdb.__version__} (in memory) …", file=sys.stderr)
    con = load_duckdb(args.database)
    duck = {}
    results = {}
    for name, queries in QUERIES.items():
        sqls = [q.format(as_of=args.as_of) for q in queries]
        results[name] = [con.execute(s).fetchall() for s in sqls]  # warm-up and the answer
        duck[name] = median_ms(lambda: [con.execute(s).fetchall() for s in sqls], args.runs)

    print("running decisioning bench analytics …", file=sys.stderr)
    out = subprocess.run([args.bin, "bench", "analytics", "--database", "sqlite:" + args.database, "--runs", str(args.runs),
                          "--sql-runs", "1", "--as-of", args.as_of, "--format", "json"], check=True, capture_output=True, text=True)
    ours = {a["analysis"]: a for a in json.loads(out.stdout)["analyses"]}

    # The answers must agree before the timings mean anything.
    for name in QUERIES:
        q = subprocess.run([args.bin, "query", name, "--database", "sqlite:" + args.database, "--as-of", args.as_of, "--format", "json", "--on", "engine"],
                           check=True, capture_output=True, text=True)
        parts = json.loads(q.stdout)["parts"]
        for part, duck_rows in zip(parts, results[name]):
            if len(part["rows"]) != len(duck_rows):
                sys.exit(f"{name}/{part['part']}: {len(part['rows'])} rows from Decisioning, {len(duck_rows)} from DuckDB")
            first_ours = [r for r in part["rows"]]
            if name in ("landscape",):
                if int(first_ours[0]["total_projects"]) != int(duck_rows[0][0]):
                    sys.exit(f"{name}: total_projects {first_ours[0]['total_projects']} vs DuckDB {duck_rows[0][0]}")
            if name == "anomaly-candidates":
                if [r["project_id"] for r in first_ours] != [r[0] for r in duck_rows]:
                    sys.exit(f"{name}: the candidates differ from DuckDB's")
            if name == "industry-performance":
                if [r["industry"] for r in first_ours] != [r[0] for r in duck_rows]:
                    sys.exit(f"{name}: the industries differ from DuckDB's")

    print(f"{'analysis':<22} {'ours ms':>9} {'DuckDB ms':>10} {'ratio':>7} {'SQLite ms':>10}")
    worst = 0.0
    for name in QUERIES:
        o = ours[name]["engine_ms"]
        d = duck[name]
        ratio = o / d
        worst = max(worst, ratio)
        print(f"{name:<22} {o:9.1f} {d:10.1f} {ratio:7.2f} {ours[name]['sql_ms']:10.1f}")
    sys.stdout.flush()
    print(f"worst ratio ours/peer: {worst:.2f}")


if __name__ == "__main__":
    main()
