"""Putting adopted resolutions into the library and reading what it knows."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from penholder.ingest import IngestError, import_path
from penholder.library.words import index_text
from penholder.model import Resolution
from penholder.model.labels import paragraph_labels
from penholder.store import Engine
from penholder.store import library as stored
from penholder.store.errors import Conflict
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
    paras = [stored.Paragraph(i, p.id, labels[p.id], p.text, index_text(p.text))
             for i, p in enumerate(res.paragraphs()) if p.text.strip()]
    if not paras:
        raise LibraryError(f"{source}: {h.symbol} has no paragraphs")
    replaced = stored.store(engine, symbol=h.symbol or "", session=h.session, title=h.title, committee=h.committee,
                            adopted_on=h.adopted_on, source=source, paragraphs=paras)
    return Added(h.symbol or "", len(paras), replaced)


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


optimize = stored.optimize  # after adding many: a compact index, fresh planner statistics
symbols = stored.symbols
version = stored.version  # what answers computed from the library are cached under


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
    for symbol, adopted in stored.dates(engine):
        m = _SHORT.match(symbol)
        if m:
            out[m.group(1)] = adopted
    return out


def listing(engine: Engine) -> list[dict[str, object]]:
    return stored.listing(engine)
