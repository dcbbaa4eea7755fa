# Gateway security (issue 3, gateway half): benchmarks of the guard. Tests run in `make test-python`.
.PHONY: bench-gateway bench-gateway-guard

bench-gateway: install ## gateway vs direct on an authenticated GET (wrk; token cache on/off, Redis counters)
	@command -v wrk >/dev/null || { echo "error: wrk is needed (apt-get install -y wrk)"; exit 1; }
	@$(VENV_PY) services/api-gateway/bench/bench_gateway.py $(BENCH_GATEWAY_ARGS)

bench-gateway-guard: install ## CPU per request of the gateway's guard layers, in-process
	@$(VENV_PY) services/api-gateway/bench/micro_guard.py
