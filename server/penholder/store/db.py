"""Opening the database and bringing its schema up to date.

The URL comes from the caller, else from `PENHOLDER_DATABASE_URL`, else it is
`sqlite:///penholder.db` (relative to the working directory). Migrations are the
top-level `migrations/` directory of the repository, found from this file's location
(the package is installed editable, from a checkout), or from `PENHOLDER_MIGRATIONS`
when the package runs outside a checkout.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL

if TYPE_CHECKING:
    from alembic.config import Config
# Alembic is imported where migrations are read or run, not here: every command that
# opens the database would otherwise wait a sixth of a second for it
# (`penholder import` reading the library's word usage).

DEFAULT_URL = "sqlite:///penholder.db"
# Any constant: serialises `migrate` between server processes starting together.
_MIGRATION_LOCK = 0x70656E68


def database_url(url: str | URL | None = None) -> str | URL:
    return url or os.environ.get("PENHOLDER_DATABASE_URL") or DEFAULT_URL


def make_engine(url: str | URL | None = None, **kwargs: Any) -> Engine:
    url = make_url(database_url(url))
    if url.get_backend_name() != "sqlite":
        return create_engine(url, **kwargs)
    # Writers queue on SQLite's single write lock; wait for it rather than fail fast.
    kwargs.setdefault("connect_args", {}).setdefault("timeout", 30)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")  # off by default in SQLite, per connection
        cur.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer, nor it them
        # In WAL mode NORMAL writes every commit to the log file before it returns, so a
        # killed server loses nothing; only an OS crash or power cut can lose the last
        # commits. FULL would add an fsync to every keystroke's path (docs/store.md).
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return engine


def existing_engine(url: str | URL | None = None) -> Engine | None:
    """An engine on the database when it is there, else None: for SQLite, when its file
    exists, so that a command that only reads never leaves an empty database behind."""
    u = make_url(database_url(url))
    if u.get_backend_name() == "sqlite" and (not u.database or u.database == ":memory:"
                                             or not Path(u.database).exists()):
        return None
    return make_engine(u)


def display_url(url: str | URL | None = None) -> str:
    return make_url(database_url(url)).render_as_string(hide_password=True)


def migrations_dir() -> Path:
    override = os.environ.get("PENHOLDER_MIGRATIONS")
    # server/penholder/store/db.py -> the repository root is three levels above `penholder`.
    path = Path(override) if override else Path(__file__).resolve().parents[3] / "migrations"
    if not (path / "env.py").is_file():
        raise RuntimeError(
            f"no Alembic migrations at {path}: run from a checkout of penholder "
            "(pip install -e) or set PENHOLDER_MIGRATIONS to its migrations/ directory"
        )
    return path


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("path_separator", "os")
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


class SchemaOutOfDate(RuntimeError):
    """The database has not been migrated to this code's head revision."""


def require_current(engine: Engine) -> None:
    have, want = current_revision(engine), head_revision()
    if have != want:
        raise SchemaOutOfDate(
            f"database {engine.url.render_as_string(hide_password=True)} is at revision "
            f"{have or 'none (empty)'}, this penholder needs {want}: run `penholder db upgrade`"
        )


def migrate(url: str | URL | Engine | None = None) -> str | None:
    """Run `alembic upgrade head` on the database; return the revision it is now at."""
    from alembic import command

    engine = url if isinstance(url, Engine) else make_engine(url)
    try:
        cfg = alembic_config()
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        return current_revision(engine)
    finally:
        if engine is not url:
            engine.dispose()
