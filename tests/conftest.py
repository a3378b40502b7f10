"""Shared fixtures. `database_url` is a fresh, empty database per test, once on SQLite (a
file in tmp_path) and once on PostgreSQL (a schema of its own, dropped afterwards, named
after this run so that concurrent runs and leftovers never meet). PostgreSQL is
PENHOLDER_TEST_POSTGRES_URL, else the local server; if it is down the tests fail, they
do not skip."""

from __future__ import annotations

import itertools
import os
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from penholder.store import make_engine
from template import migrated
from browser import browser, chromium, chromium_browser  # noqa: F401  # fixtures, for the browser tests

POSTGRES_URL = os.environ.get("PENHOLDER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
RUN = f"pytest_{secrets.token_hex(4)}"
_schemas = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    reason = None
    try:
        with admin.connect():
            pass
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
    if reason is not None:  # outside the except, so pytest shows this line and no traceback
        admin.dispose()
        pytest.fail(
            f"PostgreSQL is not reachable at {make_url(POSTGRES_URL).render_as_string()}: {reason}. "
            "These tests need it (CI runs it): start it, or set PENHOLDER_TEST_POSTGRES_URL.",
            pytrace=False,
        )
    yield admin
    with admin.connect() as conn:  # whatever a failed teardown left of this run
        names = conn.scalars(text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"), {"p": f"{RUN}%"})
        for name in list(names):
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'penholder.db'}"
        return
    admin: Engine = request.getfixturevalue("postgres_admin")
    schema = f"{RUN}_{next(_schemas)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """The database of `database_url`, migrated to head."""
    eng = make_engine(database_url)
    migrated(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session
