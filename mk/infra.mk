# Packaging and deployment checks (issue 7): validators on every deployment artefact, and the
# infrastructure tests (broken copies are caught, the chart renders what we expect, the prod
# Dockerfile commands run the stack). `make test` runs both.
TEST_SUITES += lint-infra test-infra

.PHONY: lint-infra test-infra k8s-manifests dockerfiles

lint-infra: install ## hadolint, compose spec + compose config, kubernetes-validate, helm lint, actionlint
	@echo "==> lint-infra (Dockerfiles, compose, Kubernetes manifests, Helm chart, CI workflow)"
	@$(VENV_PY) infrastructure/tests/infra_lint.py

test-infra: install
	@echo "==> infrastructure tests"
	@$(PYTEST) -q infrastructure/tests

k8s-manifests: install ## regenerate infrastructure/k8s from the Helm chart
	@$(VENV_PY) infrastructure/k8s/generate.py

dockerfiles: install ## regenerate the six service Dockerfiles and the outbox relay's from their template
	@$(VENV_PY) infrastructure/docker/render_dockerfiles.py
