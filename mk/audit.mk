# Audit log (instapay_common.audit): verify every service's hash chain.
.PHONY: audit-verify

# The local stack's database unless DATABASE_URL is set (IDENTITY_DB_URL, mk/identity.mk).
audit-verify: install ## verify the audit logs' hash chains: make audit-verify [SERVICE=auth]
	@DATABASE_URL="$(IDENTITY_DB_URL)" $(VENV_PY) -m instapay_common.audit verify $(if $(SERVICE),--service $(SERVICE))
