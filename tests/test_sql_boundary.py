"""SQL lives behind store/: no module outside it imports SQLAlchemy or the tables, so
the domain modules take and return plain values and the web handlers call store
functions (docs/store.md). A module that must speak to the database itself would be
listed below with the reason; the list only shrinks: a module that no longer needs its
place fails the test until it is taken off."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "server" / "penholder"

# module (relative to server/penholder) -> why it still speaks SQL
ALLOWED: dict[str, str] = {}

FORBIDDEN_MODULES = ("sqlalchemy", "penholder.store.tables",
                     # the mapped tables store/__init__.py re-exports for the tests
                     *(f"penholder.store.{t}" for t in ("Delegation", "Draft", "Snapshot", "Token", "Update", "User")))


def sql_imports(path: Path) -> list[str]:
    """What the module imports that only the store may: SQLAlchemy, the tables."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        found += [n for n in names if any(n == m or n.startswith(m + ".") for m in FORBIDDEN_MODULES)]
    return sorted(set(found))


def outside_store() -> dict[str, list[str]]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("store/"):
            continue
        if imports := sql_imports(path):
            out[rel] = imports
    return out


def test_sql_stays_behind_the_store():
    offenders = {m: i for m, i in outside_store().items() if m not in ALLOWED}
    assert offenders == {}, ("SQL outside server/penholder/store/: move it behind a store function "
                             f"(docs/store.md): {offenders}")


def test_the_allowlist_only_shrinks():
    stale = sorted(set(ALLOWED) - set(outside_store()))
    assert stale == [], f"no longer speak SQL; take them off ALLOWED: {stale}"


def test_the_check_sees_each_form_of_import(tmp_path: Path):
    sample = tmp_path / "sample.py"
    sample.write_text("import sqlalchemy\nfrom sqlalchemy.orm import Session\n"
                      "from penholder.store.tables import Draft\nfrom penholder.store import tables\n"
                      "from penholder.store import Engine, User, drafts\n")
    assert sql_imports(sample) == ["penholder.store.User", "penholder.store.tables", "penholder.store.tables.Draft",
                                   "sqlalchemy", "sqlalchemy.orm", "sqlalchemy.orm.Session"]
