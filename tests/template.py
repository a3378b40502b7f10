"""Databases made once per test process and copied per test: migrating a database takes
about a second and importing the zero draft of A/RES/79/53 another, many times over a
run. On SQLite the copy is the file, byte for byte; on PostgreSQL, where each test has a
schema of its own, a schema with the same tables and rows (below). Every name made here
carries RUN, drawn per process, so that concurrent runs, pytest-xdist's workers and
leftovers never meet."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from itertools import count
from pathlib import Path

from sqlalchemy import URL, Connection, Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from penholder.store import make_engine, migrate
from penholder.zero_draft import create_from_prior, secretariat_user

POSTGRES_URL = os.environ.get("PENHOLDER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
RUN = f"pytest_{secrets.token_hex(4)}"

_made: dict[str, tuple[Path, int]] = {}
_dir: Path | None = None


def _sqlite_file(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _template(name: str, build: Callable[[Engine], int]) -> tuple[Path, int]:
    global _dir
    if name not in _made:
        if _dir is None:
            _dir = Path(tempfile.mkdtemp(prefix="penholder-templates-"))
        path = _dir / f"{name}.db"
        engine = make_engine(f"sqlite:///{path}")
        try:
            value = build(engine)
        finally:
            engine.dispose()  # the last connection closed checkpoints the WAL into the file
        assert not path.with_name(path.name + "-wal").exists(), "the template's WAL was not checkpointed"
        _made[name] = (path, value)
    return _made[name]


def _copy(name: str, build: Callable[[Engine], int], engine: Engine) -> int | None:
    """Make the database of `engine` a copy of the template if it is still the empty one
    the test was given; the template's value, or None if nothing was copied."""
    if engine.url.get_backend_name() == "postgresql":
        return _copy_postgres(name, build, engine)
    target = _sqlite_file(engine.url.render_as_string(hide_password=False))
    if target is None or target.exists():
        return None
    path, value = _template(name, build)
    shutil.copyfile(path, target)
    return value


# PostgreSQL: a schema per test (creating one costs nothing, unlike a database, which
# PostgreSQL writes out whole). A template is migrated once into a schema of its own and
# its rows kept aside; a test that asks for it gets that schema renamed to its own name,
# and afterwards the schema is put back as it was (its rows deleted, the rows kept aside
# put back, its sequences reset) for the next test: unless the test changed what the
# schema is made of, then it is dropped and the next one is made anew.


class _Kept:
    """What a PostgreSQL template is: its shape, and its rows kept in `rows` (a schema)."""

    def __init__(self, value: int, rows: str, tables: dict[str, str], sequences: dict[str, int | None], shape: str):
        # tables: each table, after those its foreign keys point to, with its columns
        self.value, self.rows, self.tables, self.sequences, self.shape = value, rows, tables, sequences, shape
        self.spare: list[str] = []  # schemas as the template is, waiting for a test


_kept: dict[str, _Kept] = {}
_empty_pg: set[str] = set()  # schemas handed out empty that no template has filled yet
_filled_pg: dict[str, str] = {}  # test schema -> the template it holds a copy of
_numbers = count(1)


def postgres_admin_engine() -> Engine:
    return create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})


def _url(schema: str) -> str:
    return make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)


def new_postgres_schema(admin: Engine) -> str:
    """A new, empty schema of this run; the URL of the database with it as search path."""
    name = f"{RUN}_{next(_numbers)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    _empty_pg.add(name)
    return _url(name)


def _schema_of(url: str | URL) -> str | None:
    options = make_url(url).query.get("options", "")
    prefix = "-csearch_path="
    return options[len(prefix):] if isinstance(options, str) and options.startswith(prefix) else None


def release_postgres_schema(admin: Engine, url: str) -> None:
    """After the test: a copy of a template is put back as the template was, for the next
    test; any other schema is dropped."""
    schema = _schema_of(url)
    _empty_pg.discard(schema)
    name = _filled_pg.pop(schema, None)
    with admin.connect() as conn:
        if name is not None and _reset(conn, schema, _kept[name]):
            spare = f"{RUN}_spare_{next(_numbers)}"
            conn.execute(text(f'ALTER SCHEMA "{schema}" RENAME TO "{spare}"'))
            _kept[name].spare.append(spare)
            return
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def drop_postgres_leftovers(admin: Engine) -> None:
    """Every schema of this run: templates, rows kept aside, spares, and whatever a failed
    teardown left."""
    with admin.connect() as conn:
        names = conn.scalars(text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"), {"p": f"{RUN}%"})
        for name in list(names):
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    _kept.clear()


# The schema's make-up (tables, columns, constraints, indexes, sequences), with its own
# name taken out so that two copies compare equal.
_SHAPE = text("""
SELECT md5(string_agg(x, E'\\n' ORDER BY x)) FROM (
  SELECT concat_ws(' ', c.relname, c.relkind, replace(pg_get_indexdef(c.oid), :p, '')) AS x
    FROM pg_class c WHERE c.relnamespace = CAST(:s AS regnamespace)
  UNION ALL
  SELECT concat_ws(' ', c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   replace(pg_get_expr(d.adbin, d.adrelid), :p, ''))
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE c.relnamespace = CAST(:s AS regnamespace) AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT concat_ws(' ', c.relname, k.conname, replace(pg_get_constraintdef(k.oid), :p, ''))
    FROM pg_constraint k LEFT JOIN pg_class c ON c.oid = k.conrelid WHERE k.connamespace = CAST(:s AS regnamespace)
  UNION ALL
  SELECT concat_ws(' ', 'trigger', c.relname, t.tgname) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
   WHERE c.relnamespace = CAST(:s AS regnamespace) AND NOT t.tgisinternal
  UNION ALL
  SELECT concat_ws(' ', 'function', proname) FROM pg_proc WHERE pronamespace = CAST(:s AS regnamespace)
) shape""")


def _shape(conn: Connection, schema: str) -> str:
    return str(conn.scalar(_SHAPE, {"s": schema, "p": f"{schema}."}))


def _tables_in_order(conn: Connection, schema: str) -> list[str]:
    """The schema's tables, each after those its foreign keys point to."""
    tables = set(conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}))
    needs: dict[str, set[str]] = {t: set() for t in tables}
    for child, parent in conn.execute(text(
            "SELECT c.relname, p.relname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
            "JOIN pg_class p ON p.oid = k.confrelid WHERE k.contype = 'f' AND k.connamespace = CAST(:s AS regnamespace)"),
            {"s": schema}):
        if child != parent:
            needs[child].add(parent)
    order: list[str] = []
    while needs:
        ready = sorted(t for t, n in needs.items() if not n - set(order))
        assert ready, f"foreign keys in a cycle among {sorted(needs)}"
        order += ready
        for t in ready:
            del needs[t]
    return order


