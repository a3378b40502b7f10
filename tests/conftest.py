"""Shared fixtures. `database_url` is a fresh, empty database per test, once on SQLite (a
file in tmp_path) and once on PostgreSQL (a schema of its own, dropped afterwards, named
after this run so that concurrent runs, pytest-xdist's workers and leftovers never meet;
tests/template.py). PostgreSQL is PENHOLDER_TEST_POSTGRES_URL, else the local server; if
it is down the tests fail, they do not skip."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from penholder.store import make_engine
from template import (POSTGRES_URL, drop_postgres_leftovers, migrated, new_postgres_schema, postgres_admin_engine,
                      release_postgres_schema)
from browser import browser, chromium, chromium_browser  # noqa: F401  # fixtures, for the browser tests


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    admin = postgres_admin_engine()
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
    drop_postgres_leftovers(admin)  # the templates, and whatever a failed teardown left
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'penholder.db'}"
        return
    admin: Engine = request.getfixturevalue("postgres_admin")
    url = new_postgres_schema(admin)
    yield url
    release_postgres_schema(admin, url)


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules that drive Chromium first. They are the longest units pytest-xdist hands
    out (a module to a worker, `make test`); handed out last, one of them ran alone at the
    end while the other worker sat idle. Modules keep their order, and so do the tests of
    each module."""
    browsing = {item.nodeid.split("::")[0] for item in items if "chromium" in getattr(item, "fixturenames", ())}
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in browsing)
