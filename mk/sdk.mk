# The Python SDK (sdk/python, package instapay_sdk): its client is generated from the gateway's
# merged OpenAPI by openapi-python-client (offline, deterministic); sdk/python/tests checks it is fresh.
.PHONY: sdk

sdk: install ## regenerate sdk/python/instapay_sdk/generated from the gateway's merged OpenAPI
	@$(VENV_PY) sdk/python/generate.py
