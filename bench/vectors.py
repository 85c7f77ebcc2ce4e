"""Our vector search against hnswlib and FAISS on the same data, in the same run.

Data: N (default 1,000,000) seeded float32 vectors of 128 dimensions around 1,000 Gaussian centres, and QUERIES
(default 10,000) more from the same clusters, saved as .npy under OUT/vectors/. Ground truth: FAISS IndexFlatL2, k = 10.
Each engine runs in a process of its own (peak RSS: getrusage in the Python peers, /usr/bin/time -f %M for ours), on all cores and on one:
  - hnswlib and FAISS IndexHNSWFlat with M = 16, efConstruction = 200, ef swept until recall@10 >= 0.95;
  - ours: `decisioning vectors build` then `search --index` with the same parameters and sweep;
  - exact: FAISS IndexFlatL2 and `decisioning vectors search --exact`, timed on EXACT_QUERIES queries.
Queries/s are measured at the first ef of the sweep that reaches recall@10 >= 0.95 (on all cores), then on one thread
at that ef; fewer than 10,000 queries are timed repeated to 10,000 or more (recall counts the first copy). Prints a
markdown table with ratios and writes OUT/vectors.json.
VECTORS_EXTRA=base.npy adds a second dataset: its rows are normalised (so l2 ranks as cosine), min(1000, N/10) rows
drawn at random (seed 42) are the queries and the others, in their order, the base.
"""

import json
import os
import re
import subprocess
import sys
import time

import numpy as np

K = 10
M = 16
EF_CONSTRUCTION = 200
TARGET = 0.95
TIMED_QUERIES = 10000


def generate(path_base, path_queries, n, queries, dims=128, clusters=1000, seed=42):
    if os.path.exists(path_base) and os.path.exists(path_queries):
        return
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dims)).astype(np.float32)

    def draw(count):
        out = np.empty((count, dims), dtype=np.float32)
        for start in range(0, count, 100_000):
            end = min(count, start + 100_000)
            labels = rng.integers(0, clusters, end - start)
            out[start:end] = centres[labels] + rng.normal(scale=0.35, size=(end - start, dims)).astype(np.float32)
        return out

    np.save(path_base + ".tmp.npy", draw(n))
    np.save(path_queries + ".tmp.npy", draw(queries))
    os.replace(path_base + ".tmp.npy", path_base)
    os.replace(path_queries + ".tmp.npy", path_queries)


def recall(found, truth):
    hits = 0
    for row, expected in zip(found, truth):
        hits += len(set(int(x) for x in row[:K]) & set(int(x) for x in expected[:K]))
    return hits / (len(truth) * K)


def run_child(args):
    """Runs a command; returns its standard output (a peer reports its own peak RSS)."""
    proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"bench/vectors.py: {' '.join(args)} failed with {proc.returncode}")
    return proc.stdout


def timed_child(args):
    """Runs a command under /usr/bin/time -f %M (peak RSS in KiB on the last line of standard error)."""
    proc = subprocess.run(["/usr/bin/time", "-f", "%M"] + args, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"bench/vectors.py: {' '.join(args)} failed with {proc.returncode}")
    lines = proc.stderr.strip().splitlines()
    return proc.stdout, "\n".join(lines[:-1]), int(lines[-1]) / 1024


