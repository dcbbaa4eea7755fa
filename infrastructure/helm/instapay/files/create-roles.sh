#!/bin/sh
# One database role per process (instapay_common.db.roles; docs/ARCHITECTURE.md, "Database roles"):
# <db>_migrator owns the schemas and runs the migrations, which grant <db>_<service> DML on its
# own schema and <db>_<emitter>_relay its outbox; this script only creates the roles.
#
# Compose: mounted into the postgres image's /docker-entrypoint-initdb.d, so it runs once, on a
# fresh data directory, as POSTGRES_USER over the local socket. Kubernetes: the migration Job's
# init container runs it with PGHOST/PGPASSWORD set (idempotent: roles are created or updated).
# Environment: POSTGRES_USER, POSTGRES_DB (also the roles' prefix) and a password per role:
# DB_MIGRATOR_PASSWORD, DB_{AUTH,USER,TRANSACTION,REPORTING,NOTIFICATION}_PASSWORD,
# DB_{AUTH,USER,TRANSACTION}_RELAY_PASSWORD; DB_SIMULATOR_PASSWORD only where the provider
# simulator runs (dev, staging): without it that role is not created.
# The same statements as the local stack's (instapay_stack.postgres.provision_roles).
set -eu
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" \
  -v migrator="$DB_MIGRATOR_PASSWORD" \
  -v auth="$DB_AUTH_PASSWORD" \
  -v user="$DB_USER_PASSWORD" \
  -v transaction="$DB_TRANSACTION_PASSWORD" \
  -v reporting="$DB_REPORTING_PASSWORD" \
  -v notification="$DB_NOTIFICATION_PASSWORD" \
  -v auth_relay="$DB_AUTH_RELAY_PASSWORD" \
  -v user_relay="$DB_USER_RELAY_PASSWORD" \
  -v transaction_relay="$DB_TRANSACTION_RELAY_PASSWORD" \
  -v simulator="${DB_SIMULATOR_PASSWORD:-}" <<'SQL'
-- Nobody but these roles connects, and no runtime role creates anything (TEMP included).
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
-- Each role created (or its password set again), then allowed to connect; the migrator may
-- also create the schemas, which it then owns.
SELECT s.statement
  FROM (VALUES
    (:'db' || '_migrator', :'migrator', false),
    (:'db' || '_auth', :'auth', true),
    (:'db' || '_user', :'user', true),
    (:'db' || '_transaction', :'transaction', true),
    (:'db' || '_reporting', :'reporting', true),
    (:'db' || '_notification', :'notification', true),
    (:'db' || '_auth_relay', :'auth_relay', true),
    (:'db' || '_user_relay', :'user_relay', true),
    (:'db' || '_transaction_relay', :'transaction_relay', true),
    (:'db' || '_simulator', :'simulator', true)
  ) AS w(name, password, runtime),
  LATERAL (VALUES
    (1, format('%s ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD %L',
               CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = w.name) THEN 'ALTER' ELSE 'CREATE' END,
               w.name, w.password)),
    (2, format('GRANT CONNECT%s ON DATABASE %I TO %I', CASE WHEN w.runtime THEN '' ELSE ', CREATE' END,
               :'db', w.name))
  ) AS s(step, statement)
  WHERE w.password <> ''
  ORDER BY s.step \gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
