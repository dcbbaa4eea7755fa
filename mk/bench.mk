# Money core benchmark: history page latency at 1,000,000 ledger postings (also run by `make bench`).
.PHONY: bench-history

bench-history: install ## GET /api/v1/transactions p50/p95/p99 with 1M postings -> test-artifacts/bench-history.json
	@$(VENV_PY) infrastructure/bench/history_bench.py $(HISTORY_BENCH_ARGS)

# Where the CPU goes under load: py-spy on every process of a private stack while wrk drives a scenario.
.PHONY: profile
PROFILE_ARGS ?= --scenario transfer
profile: install bench-tools ## CPU per request by process + hottest frames (py-spy) -> test-artifacts/profile/
	@$(VENV_PY) infrastructure/bench/profile_stack.py $(PROFILE_ARGS)
