# The shipped images and compose files, run under podman (issue 16). Docker is not needed: Debian's
# podman, buildah and runc are installed by `make container-tools`; registry base images are
# replaced by stand-ins built once (infrastructure/containers/). See docs/OPERATIONS.md.
TEST_SUITES += test-deploy test-kube-play

CONTAINERS_CONF := $(CURDIR)/infrastructure/containers/containers.conf
PODMAN_STACK = CONTAINERS_CONF=$(CONTAINERS_CONF) $(VENV_PY) infrastructure/containers/podman_stack.py
# catatonit: the pause process of `podman kube play` pods.
CONTAINER_PACKAGES := podman buildah runc debootstrap uidmap slirp4netns netavark aardvark-dns iptables catatonit
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ENV ?= prod

.PHONY: container-tools images compose-up compose-down compose-ca test-deploy test-kube-play

container-tools:
	@missing=""; for p in $(CONTAINER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "==> installing container tools (apt-get):$$missing"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

images: install container-tools ## build every prod image (podman; stand-in bases cached), tagged with the commit
	@$(PODMAN_STACK) images

# prod adds docker-compose.sandbox.yml (the provider simulator as payment provider) unless
# FUNDING_PROVIDER_URL is set; SANDBOX=1 or SANDBOX=0 decides instead.
SANDBOX_FLAG = $(if $(SANDBOX),$(if $(filter 0 no false,$(SANDBOX)),--no-sandbox,--sandbox))

compose-up: install container-tools ## run docker-compose.$(ENV).yml under podman (ENV=dev|staging|prod; INSTAPAY_HTTPS_PORT; SANDBOX=0|1)
	@$(PODMAN_STACK) up $(ENV) $(SANDBOX_FLAG)

compose-down: install ## remove the compose stack(s) (ENV=...; KEEP_DATA=1 keeps the volumes)
	@$(PODMAN_STACK) down $(if $(filter command line environment,$(origin ENV)),$(ENV)) $(if $(KEEP_DATA),--keep-data)

compose-ca: install ## print the root certificate of Caddy's internal CA of a running stack (ENV=staging|prod)
	@$(PODMAN_STACK) ca $(ENV)

test-deploy: install container-tools ## prod + sandbox (2 gateways, 2 transaction services: scenario, bank, quotas), staging and dev stacks under podman
	@echo "==> test-deploy (images, then the prod, staging and dev compose stacks under podman)"
	@$(PODMAN_STACK:podman_stack.py=deploy_check.py)

test-kube-play: install container-tools ## the Helm chart's Deployments (values-dev) started by podman kube play, probes asked
	@echo "==> test-kube-play (the chart's workloads under podman kube play)"
	@$(PODMAN_STACK:podman_stack.py=kube_play_check.py)