def peer(name, base_path, queries_path, truth_path, exact_queries, efs, threads_all):
    """One Python engine in this process: prints its figures as JSON."""
    import resource

    import faiss
    base = np.load(base_path, mmap_mode="r")
    queries = np.load(queries_path)
    truth = np.load(truth_path)
    result = {"engine": name}
    if name == "faiss-flat":
        index = faiss.IndexFlatL2(base.shape[1])
        index.add(np.ascontiguousarray(base))
        subset = queries[:exact_queries]
        for threads, key in ((threads_all, "qps_all"), (1, "qps_1")):
            faiss.omp_set_num_threads(threads)
            start = time.perf_counter()
            _, found = index.search(subset, K)
            result[key] = len(subset) / (time.perf_counter() - start)
        result["recall"] = recall(found, truth[:exact_queries])
        result["build_s"] = 0.0
    else:
        dims = base.shape[1]
        start = time.perf_counter()
        if name == "hnswlib":
            import hnswlib
            index = hnswlib.Index(space="l2", dim=dims)
            index.init_index(max_elements=base.shape[0], ef_construction=EF_CONSTRUCTION, M=M, random_seed=42)
            index.set_num_threads(threads_all)
            index.add_items(np.ascontiguousarray(base))
        else:
            faiss.omp_set_num_threads(threads_all)
            index = faiss.IndexHNSWFlat(dims, M)
            index.hnsw.efConstruction = EF_CONSTRUCTION
            index.add(np.ascontiguousarray(base))
        result["build_s"] = time.perf_counter() - start

        def search(ef, threads):
            if name == "hnswlib":
                index.set_ef(ef)
                start = time.perf_counter()
                found, _ = index.knn_query(queries, k=K, num_threads=threads)
            else:
                faiss.omp_set_num_threads(threads)
                index.hnsw.efSearch = ef
                start = time.perf_counter()
                _, found = index.search(queries, K)
            return found, len(queries) / (time.perf_counter() - start)

        result["sweep"] = []
        for ef in efs:
            found, qps = search(ef, threads_all)
            r = recall(found, truth)
            result["sweep"].append({"ef": ef, "recall": r, "qps_all": qps})
            if r >= TARGET:
                break
        chosen = result["sweep"][-1]
        result.update(ef=chosen["ef"], recall=chosen["recall"], qps_all=chosen["qps_all"])
        result["qps_1"] = search(chosen["ef"], 1)[1]
    result["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run_peer(name, base_path, queries_path, truth_path, exact_queries, efs, threads_all):
    out = run_child(
        [sys.executable, __file__, "peer", name, base_path, queries_path, truth_path, str(exact_queries),
         ",".join(map(str, efs)), str(threads_all)])
    return json.loads(out.strip().splitlines()[-1])


def figure(pattern, text):
    match = re.search(pattern, text)
    if not match:
        raise SystemExit(f"bench/vectors.py: no '{pattern}' in decisioning's standard error:\n{text}")
    return float(match.group(1))


def parse_csv(text):
    return [[int(x) for x in line.split(",")] for line in text.strip().splitlines()]


def ours(binary, base_path, queries_path, exact_path, truth, exact_queries, efs, threads_all, work):
    index_path = os.path.join(work, "ours.hnsw")
    _, err, build_rss = timed_child(
        [binary, "vectors", "build", "--base", base_path, "--index", index_path, "--m", str(M), "--ef-construction",
         str(EF_CONSTRUCTION), "--threads", str(threads_all)])
    hnsw = {"engine": "ours (HNSW)", "build_s": figure(r"build ([0-9.]+) s", err), "sweep": [], "rss_mib": build_rss}

    def search(ef, threads):
        out, err, rss = timed_child(
            [binary, "vectors", "search", "--index", index_path, "--queries", queries_path, "--k", str(K), "--ef", str(ef),
             "--threads", str(threads)])
        found = parse_csv(out)
        qps = figure(r"([0-9.]+) queries/s", err)  # from the unrounded time (the seconds are printed to 1 ms)
        return found, qps, rss

    for ef in efs:
        found, qps, rss = search(ef, threads_all)
        r = recall(found, truth)
        hnsw["sweep"].append({"ef": ef, "recall": r, "qps_all": qps})
        hnsw["rss_mib"] = max(hnsw["rss_mib"], rss)
        if r >= TARGET:
            break
    chosen = hnsw["sweep"][-1]
    hnsw.update(ef=chosen["ef"], recall=chosen["recall"], qps_all=chosen["qps_all"])
    hnsw["qps_1"] = search(chosen["ef"], 1)[1]
    hnsw["index_mib"] = os.path.getsize(index_path) / 2**20
    os.remove(index_path)

    exact = {"engine": "ours (exact)", "build_s": 0.0, "rss_mib": 0.0}
    for threads, key in ((threads_all, "qps_all"), (1, "qps_1")):
        out, err, rss = timed_child(
            [binary, "vectors", "search", "--base", base_path, "--queries", exact_path, "--k", str(K), "--exact",
             "--threads", str(threads)])
        found = parse_csv(out)
        exact[key] = figure(r"([0-9.]+) queries/s", err)
        exact["rss_mib"] = max(exact["rss_mib"], rss)
    exact["recall"] = recall(found, truth[:exact_queries])
    return hnsw, exact


def compare(label, binary, base_path, queries_path, work, exact_queries, efs, threads_all):
    import faiss
    base = np.load(base_path, mmap_mode="r")
    queries = np.load(queries_path)
    exact_queries = min(exact_queries, len(queries))
    exact_path = os.path.join(work, f"{label}-queries-exact.npy")
    np.save(exact_path, queries[:exact_queries])
    truth_path = os.path.join(work, f"{label}-truth.npy")
    start = time.perf_counter()
    faiss.omp_set_num_threads(threads_all)
    flat = faiss.IndexFlatL2(base.shape[1])
    flat.add(np.ascontiguousarray(base))
    _, truth = flat.search(queries, K)
    del flat
    np.save(truth_path, truth)
    # Fewer than TIMED_QUERIES queries are searched repeated, so that each timed search lasts long enough to time
    # (1,000 queries take about 15 ms on two cores); recall is counted on the first copy.
    timed_path = queries_path
    timed = len(queries)
    if timed < TIMED_QUERIES:
        copies = -(-TIMED_QUERIES // len(queries))
        timed = copies * len(queries)
        timed_path = os.path.join(work, f"{label}-queries-timed.npy")
        np.save(timed_path, np.ascontiguousarray(np.tile(queries, (copies, 1))))
    print(f"{label}: {base.shape[0]} x {base.shape[1]}, {len(queries)} queries (timed on {timed}); ground truth in "
          f"{time.perf_counter() - start:.1f} s", file=sys.stderr)
    results = []
    for name in ("hnswlib", "faiss-hnsw", "faiss-flat"):
        print(f"{label}: {name} …", file=sys.stderr)
        results.append(run_peer(name, base_path, timed_path, truth_path, exact_queries, efs, threads_all))
    print(f"{label}: ours …", file=sys.stderr)
    results.extend(ours(binary, base_path, timed_path, exact_path, truth, exact_queries, efs, threads_all, work))
    by = {r["engine"]: r for r in results}
    ratios = {
        "build_ours_over_hnswlib": by["ours (HNSW)"]["build_s"] / by["hnswlib"]["build_s"],
        "qps_1_ours_over_hnswlib": by["ours (HNSW)"]["qps_1"] / by["hnswlib"]["qps_1"],
        "qps_all_ours_over_hnswlib": by["ours (HNSW)"]["qps_all"] / by["hnswlib"]["qps_all"],
        "rss_ours_over_hnswlib": by["ours (HNSW)"]["rss_mib"] / by["hnswlib"]["rss_mib"],
        "exact_qps_1_ours_over_faiss_flat": by["ours (exact)"]["qps_1"] / by["faiss-flat"]["qps_1"],
        "exact_qps_all_ours_over_faiss_flat": by["ours (exact)"]["qps_all"] / by["faiss-flat"]["qps_all"],
    }
    return {"dataset": label, "rows": int(base.shape[0]), "dimensions": int(base.shape[1]), "queries": int(len(queries)),
            "timed_queries": int(timed),
            "exact_queries": exact_queries, "threads_all": threads_all, "results": results, "ratios": ratios}


def table(report):
    lines = [f"### {report['dataset']}: {report['rows']:,} x {report['dimensions']}, {report['queries']:,} queries "
             f"(timed on {report['timed_queries']:,}), k = {K} "
             f"(exact engines timed on {report['exact_queries']:,} queries); {report['threads_all']} threads = all",
             "",
             "| engine | ef | build s | queries/s, 1 thread | queries/s, all threads | recall@10 | peak RSS MiB |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in report["results"]:
        ef = r.get("ef", "-")
        lines.append(f"| {r['engine']} | {ef} | {r['build_s']:.1f} | {r['qps_1']:,.0f} | {r['qps_all']:,.0f} | "
                     f"{r['recall']:.3f} | {r['rss_mib']:,.0f} |")
    x = report["ratios"]
    lines += ["",
              f"ours/hnswlib: build time {x['build_ours_over_hnswlib']:.2f}x, queries/s 1 thread "
              f"{x['qps_1_ours_over_hnswlib']:.2f}x, all threads {x['qps_all_ours_over_hnswlib']:.2f}x, peak RSS "
              f"{x['rss_ours_over_hnswlib']:.2f}x; ours exact/FAISS flat queries/s: 1 thread "
              f"{x['exact_qps_1_ours_over_faiss_flat']:.2f}x, all threads {x['exact_qps_all_ours_over_faiss_flat']:.2f}x"]
    return "\n".join(lines)


def main():
    if sys.argv[1] == "peer":
        name, base_path, queries_path, truth_path, exact_queries, efs, threads_all = sys.argv[2:9]
        peer(name, base_path, queries_path, truth_path, int(exact_queries), [int(e) for e in efs.split(",")],
             int(threads_all))
        return
    binary, out = sys.argv[1], sys.argv[2]
    n = int(os.environ.get("N", "1000000"))
    queries = int(os.environ.get("QUERIES", "10000"))
    exact_queries = int(os.environ.get("EXACT_QUERIES", "1000"))
    efs = [int(e) for e in os.environ.get("EFS", "10,16,24,32,48,64,96,128,192,256,384,512").split(",")]
    threads_all = os.cpu_count() or 1
    work = os.path.join(out, "vectors")
    os.makedirs(work, exist_ok=True)
    base_path = os.path.join(work, f"base-{n}.npy")
    queries_path = os.path.join(work, f"queries-{queries}.npy")
    start = time.perf_counter()
    generate(base_path, queries_path, n, queries)
    print(f"data in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    reports = [compare("clustered", binary, base_path, queries_path, work, exact_queries, efs, threads_all)]
    extra = os.environ.get("VECTORS_EXTRA")
    if extra:
        data = np.load(extra).astype(np.float32)
        data /= np.maximum(np.linalg.norm(data, axis=1, keepdims=True), 1e-30)
        held = min(1000, len(data) // 10)
        is_query = np.zeros(len(data), dtype=bool)
        is_query[np.random.default_rng(42).choice(len(data), size=held, replace=False)] = True
        extra_base = os.path.join(work, "extra-base.npy")
        extra_queries = os.path.join(work, "extra-queries.npy")
        np.save(extra_base, np.ascontiguousarray(data[~is_query]))
        np.save(extra_queries, np.ascontiguousarray(data[is_query]))
        del data
        reports.append(compare("extra", binary, extra_base, extra_queries, work, exact_queries, efs, threads_all))
    for report in reports:
        print(table(report))
        print()
    with open(os.path.join(out, "vectors.json.tmp"), "w") as f:
        json.dump({"k": K, "m": M, "ef_construction": EF_CONSTRUCTION, "recall_target": TARGET, "reports": reports}, f,
                  indent=2)
    os.replace(os.path.join(out, "vectors.json.tmp"), os.path.join(out, "vectors.json"))


if __name__ == "__main__":
    main()
