"""SQLite databases made once per test run and copied per test: migrating a new file
takes a second or two and importing the zero draft of A/RES/79/53 another, many times
over a run. A copy of the file is the same database, byte for byte. PostgreSQL (a
schema per test) is migrated and seeded as before."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, make_url
from sqlalchemy.orm import Session

from penholder.store import make_engine, migrate
from penholder.zero_draft import create_from_prior, secretariat_user

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


def _copy(name: str, build: Callable[[Engine], int], url: str) -> int | None:
    """Copy the template into the SQLite file of `url` if it does not exist yet; the
    template's value, or None if nothing was copied."""
    target = _sqlite_file(url)
    if target is None or target.exists():
        return None
    path, value = _template(name, build)
    shutil.copyfile(path, target)
    return value


def _migrated(engine: Engine) -> int:
    migrate(engine)
    return 0


def _zero_draft(engine: Engine) -> int:
    migrate(engine)
    with Session(engine) as db, db.begin():
        staff = secretariat_user(db).id
    return create_from_prior(engine, "A/RES/79/53", staff).id


def migrated(engine: Engine) -> None:
    """`migrate(engine)`, by a copy when the engine's database is a new SQLite file."""
    if _copy("migrated", _migrated, engine.url.render_as_string(hide_password=False)) is None:
        migrate(engine)


def zero_draft(engine: Engine) -> int:
    """A migrated database with the zero draft from A/RES/79/53 (created by the
    Secretariat's user); its id."""
    copied = _copy("zero_draft", _zero_draft, engine.url.render_as_string(hide_password=False))
    return _zero_draft(engine) if copied is None else copied
