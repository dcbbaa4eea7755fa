# Observability (infrastructure/observability): Prometheus against the local stack, and the suite
# that checks every config (promtool, dashboards vs @grafana/schema, yamllint) and runs the
# end-to-end metrics test (a real Prometheus scraping a real stack).
OBS := infrastructure/observability
OBS_SCHEMA_STAMP := $(OBS)/tests/schema/node_modules/.installed

.PHONY: observe prometheus test-observability observe-dashboards

TEST_SUITES += test-observability

# Debian's prometheus package (brings promtool). Installed only, never started as a system service:
# `make observe` and the tests run the binary with their own config, port and data directory.
prometheus:
	@command -v prometheus >/dev/null && command -v promtool >/dev/null || { \
		echo "==> installing Debian's prometheus package (prometheus, promtool)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			prometheus >/dev/null; }

$(OBS_SCHEMA_STAMP): $(OBS)/tests/schema/package.json $(OBS)/tests/schema/package-lock.json
	@echo "==> installing the dashboard schema checker (@grafana/schema, typescript)"
	@cd $(OBS)/tests/schema && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

observe: install prometheus ## Prometheus on the local stack (run `make up` first); prints the URL
	@$(VENV_PY) $(OBS)/local_prometheus.py

observe-dashboards: ## regenerate the Grafana dashboards JSON from generate_dashboards.py
	@$(VENV_PY) $(OBS)/grafana/generate_dashboards.py
	@echo "wrote $(OBS)/grafana/dashboards/*.json"

test-observability: install prometheus $(OBS_SCHEMA_STAMP) ## promtool, dashboards, log configs, metrics end to end
	@echo "==> observability (promtool check/test, dashboards, Loki/Promtail, Prometheus on the real stack)"
	@$(PYTEST) -q -p no:cacheprovider $(OBS)/tests
