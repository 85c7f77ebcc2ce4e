"""`make bench-embed`: sentences per second of `decisioning embed` against all-MiniLM-L6-v2 in Python, same run.

Usage: python3 bench/embed.py BIN MODEL_DIR [COUNT] [BATCH]

Generates COUNT (2,000) business sentences from a fixed seed, embeds them at batch BATCH (64) with
`BIN embed --timing --format json` reading standard input (the time excludes the model load; tokenization is
included), then in this process with sentence-transformers on CPU when it is installed (PyTorch), and with the
NumPy reference (bench/minilm_numpy.py: tokenizers + NumPy/OpenBLAS). Prints both rates, their ratio and the
largest absolute difference between our vectors and each Python implementation's.
"""

import json
import os
import random
import re
import resource
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import minilm_numpy  # noqa: E402

SUBJECTS = [
    "Quarterly revenue", "The Northeast region", "Gross margin on project {n}", "Our largest supplier", "Customer churn",
    "The marketing budget", "Operating cash flow", "Headcount in customer support", "The new pricing tier",
    "Invoice processing time", "The warehouse in Leeds", "Average deal size", "Days sales outstanding",
    "The cost of goods sold", "Utilisation of the consulting team", "Net promoter score",
]
VERBS = ["fell", "rose", "stayed flat", "was revised", "came in below plan", "beat the forecast", "slipped", "improved"]
TAILS = [
    "by {p}% after two large contracts slipped to next year", "because of late supplier deliveries",
    "as discounts were cut across enterprise accounts", "while overtime costs climbed in week {w}",
    "after the finance team reconciled the ledger", "despite stronger demand from retail customers",
    "and the board asked for a recovery plan by Friday", "for the third month in a row",
    "compared with the same quarter last year, mostly in the {r} region",
    "once the {r} office moved its billing to the new system, which took longer than the project plan allowed",
]
REGIONS = ["north", "south", "east", "west", "central"]


def sentences(count, seed=42):
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(TAILS)}."
        out.append(text.format(n=rng.randint(1000, 9999), p=rng.randint(2, 40), w=rng.randint(1, 52), r=rng.choice(REGIONS)))
    return out


def child_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ours(binary, model_dir, texts, batch):
    cpu = child_cpu_seconds()
    process = subprocess.run(
        [binary, "embed", "--timing", "--format", "json", "--batch-size", str(batch), "--model-dir", model_dir],
        input="\n".join(texts) + "\n", capture_output=True, text=True, check=False)
    if process.returncode != 0:
        sys.exit(f"bench/embed.py: {binary} embed failed: {process.stderr.strip()}")
    timing = process.stderr.strip().splitlines()[-1]
    seconds = float(re.search(r"embedding ([0-9.]+) s", timing).group(1))
    load = float(re.search(r"model load ([0-9.]+) s", timing).group(1))
    cpu = child_cpu_seconds() - cpu
    document = json.loads(process.stdout)
    return np.array(document["vectors"], dtype=np.float32), seconds, load, cpu


def sentence_transformers_run(model_dir, texts, batch):
    try:
        import torch  # noqa: PLC0415
        from sentence_transformers import SentenceTransformer, models  # noqa: PLC0415
    except ImportError:
        return None
    model = SentenceTransformer(
        modules=[models.Transformer(model_dir, max_seq_length=256), models.Pooling(384, "mean"), models.Normalize()],
        device="cpu")
    model.encode(texts[:batch], batch_size=batch)  # warm-up
    start, cpu = time.perf_counter(), time.process_time()
    vectors = model.encode(texts, batch_size=batch, convert_to_numpy=True)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    import sentence_transformers  # noqa: PLC0415

    label = f"sentence-transformers {sentence_transformers.__version__}, torch {torch.__version__}, {torch.get_num_threads()} threads"
    return vectors.astype(np.float32), seconds, label, cpu


def numpy_run(model_dir, texts, batch):
    model = minilm_numpy.MiniLM(model_dir)
    model.encode(texts[:batch], batch_size=batch)  # warm-up
    start, cpu = time.perf_counter(), time.process_time()
    vectors = model.encode(texts, batch_size=batch)
    return vectors, time.perf_counter() - start, time.process_time() - cpu


def main():
    binary, model_dir = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    batch = int(sys.argv[4]) if len(sys.argv) > 4 else 64
    texts = sentences(count)
    cores = os.cpu_count()
    load_average = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"bench-embed: {count} generated business sentences, batch {batch}, {cores} cores (load average {load_average}),"
          " all-MiniLM-L6-v2")
    print("  (CPU s: user + system seconds of all threads, which a busy machine does not inflate as it does wall time)")
    mine, seconds, load, cpu = ours(binary, model_dir, texts, batch)
    rate = count / seconds
    print(f"  decisioning embed            {rate:9.1f} sentences/s  ({seconds:.2f} s; model load {load:.2f} s, not counted;"
          f" CPU {cpu:.1f} s with the load)")
    reference = sentence_transformers_run(model_dir, texts, batch)
    if reference is not None:
        vectors, st_seconds, label, st_cpu = reference
        st_rate = count / st_seconds
        print(f"  sentence-transformers (CPU)  {st_rate:9.1f} sentences/s  ({st_seconds:.2f} s; CPU {st_cpu:.1f} s; {label})")
        print(f"  ratio ours / sentence-transformers: {rate / st_rate:.2f}x in sentences/s, {st_cpu / cpu:.2f}x in CPU seconds")
        print(f"  max |ours - sentence-transformers| = {np.abs(mine - vectors).max():.2e}")
    else:
        print("  sentence-transformers: not installed (TORCH=1 make bench-embed installs it with PyTorch, several GB)")
    np_vectors, np_seconds, np_cpu = numpy_run(model_dir, texts, batch)
    np_rate = count / np_seconds
    print(f"  NumPy reference (OpenBLAS)   {np_rate:9.1f} sentences/s  ({np_seconds:.2f} s; CPU {np_cpu:.1f} s; bench/minilm_numpy.py)")
    print(f"  ratio ours / NumPy reference: {rate / np_rate:.2f}x in sentences/s, {np_cpu / cpu:.2f}x in CPU seconds")
    print(f"  max |ours - NumPy reference| = {np.abs(mine - np_vectors).max():.2e}")


if __name__ == "__main__":
    main()
