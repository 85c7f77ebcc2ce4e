#!/usr/bin/env python3
"""Forecasting benchmark: statsmodels Holt-Winters on 1,000 synthetic monthly series.

Series (deterministic, numpy seed 20261125): 36 months each,
    y[t] = level * (1 + growth * t / 12) + amplitude * level * sin(2*pi*(t + phase) / 12) + noise,
    level ~ U(500, 5000), growth ~ U(-0.05, 0.25), amplitude ~ U(0, 0.3), phase ~ U{0..11},
    noise ~ N(0, (noise_cv * level)^2), noise_cv ~ U(0.02, 0.10).

CSV format (written to --csv, default bench/forecast_series.csv; read the same way by the Swift side,
`FORECAST_BENCH_CSV=… swift test --filter ForecastBenchmark`):
    header `series_id,month,value`; one row per observation; series_id 0..999, month 0..35 in order;
    value with 6 decimals, '.' as the decimal point, no quoting.

Each series: fit ExponentialSmoothing(trend='add', seasonal='add', seasonal_periods=12) on months 0..29,
forecast 6, sMAPE (mean of |f - a| / ((|a| + |f|) / 2), in [0, 2], as Metrics.sMAPE) against months 30..35.
Prints `statsmodels smape=… seconds=…` (seconds: wall time of the fit + forecast loop only, single process)
and `seasonal-naive smape=…` for reference.
"""
import argparse
import csv
import os
import subprocess
import sys
import time


def ensure(package, module=None):
    try:
        __import__(module or package)
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", package])


ensure("numpy")
ensure("statsmodels")

import warnings  # noqa: E402

import numpy as np  # noqa: E402
from statsmodels.tsa.holtwinters import ExponentialSmoothing  # noqa: E402

SERIES, MONTHS, TRAIN, HORIZON = 1000, 36, 30, 6


def generate(seed=20261125):
    rng = np.random.default_rng(seed)
    out = []
    t = np.arange(MONTHS)
    for _ in range(SERIES):
        level = rng.uniform(500, 5000)
        growth = rng.uniform(-0.05, 0.25)
        amplitude = rng.uniform(0, 0.3)
        phase = rng.integers(0, 12)
        cv = rng.uniform(0.02, 0.10)
        y = level * (1 + growth * t / 12) + amplitude * level * np.sin(2 * np.pi * (t + phase) / 12)
        y = y + rng.normal(0, cv * level, MONTHS)
        out.append(np.round(y, 6))
    return out


def write_csv(path, series):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["series_id", "month", "value"])
        for i, y in enumerate(series):
            for m, v in enumerate(y):
                w.writerow([i, m, f"{v:.6f}"])


def read_csv(path):
    series = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            series.setdefault(int(row["series_id"]), []).append(float(row["value"]))
    return [np.array(series[k]) for k in sorted(series)]


def smape(actual, forecast):
    d = (np.abs(actual) + np.abs(forecast)) / 2
    terms = np.where(d > 0, np.abs(forecast - actual) / np.where(d > 0, d, 1), 0)
    return float(terms.mean())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "forecast_series.csv"))
    parser.add_argument("--read", action="store_true", help="read the series from --csv instead of generating them")
    args = parser.parse_args()
    if args.read:
        series = read_csv(args.csv)
    else:
        series = generate()
        write_csv(args.csv, series)
        series = read_csv(args.csv)  # fit exactly what the CSV holds (6 decimals)
    scores, naive = [], []
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for y in series:
            train, test = y[:TRAIN], y[TRAIN:TRAIN + HORIZON]
            fit = ExponentialSmoothing(train, trend="add", seasonal="add", seasonal_periods=12).fit()
            scores.append(smape(test, fit.forecast(HORIZON)))
    seconds = time.perf_counter() - start
    for y in series:
        train, test = y[:TRAIN], y[TRAIN:TRAIN + HORIZON]
        naive.append(smape(test, train[TRAIN - 12:TRAIN - 12 + HORIZON]))
    print(f"statsmodels smape={np.mean(scores):.4f} seconds={seconds:.2f} series={len(series)}")
    print(f"seasonal-naive smape={np.mean(naive):.4f}")


if __name__ == "__main__":
    main()
