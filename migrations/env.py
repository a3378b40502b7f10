"""Alembic environment. `penholder.store.db.migrate` hands in an open connection; the
`alembic` command line (with the top-level alembic.ini) gets its URL from
PENHOLDER_DATABASE_URL, else the default SQLite file."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from penholder.store.db import make_engine
from penholder.store.tables import Base, is_search_index

config = context.config
target_metadata = Base.metadata


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead. A no-op
        # on PostgreSQL, so one revision file serves both.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # The library's search index is backend SQL (migration 0005_library), not metadata.
        include_name=lambda name, kind, _parent: kind != "table" or not is_search_index(name),
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: run against a database")

given = config.attributes.get("connection")
if given is not None:
    run(given)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or None)
    try:
        with engine.begin() as conn:
            run(conn)
    finally:
        engine.dispose()
