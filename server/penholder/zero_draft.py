"""A new draft from a prior resolution: import it, roll it over, and write both steps to
the draft's update log, so that the history starts with the text as adopted and then
shows the Secretariat's technical update, never a delegation's."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from pycrdt import Doc
from penholder.ingest import IngestError, import_bytes, import_path
from penholder.model import Resolution
from penholder.model.rollover import TechnicalChange, roll_over
from penholder.reviewed import secretariat_only
from penholder.store import Engine
from penholder.store import drafts as stored
from penholder.store.drafts import SECRETARIAT_USER, DraftInfo, secretariat_user  # noqa: F401 (re-exported)
from penholder.sync import edits
from penholder.sync.schema import footnote_id, seed

DRAFTS_DIR = Path(__file__).resolve().parents[2] / "drafts"


class PriorNotFound(LookupError):
    pass


def prior_path(symbol: str, drafts_dir: Path = DRAFTS_DIR) -> Path:
    """drafts/A_RES_79_53.* for A/RES/79/53."""
    stem = re.sub(r"[^A-Za-z0-9.]+", "_", symbol.strip()).strip("_")
    matches = sorted(drafts_dir.glob(f"{stem}.*"))
    if not matches:
        known = ", ".join(p.stem.replace("_", "/") for p in sorted(drafts_dir.glob("A_RES_*"))) or "none"
        raise PriorNotFound(f"no prior resolution {symbol} in {drafts_dir} (have: {known})")
    return matches[0]


def doc_key(res: Resolution) -> str:
    """The prefix the importer gave this text's paragraph ids (res-79-53 in
    res-79-53.pp1): footnote ids are made with the same one."""
    first = next(iter(res.paragraphs()), None)
    return first.id.split(".", 1)[0] if first else "draft"


def apply_technical(doc: Doc, changes: list[TechnicalChange], key: str) -> None:
    for c in changes:
        kind, _, name = c.target.partition(":")
        if kind == "heading":
            value: object = int(c.after) if name == "session" else c.after
            edits.set_meta(doc, name, value)
        elif kind == "footnote":
            edits.rewrite_text(edits.footnote_text(doc, footnote_id(key, int(name))), c.after)
        else:
            # Technical changes never touch a lead, so no new text is italic.
            _, item = edits.find_paragraph(doc, c.target)
            edits.rewrite_text(item["text"], c.after)


def create_from_resolution(engine: Engine, prior: Resolution, created_by: int) -> DraftInfo:
    """Log the prior text (origin 'seed:<symbol>'), then the rollover (origin 'technical')."""
    symbol = prior.heading.symbol
    key = doc_key(prior)
    doc = Doc()
    seed(doc, prior, key)
    first = doc.get_update()
    if symbol and symbol.startswith("A/RES/"):
        draft_model, changes = roll_over(prior)
        before = doc.get_state()
        with doc.transaction(origin="technical"):
            apply_technical(doc, changes, key)
        second: bytes | None = doc.get_update(before)
    else:
        draft_model, second = prior, None
    h = draft_model.heading
    logged = [(first, f"seed:{symbol or 'upload'}")] + ([(second, "technical")] if second is not None else [])
    return stored.create_logged(
        engine, logged, title=h.title or "(untitled)", session=h.session or 0, created_by=created_by,
        symbol=None if (h.symbol or "").endswith("L.__") else h.symbol,
        committee=h.committee, agenda_item=h.agenda_item, agenda_title=h.agenda_title,
        base_symbol=symbol if second is not None else None)


def create_from_prior(engine: Engine, symbol: str, created_by: int, drafts_dir: Path = DRAFTS_DIR) -> DraftInfo:
    doc = import_path(prior_path(symbol, drafts_dir))
    if not isinstance(doc, Resolution):
        raise IngestError(f"{symbol} is a list of proposals, not a resolution")
    return create_from_resolution(engine, doc, created_by)


def create_from_upload(engine: Engine, data: bytes, name: str, created_by: int, *, staff: bool,
                       library: Callable[[Engine], Mapping[str, int]] | None = None) -> DraftInfo:
    """The draft from a file as it is read, no review; `staff`: the Secretariat starts it,
    the one account that may keep the file's L. symbol and sponsors (reviewed.secretariat_only:
    NotYours for anyone else); `library`: how the library writes its words
    (library.usage.word_usage), read here, in the caller's worker thread."""
    doc = import_bytes(data, name, library=library(engine) if library else None)
    if not isinstance(doc, Resolution):
        raise IngestError(f"{name}: a list of proposals, not a resolution; import it as amendments")
    secretariat_only(doc.heading, staff=staff, from_file=True)
    return create_from_resolution(engine, doc, created_by)
