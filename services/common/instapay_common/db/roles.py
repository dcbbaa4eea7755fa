"""Database roles: least privilege per process.

- `<prefix>_migrator` owns every service schema and runs the migrations (DDL); nothing else uses it.
- `<prefix>_<service>` (auth, user, transaction, reporting, notification, and the provider
  simulator where it runs) is the service's runtime
  role: USAGE on its own schema and DML on its tables and sequences (INSERT and SELECT only on the
  append-only `APPEND_ONLY_TABLES`), nothing on any other schema,
  no DDL (it owns nothing and has no CREATE anywhere).
- `<prefix>_<service>_relay` (auth, user, transaction) is an outbox relay's: only what it does to
  its emitter's `outbox_events` and `outbox_deliveries` (outbox_relay.repository).

Roles are created by whoever may create roles (the local stack, compose's init script, the Helm
roles Job); the grants below are made by the migrator, owner of the schema, after each migration
(`run_alembic`, when DB_RUNTIME_ROLE is set), with default privileges so that tables a later
migration adds are covered without a new grant.
"""

from __future__ import annotations

from dataclasses import dataclass

# Service short name -> the schema it owns (instapay_stack.services.LOCAL_SERVICES agrees).
SCHEMAS: dict[str, str] = {
    "auth": "auth",
    "user": "users",
    "transaction": "ledger",
    "reporting": "reporting",
    "notification": "notifications",
    # The provider simulator (dev, tests, staging; instapay_stack.services.SIMULATOR): a stand-in for
    # an outside company, kept to its own schema like the platform's services.
    "simulator": "simulator",
}
EMITTERS: tuple[str, ...] = ("auth", "user", "transaction")
DML = "SELECT, INSERT, UPDATE, DELETE"
# Beyond DML, per schema: the reporting rebuild empties its read model with TRUNCATE.
EXTRA_TABLE_PRIVILEGES: dict[str, str] = {"reporting": ", TRUNCATE"}
# The relay's statements: it locks and marks events, inserts and updates deliveries.
OUTBOX_PRIVILEGES: dict[str, str] = {
    "outbox_events": "SELECT, UPDATE",
    "outbox_deliveries": "SELECT, INSERT, UPDATE",
}
# Append-only for the runtime role, in whichever schema has them: the audit chain
# (instapay_common.audit.chain) is only ever added to. Taken back after the grants above (which
# cover every table), so every grant run ends with these refused.
APPEND_ONLY_TABLES: tuple[str, ...] = ("audit_log",)


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class RoleNames:
    """The roles of one database; the prefix is the database's name, so databases sharing a server
    (test runs) have roles of their own."""

    prefix: str

    @property
    def migrator(self) -> str:
        return f"{self.prefix}_migrator"

    def service(self, name: str) -> str:
        return f"{self.prefix}_{name}"

    def relay(self, emitter: str) -> str:
        return f"{self.prefix}_{emitter}_relay"

    def runtime(self) -> list[str]:
        return [self.service(s) for s in SCHEMAS] + [self.relay(e) for e in EMITTERS]

    def all(self) -> list[str]:
        return [self.migrator, *self.runtime()]


def grant_statements(schema: str, runtime_role: str, relay_role: str | None = None) -> list[str]:
    """What the schema's owner (the migrator) grants: the service's DML, present tables and future
    ones (default privileges for objects the migrator creates in the schema), and the relay's."""
    s, r = quote_ident(schema), quote_ident(runtime_role)
    privileges = DML + EXTRA_TABLE_PRIVILEGES.get(schema, "")
    out = [
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"GRANT {privileges} ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT {privileges} ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
    ]
    for table in APPEND_ONLY_TABLES:
        # Only where the table exists (a schema without a chain, a database not yet at head).
        name = quote_literal(f"{s}.{quote_ident(table)}")
        out.append(
            f"DO $$ BEGIN IF to_regclass({name}) IS NOT NULL THEN "
            f"REVOKE UPDATE, DELETE, TRUNCATE ON {s}.{quote_ident(table)} FROM {r}; END IF; END $$"
        )
    if relay_role:
        rr = quote_ident(relay_role)
        out.append(f"GRANT USAGE ON SCHEMA {s} TO {rr}")
        out += [f"GRANT {p} ON {s}.{quote_ident(t)} TO {rr}" for t, p in OUTBOX_PRIVILEGES.items()]
    return out
