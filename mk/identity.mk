# Identity and access (auth + user services).
.PHONY: admin test-identity

# Local stack's embedded PostgreSQL unless DATABASE_URL is set (same rule as `make up`).
IDENTITY_DB_URL = $${DATABASE_URL:-$$($(VENV_PY) -c "from instapay_stack.postgres import open_postgres, ensure_database; from instapay_stack.paths import DATA_DIR; print(ensure_database(open_postgres(DATA_DIR / 'pg'), 'instapay'))")}

admin: install ## grant the admin role: make admin EMAIL=ops@example.com [ROLE_ACTION=revoke]
	@test -n "$(EMAIL)" || { echo "usage: make admin EMAIL=user@example.com"; exit 2; }
	@DATABASE_URL="$(IDENTITY_DB_URL)" $(VENV_PY) -m auth_service.admin $(or $(ROLE_ACTION),grant) --email "$(EMAIL)"

test-identity: install ## auth + user service tests, including the identity end-to-end acceptance tests
	@$(PYTEST) -q services/auth-service/tests services/user-service/tests