def _sequences(conn: Connection, schema: str) -> dict[str, int | None]:
    rows = conn.execute(text("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = :s"), {"s": schema})
    return {name: last for name, last in rows}


def _columns(conn: Connection, schema: str, table: str) -> str:
    """The columns a row can be written into (not the generated ones)."""
    names = conn.scalars(text(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = :s AND table_name = :t "
        "AND is_generated = 'NEVER' ORDER BY ordinal_position"), {"s": schema, "t": table})
    return ", ".join(f'"{n}"' for n in names)


def _reset(conn: Connection, schema: str, kept: _Kept) -> bool:
    """Put a copy of the template back as the template was; False if it is no longer of
    the template's make-up (or cannot be had: a connection the test left open holds it).
    One script, one round trip: statement by statement it took the better part of a second."""
    script = ["SET LOCAL lock_timeout = '5s'"]
    script += [f'DELETE FROM "{schema}"."{t}"' for t in reversed(kept.tables)]  # not TRUNCATE: a few rows
    script += [f'INSERT INTO "{schema}"."{t}" ({cols}) OVERRIDING SYSTEM VALUE SELECT {cols} FROM "{kept.rows}"."{t}"'
               for t, cols in kept.tables.items()]
    script += [f"SELECT setval('\"{schema}\".\"{seq}\"', {last or 1}, {'true' if last is not None else 'false'})"
               for seq, last in kept.sequences.items()]
    try:
        with conn.begin():
            if _shape(conn, schema) != kept.shape:
                return False
            conn.exec_driver_sql(";\n".join(script))
        return True
    except OperationalError:
        return False


def _build_postgres(name: str, build: Callable[[Engine], int], admin: Engine) -> tuple[str, int]:
    schema = f"{RUN}_template_{name}_{next(_numbers)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    made = make_engine(_url(schema))
    try:
        return schema, build(made)
    finally:
        made.dispose()


def _make_postgres(name: str, build: Callable[[Engine], int], admin: Engine) -> _Kept:
    schema, value = _build_postgres(name, build, admin)
    rows = f"{RUN}_rows_{name}"
    with admin.connect() as conn, conn.begin():
        tables = _tables_in_order(conn, schema)
        conn.execute(text(f'CREATE SCHEMA "{rows}"'))
        for t in tables:
            conn.execute(text(f'CREATE TABLE "{rows}"."{t}" AS TABLE "{schema}"."{t}"'))
        kept = _Kept(value, rows, {t: _columns(conn, schema, t) for t in tables}, _sequences(conn, schema),
                     _shape(conn, schema))
    kept.spare.append(schema)
    return kept


def _copy_postgres(name: str, build: Callable[[Engine], int], engine: Engine) -> int | None:
    schema = _schema_of(engine.url)
    if schema not in _empty_pg:
        return None
    _empty_pg.discard(schema)
    admin = postgres_admin_engine()
    try:
        with admin.connect() as conn:
            if conn.scalar(text("SELECT count(*) FROM pg_class WHERE relnamespace = CAST(:s AS regnamespace)"),
                           {"s": schema}):
                return None  # the test has put something there itself: leave it to migrate
        if name not in _kept:
            _kept[name] = _make_postgres(name, build, admin)
        kept = _kept[name]
        if not kept.spare:  # the last copy was changed in its make-up: make one anew
            kept.spare.append(_build_postgres(name, build, admin)[0])
        with admin.connect() as conn, conn.begin():
            conn.execute(text(f'DROP SCHEMA "{schema}"'))
            conn.execute(text(f'ALTER SCHEMA "{kept.spare.pop()}" RENAME TO "{schema}"'))
        _filled_pg[schema] = name
        return kept.value
    finally:
        admin.dispose()


def _migrated(engine: Engine) -> int:
    migrate(engine)
    return 0


def _zero_draft(engine: Engine) -> int:
    migrate(engine)
    with Session(engine) as db, db.begin():
        staff = secretariat_user(db).id
    return create_from_prior(engine, "A/RES/79/53", staff).id


def migrated(engine: Engine) -> None:
    """`migrate(engine)`, by a copy when the engine's database is a new, empty one."""
    if _copy("migrated", _migrated, engine) is None:
        migrate(engine)


def zero_draft(engine: Engine) -> int:
    """A migrated database with the zero draft from A/RES/79/53 (created by the
    Secretariat's user); its id."""
    copied = _copy("zero_draft", _zero_draft, engine)
    return _zero_draft(engine) if copied is None else copied
