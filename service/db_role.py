"""`r57 db create-role`: a PostgreSQL role for the web workers, able to do no more than they
need (api/README.md, "The database role").

The owner, who runs this, keeps everything else: migrations and provisioning a tenant
(CREATE TABLE) run as the owner, from the command line. The restricted role reads and
appends events but never updates or deletes one; keeps the read models, the hash chain's
position and idempotency keys; and renames or archives tenants. Default privileges give
each events table the owner creates later the same SELECT and INSERT. Task snapshots
(`t_<slug>_snapshots`, written after a command's save) need exactly that too: the grant on
all tables covers those that exist, the default privileges those `create_tenant` and
`Tenancy.migrate` create later; nothing updates or deletes a snapshot.
"""

from __future__ import annotations

import argparse
import getpass
import re
from typing import Any

from psycopg.sql import SQL, Composed, Identifier, Literal

from domain.errors import DomainError
from service.tenancy import Tenancy
from tenants.storage import PostgresStorage

_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# Rows the web workers change in place; events and the hash chain are append-only.
MUTABLE_TABLES = ("r57_idempotency_keys", "rm_tracking", "rm_views", "rm_task_rows",
                  "rm_task_reports", "rm_checkpoints", "rm_entries", "integrity_tracking",
                  "integrity_verifications", "r57_replicas")
OWNER_WRITES = ("r57_tenants", "r57_schema_migrations")  # provisioning, migrations
_ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"


def privileges(role: str, database: str, schema: str) -> list[Composed]:
    r, s = Identifier(role), Identifier(schema)

    def tables(names: tuple[str, ...]) -> Composed:
        return SQL(", ").join(Identifier(schema, n) for n in names)

    return [SQL(text).format(r=r, s=s, db=Identifier(database), mutable=tables(MUTABLE_TABLES),
                             owned=tables(OWNER_WRITES)) for text in (
        "GRANT CONNECT ON DATABASE {db} TO {r}",
        "GRANT USAGE ON SCHEMA {s} TO {r}",
        "REVOKE CREATE ON SCHEMA {s} FROM PUBLIC",  # granted to everyone before PostgreSQL 15
        "REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
        "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA {s} TO {r}",
        "REVOKE INSERT ON {owned} FROM {r}",
        "GRANT UPDATE ON {s}.r57_tenants TO {r}",  # rename, archive
        "GRANT UPDATE, DELETE ON {mutable} TO {r}",
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",  # notification ids
        "GRANT EXECUTE ON FUNCTION {s}.r57_lock_events(regclass) TO {r}",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT, INSERT ON TABLES TO {r}",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
    )]


def create_role(storage: Any, role: str, password: str) -> None:
    """Create the role, or bring an existing one back to exactly these rights."""
    if not isinstance(storage, PostgresStorage):
        raise DomainError("db_role.postgres_only", field="role")
    if not _ROLE.fullmatch(role):
        raise DomainError("db_role.bad_name", field="role")
    datastore = storage.datastore
    with datastore.get_connection() as conn, conn.transaction():
        me = conn.execute("SELECT current_user AS me, current_database() AS db").fetchone()
        assert me is not None  # the query always returns one row
        found = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s",
                             (role,)).fetchone()
        if role == me["me"] or (found is not None and found["rolsuper"]):
            raise DomainError("db_role.privileged", field="role", role=role)
        verb = SQL("ALTER") if found else SQL("CREATE")
        conn.execute(SQL("{} ROLE {} " + _ATTRIBUTES + " PASSWORD {}").format(
            verb, Identifier(role), Literal(password)))
        for statement in privileges(role, me["db"], datastore.schema):
            conn.execute(statement)


def cmd_create_role(t: Tenancy, args: argparse.Namespace) -> None:
    password = args.password or getpass.getpass(f"Password for {args.role}: ")
    create_role(t.storage, args.role, password)
    print(f"Role {args.role} may now read and append events, and keep the read models; "
          "connect the web workers with it (R57_DATABASE_URL).")


def register(sub: Any, add: Any) -> None:
    p = add(sub, "create-role", cmd_create_role,
            "create the restricted PostgreSQL role the web workers connect as", tenant=False)
    p.add_argument("role", help="e.g. r57_web")
    p.add_argument("--password", help="its password (asked for when omitted)")
