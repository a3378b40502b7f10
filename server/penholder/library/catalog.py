"""Putting adopted resolutions into the library and reading what it knows."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from penholder.ingest import IngestError, import_path
from penholder.library.index import index_for
from penholder.model import Resolution
from penholder.model.labels import paragraph_labels
from penholder.store.errors import Conflict
from penholder.store.tables import LibraryParagraph, LibraryResolution, utcnow
from penholder.zero_draft import DRAFTS_DIR

SUFFIXES = {".txt", ".md", ".docx", ".pdf"}

Progress = Callable[[str], None]


class LibraryError(ValueError):
    """What is wrong with a file or a query, said for the user."""


@dataclass(frozen=True)
class Added:
    symbol: str
    paragraphs: int
    replaced: bool


def add_resolution(engine: Engine, res: Resolution, source: str) -> Added:
    """Store an adopted resolution by paragraph and index it; a symbol already in the
    library is replaced (a better copy of the same text)."""
    h = res.heading
    if not h.is_adopted:
        raise LibraryError(f"{source}: not an adopted resolution (no A/RES/ symbol found"
                           f"{': ' + h.symbol if h.symbol else ''}); the library keeps adopted texts only")
    labels = paragraph_labels(res)
    paras = [(i, p.id, labels[p.id], p.text) for i, p in enumerate(res.paragraphs()) if p.text.strip()]
    if not paras:
        raise LibraryError(f"{source}: {h.symbol} has no paragraphs")
    try:
        return _store(engine, res, paras, source)
    except IntegrityError:  # the symbol, added by another transaction that committed first
        raise Conflict(f"{h.symbol} is being added by another request; try again") from None


def _store(engine: Engine, res: Resolution, paras: list[tuple[int, str, str, str]], source: str) -> Added:
    h = res.heading
    with engine.begin() as conn:
        index = index_for(conn)
        old = conn.scalar(select(LibraryResolution.id).where(LibraryResolution.symbol == h.symbol))
        if old is not None:
            index.remove(conn, old)
            conn.execute(delete(LibraryParagraph).where(LibraryParagraph.resolution_id == old))
            conn.execute(delete(LibraryResolution).where(LibraryResolution.id == old))
        rid = conn.execute(insert(LibraryResolution).values(
            symbol=h.symbol, session=h.session, title=h.title, committee=h.committee,
            adopted_on=h.adopted_on, source=source[-300:], added_at=utcnow(),
        ).returning(LibraryResolution.id)).scalar_one()
        ids = conn.execute(insert(LibraryParagraph).returning(LibraryParagraph.id, sort_by_parameter_order=True), [
            {"resolution_id": rid, "position": i, "paragraph_id": pid, "label": label, "text": t}
            for i, pid, label, t in paras]).scalars().all()
        index.add(conn, list(zip(ids, [t for *_, t in paras], strict=True)), h.adopted_on)
    return Added(h.symbol or "", len(paras), old is not None)


def files_in(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    return [path]


def add_files(engine: Engine, paths: list[Path], progress: Progress | None = None) -> tuple[list[Added], list[str]]:
    """Import and add every file; a file that fails is reported and the others go on."""
    files = [f for p in paths for f in files_in(p)]
    added: list[Added] = []
    failed: list[str] = []
    for n, f in enumerate(files, 1):
        try:
            doc = import_path(f)
            if not isinstance(doc, Resolution):
                raise LibraryError(f"{f}: a list of proposals, not a resolution")
            a = add_resolution(engine, doc, str(f))
            added.append(a)
            if progress:
                progress(f"[{n}/{len(files)}] {a.symbol}: {a.paragraphs} paragraphs"
                         f"{' (replaced)' if a.replaced else ''}")
        except (IngestError, LibraryError) as exc:
            message = str(exc) if str(exc).startswith(str(f)) or f.name in str(exc) else f"{f}: {exc}"
            failed.append(message)
            if progress:
                progress(f"[{n}/{len(files)}] skipped: {message}")
    if added:
        optimize(engine)
    return added, failed


def optimize(engine: Engine) -> None:
    """After adding many resolutions: a compact index and fresh planner statistics."""
    with engine.begin() as conn:
        index_for(conn).optimize(conn)


def version(engine: Engine) -> tuple[int, int, str]:
    """Changes whenever a resolution is added or replaced: what answers computed from the
    library are cached under (library/agreed.py). The time of the latest addition is part
    of it, since SQLite may give a replaced resolution its old id again."""
    with engine.connect() as conn:
        n, top, latest = conn.execute(select(func.count(), func.max(LibraryResolution.id),
                                             func.max(LibraryResolution.added_at))).one()
    return n, top or 0, str(latest)


def symbols(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(select(LibraryResolution.symbol)))


def ensure_drafts(engine: Engine, drafts_dir: Path = DRAFTS_DIR) -> list[Added]:
    """Add the resolutions of drafts/ that the library does not hold yet (by the symbol
    their file is named after, A_RES_79_53.txt), so every database starts with them."""
    have = symbols(engine)
    missing = [p for p in files_in(drafts_dir) if p.name.startswith("A_RES_")
               and re.sub(r"_", "/", p.stem) not in have] if drafts_dir.is_dir() else []
    try:
        added, _ = add_files(engine, missing)
    except Conflict:  # another process added the same symbol meanwhile: it is there
        return []
    return added


_SHORT = re.compile(r"^A/RES/(\d+/\d+)")


def known_dates(engine: Engine) -> dict[str, str | None]:
    """'79/53' -> '2024-12-02' for every library resolution: what the checker compares
    references to resolutions against."""
    out: dict[str, str | None] = {}
    with engine.connect() as conn:
        for symbol, adopted in conn.execute(select(LibraryResolution.symbol, LibraryResolution.adopted_on)):
            m = _SHORT.match(symbol)
            if m:
                out[m.group(1)] = adopted
    return out


def listing(engine: Engine) -> list[dict[str, object]]:
    t = LibraryResolution.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(t).order_by(t.c.adopted_on.desc().nulls_last(), t.c.symbol)).all()
        counts = dict(conn.execute(select(LibraryParagraph.resolution_id, func.count())
                                   .group_by(LibraryParagraph.resolution_id)).all())
    return [{"symbol": r.symbol, "title": r.title, "session": r.session, "committee": r.committee,
             "adopted_on": r.adopted_on, "paragraphs": counts.get(r.id, 0)} for r in rows]
