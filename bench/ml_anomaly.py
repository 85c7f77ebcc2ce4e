#!/usr/bin/env python3
"""scikit-learn's IsolationForest on the planted project anomalies, for comparison with ours.

Usage: bench/ml_anomaly.py DATABASE_FILE [--as-of YYYY-MM-DD] [--runs 3]

Reads ACTIVE / IN_PROGRESS projects with budget > 0, cost > 0 and an end date from the SQLite file,
builds the features the Swift tests use (Tests/DecisioningLearningTests/AnomalyFixture.swift):
  log_cost_ratio  log(actual_cost / (budget * share)), share = min(1, months booked / months planned),
                  months booked up to the month before as-of, months planned = round((days + 1) / 30.4375)
  log_budget      log(budget in currency units)
  elapsed_share   share
then times IsolationForest(n_estimators=100, random_state=0) fit + score_samples on all of them
(median of --runs, features built before timing starts) and reports its ROC-AUC against
`anomalous_projects` in NAME.truth.json beside the database. The as-of date defaults to the truth file's.

Prints: sklearn_iforest auc=… seconds=… rows=… anomalies=…
"""
import argparse, importlib, json, math, os, sqlite3, statistics, subprocess, sys, time
from datetime import date


def ensure_sklearn():
    try:
        return importlib.import_module("sklearn")
    except ImportError:
        print("installing scikit-learn ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "scikit-learn"], check=True)
        importlib.invalidate_caches()
        return importlib.import_module("sklearn")


def month_index(d):
    return d.year * 12 + d.month - 1


def features(database, as_of):
    last_booked = month_index(as_of) - 1
    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    rows = con.execute("""
        SELECT project_id, start_date, end_date, budget_amount, actual_cost FROM projects
        WHERE status IN ('ACTIVE', 'IN_PROGRESS') AND budget_amount > 0 AND actual_cost > 0 AND end_date IS NOT NULL
        ORDER BY project_id""").fetchall()
    con.close()
    ids, x = [], []
    for project_id, start, end, budget, cost in rows:  # money as integer cents
        start, end = date.fromisoformat(start), date.fromisoformat(end)
        if end < start:
            continue
        planned = max(1.0, float(round(((end - start).days + 1) / 30.4375)))
        booked = float(last_booked - month_index(start) + 1)
        if booked <= 0:
            continue
        share = min(1.0, booked / planned)
        expected = budget * share
        ids.append(project_id)
        x.append([math.log(cost / expected), math.log(budget / 100), share])
    return ids, x


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("database")
    ap.add_argument("--as-of", help="default: the truth file's as_of")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    truth_path = os.path.splitext(args.database)[0] + ".truth.json"
    with open(truth_path) as f:
        truth = json.load(f)
    as_of = date.fromisoformat(args.as_of or truth["as_of"])
    planted = set(truth["anomalous_projects"])

    ensure_sklearn()
    import numpy as np
    from sklearn.ensemble import IsolationForest
    from sklearn.metrics import roc_auc_score

    ids, x = features(args.database, as_of)
    x = np.asarray(x, dtype=np.float64)
    labels = np.asarray([i in planted for i in ids])
    if len(ids) == 0 or labels.all() or not labels.any():
        sys.exit(f"need both planted anomalies and normal projects; found {len(ids)} rows, {int(labels.sum())} anomalies")

    times, scores = [], None
    for _ in range(max(1, args.runs)):
        t0 = time.perf_counter()
        model = IsolationForest(n_estimators=100, random_state=0).fit(x)
        scores = -model.score_samples(x)  # higher = more anomalous, as ours
        times.append(time.perf_counter() - t0)
    auc = roc_auc_score(labels, scores)
    print(f"sklearn_iforest auc={auc:.4f} seconds={statistics.median(times):.4f} rows={len(ids)} anomalies={int(labels.sum())}")


if __name__ == "__main__":
    main()
