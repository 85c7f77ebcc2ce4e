#!/usr/bin/env python3
"""The Learning benchmark's peers, on the same data as `decisioning bench ml` (same run, same machine).

Usage: bench/ml.py DATABASE_FILE OURS_JSON SERIES_CSV
  DATABASE_FILE  the SQLite file (money in cents); its planted truth is NAME.truth.json beside it
  OURS_JSON      the JSON `decisioning bench ml --format json` printed (our figures)
  SERIES_CSV     the monthly series our side forecast (series_id,t,value), 36 months each

Prints one table: per task, quality and time of ours and of each peer, and as its last line
`worst time ratio ours/peer: R`.
"""
import json, math, os, sqlite3, sys, time

import numpy as np


def load_projects(path, as_of):
    con = sqlite3.connect(path)
    rows = con.execute("""
        SELECT p.project_id, p.project_type, p.status, p.start_date, p.end_date, p.budget_amount, p.actual_cost,
               c.risk_score, c.average_payment_days, c.payment_terms
        FROM projects p LEFT JOIN customer_analytics c ON c.customer_id = p.customer_id
        ORDER BY p.project_id""").fetchall()
    return rows


TYPES = ["IMPLEMENTATION", "CONSULTING", "INTEGRATION", "MIGRATION", "MAINTENANCE", "RESEARCH"]


def overrun_features(r):
    _, ptype, _, _, _, budget, _, risk, days, terms = r
    late = (days / 10.0 - terms) if days is not None and terms is not None else math.nan
    return [risk / 100.0 if risk is not None else math.nan, late, math.log(max(1, budget) / 100.0)] + [1.0 if ptype == t else 0.0 for t in TYPES]


def month_index(d):
    y, m, _ = d.split("-")
    return int(y) * 12 + int(m) - 1


def anomaly_features(r, as_of):
    """The same features as `decisioning bench ml`: log(actual cost ÷ budget share of the months booked), log(budget)."""
    from datetime import date
    _, _, _, start, end, budget, actual, _, _, _ = r
    s = date.fromisoformat(start); e = date.fromisoformat(end)
    planned = max(1.0, round(((e - s).days + 1) / 30.4375))
    booked = month_index(as_of) - 1 - month_index(start) + 1
    share = min(1.0, booked / planned)
    return [math.log(actual / (budget * share)), math.log(budget / 100.0)]


def main():
    db, ours_path, series_path = sys.argv[1:4]
    ours = json.load(open(ours_path))
    as_of = ours["as_of"]
    truth = json.load(open(os.path.splitext(db)[0] + ".truth.json"))
    planted = set(truth["anomalous_projects"])
    overruns = set(truth["overrun"]["overrun_projects"])
    rows = load_projects(db, as_of)
    results = []

    # 1. Isolation forest, fit and score.
    from sklearn.ensemble import IsolationForest, HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    # Every project with a budget, a cost and a booked month, as ours.
    cand = [r for r in rows if r[5] and r[5] > 0 and r[6] and r[6] > 0 and r[4] and r[4] >= r[3]
            and month_index(as_of) - 1 - month_index(r[3]) + 1 > 0]
    X = np.array([anomaly_features(r, as_of) for r in cand])
    y = np.array([1 if r[0] in planted else 0 for r in cand])
    t = time.perf_counter()
    forest = IsolationForest(n_estimators=100, random_state=0).fit(X)
    scores = -forest.score_samples(X)
    seconds = time.perf_counter() - t
    results.append(("isolation forest", "ROC AUC", ours["anomaly"]["auc"], ours["anomaly"]["seconds"], "scikit-learn IsolationForest", roc_auc_score(y, scores), seconds))

    # 2. Overrun model: completed projects, the same features and held-out split as ours.
    completed = [r for r in rows if r[2] == "COMPLETED" and r[5] and r[5] > 0 and r[4] and r[4] >= r[3] and r[7] is not None]
    Xo = np.array([overrun_features(r) for r in completed])
    yo = np.array([1 if r[6] > 1.1 * r[5] else 0 for r in completed])
    test_ids = set(ours["overrun"]["test_ids"])
    test = np.array([r[0] in test_ids for r in completed])
    import lightgbm as lgb
    t = time.perf_counter()
    model = lgb.LGBMClassifier(n_estimators=300, learning_rate=0.1, max_depth=4, num_leaves=15, min_child_samples=20, verbose=-1, random_state=0)
    model.fit(Xo[~test], yo[~test])
    seconds = time.perf_counter() - t
    auc = roc_auc_score(yo[test], model.predict_proba(Xo[test])[:, 1])
    results.append(("overrun model", "held-out ROC AUC", ours["overrun"]["auc"], ours["overrun"]["seconds"], "LightGBM", auc, seconds))
    t = time.perf_counter()
    hgb = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.1, max_depth=4, random_state=0).fit(Xo[~test], yo[~test])
    seconds = time.perf_counter() - t
    auc = roc_auc_score(yo[test], hgb.predict_proba(Xo[test])[:, 1])
    results.append(("overrun model", "held-out ROC AUC", ours["overrun"]["auc"], ours["overrun"]["seconds"], "scikit-learn HistGradientBoosting", auc, seconds))

    # 3. Forecasting: additive Holt-Winters on the same series, last 6 months held out.
    import warnings
    from statsmodels.tsa.holtwinters import ExponentialSmoothing
    series = {}
    for line in open(series_path).read().splitlines()[1:]:
        sid, _, value = line.split(",")
        series.setdefault(sid, []).append(float(value))
    t = time.perf_counter()
    smapes = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for values in series.values():
            train, test_values = values[:-6], values[-6:]
            fit = ExponentialSmoothing(train, trend="add", seasonal="add", seasonal_periods=12).fit()
            forecast = fit.forecast(6)
            smapes.append(np.mean([abs(f - a) / ((abs(a) + abs(f)) / 2) if abs(a) + abs(f) > 0 else 0 for f, a in zip(forecast, test_values)]))
    seconds = time.perf_counter() - t
    results.append(("forecasting", "sMAPE (lower is better)", ours["forecast"]["smape"], ours["forecast"]["seconds"], "statsmodels ExponentialSmoothing", float(np.mean(smapes)), seconds))

    print(f"{'task':<18} {'metric':<24} {'ours':>8} {'ours s':>8}   {'peer':<34} {'peer q':>8} {'peer s':>8} {'time ratio':>10}")
    worst = 0.0
    for task, metric, oq, os_, peer, pq, ps in results:
        ratio = os_ / ps if ps > 0 else float("inf")
        worst = max(worst, ratio)
        print(f"{task:<18} {metric:<24} {oq:8.4f} {os_:8.3f}   {peer:<34} {pq:8.4f} {ps:8.3f} {ratio:10.2f}")
    sys.stdout.flush()
    print(f"worst time ratio ours/peer: {worst:.2f}")


if __name__ == "__main__":
    main()
