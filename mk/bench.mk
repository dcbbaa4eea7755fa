# Money core benchmark: history page latency at 1,000,000 ledger postings (also run by `make bench`).
.PHONY: bench-history

bench-history: install ## GET /api/v1/transactions p50/p95/p99 with 1M postings -> test-artifacts/bench-history.json
	@$(VENV_PY) infrastructure/bench/history_bench.py $(HISTORY_BENCH_ARGS)
