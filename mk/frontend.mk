# The web app (frontend/): install, typed API client, build (incremental), dev server, tests.
NPM ?= npm
FRONTEND := frontend
FRONTEND_STAMP := $(FRONTEND)/node_modules/.installed
FRONTEND_SOURCES := $(shell find $(FRONTEND)/src $(FRONTEND)/public -type f 2>/dev/null) \
	$(FRONTEND)/index.html $(FRONTEND)/vite.config.ts $(FRONTEND)/tsconfig.json $(FRONTEND)/package-lock.json
CHROMIUM ?= /usr/bin/chromium

.PHONY: frontend-install frontend-api frontend-build dev-frontend test-frontend test-frontend-e2e chromium

UP_PREREQS += frontend-build
TEST_SUITES += test-frontend test-frontend-e2e
# `up` lists $(UP_PREREQS) before this file is read, so add the prerequisite directly as well.
up: frontend-build

$(FRONTEND_STAMP): $(FRONTEND)/package-lock.json $(FRONTEND)/package.json
	@command -v $(NPM) >/dev/null || { echo "error: Node.js 20+ and npm are needed for the web app."; exit 1; }
	@echo "==> installing web app dependencies (npm ci)"
	@cd $(FRONTEND) && $(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend-install: $(FRONTEND_STAMP) ## install the web app's npm dependencies

# Regenerates the typed API client from the gateway's merged OpenAPI (offline: no server needed).
frontend-api: install $(FRONTEND_STAMP) ## regenerate frontend/src/api/schema.d.ts from the OpenAPI
	@$(VENV_PY) -c "import json; from api_gateway.api_reference import merged_spec; print(json.dumps(merged_spec(), indent=1, sort_keys=True))" > $(FRONTEND)/openapi.json
	@cd $(FRONTEND) && npx --no-install openapi-typescript openapi.json --default-non-nullable false -o src/api/schema.d.ts
	@echo "wrote frontend/openapi.json and frontend/src/api/schema.d.ts"

# Incremental: rebuilt only when a source is newer than the built index.html.
$(FRONTEND)/dist/index.html: $(FRONTEND_SOURCES) $(FRONTEND_STAMP)
	@echo "==> building the web app"
	@cd $(FRONTEND) && $(NPM) run --silent build
	@touch $@

frontend-build: $(FRONTEND)/dist/index.html ## build the web app into frontend/dist (served by the gateway at /)

dev-frontend: $(FRONTEND_STAMP) ## Vite dev server with hot reload, proxying /api to the gateway on :8000 (run `make up` too)
	@cd $(FRONTEND) && $(NPM) run dev

test-frontend: $(FRONTEND_STAMP) ## web app unit/component tests (Vitest + Testing Library)
	@echo "==> web app unit tests (vitest)"
	@cd $(FRONTEND) && npx --no-install vitest run

chromium:
	@test -x $(CHROMIUM) || { echo "==> installing Debian chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test-frontend-e2e: install chromium frontend-build ## browser tests (Playwright + /usr/bin/chromium) against the real stack
	@echo "==> web app end-to-end tests (playwright, real stack)"
	@$(PYTEST) -q -p no:cacheprovider $(FRONTEND)/e2e
