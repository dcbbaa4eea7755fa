# Proof under load, faults and attack (issue 9): the security suite, the bank test, schemathesis.
.PHONY: test-proof soak

TEST_SUITES += test-proof

test-proof: install ## security suite (OWASP API Top 10), schemathesis, short bank test with faults
	@echo "==> proof: security suite, schemathesis, bank test (short)"
	@$(PYTEST) -q -p no:cacheprovider infrastructure/proof/tests

soak: install ## the bank test for 10 minutes under faults; report in test-artifacts/soak-report.json
	@BANK_DURATION=$${BANK_DURATION:-600} $(PYTEST) -q -s -p no:cacheprovider infrastructure/proof/tests/test_bank.py

.PHONY: bench bench-tools bench-compare
# wrk (load generator) and nginx (the reverse proxy the gateway is compared with) are Debian packages.
bench-tools:
	@command -v wrk >/dev/null && { command -v nginx >/dev/null || test -x /usr/sbin/nginx; } || \
		{ echo "==> installing wrk and nginx (Debian packages)"; apt-get install -y -q wrk nginx-light >/dev/null || \
		  { apt-get update -q >/dev/null && apt-get install -y -q wrk nginx-light >/dev/null; }; }

bench: install bench-tools ## performance table (e2e transfers vs pgbench, gateway vs nginx vs direct, history, summary, relay) + test-artifacts/bench.json
	@$(VENV_PY) infrastructure/bench/bench_all.py $(BENCH_ARGS)

# A change is judged against its base in the same minutes (the VM drifts): A-B-B-A runs of make bench.
bench-compare: install bench-tools ## make bench on BASE=<rev> and on this checkout, A-B-B-A, with the change of every figure
	@test -n "$(BASE)" || { echo "usage: make bench-compare BASE=<git revision> [BENCH_ARGS=...]"; exit 2; }
	@$(VENV_PY) infrastructure/bench/compare_commits.py --base $(BASE) -- $(BENCH_ARGS)
