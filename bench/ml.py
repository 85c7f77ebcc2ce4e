#!/usr/bin/env python3
"""The Learning benchmark's peers, on the same data as `decisioning bench ml` (same run, same machine).

Usage: bench/ml.py DATABASE_FILE OURS_JSON SERIES_CSV
  DATABASE_FILE  the SQLite file (money in cents); its planted truth is NAME.truth.json beside it
  OURS_JSON      the JSON `decisioning bench ml --format json` printed (our figures)
  SERIES_CSV     the monthly series our side forecast (series_id,t,value), 36 months each

Prints one table: per task, quality and time of ours and of each peer, and as its last line
`worst time ratio ours/peer: R`. Training times of the overrun model are medians of as many repeats as
ours reports (`overrun.repeats`); the rounds (trees kept and trees grown) and threads of each side are printed
so that the work compared is visible. Tasks missing from OURS_JSON (see `bench ml --parts`) are skipped.
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


def read_ours(path):
    """Our figures, or a clear exit when the file is not one JSON object (a failed or interleaved `bench ml`)."""
    try:
        text = open(path, encoding="utf-8").read()
    except OSError as e:
        sys.exit(f"bench/ml.py: cannot read our figures {path}: {e}; run `decisioning bench ml --format json > {path}` first")
    try:
        ours = json.loads(text)
    except json.JSONDecodeError as e:
        start = max(0, e.pos - 40)
        sys.exit(f"bench/ml.py: {path} is not one JSON object ({e.msg} at line {e.lineno} column {e.colno}, "
                 f"near {text[start:e.pos + 40]!r}); it holds {len(text)} characters. Re-run `decisioning bench ml --format json` "
                 f"alone into a fresh file; nothing else may write to its standard output.")
    if not isinstance(ours, dict) or "as_of" not in ours:
        sys.exit(f"bench/ml.py: {path} is JSON but not `decisioning bench ml --format json` output (no \"as_of\")")
    return ours


def median_time(fit, repeats):
    """The median wall seconds and median processor seconds (every thread) of `repeats` calls of fit(), and the
    last call's result."""
    times, cpu = [], []
    result = None
    for _ in range(max(1, repeats)):
        t, c = time.perf_counter(), time.process_time()
        result = fit()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return float(np.median(times)), float(np.median(cpu)), result


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    db, ours_path, series_path = sys.argv[1:4]
    ours = read_ours(ours_path)
    as_of = ours["as_of"]
    truth = json.load(open(os.path.splitext(db)[0] + ".truth.json"))
    planted = set(truth["anomalous_projects"])
    rows = load_projects(db, as_of)
    results = []
    notes = []
    from sklearn.ensemble import IsolationForest, HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score

    # 1. Isolation forest, fit and score.
    if "anomaly" in ours:
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
    if "overrun" in ours:
        o = ours["overrun"]
        repeats = int(o.get("repeats", 1))
        completed = [r for r in rows if r[2] == "COMPLETED" and r[5] and r[5] > 0 and r[4] and r[4] >= r[3] and r[7] is not None]
        Xo = np.array([overrun_features(r) for r in completed])
        yo = np.array([1 if r[6] > 1.1 * r[5] else 0 for r in completed])
        test_ids = set(o["test_ids"])
        test = np.array([r[0] in test_ids for r in completed])
        notes.append(f"overrun model: {int((~test).sum())} training rows, {int(test.sum())} held out, {Xo.shape[1]} features; "
                     f"training seconds are medians of {repeats} fits")
        notes.append(f"  ours: {o.get('rounds')} trees kept of {o.get('grown', '?')} grown (early stopping on {o.get('validation_rows', '?')} "
                     f"validation rows, 10 rounds patience), depth {o.get('max_depth', 4)} (<= 16 leaves), {o.get('max_bins', 64)} bins, "
                     f"{o.get('threads', '?')} threads; processor seconds {o.get('cpu_seconds', float('nan')):.3f}")
        import lightgbm as lgb
        seconds, cpu, model = median_time(lambda: lgb.LGBMClassifier(
            n_estimators=300, learning_rate=0.1, max_depth=4, num_leaves=15, min_child_samples=20, verbose=-1, random_state=0
        ).fit(Xo[~test], yo[~test]), repeats)
        auc = roc_auc_score(yo[test], model.predict_proba(Xo[test])[:, 1])
        notes.append(f"  LightGBM: {model.n_estimators_} trees (no early stopping), depth 4, 15 leaves, 255 bins, "
                     f"OpenMP threads: {os.environ.get('OMP_NUM_THREADS', f'all {os.cpu_count()} cores')}; processor seconds {cpu:.3f}")
        results.append(("overrun model", "held-out ROC AUC", o["auc"], o["seconds"], "LightGBM", auc, seconds))
        seconds, cpu, hgb = median_time(lambda: HistGradientBoostingClassifier(
            max_iter=300, learning_rate=0.1, max_depth=4, random_state=0).fit(Xo[~test], yo[~test]), repeats)
        auc = roc_auc_score(yo[test], hgb.predict_proba(Xo[test])[:, 1])
        stopping = "early stopping on 10% validation rows, 10 rounds patience" if hgb.do_early_stopping_ else "no early stopping"
        notes.append(f"  HistGradientBoosting: {hgb.n_iter_} trees ({stopping}), depth 4 (<= 16 leaves), 255 bins, "
                     f"OpenMP threads: {os.environ.get('OMP_NUM_THREADS', f'all {os.cpu_count()} cores')}; processor seconds {cpu:.3f}")
        results.append(("overrun model", "held-out ROC AUC", o["auc"], o["seconds"], "scikit-learn HistGradientBoosting", auc, seconds))

    # 3. Forecasting: additive Holt-Winters on the same series, last 6 months held out.
    if "forecast" in ours:
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

    for note in notes:
        print(note)
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
