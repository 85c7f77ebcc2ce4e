#!/usr/bin/env bash
# MariaDB against our column engine, in one run, on a throwaway server (the seed's "traditional MySQL against
# HeatWave" table, measured here):
#   1. ingest rows/s of the generated CSV/JSONL into MariaDB, and into SQLite for the ratio (wall clock, as bench/ingest.sh);
#   2. load-into-column-engine rows/s from MariaDB, and the four named analyses as SQL on MariaDB against the
#      column engine over the same data (`decisioning bench analytics`, medians of RUNS runs each).
# Usage: bench/mysql.sh [SCALE] [SEED]      environment: BIN (default .build/release/decisioning), RUNS (7),
#        BUFFER_POOL (4G), CHECK (1: compare the answers of SQL on MariaDB and of the column engine first; 0 skips),
#        ANALYZE (1: ANALYZE TABLE the three analytic tables before timing; 0 leaves the statistics InnoDB keeps itself).
# Everything lives in one mktemp directory that is removed, server included, however the script ends.
# The database password stays in the environment (DECISIONING_DB_PASSWORD); it is never printed.
set -euo pipefail
scale=${1:-1}; seed=${2:-42}
as_of=2026-11-25
runs=${RUNS:-7}
pool=${BUFFER_POOL:-4G}
check=${CHECK:-1}
analyze=${ANALYZE:-1}
bin=${BIN:-.build/release/decisioning}
case "$bin" in /*) ;; *) bin=$PWD/$bin ;; esac
[ -x "$bin" ] || { echo "bench/mysql.sh: $bin not found: build it first (make release)" >&2; exit 1; }
server=$(cd "$(dirname "$0")/.." && pwd)/scripts/mariadb-server.sh

dir=$(mktemp -d)
cleanup() {
  bash "$server" remove "$dir/db" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

now() { date +%s.%N; }
secs() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", e - s }'; }
show() { echo "\$ $*"; }            # a command line as it is run (the password is never on one)
steps=()                           # "name<TAB>seconds", for the summary
step() { steps+=("$1"$'\t'"$2"); }
bench_start=$(now)

echo "== MariaDB against the column engine: scale $scale, seed $seed, as of $as_of, $runs runs per median"
echo "   binary $bin; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. The server and the database.
t0=$(now)
show "scripts/mariadb-server.sh start $dir/db --no-tls --buffer-pool $pool"
env_file=$(bash "$server" start "$dir/db" --no-tls --buffer-pool "$pool" 2>"$dir/server-start.log") ||
  { cat "$dir/server-start.log" >&2; exit 1; }
# shellcheck disable=SC1090
. "$env_file"
export DECISIONING_DB_PASSWORD=$DECISIONING_TEST_MYSQL_PASSWORD
root_sql() { mariadb --no-defaults --protocol=socket -S "$dir/db/mysqld.sock" -uroot --batch --skip-column-names "$@"; }
root_sql -e "CREATE DATABASE bench CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
url="mysql://decisioning@127.0.0.1:$DECISIONING_TEST_MYSQL_PORT/bench"
sqlite="sqlite:$dir/bench.sqlite"
echo "   server: $(root_sql -e 'SELECT VERSION()'), buffer pool $(root_sql -e 'SELECT @@innodb_buffer_pool_size DIV 1048576') MiB, TLS off; database $url (password from DECISIONING_DB_PASSWORD)"
step "start MariaDB, create bench" "$(secs "$t0" "$(now)")"

# 2. The company as files.
t0=$(now)
show "decisioning generate --scale $scale --seed $seed --as-of $as_of --csv $dir/csv"
"$bin" generate --scale "$scale" --seed "$seed" --as-of "$as_of" --csv "$dir/csv" >/dev/null
step "generate CSV/JSONL" "$(secs "$t0" "$(now)")"
for f in customer_analytics.csv projects.csv financial_metrics.csv business_events.jsonl; do
  printf '   %-24s %10d lines %6s\n' "$f" "$(wc -l <"$dir/csv/$f")" "$(du -h "$dir/csv/$f" | cut -f1)"
done

# 3. Ingest into both stores, table by table (parents first), timed from outside the process like bench/ingest.sh.
#    SQLite goes first, while the new server is idle; MariaDB's own background flushing is then waited for below.
#    financial_metrics is ingested a second time to time the idempotent re-run (every row skipped).
: >"$dir/ingest.tsv"
ingest() { # label database table file run
  local label=$1 database=$2 table=$3 file=$4 run=$5 start end
  show "decisioning ingest --database $database --table $table --format json $file"
  start=$(now)
  "$bin" ingest --database "$database" --table "$table" --format json "$file" >"$dir/ingest.json"
  end=$(now)
  python3 - "$dir/ingest.json" "$label" "$table" "$run" "$start" "$end" >>"$dir/ingest.tsv" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
label, table, run, start, end = sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), float(sys.argv[6])
rows = s["inserted"] + s["skipped"] + s["rejected"]
print("\t".join(map(str, [label, table, run, rows, s["inserted"], s["skipped"], s["rejected"], f"{end - start:.3f}", f"{s['seconds']:.3f}"])))
PY
  tail -n 1 "$dir/ingest.tsv" | awk -F'\t' '{ printf "   %s %s %s: %d rows (%d inserted, %d skipped) in %.2f s wall = %.0f rows/s (%.2f s inside ingest)\n", $1, $2, $3, $4, $5, $6, $8, $4 / $8, $9 }'
}
for store in SQLite MariaDB; do
  database=$sqlite; [ "$store" = SQLite ] || database=$url
  t0=$(now)
  show "decisioning init --database $database"
  "$bin" init --database "$database" >/dev/null
  for table in customer_analytics projects financial_metrics; do
    ingest "$store" "$database" "$table" "$dir/csv/$table.csv" first
  done
  ingest "$store" "$database" business_events "$dir/csv/business_events.jsonl" first
  ingest "$store" "$database" financial_metrics "$dir/csv/financial_metrics.csv" re-run
  step "init + ingest into $store" "$(secs "$t0" "$(now)")"
done

# 4. Let InnoDB write its dirty pages (the ingest leaves hundreds of MiB of them, which it would otherwise flush in
#    the background during the timings; about 70 s at scale 1, outside every measurement), then refresh the optimizer's
#    statistics, as a DBA would before measuring (at scale 1 neither ANALYZE=0 nor 1 changed MariaDB's timings).
t0=$(now)
show "SET GLOBAL innodb_max_dirty_pages_pct = 0; wait for Innodb_buffer_pool_pages_dirty = 0 (at most 300 s)"
dirty_pct=$(root_sql -e 'SELECT @@innodb_max_dirty_pages_pct')
root_sql -e 'SET GLOBAL innodb_max_dirty_pages_pct = 0'
dirty_start=$(root_sql -e "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'" | cut -f2)
deadline=$((SECONDS + 300))
while dirty=$(root_sql -e "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'" | cut -f2); [ "$dirty" -gt 0 ] && [ "$SECONDS" -lt "$deadline" ]; do
  sleep 1
done
root_sql -e "SET GLOBAL innodb_max_dirty_pages_pct = $dirty_pct"
step "flush InnoDB's dirty pages ($dirty_start -> $dirty)" "$(secs "$t0" "$(now)")"
if [ "$analyze" = 1 ]; then
  t0=$(now)
  show "ANALYZE TABLE bench.customer_analytics, bench.projects, bench.financial_metrics"
  root_sql -e 'ANALYZE TABLE bench.customer_analytics, bench.projects, bench.financial_metrics' >/dev/null
  step "ANALYZE TABLE" "$(secs "$t0" "$(now)")"
fi
echo "   dirty pages $dirty_start -> $dirty; tables on disk (data + indexes):"
root_sql -e "SELECT table_name, table_rows, ROUND((data_length + index_length) / 1048576) FROM information_schema.tables
  WHERE table_schema = 'bench' AND table_name IN ('customer_analytics', 'projects', 'financial_metrics', 'business_events') ORDER BY 1" |
  awk -F'\t' '{ printf "   %-20s ~%10d rows %7d MiB\n", $1, $2, $3 }'

# 5. The answers must agree before the timings mean anything: each analysis as SQL on MariaDB and on the column engine.
if [ "$check" = 1 ]; then
  t0=$(now)
  for name in landscape financial-trend industry-performance anomaly-candidates; do
    for on in sql engine; do
      show "decisioning query $name --database $url --as-of $as_of --format json --on $on"
      "$bin" query "$name" --database "$url" --as-of "$as_of" --format json --on "$on" >"$dir/answer-$name-$on.json"
    done
    python3 - "$dir/answer-$name-sql.json" "$dir/answer-$name-engine.json" "$name" <<'PY'
import json, math, sys
a, b, name = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
def same(x, y, path):
    if isinstance(x, dict) and isinstance(y, dict):
        if x.keys() != y.keys(): sys.exit(f"{path}: keys differ: {sorted(x)} vs {sorted(y)}")
        for k in x: same(x[k], y[k], f"{path}.{k}")
    elif isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y): sys.exit(f"{path}: {len(x)} rows from SQL on MariaDB, {len(y)} from the column engine")
        for i, (u, v) in enumerate(zip(x, y)): same(u, v, f"{path}[{i}]")
    elif isinstance(x, (int, float)) and isinstance(y, (int, float)) and not isinstance(x, bool):
        if not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9): sys.exit(f"{path}: {x} (SQL on MariaDB) vs {y} (column engine)")
    elif x != y:
        sys.exit(f"{path}: {x!r} (SQL on MariaDB) vs {y!r} (column engine)")
for p, q in [(a["parts"], b["parts"])]:
    if [x["part"] for x in p] != [y["part"] for y in q]: sys.exit(f"{name}: the parts differ")
    if [x["site"] for x in p] != ["SQL (mysql)"] * len(p) or [y["site"] for y in q] != ["column engine"] * len(q):
        sys.exit(f"{name}: ran on {[x['site'] for x in p]} and {[y['site'] for y in q]}, not SQL on MariaDB and the column engine")
    for x, y in zip(p, q): same(x["rows"], y["rows"], f"{name}/{x['part']}")
print(f"   {name}: SQL on MariaDB and the column engine agree ({sum(len(p['rows']) for p in a['parts'])} rows)")
PY
  done
  step "answers compared (4 x SQL + 4 x load and engine)" "$(secs "$t0" "$(now)")"
fi

# 6. The timings.
t0=$(now)
show "decisioning bench analytics --database $url --runs $runs --sql-runs $runs --as-of $as_of --format json"
"$bin" bench analytics --database "$url" --runs "$runs" --sql-runs "$runs" --as-of "$as_of" --format json >"$dir/analytics.json"
step "bench analytics (load + ${runs}x engine + ${runs}x SQL per analysis)" "$(secs "$t0" "$(now)")"
step "total" "$(secs "$bench_start" "$(now)")"

# 7. The table and the summary.
printf '%s\n' "${steps[@]}" >"$dir/steps.tsv"
python3 - "$dir" "$scale" "$runs" "$(root_sql -e 'SELECT VERSION()')" "$pool" "$analyze" <<'PY'
import json, sys
d, scale, runs, version, pool, analyze = sys.argv[1:7]
ingest = [l.rstrip("\n").split("\t") for l in open(f"{d}/ingest.tsv")]
an = json.load(open(f"{d}/analytics.json"))
steps = [l.rstrip("\n").split("\t") for l in open(f"{d}/steps.tsv")]

def rate(store, table, run="first"):
    for s, t, r, rows, ins, skip, rej, wall, inside in ingest:
        if s == store and t == table and r == run:
            return int(rows), float(wall), float(inside)

print()
print(f"== Ingest (decisioning ingest, wall clock incl. process start; scale {scale})")
print(f"{'table':<40} {'rows':>9} {'MariaDB rows/s':>15} {'SQLite rows/s':>14} {'MariaDB/SQLite':>15}")
for table, run in [("customer_analytics", "first"), ("projects", "first"), ("financial_metrics", "first"),
                   ("business_events", "first"), ("financial_metrics", "re-run")]:
    rows, mw, mi = rate("MariaDB", table, run)
    _, sw, si = rate("SQLite", table, run)
    label = table + (" (re-run, all skipped)" if run == "re-run" else "")
    print(f"{label:<40} {rows:>9} {rows / mw:>15,.0f} {rows / sw:>14,.0f} {(rows / mw) / (rows / sw):>14.2f}x")

load_rps = an["load_rows"] / an["load_seconds"]
print()
print(f"== The seed's \"traditional MySQL against HeatWave\", measured: MariaDB {version} (InnoDB, buffer pool {pool}, data in memory, "
      f"{'after ANALYZE TABLE' if analyze == '1' else 'no ANALYZE TABLE'})")
print(f"   against Decisioning's column engine (our local stand-in for RAPID) over the same data; medians of {runs} runs")
print()
print(f"| {'Metric':<36} | {'MariaDB (SQL)':>14} | {'column engine':>14} | {'speed-up':>9} |")
print(f"|{'-' * 38}|{'-' * 16}|{'-' * 16}|{'-' * 11}|")
worst, best = None, None
for a in an["analyses"]:
    sql, eng = a["sql_ms"], a["engine_ms"]
    ratio = sql / eng
    worst = ratio if worst is None else min(worst, ratio)
    best = ratio if best is None else max(best, ratio)
    print(f"| {a['analysis']:<36} | {sql:>11.1f} ms | {eng:>11.2f} ms | {ratio:>8.0f}x |")
rows, mw, _ = rate("MariaDB", "financial_metrics")
print(f"| {'ingest financial_metrics (rows/s)':<36} | {rows / mw:>14,.0f} | {'':>14} | {'':>9} |")
print(f"| {'load into the column engine (rows/s)':<36} | {'':>14} | {load_rps:>14,.0f} | {'':>9} |")
print()
print(f"   load: {an['load_rows']:,} rows ({an['load_cells']:,} values) streamed from MariaDB in {an['load_seconds']:.2f} s")
print()
print("== Steps (wall clock)")
for name, s in steps:
    print(f"   {name:<62} {float(s):8.1f} s")
print()
ms = lambda x: f"{x / 1000:.2f} s" if x >= 1000 else f"{x:.1f} ms"
sql_ms = [a["sql_ms"] for a in an["analyses"]]
eng_ms = [a["engine_ms"] for a in an["analyses"]]
print(f"Summary: scale {scale}: ingest into MariaDB {rows / mw:,.0f} rows/s (financial_metrics, {rows:,} rows; "
      f"SQLite {rows / rate('SQLite', 'financial_metrics')[1]:,.0f} rows/s); load into the column engine {load_rps:,.0f} rows/s; "
      f"the four analyses take {ms(min(sql_ms))}-{ms(max(sql_ms))} as SQL on MariaDB and "
      f"{min(eng_ms):.1f}-{max(eng_ms):.1f} ms on the column engine: {worst:.0f}x to {best:.0f}x faster.")
PY
