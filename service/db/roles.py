"""Database roles: an OWNER role that owns the schema and runs the migrations, and an APP role the
service connects as, which owns nothing.

The app role may read and write the tables it works with, but only SELECT and INSERT the
append-only ones (the audit log, Q&A answer revisions), and since it owns no table it can neither ALTER one nor
disable a trigger. Grants are (re)applied after every upgrade, and default privileges cover
tables a later migration creates.

On the embedded server :func:`provision` (run as the superuser) creates both roles, hands the
database, the ``public`` schema and every object in it to the owner (data directories from
before the roles existed had everything owned by ``postgres``), and is idempotent. On an
external server the operator creates the roles once (see the README); :func:`grant_app` runs
after each upgrade as the owner.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

OWNER_ROLE = "kyoso_owner"
APP_ROLE = "kyoso_app"
#: Tables the app may only read and append to: no UPDATE, DELETE or TRUNCATE.
APPEND_ONLY_TABLES = ("audit_entry", "deal_room_answer")
#: Tables the app may only read.
READ_ONLY_TABLES = ("alembic_version",)

_PROVISION_LOCK_KEY = int.from_bytes(b"KYOSOROL", "big") & 0x7FFF_FFFF_FFFF_FFFF
_ROLE_ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT"


def quote(name: str) -> str:
    """``name`` as a quoted SQL identifier (an operator's role names may be any case)."""
    if not name or len(name.encode()) > 63 or "\x00" in name:
        raise ValueError(f"not a role or database name: {name!r}")
    return '"' + name.replace('"', '""') + '"'


async def provision(conn: AsyncConnection, database: str, *, owner: str = OWNER_ROLE, app: str = APP_ROLE) -> None:
    """As a superuser connected to ``database``: create the roles, give the owner everything."""
    # Two processes starting together (`kyoso serve` and a CLI command) must not both CREATE ROLE.
    await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PROVISION_LOCK_KEY})
    for role in (owner, app):
        exists = await conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
        if not exists:
            await conn.execute(text(f"CREATE ROLE {quote(role)} {_ROLE_ATTRIBUTES}"))
        # Also on an existing role: whatever someone changed, these are the attributes it has.
        await conn.execute(text(f"ALTER ROLE {quote(role)} {_ROLE_ATTRIBUTES}"))
    await conn.execute(text(f"ALTER DATABASE {quote(database)} OWNER TO {quote(owner)}"))
    await conn.execute(text(f"ALTER SCHEMA public OWNER TO {quote(owner)}"))
    await conn.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    await _hand_over(conn, owner)


# Objects that belong to an extension (pg_trgm's functions) are the extension's business.
_RELATIONS_NOT_OWNED = """
SELECT c.oid::regclass::text AS name, c.relkind FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
  AND pg_get_userbyid(c.relowner) <> :owner
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  -- a sequence owned by a column changes owner with its table
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                    AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
ORDER BY c.relkind = 'S', c.relname
"""
_FUNCTIONS_NOT_OWNED = """
SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> :owner
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
"""
_TYPES_NOT_OWNED = """
SELECT t.oid::regtype::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'r', 'm')
  AND pg_get_userbyid(t.typowner) <> :owner
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
"""


async def _hand_over(conn: AsyncConnection, owner: str) -> None:
    """Every table, view, sequence, function and type in ``public`` not owned by ``owner`` (and
    not an extension's) changes owner. Sequences owned by a column follow their table."""
    relations = (await conn.execute(text(_RELATIONS_NOT_OWNED), {"owner": owner})).all()
    for name, relkind in relations:
        kind = {"v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE", "f": "FOREIGN TABLE"}.get(relkind, "TABLE")
        await conn.execute(text(f"ALTER {kind} {name} OWNER TO {quote(owner)}"))
    functions = await conn.scalars(text(_FUNCTIONS_NOT_OWNED), {"owner": owner})
    for signature in functions.all():
        await conn.execute(text(f"ALTER ROUTINE {signature} OWNER TO {quote(owner)}"))
    types = await conn.scalars(text(_TYPES_NOT_OWNED), {"owner": owner})
    for type_name in types.all():
        await conn.execute(text(f"ALTER TYPE {type_name} OWNER TO {quote(owner)}"))


async def grant_app(conn: AsyncConnection, app: str = APP_ROLE) -> None:
    """As the owner, after an upgrade: give ``app`` what it needs on every table, no more."""
    role = quote(app)
    me = quote(str(await conn.scalar(text("SELECT current_user"))))
    await conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
    await conn.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"))
    await conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    for table, rights in [(t, "SELECT, INSERT") for t in APPEND_ONLY_TABLES] + [
        (t, "SELECT") for t in READ_ONLY_TABLES
    ]:
        if await conn.scalar(text("SELECT to_regclass(:t)"), {"t": f"public.{table}"}) is None:
            continue
        await conn.execute(text(f"REVOKE ALL ON {quote(table)} FROM {role}"))
        await conn.execute(text(f"GRANT {rights} ON {quote(table)} TO {role}"))
    await conn.execute(
        text(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {me} IN SCHEMA public"
            f" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}"
        )
    )
    await conn.execute(
        text(f"ALTER DEFAULT PRIVILEGES FOR ROLE {me} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}")
    )


def operator_sql(database: str = "kyoso", *, owner: str = OWNER_ROLE, app: str = APP_ROLE) -> list[str]:
    """What an operator runs once, as an administrator, on an external server (before the first
    ``kyoso migrate upgrade``). Passwords are then set with ``\\password`` in psql. The last two
    statements run connected to ``database``."""
    return [
        f"CREATE ROLE {quote(owner)} {_ROLE_ATTRIBUTES}",
        f"CREATE ROLE {quote(app)} {_ROLE_ATTRIBUTES}",
        f"CREATE DATABASE {quote(database)} OWNER {quote(owner)}",
        f"ALTER SCHEMA public OWNER TO {quote(owner)}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
    ]
